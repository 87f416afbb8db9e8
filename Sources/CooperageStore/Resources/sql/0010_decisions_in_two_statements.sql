-- An authorization decision in two statements between BEGIN and COMMIT: one gathers every fact the rule
-- engine reads, the other records the request, its decision and their audit events. It took 25 (each of them
-- planned anew), and held the agreement's lock across all of them.
--
-- The rule engine stays in Swift (CooperageCore): it runs between the two statements, while the transaction
-- holds the agreement's row lock, so two concurrent requests can never together pass its ceiling.
-- Both functions are SECURITY INVOKER: the caller's rights and row-level security apply.

-- Decisions on one agreement run one after the other, but they no longer keep usage of that agreement
-- waiting: FOR NO KEY UPDATE (the loader's lock, the same one UPDATE takes) does not conflict with the
-- key-share locks foreign keys take on the agreement when rows that point at it are inserted.

-- Sets the tenant for the transaction, serializes requests with the same Idempotency-Key (when given) and
-- reads, for a decision on p_agreement for a purchase on p_purchase_date under the tenant's policy (version
-- p_policy_version, or the latest):
--   replay_id / replay_digest: the request already made with this key, if any (nothing else is then read);
--   the tenant, the agreement (locked) with its lead agency, solicitation and supplier, the participation
--   instruments, the policy, the tenant's approved totals on the agreement (whole term and the fiscal year of
--   the purchase), its approved orders of the 730 days before the purchase, the amounts spent per budget
--   account in that fiscal year, and, only when the policy has a source-preference rule (the one rule that
--   reads them; the query reads every agreement), where other agreements covering p_category come from.
--   p_excluding leaves one authorization out (the one being re-decided).
-- The participation instruments are JSON in the shape of AuthorizationContext.ParticipationInstrument; the
-- orders and the accounts are column arrays.
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
    alternative_leads text
)
    LANGUAGE plpgsql VOLATILE
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
           s.cooperative_language_in_contract, s.award_basis, p.id, p.name, p.status, p.status_effective_on::text
    INTO agreement_found, number, agreement_status, effective_on, expires_on, categories, nigp_codes,
         eligible_entity_types, eligible_states, ceiling_cents, compliance_letter_on_file, telecom_attestation_200216,
         committed_cents, lead_name, lead_state, lead_entity_type, solicitation_number, solicitation_method,
         advertised_where, advertised_on, cooperative_language_in_solicitation, cooperative_language_in_contract,
         award_basis, supplier_id, supplier_name, supplier_status, supplier_status_effective_on
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

    -- The fiscal year containing the purchase, as LocalDate.fiscalYearStart computes it.
    v_fiscal_start := make_date(extract(year FROM p_purchase_date)::int
                                    - CASE WHEN extract(month FROM p_purchase_date) >= fiscal_year_start_month THEN 0 ELSE 1 END,
                                fiscal_year_start_month, 1);
    v_fiscal_end := (v_fiscal_start + interval '1 year' - interval '1 day')::date;

    SELECT coalesce(sum(r.authorized_amount_cents) FILTER (WHERE r.agreement_id = p_agreement), 0)::bigint,
           coalesce(sum(r.authorized_amount_cents) FILTER (WHERE r.agreement_id = p_agreement
                                                           AND r.purchase_date BETWEEN v_fiscal_start AND v_fiscal_end), 0)::bigint
    INTO spend_on_agreement_cents, spend_this_fiscal_year_cents
    FROM authorization_request r
    WHERE r.tenant_id = p_tenant AND r.outcome = 'approved' AND r.id <> v_excluded;

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

    SELECT coalesce(array_agg(x.account ORDER BY x.account), '{}'), coalesce(array_agg(x.spent ORDER BY x.account), '{}')
    INTO account_codes, account_spent
    FROM (SELECT line->>'account' AS account, sum((line->>'amountCents')::bigint)::bigint AS spent
          FROM authorization_request r, jsonb_array_elements(r.funding_lines) AS line
          WHERE r.tenant_id = p_tenant AND r.outcome = 'approved' AND r.id <> v_excluded
            AND r.purchase_date BETWEEN v_fiscal_start AND v_fiscal_end
            AND line->>'account' IS NOT NULL
          GROUP BY 1) AS x;

    IF EXISTS (SELECT 1 FROM jsonb_array_elements(policy_rules::jsonb) AS rule WHERE rule->>'type' = 'source-preference') THEN
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
REVOKE ALL ON FUNCTION authorization_decision_facts(uuid, text, uuid, date, text, integer, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION authorization_decision_facts(uuid, text, uuid, date, text, integer, uuid) TO cooperage_app;

-- Appends a decision to an authorization request, in the caller's tenant transaction: the decision row, the
-- request's copy of its latest decision (not for the first, which the request was inserted with), the
-- agreement's commitment when approved (its row is locked by authorization_decision_facts), and the
-- `authorization.decided` audit event. Returns when the decision was made.
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
    p_decision_digest text
) RETURNS timestamptz
    LANGUAGE plpgsql VOLATILE
    SET search_path = cooperage, pg_temp
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_decided_at timestamptz;
BEGIN
    INSERT INTO authorization_decision (tenant_id, authorization_id, seq, outcome, results, policy_version, inputs,
                                        authorized_amount_cents, valid_from, valid_until, trigger)
    VALUES (p_tenant, p_authorization, p_seq, p_outcome, p_results, p_policy_version, p_inputs, p_authorized_cents,
            p_valid_from, p_valid_until, p_trigger)
    RETURNING decided_at INTO v_decided_at;
    IF p_seq > 1 THEN
        UPDATE authorization_request
        SET outcome = p_outcome, decision_count = p_seq, policy_version = p_policy_version,
            authorized_amount_cents = p_authorized_cents, valid_from = p_valid_from, valid_until = p_valid_until
        WHERE tenant_id = p_tenant AND id = p_authorization;
    END IF;
    IF p_outcome = 'approved' THEN
        -- The CHECK on committed_cents is a last line of defence behind the engine's ceiling gate.
        UPDATE agreement SET committed_cents = committed_cents + p_authorized_cents WHERE id = p_agreement;
    END IF;
    PERFORM audit_append(p_tenant, p_actor_token, p_actor_role, 'authorization.decided', 'authorization',
                         p_authorization::text, p_decision_digest);
    RETURN v_decided_at;
END
$$;
REVOKE ALL ON FUNCTION authorization_record_decision(uuid, uuid, integer, text, text, jsonb, integer, jsonb, bigint, date,
                                                     date, uuid, uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION authorization_record_decision(uuid, uuid, integer, text, text, jsonb, integer, jsonb, bigint, date,
                                                        date, uuid, uuid, text, text) TO cooperage_app;

-- Records a new authorization request with its first decision and both audit events
-- (`authorization.requested`, whose payload digest is the request's digest, then `authorization.decided`).
-- Returns the request's id, its list position and when it was made and decided.
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
    p_decision_digest text
) RETURNS TABLE (id uuid, seq bigint, created_at timestamptz, decided_at timestamptz)
    LANGUAGE plpgsql VOLATILE
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
                                                p_actor_token, p_actor_role, p_decision_digest);
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION authorization_create(uuid, uuid, uuid, bigint, date, text, jsonb, text, jsonb, text, text, text, jsonb,
                                            integer, jsonb, bigint, date, date, uuid, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION authorization_create(uuid, uuid, uuid, bigint, date, text, jsonb, text, jsonb, text, text, text, jsonb,
                                               integer, jsonb, bigint, date, date, uuid, text, text) TO cooperage_app;
