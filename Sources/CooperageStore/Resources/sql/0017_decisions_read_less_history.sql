-- A decision reads less of the agency's history (authorization_decision_facts, sql/0010, otherwise unchanged).
--
-- Its orders of the last two years and its fiscal year's spending per budget account are read only when the
-- policy has a rule that reads them (anti-splitting and approval-threshold the orders, budget-availability the
-- accounts), as the other agreements' sources already were only for source-preference. Both grow with the
-- agency's history, and they were the larger part of the statement (0.2 to 0.5 ms and 0.1 ms per decision for
-- agencies with 36 to 150 requests); the decision then also stores less (its inputs hold the context it read).
--
-- Its totals on the agreement read only that agreement's requests, by authorization_request_agreement_idx: the
-- statement read every approved request of the tenant and kept those of the agreement, so every decision cost
-- more the more the agency had bought under any agreement. Measured for agencies with about 150 requests each
-- (BENCHMARKS.md): 0.21 ms per decision before, 0.03 ms after. (Reading the orders of two years and the
-- accounts' spending in one pass instead of two was tried and measured no faster: the heap reads dominate.)
--
-- A decision's stored inputs (the whole context: about 7 KB of JSON for an agency with 50 requests, growing with
-- its orders of two years) and results are compressed with lz4 instead of pglz, which costs less CPU for each
-- decision written and read (0.20 to 0.11 ms for the decision's INSERT at 13 KB). A PostgreSQL built without
-- lz4 keeps pglz.

CREATE OR REPLACE FUNCTION authorization_decision_facts(
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
DO $$
BEGIN
    ALTER TABLE authorization_decision ALTER COLUMN inputs SET COMPRESSION lz4, ALTER COLUMN results SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available in this PostgreSQL; decisions stay compressed with pglz';
END
$$;
