-- Renewals and versioned terms of Master Agreements (issue 22, part 5).
--
-- An agreement's terms (ceiling, price tiers, eligible entity types and states, administrative fee) change by
-- amendment over its life. Every version is kept in agreement_terms (append-only): version 1 as published, one more
-- per amendment, each with the day it takes effect and who recorded it when. The agreement row keeps carrying its
-- current terms and their version number (terms_version), so a decision still reads everything in the one statement
-- that locks the row (authorization_decision_facts) and joins nothing more.
--
-- A decision records the version it was made under (authorization_decision.agreement_terms_version): the facts
-- statement reads it from the locked row together with the ceiling, the committed amount and the eligibility the
-- engine checks, and the same transaction writes it with the decision (authorization_create, or
-- authorization_record_decision after an approval). A change of terms locks the row FOR UPDATE, so it waits for
-- every decision that holds it; authorization_record_decision compares the version again when it commits an
-- approval's amount.
--
-- Renewals exercised and terms amended are listed in agreement_amendment (append-only, numbered per agreement), which
-- the API shows with the agreement and the OCDS export publishes as award amendments.
--
-- The admin-fee report applies, to each quarter, the rate of the version in force on the quarter's first day
-- (ReportStore+Finance.swift), so a new rate never rewrites a quarter already under way or past.

ALTER TABLE agreement ADD COLUMN terms_version integer NOT NULL DEFAULT 1 CONSTRAINT agreement_terms_version_check
    CHECK (terms_version >= 1);

CREATE TABLE agreement_terms (
    agreement_id uuid NOT NULL REFERENCES agreement (id),
    version integer NOT NULL CHECK (version >= 1),
    ceiling_cents bigint CHECK (ceiling_cents > 0),
    price_tiers jsonb NOT NULL,
    eligible_entity_types text[] NOT NULL,
    eligible_states text[] NOT NULL,
    admin_fee_basis_points integer NOT NULL CHECK (admin_fee_basis_points BETWEEN 0 AND 10000),
    -- The first day these terms apply to; a version never takes effect before the one it replaces.
    effective_on date NOT NULL,
    -- The token that recorded it (NULL: the server itself, or this migration's backfill) and its role.
    recorded_by uuid,
    recorded_role text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agreement_id, version)
);
CREATE TRIGGER agreement_terms_append_only BEFORE UPDATE OR DELETE ON agreement_terms
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
GRANT SELECT, INSERT ON agreement_terms TO cooperage_app;
GRANT SELECT ON agreement_terms TO cooperage_coop;

-- Agreements published before versions were kept: their terms as they stand are version 1, in force from their
-- first day (what they were before is not known; the audit trail's payload digests cannot say).
INSERT INTO agreement_terms (agreement_id, version, ceiling_cents, price_tiers, eligible_entity_types, eligible_states,
                             admin_fee_basis_points, effective_on, recorded_by, recorded_role)
SELECT id, 1, ceiling_cents, price_tiers, eligible_entity_types, eligible_states, admin_fee_basis_points, effective_on,
       NULL, 'system'
FROM agreement;

CREATE TABLE agreement_amendment (
    agreement_id uuid NOT NULL REFERENCES agreement (id),
    seq integer NOT NULL CHECK (seq >= 1),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    kind text NOT NULL CHECK (kind IN ('renewal', 'terms')),
    effective_on date NOT NULL,
    -- At most 2000 characters, checked by the server (which counts characters as people read them, not code points).
    rationale text CHECK (length(rationale) >= 1),
    -- Field name -> {"from": ..., "to": ...}, in the API's member names.
    changes jsonb NOT NULL,
    renewal_option integer CHECK (renewal_option >= 1),
    renewal_years integer CHECK (renewal_years BETWEEN 1 AND 10),
    terms_version integer,
    recorded_by uuid,
    recorded_role text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agreement_id, seq),
    FOREIGN KEY (agreement_id, terms_version) REFERENCES agreement_terms (agreement_id, version),
    CONSTRAINT agreement_amendment_kind_fields CHECK (
        CASE kind
            WHEN 'renewal' THEN renewal_option IS NOT NULL AND renewal_years IS NOT NULL AND terms_version IS NULL
            ELSE renewal_option IS NULL AND renewal_years IS NULL AND terms_version IS NOT NULL
        END)
);
CREATE TRIGGER agreement_amendment_append_only BEFORE UPDATE OR DELETE ON agreement_amendment
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
GRANT SELECT, INSERT ON agreement_amendment TO cooperage_app;
GRANT SELECT ON agreement_amendment TO cooperage_coop;

-- Decisions recorded from now on name the terms version they saw; earlier ones did not record it and stay NULL
-- (decisions are append-only, and which version they saw is not known). NOT VALID: checked for new rows only.
ALTER TABLE authorization_decision ADD COLUMN agreement_terms_version integer;
ALTER TABLE authorization_decision ADD CONSTRAINT authorization_decision_terms_version_recorded
    CHECK (agreement_terms_version IS NOT NULL) NOT VALID;

-- The four functions of the decision path gain the version: the facts return it (a column of the row they already
-- lock), and the writers take it. Their signatures change, so they are dropped and created again (sql/0019: a
-- replaced function is not left callable).
DROP FUNCTION authorization_decision_facts_presented(uuid, bytea, text[], text, uuid, date, text);
DROP FUNCTION authorization_decision_facts(uuid, text, uuid, date, text, integer, uuid);
DROP FUNCTION authorization_create(uuid, uuid, uuid, bigint, date, text, jsonb, text, jsonb, text, text, text, jsonb,
                                   integer, jsonb, bigint, date, date, uuid, text, text);
DROP FUNCTION authorization_record_decision(uuid, uuid, integer, text, text, jsonb, integer, jsonb, bigint, date, date,
                                            uuid, uuid, text, text);

-- As in sql/0017, with agreement_terms_version read from the locked agreement row.
CREATE FUNCTION authorization_decision_facts(
    p_tenant uuid,
    p_idempotency_key text,
    p_agreement uuid,
    p_purchase_date date,
    p_category text,
    p_policy_version integer,
    p_excluding uuid
) RETURNS TABLE (
    replay_id uuid,
    replay_digest text,
    tenant_found boolean,
    entity_type text,
    state text,
    tenant_status text,
    fiscal_year_start_month integer,
    agreement_found boolean,
    number text,
    agreement_status text,
    effective_on text,
    expires_on text,
    categories text[],
    nigp_codes text[],
    eligible_entity_types text[],
    eligible_states text[],
    ceiling_cents bigint,
    compliance_letter_on_file boolean,
    telecom_attestation_200216 boolean,
    committed_cents bigint,
    lead_name text,
    lead_state text,
    lead_entity_type text,
    solicitation_number text,
    solicitation_method text,
    advertised_where text,
    advertised_on text,
    cooperative_language_in_solicitation boolean,
    cooperative_language_in_contract boolean,
    award_basis text,
    supplier_id uuid,
    supplier_name text,
    supplier_status text,
    supplier_status_effective_on text,
    instruments text,
    policy_version integer,
    policy_rules text,
    spend_on_agreement_cents bigint,
    spend_this_fiscal_year_cents bigint,
    recent_dates text[],
    recent_amounts bigint[],
    recent_categories text[],
    recent_suppliers uuid[],
    recent_agreements uuid[],
    account_codes text[],
    account_spent bigint[],
    alternative_leads text,
    agreement_terms_version integer
)
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
    SET plan_cache_mode = force_generic_plan
    AS $$
#variable_conflict use_column
DECLARE
    v_fiscal_start date;
    v_fiscal_end date;
    v_excluded uuid := coalesce(p_excluding, '00000000-0000-0000-0000-000000000000');
    v_entity_type text;
    v_state text;
    v_rule_types text[];
BEGIN
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    IF p_idempotency_key IS NOT NULL THEN
        -- The same lock as IdempotencyLock (class "Id").
        PERFORM pg_advisory_xact_lock(18788, hashtext(upper(p_tenant::text) || '/' || p_idempotency_key));
        SELECT r.id, r.request_digest INTO replay_id, replay_digest
        FROM authorization_request r WHERE r.tenant_id = p_tenant AND r.idempotency_key = p_idempotency_key;
        IF FOUND THEN
            RETURN NEXT;
            RETURN;
        END IF;
    END IF;

    SELECT true, t.entity_type, t.state, t.status, t.fiscal_year_start_month
    INTO tenant_found, entity_type, state, tenant_status, fiscal_year_start_month
    FROM tenant t WHERE t.id = p_tenant;
    IF NOT FOUND THEN
        tenant_found := false;
        RETURN NEXT;
        RETURN;
    END IF;

    SELECT true, a.number, a.status, a.effective_on::text, a.expires_on::text, a.categories, a.nigp_codes,
           a.eligible_entity_types, a.eligible_states, a.ceiling_cents, a.compliance_letter_on_file,
           a.telecom_attestation_200216, a.committed_cents, l.legal_name, l.state, l.entity_type,
           s.number, s.method, s.advertised_where, s.advertised_on::text, s.cooperative_language_in_solicitation,
           s.cooperative_language_in_contract, s.award_basis, p.id, p.name, p.status, p.status_effective_on::text,
           a.terms_version
    INTO agreement_found, number, agreement_status, effective_on, expires_on, categories, nigp_codes,
         eligible_entity_types, eligible_states, ceiling_cents, compliance_letter_on_file, telecom_attestation_200216,
         committed_cents, lead_name, lead_state, lead_entity_type, solicitation_number, solicitation_method,
         advertised_where, advertised_on, cooperative_language_in_solicitation, cooperative_language_in_contract,
         award_basis, supplier_id, supplier_name, supplier_status, supplier_status_effective_on,
         agreement_terms_version
    FROM agreement a
    JOIN tenant l ON l.id = a.lead_tenant_id
    JOIN solicitation s ON s.id = a.solicitation_id
    JOIN supplier p ON p.id = a.supplier_id
    WHERE a.id = p_agreement
    FOR NO KEY UPDATE OF a;
    IF NOT FOUND THEN
        agreement_found := false;
        RETURN NEXT;
        RETURN;
    END IF;

    SELECT coalesce(json_agg(json_strip_nulls(json_build_object(
               'kind', i.kind, 'agreementId', i.agreement_id, 'state', i.state, 'effectiveOn', i.effective_on,
               'expiresOn', i.expires_on, 'resolutionNumber', i.resolution_number, 'resolutionDate', i.resolution_date))
               ORDER BY i.effective_on, i.created_at, i.id), '[]')::text
    INTO instruments
    FROM participation i WHERE i.tenant_id = p_tenant;

    SELECT v.version, v.rules::text INTO policy_version, policy_rules
    FROM policy_version v
    WHERE v.tenant_id = p_tenant AND (p_policy_version IS NULL OR v.version = p_policy_version)
    ORDER BY v.version DESC LIMIT 1;
    IF NOT FOUND THEN
        -- Version 0 is the empty policy.
        policy_version := 0;
        policy_rules := '[]';
    END IF;

    -- The policy's rule types, which decide below what else is read.
    SELECT coalesce(array_agg(rule->>'type'), '{}') INTO v_rule_types FROM jsonb_array_elements(policy_rules::jsonb) AS rule;

    -- The fiscal year containing the purchase, as LocalDate.fiscalYearStart computes it.
    v_fiscal_start := make_date(extract(year FROM p_purchase_date)::int
                                    - CASE WHEN extract(month FROM p_purchase_date) >= fiscal_year_start_month THEN 0 ELSE 1 END,
                                fiscal_year_start_month, 1);
    v_fiscal_end := (v_fiscal_start + interval '1 year' - interval '1 day')::date;

    -- By the agreement's index: only this agreement's requests are read, however many the tenant has on others.
    SELECT coalesce(sum(r.authorized_amount_cents), 0)::bigint,
           coalesce(sum(r.authorized_amount_cents) FILTER (WHERE r.purchase_date BETWEEN v_fiscal_start AND v_fiscal_end), 0)::bigint
    INTO spend_on_agreement_cents, spend_this_fiscal_year_cents
    FROM authorization_request r
    WHERE r.tenant_id = p_tenant AND r.agreement_id = p_agreement AND r.outcome = 'approved' AND r.id <> v_excluded;

    -- The orders of two years and the fiscal year's spending per account are read only for a policy with a rule
    -- that reads them (RuleType.readingRecentOrders and .readingAccountSpending in CooperageCore; a property test
    -- there checks that no other rule's result depends on them). They grow with the agency's history.
    recent_dates := '{}'; recent_amounts := '{}'; recent_categories := '{}'; recent_suppliers := '{}';
    recent_agreements := '{}'; account_codes := '{}'; account_spent := '{}';
    IF v_rule_types && ARRAY['anti-splitting', 'approval-threshold'] THEN
        -- Column arrays rather than JSON: the server reads them without a JSON decoder.
        SELECT coalesce(array_agg(r.purchase_date::text ORDER BY r.purchase_date, r.id), '{}'),
               coalesce(array_agg(r.authorized_amount_cents ORDER BY r.purchase_date, r.id), '{}'),
               coalesce(array_agg(r.category ORDER BY r.purchase_date, r.id), '{}'),
               coalesce(array_agg(r.supplier_id ORDER BY r.purchase_date, r.id), '{}'),
               coalesce(array_agg(r.agreement_id ORDER BY r.purchase_date, r.id), '{}')
        INTO recent_dates, recent_amounts, recent_categories, recent_suppliers, recent_agreements
        FROM authorization_request r
        WHERE r.tenant_id = p_tenant AND r.outcome = 'approved' AND r.id <> v_excluded
          AND r.purchase_date >= p_purchase_date - 730;
    END IF;
    IF 'budget-availability' = ANY (v_rule_types) THEN
        SELECT coalesce(array_agg(x.account ORDER BY x.account), '{}'), coalesce(array_agg(x.spent ORDER BY x.account), '{}')
        INTO account_codes, account_spent
        FROM (SELECT line->>'account' AS account, sum((line->>'amountCents')::bigint)::bigint AS spent
              FROM authorization_request r, jsonb_array_elements(r.funding_lines) AS line
              WHERE r.tenant_id = p_tenant AND r.outcome = 'approved' AND r.id <> v_excluded
                AND r.purchase_date BETWEEN v_fiscal_start AND v_fiscal_end
                AND line->>'account' IS NOT NULL
              GROUP BY 1) AS x;
    END IF;

    IF 'source-preference' = ANY (v_rule_types) THEN
        -- Copies: inside the query, entity_type and state would name the lead tenant's columns.
        v_entity_type := entity_type;
        v_state := state;
        SELECT coalesce(json_agg(DISTINCT jsonb_build_object('state', l.state, 'entityType', l.entity_type)), '[]')::text
        INTO alternative_leads
        FROM agreement a JOIN tenant l ON l.id = a.lead_tenant_id
        WHERE a.id <> p_agreement AND a.status = 'active'
          AND p_purchase_date BETWEEN a.effective_on AND a.expires_on
          AND (cardinality(a.eligible_entity_types) = 0 OR v_entity_type = ANY (a.eligible_entity_types))
          AND (cardinality(a.eligible_states) = 0 OR v_state = ANY (a.eligible_states))
          AND EXISTS (SELECT 1 FROM unnest(a.categories) AS c WHERE p_category LIKE rtrim(c, '0') || '%');
    END IF;
    RETURN NEXT;
END
$$;


-- As in sql/0016; its columns are those of authorization_decision_facts, agreement_terms_version last.
CREATE FUNCTION authorization_decision_facts_presented(
    p_tenant uuid,
    p_secret_hash bytea,
    p_roles text[],
    p_idempotency_key text,
    p_agreement uuid,
    p_purchase_date date,
    p_category text
) RETURNS TABLE (
    status text,
    token_id uuid,
    token_role text,
    replay_id uuid,
    replay_digest text,
    tenant_found boolean,
    entity_type text,
    state text,
    tenant_status text,
    fiscal_year_start_month integer,
    agreement_found boolean,
    number text,
    agreement_status text,
    effective_on text,
    expires_on text,
    categories text[],
    nigp_codes text[],
    eligible_entity_types text[],
    eligible_states text[],
    ceiling_cents bigint,
    compliance_letter_on_file boolean,
    telecom_attestation_200216 boolean,
    committed_cents bigint,
    lead_name text,
    lead_state text,
    lead_entity_type text,
    solicitation_number text,
    solicitation_method text,
    advertised_where text,
    advertised_on text,
    cooperative_language_in_solicitation boolean,
    cooperative_language_in_contract boolean,
    award_basis text,
    supplier_id uuid,
    supplier_name text,
    supplier_status text,
    supplier_status_effective_on text,
    instruments text,
    policy_version integer,
    policy_rules text,
    spend_on_agreement_cents bigint,
    spend_this_fiscal_year_cents bigint,
    recent_dates text[],
    recent_amounts bigint[],
    recent_categories text[],
    recent_suppliers uuid[],
    recent_agreements uuid[],
    account_codes text[],
    account_spent bigint[],
    alternative_leads text,
    agreement_terms_version integer
)
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
    AS $$
#variable_conflict use_column
DECLARE
    v_token record;
BEGIN
    SELECT * INTO v_token FROM authenticate_agency_token(p_tenant, p_secret_hash);
    IF NOT FOUND OR NOT v_token.usable THEN
        status := 'unauthenticated';
        RETURN NEXT;
        RETURN;
    END IF;
    IF v_token.tenant_status <> 'active' THEN
        status := 'tenant-not-active';
        tenant_status := v_token.tenant_status;
        RETURN NEXT;
        RETURN;
    END IF;
    IF NOT (v_token.token_role = ANY (p_roles)) THEN
        status := 'forbidden';
        token_role := v_token.token_role;
        RETURN NEXT;
        RETURN;
    END IF;
    RETURN QUERY
        SELECT 'facts'::text, v_token.token_id, v_token.token_role, f.*
        FROM authorization_decision_facts(p_tenant, p_idempotency_key, p_agreement, p_purchase_date, p_category,
                                          NULL, NULL) f;
END
$$;


-- As in sql/0010, writing the decision's terms version and comparing it with the row's when committing an approval.
CREATE FUNCTION authorization_record_decision(
    p_tenant uuid,
    p_authorization uuid,
    p_seq integer,
    p_trigger text,
    p_outcome text,
    p_results jsonb,
    p_policy_version integer,
    p_inputs jsonb,
    p_authorized_cents bigint,
    p_valid_from date,
    p_valid_until date,
    p_agreement uuid,
    p_actor_token uuid,
    p_actor_role text,
    p_decision_digest text,
    p_agreement_terms_version integer
) RETURNS timestamp with time zone
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
    SET plan_cache_mode = force_generic_plan
    AS $$
DECLARE
    v_decided_at timestamptz;
BEGIN
    INSERT INTO authorization_decision (tenant_id, authorization_id, seq, outcome, results, policy_version, inputs,
                                        authorized_amount_cents, valid_from, valid_until, trigger, agreement_terms_version)
    VALUES (p_tenant, p_authorization, p_seq, p_outcome, p_results, p_policy_version, p_inputs, p_authorized_cents,
            p_valid_from, p_valid_until, p_trigger, p_agreement_terms_version)
    RETURNING decided_at INTO v_decided_at;
    IF p_seq > 1 THEN
        UPDATE authorization_request
        SET outcome = p_outcome, decision_count = p_seq, policy_version = p_policy_version,
            authorized_amount_cents = p_authorized_cents, valid_from = p_valid_from, valid_until = p_valid_until
        WHERE tenant_id = p_tenant AND id = p_authorization;
    END IF;
    IF p_outcome = 'approved' THEN
        -- The CHECK on committed_cents is a last line of defence behind the engine's ceiling gate.
        -- The decision read the agreement's facts under its row lock, which this transaction still holds, so its
        -- terms cannot have changed since; the version is compared anyway, at no cost, so that a decision can
        -- never record terms it did not see.
        UPDATE agreement SET committed_cents = committed_cents + p_authorized_cents
        WHERE id = p_agreement AND terms_version = p_agreement_terms_version;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'agreement % is not at terms version %', p_agreement, p_agreement_terms_version
                USING ERRCODE = '40001';
        END IF;
    END IF;
    PERFORM audit_append(p_tenant, p_actor_token, p_actor_role, 'authorization.decided', 'authorization',
                         p_authorization::text, p_decision_digest);
    RETURN v_decided_at;
END
$$;


-- As in sql/0010, passing the terms version on to authorization_record_decision.
CREATE FUNCTION authorization_create(
    p_tenant uuid,
    p_agreement uuid,
    p_supplier uuid,
    p_amount_cents bigint,
    p_purchase_date date,
    p_category text,
    p_funding_lines jsonb,
    p_purpose text,
    p_evidence jsonb,
    p_idempotency_key text,
    p_request_digest text,
    p_outcome text,
    p_results jsonb,
    p_policy_version integer,
    p_inputs jsonb,
    p_authorized_cents bigint,
    p_valid_from date,
    p_valid_until date,
    p_actor_token uuid,
    p_actor_role text,
    p_decision_digest text,
    p_agreement_terms_version integer
) RETURNS TABLE (
    id uuid,
    seq bigint,
    created_at timestamp with time zone,
    decided_at timestamp with time zone
)
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
    SET plan_cache_mode = force_generic_plan
    AS $$
#variable_conflict use_column
BEGIN
    INSERT INTO authorization_request AS r (
        tenant_id, agreement_id, supplier_id, amount_cents, purchase_date, category, funding_lines, purpose, evidence,
        requested_by, idempotency_key, request_digest, outcome, decision_count, policy_version, authorized_amount_cents,
        valid_from, valid_until)
    VALUES (p_tenant, p_agreement, p_supplier, p_amount_cents, p_purchase_date, p_category, p_funding_lines, p_purpose,
            p_evidence, p_actor_token, p_idempotency_key, p_request_digest, p_outcome, 1, p_policy_version,
            p_authorized_cents, p_valid_from, p_valid_until)
    RETURNING r.id, r.seq, r.created_at INTO id, seq, created_at;
    PERFORM audit_append(p_tenant, p_actor_token, p_actor_role, 'authorization.requested', 'authorization', id::text,
                         p_request_digest);
    decided_at := authorization_record_decision(p_tenant, id, 1, 'request', p_outcome, p_results, p_policy_version,
                                                p_inputs, p_authorized_cents, p_valid_from, p_valid_until, p_agreement,
                                                p_actor_token, p_actor_role, p_decision_digest,
                                                p_agreement_terms_version);
    RETURN NEXT;
END
$$;


GRANT EXECUTE ON FUNCTION
    authorization_decision_facts(uuid, text, uuid, date, text, integer, uuid),
    authorization_decision_facts_presented(uuid, bytea, text[], text, uuid, date, text),
    authorization_create(uuid, uuid, uuid, bigint, date, text, jsonb, text, jsonb, text, text, text, jsonb, integer, jsonb,
                         bigint, date, date, uuid, text, text, integer),
    authorization_record_decision(uuid, uuid, integer, text, text, jsonb, integer, jsonb, bigint, date, date, uuid, uuid,
                                  text, text, integer)
TO cooperage_app;

COMMENT ON FUNCTION authorization_decision_facts(uuid, text, uuid, date, text, integer, uuid) IS
    'Sets the tenant, serializes and replays requests with the same Idempotency-Key (when given), locks the agreement '
    'row (FOR NO KEY UPDATE, so concurrent decisions cannot together pass its ceiling) and reads every fact the rule '
    'engine reads, with the agreement''s terms version; the recent orders, account spending and other agreements only '
    'for a policy with a rule that reads them. Approvals call it (their token was checked before); new requests go '
    'through authorization_decision_facts_presented.';
COMMENT ON FUNCTION authorization_decision_facts_presented(uuid, bytea, text[], text, uuid, date, text) IS
    'authorization_decision_facts for a new request, read only when the presented agency token is usable, its agency '
    'active and its role one of p_roles; otherwise status says why (unauthenticated, tenant-not-active, forbidden) and '
    'nothing else is read. token_id is the actor the decision''s audit events record.';
COMMENT ON FUNCTION authorization_create(uuid, uuid, uuid, bigint, date, text, jsonb, text, jsonb, text, text, text, jsonb,
                                         integer, jsonb, bigint, date, date, uuid, text, text, integer) IS
    'Records a new authorization request with its first decision (authorization_record_decision) and the '
    'authorization.requested audit event, whose payload digest is the request''s digest.';
COMMENT ON FUNCTION authorization_record_decision(uuid, uuid, integer, text, text, jsonb, integer, jsonb, bigint, date,
                                                  date, uuid, uuid, text, text, integer) IS
    'Appends a decision to an authorization request: the decision row with the agreement terms version it was made '
    'under, the request''s copy of its latest decision, the agreement''s commitment when approved (refused with 40001 '
    'if the agreement is no longer at that version), and the authorization.decided audit event.';
