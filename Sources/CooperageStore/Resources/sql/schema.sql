-- The live schema: what the numbered migrations beside this file add up to, as `pg_dump --schema-only` prints
-- a freshly migrated database (tables, indexes, row-level security policies, functions, triggers, owners and
-- grants). Generated and never applied: do not edit it. After adding a migration, regenerate it with
--     swift run cooperage db schema --output sql/schema.sql
-- (SchemaFileTests fails until it matches).

--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: cooperage; Type: SCHEMA; Schema: -; Owner: cooperage_owner
--

CREATE SCHEMA cooperage;


ALTER SCHEMA cooperage OWNER TO cooperage_owner;

--
-- Name: agency_periods(date); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.agency_periods(p_month date) RETURNS TABLE(period text, period_start date)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    VALUES ('all', date '-infinity'),
           ('month', date_trunc('month', p_month::timestamp)::date),
           ('quarter', date_trunc('quarter', p_month::timestamp)::date)
$$;


ALTER FUNCTION cooperage.agency_periods(p_month date) OWNER TO cooperage_owner;

--
-- Name: FUNCTION agency_periods(p_month date); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.agency_periods(p_month date) IS 'The periods (all, month, quarter) that hold an order dated in the given month, in the order usage writers lock their agreement_rollup rows.';


--
-- Name: agreement_ceiling_alerts(uuid, bigint, bigint); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.agreement_ceiling_alerts(p_agreement uuid, p_before bigint, p_after bigint) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_agreement record;
    v_threshold integer;
    v_raised integer := 0;
BEGIN
    SELECT a.number, a.ceiling_cents INTO v_agreement FROM agreement a WHERE a.id = p_agreement;
    IF v_agreement.ceiling_cents IS NULL THEN
        RETURN 0;
    END IF;
    -- Each threshold crossed, raised once per agreement, ceiling and threshold (the dedupe key; a raised ceiling
    -- re-arms them), in the cooperative's scope. numeric: no overflow however large the amounts.
    FOR v_threshold IN
        SELECT t.threshold FROM alert_threshold t
        WHERE t.event_type = 'agreement.ceiling'
          AND p_after::numeric * 100 >= v_agreement.ceiling_cents::numeric * t.threshold
          AND p_before::numeric * 100 < v_agreement.ceiling_cents::numeric * t.threshold
        ORDER BY t.threshold
    LOOP
        IF event_publish(NULL, 'agreement.ceiling', 'agreement', p_agreement::text,
                         jsonb_build_object('agreementId', p_agreement, 'number', v_agreement.number,
                                            'percent', v_threshold, 'committedCents', p_after,
                                            'ceilingCents', v_agreement.ceiling_cents),
                         true, 'agreement.ceiling:' || p_agreement || ':' || v_agreement.ceiling_cents || ':'
                               || v_threshold) IS NOT NULL THEN
            v_raised := v_raised + 1;
        END IF;
    END LOOP;
    RETURN v_raised;
END
$$;


ALTER FUNCTION cooperage.agreement_ceiling_alerts(p_agreement uuid, p_before bigint, p_after bigint) OWNER TO cooperage_owner;

--
-- Name: FUNCTION agreement_ceiling_alerts(p_agreement uuid, p_before bigint, p_after bigint); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.agreement_ceiling_alerts(p_agreement uuid, p_before bigint, p_after bigint) IS 'Raises agreement.ceiling for each threshold of alert_threshold (80, 90, 100 percent of the ceiling) that a committed amount going from p_before to p_after crosses, once per agreement, ceiling and threshold; returns how many were new.';


--
-- Name: agreement_counter_alerts(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.agreement_counter_alerts() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_counter record;
    v_raised integer := 0;
BEGIN
    -- The counters are read first and each alert function called here, not inside the read (Citus would run it on
    -- the counter's shard, from where it may not read other nodes).
    FOR v_counter IN SELECT c.agreement_id, c.committed_cents FROM agreement_commitment c WHERE c.committed_cents > 0 LOOP
        v_raised := v_raised + agreement_ceiling_alerts(v_counter.agreement_id, 0, v_counter.committed_cents);
    END LOOP;
    FOR v_counter IN SELECT r.agreement_id, r.amount_cents FROM agreement_rollup r
                     WHERE r.period = 'all' AND r.amount_cents > 0 LOOP
        v_raised := v_raised + agreement_tier_alerts(v_counter.agreement_id, 0, v_counter.amount_cents);
    END LOOP;
    RETURN v_raised;
END
$$;


ALTER FUNCTION cooperage.agreement_counter_alerts() OWNER TO cooperage_owner;

--
-- Name: FUNCTION agreement_counter_alerts(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.agreement_counter_alerts() IS 'The alert scheduler''s sweep: raises every ceiling and tier alert that the agreements'' counters have reached and that was not raised yet (on Citus the only way they are raised); returns how many were new. Runs with no tenant set.';


--
-- Name: agreement_tier_alerts(uuid, bigint, bigint); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.agreement_tier_alerts(p_agreement uuid, p_before bigint, p_after bigint) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_tier record;
    v_raised integer := 0;
BEGIN
    FOR v_tier IN
        SELECT a.number, (t.tier ->> 'minVolumeCents')::numeric AS floor_cents,
               (t.tier ->> 'discountBasisPoints')::numeric AS discount, t.position
        FROM agreement a, jsonb_array_elements(a.price_tiers) WITH ORDINALITY AS t(tier, position)
        WHERE a.id = p_agreement
          AND (t.tier ->> 'minVolumeCents')::numeric > p_before
          AND (t.tier ->> 'minVolumeCents')::numeric <= p_after
        ORDER BY t.position
    LOOP
        IF event_publish(NULL, 'agreement.tier-reached', 'agreement', p_agreement::text,
                         jsonb_build_object('agreementId', p_agreement, 'number', v_tier.number,
                                            'tier', v_tier.position, 'minVolumeCents', v_tier.floor_cents,
                                            'discountBasisPoints', v_tier.discount, 'volumeCents', p_after),
                         true, 'agreement.tier-reached:' || p_agreement || ':' || v_tier.floor_cents) IS NOT NULL THEN
            v_raised := v_raised + 1;
        END IF;
    END LOOP;
    RETURN v_raised;
END
$$;


ALTER FUNCTION cooperage.agreement_tier_alerts(p_agreement uuid, p_before bigint, p_after bigint) OWNER TO cooperage_owner;

--
-- Name: FUNCTION agreement_tier_alerts(p_agreement uuid, p_before bigint, p_after bigint); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.agreement_tier_alerts(p_agreement uuid, p_before bigint, p_after bigint) IS 'Raises agreement.tier-reached for each price tier whose minVolumeCents an all-time volume going from p_before to p_after reaches, once per agreement and tier floor; returns how many were new.';


--
-- Name: audit_append(uuid, uuid, text, text, text, text, text); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.audit_append(p_tenant uuid, p_actor_token uuid, p_actor_role text, p_action text, p_subject_type text, p_subject_id text, p_payload_digest text) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    AS $$
DECLARE
    v_seq bigint;
    v_previous text;
    v_at timestamptz := clock_timestamp();
    v_micros bigint;
    v_hash text;
BEGIN
    IF p_tenant IS NULL THEN
        -- The cooperative's chain (class "Au", key 0): a reference table, appended on the coordinator only.
        PERFORM pg_advisory_xact_lock(16757, 0);
        SELECT e.seq, e.hash INTO v_seq, v_previous FROM cooperative_audit_event e ORDER BY e.seq DESC LIMIT 1;
    ELSE
        -- A tenant's chain: its head row, locked, on the tenant's shard.
        SELECT h.seq, h.hash INTO v_seq, v_previous FROM audit_chain_head h WHERE h.tenant_id = p_tenant FOR UPDATE;
        IF NOT FOUND THEN
            INSERT INTO audit_chain_head (tenant_id, seq, hash) VALUES (p_tenant, 0, repeat('0', 64))
            ON CONFLICT (tenant_id) DO NOTHING;
            SELECT h.seq, h.hash INTO v_seq, v_previous FROM audit_chain_head h WHERE h.tenant_id = p_tenant FOR UPDATE;
        END IF;
    END IF;
    v_seq := coalesce(v_seq, 0) + 1;
    v_previous := coalesce(v_previous, repeat('0', 64));
    v_micros := (extract(epoch FROM v_at) * 1000000)::bigint;
    v_hash := encode(sha256(convert_to(concat_ws(E'\n', v_previous, v_seq::text, coalesce(p_tenant::text, 'cooperative'),
                                                  v_micros::text, coalesce(p_actor_token::text, '-'), p_actor_role,
                                                  p_action, p_subject_type, p_subject_id, p_payload_digest), 'UTF8')),
                     'hex');
    IF p_tenant IS NULL THEN
        INSERT INTO cooperative_audit_event (seq, occurred_at, actor_token_id, actor_role, action, subject_type, subject_id,
                                             payload_digest, previous_hash, hash)
        VALUES (v_seq, v_at, p_actor_token, p_actor_role, p_action, p_subject_type, p_subject_id, p_payload_digest,
                v_previous, v_hash);
    ELSE
        INSERT INTO audit_event (tenant_id, seq, occurred_at, actor_token_id, actor_role, action, subject_type, subject_id,
                                 payload_digest, previous_hash, hash)
        VALUES (p_tenant, v_seq, v_at, p_actor_token, p_actor_role, p_action, p_subject_type, p_subject_id,
                p_payload_digest, v_previous, v_hash);
        UPDATE audit_chain_head SET seq = v_seq, hash = v_hash, occurred_at = v_at WHERE tenant_id = p_tenant;
    END IF;
    RETURN v_seq;
END
$$;


ALTER FUNCTION cooperage.audit_append(p_tenant uuid, p_actor_token uuid, p_actor_role text, p_action text, p_subject_type text, p_subject_id text, p_payload_digest text) OWNER TO cooperage_owner;

--
-- Name: FUNCTION audit_append(p_tenant uuid, p_actor_token uuid, p_actor_role text, p_action text, p_subject_type text, p_subject_id text, p_payload_digest text); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.audit_append(p_tenant uuid, p_actor_token uuid, p_actor_role text, p_action text, p_subject_type text, p_subject_id text, p_payload_digest text) IS 'Appends one event to a hash chain (the tenant''s under its head row''s lock in audit_chain_head, or the cooperative''s for a NULL tenant under an advisory lock) and returns its sequence number. The hash is AuditEvent.computedHash, which `cooperage audit verify` recomputes in Swift.';


--
-- Name: authenticate_agency_token(uuid, bytea); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.authenticate_agency_token(p_tenant uuid, p_hash bytea) RETURNS TABLE(token_id uuid, token_name text, token_role text, tenant_status text, usable boolean)
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
BEGIN
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    RETURN QUERY
        SELECT a.id, a.name, a.role, t.status,
               a.revoked_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > now())
        FROM agency_token a JOIN tenant t ON t.id = a.tenant_id
        WHERE a.tenant_id = p_tenant AND a.secret_hash = p_hash;
END
$$;


ALTER FUNCTION cooperage.authenticate_agency_token(p_tenant uuid, p_hash bytea) OWNER TO cooperage_owner;

--
-- Name: FUNCTION authenticate_agency_token(p_tenant uuid, p_hash bytea); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.authenticate_agency_token(p_tenant uuid, p_hash bytea) IS 'Sets the tenant for the transaction and reads the agency token with this hash under the tenant''s row-level security: an agency request''s authentication in one round trip.';


--
-- Name: authenticate_console_session(uuid, bytea); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.authenticate_console_session(p_tenant uuid, p_session_hash bytea) RETURNS TABLE(token_id uuid, token_name text, token_role text, tenant_status text, usable boolean)
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
BEGIN
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    RETURN QUERY
        SELECT a.id, a.name, a.role, t.status,
               s.ended_at IS NULL AND a.revoked_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > now())
        FROM console_session s
        JOIN agency_token a ON a.tenant_id = s.tenant_id AND a.id = s.token_id
        JOIN tenant t ON t.id = s.tenant_id
        WHERE s.tenant_id = p_tenant AND s.id_hash = p_session_hash;
END
$$;


ALTER FUNCTION cooperage.authenticate_console_session(p_tenant uuid, p_session_hash bytea) OWNER TO cooperage_owner;

--
-- Name: FUNCTION authenticate_console_session(p_tenant uuid, p_session_hash bytea); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.authenticate_console_session(p_tenant uuid, p_session_hash bytea) IS 'Sets the tenant for the transaction and reads the console session with this hash and the agency token it stands for, under the tenant''s row-level security: the console''s credential, checked where the work is done.';


--
-- Name: authorization_create(uuid, uuid, uuid, bigint, date, text, jsonb, text, jsonb, text, text, text, jsonb, integer, jsonb, bigint, date, date, uuid, text, text, integer); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.authorization_create(p_tenant uuid, p_agreement uuid, p_supplier uuid, p_amount_cents bigint, p_purchase_date date, p_category text, p_funding_lines jsonb, p_purpose text, p_evidence jsonb, p_idempotency_key text, p_request_digest text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer) RETURNS TABLE(id uuid, seq bigint, created_at timestamp with time zone, decided_at timestamp with time zone)
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
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


ALTER FUNCTION cooperage.authorization_create(p_tenant uuid, p_agreement uuid, p_supplier uuid, p_amount_cents bigint, p_purchase_date date, p_category text, p_funding_lines jsonb, p_purpose text, p_evidence jsonb, p_idempotency_key text, p_request_digest text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer) OWNER TO cooperage_owner;

--
-- Name: FUNCTION authorization_create(p_tenant uuid, p_agreement uuid, p_supplier uuid, p_amount_cents bigint, p_purchase_date date, p_category text, p_funding_lines jsonb, p_purpose text, p_evidence jsonb, p_idempotency_key text, p_request_digest text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.authorization_create(p_tenant uuid, p_agreement uuid, p_supplier uuid, p_amount_cents bigint, p_purchase_date date, p_category text, p_funding_lines jsonb, p_purpose text, p_evidence jsonb, p_idempotency_key text, p_request_digest text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer) IS 'Records a new authorization request with its first decision (authorization_record_decision) and the authorization.requested audit event, whose payload digest is the request''s digest.';


--
-- Name: authorization_decision_facts(uuid, text, uuid, date, text, integer, uuid); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.authorization_decision_facts(p_tenant uuid, p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text, p_policy_version integer, p_excluding uuid) RETURNS TABLE(replay_id uuid, replay_digest text, tenant_found boolean, entity_type text, state text, tenant_status text, fiscal_year_start_month integer, agreement_found boolean, number text, agreement_status text, effective_on text, expires_on text, categories text[], nigp_codes text[], eligible_entity_types text[], eligible_states text[], ceiling_cents bigint, compliance_letter_on_file boolean, telecom_attestation_200216 boolean, committed_cents bigint, lead_name text, lead_state text, lead_entity_type text, solicitation_number text, solicitation_method text, advertised_where text, advertised_on text, cooperative_language_in_solicitation boolean, cooperative_language_in_contract boolean, award_basis text, supplier_id uuid, supplier_name text, supplier_status text, supplier_status_effective_on text, instruments text, policy_version integer, policy_rules text, spend_on_agreement_cents bigint, spend_this_fiscal_year_cents bigint, recent_dates text[], recent_amounts bigint[], recent_categories text[], recent_suppliers uuid[], recent_agreements uuid[], account_codes text[], account_spent bigint[], alternative_leads text, agreement_terms_version integer)
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
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
        -- The same lock as IdempotencyLock: a row of the tenant's shard.
        PERFORM idempotency_lock(p_tenant, p_idempotency_key);
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

    -- The agreement's committed amount, locked: concurrent decisions on one agreement queue here, so together they
    -- cannot pass its ceiling, and an amendment of its terms (which takes the same lock) waits for them. Locked
    -- before the terms are read, so they are the terms this decision is recorded under.
    PERFORM FROM agreement a WHERE a.id = p_agreement;
    IF NOT FOUND THEN
        agreement_found := false;
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT c.committed_cents INTO committed_cents FROM agreement_commitment c
    WHERE c.agreement_id = p_agreement FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        INSERT INTO agreement_commitment (agreement_id) VALUES (p_agreement) ON CONFLICT DO NOTHING;
        SELECT c.committed_cents INTO committed_cents FROM agreement_commitment c
        WHERE c.agreement_id = p_agreement FOR NO KEY UPDATE;
    END IF;

    SELECT true, a.number, a.status, a.effective_on::text, a.expires_on::text, a.categories, a.nigp_codes,
           a.eligible_entity_types, a.eligible_states, a.ceiling_cents, a.compliance_letter_on_file,
           a.telecom_attestation_200216, l.legal_name, l.state, l.entity_type,
           s.number, s.method, s.advertised_where, s.advertised_on::text, s.cooperative_language_in_solicitation,
           s.cooperative_language_in_contract, s.award_basis, p.id, p.name, p.status, p.status_effective_on::text,
           a.terms_version
    INTO agreement_found, number, agreement_status, effective_on, expires_on, categories, nigp_codes,
         eligible_entity_types, eligible_states, ceiling_cents, compliance_letter_on_file, telecom_attestation_200216,
         lead_name, lead_state, lead_entity_type, solicitation_number, solicitation_method,
         advertised_where, advertised_on, cooperative_language_in_solicitation, cooperative_language_in_contract,
         award_basis, supplier_id, supplier_name, supplier_status, supplier_status_effective_on,
         agreement_terms_version
    FROM agreement a
    JOIN tenant l ON l.id = a.lead_tenant_id
    JOIN solicitation s ON s.id = a.solicitation_id
    JOIN supplier p ON p.id = a.supplier_id
    WHERE a.id = p_agreement;

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


ALTER FUNCTION cooperage.authorization_decision_facts(p_tenant uuid, p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text, p_policy_version integer, p_excluding uuid) OWNER TO cooperage_owner;

--
-- Name: FUNCTION authorization_decision_facts(p_tenant uuid, p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text, p_policy_version integer, p_excluding uuid); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.authorization_decision_facts(p_tenant uuid, p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text, p_policy_version integer, p_excluding uuid) IS 'Sets the tenant, serializes and replays requests with the same Idempotency-Key (when given), locks the agreement row (FOR NO KEY UPDATE, so concurrent decisions cannot together pass its ceiling) and reads every fact the rule engine reads, with the agreement''s terms version; the recent orders, account spending and other agreements only for a policy with a rule that reads them. Approvals call it (their token was checked before); new requests go through authorization_decision_facts_presented.';


--
-- Name: authorization_decision_facts_presented(uuid, bytea, text[], text, uuid, date, text); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.authorization_decision_facts_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text) RETURNS TABLE(status text, token_id uuid, token_role text, replay_id uuid, replay_digest text, tenant_found boolean, entity_type text, state text, tenant_status text, fiscal_year_start_month integer, agreement_found boolean, number text, agreement_status text, effective_on text, expires_on text, categories text[], nigp_codes text[], eligible_entity_types text[], eligible_states text[], ceiling_cents bigint, compliance_letter_on_file boolean, telecom_attestation_200216 boolean, committed_cents bigint, lead_name text, lead_state text, lead_entity_type text, solicitation_number text, solicitation_method text, advertised_where text, advertised_on text, cooperative_language_in_solicitation boolean, cooperative_language_in_contract boolean, award_basis text, supplier_id uuid, supplier_name text, supplier_status text, supplier_status_effective_on text, instruments text, policy_version integer, policy_rules text, spend_on_agreement_cents bigint, spend_this_fiscal_year_cents bigint, recent_dates text[], recent_amounts bigint[], recent_categories text[], recent_suppliers uuid[], recent_agreements uuid[], account_codes text[], account_spent bigint[], alternative_leads text, agreement_terms_version integer)
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
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


ALTER FUNCTION cooperage.authorization_decision_facts_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text) OWNER TO cooperage_owner;

--
-- Name: FUNCTION authorization_decision_facts_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.authorization_decision_facts_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text) IS 'authorization_decision_facts for a new request, read only when the presented agency token is usable, its agency active and its role one of p_roles; otherwise status says why (unauthenticated, tenant-not-active, forbidden) and nothing else is read. token_id is the actor the decision''s audit events record.';


--
-- Name: authorization_record_decision(uuid, uuid, integer, text, text, jsonb, integer, jsonb, bigint, date, date, uuid, uuid, text, text, integer); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.authorization_record_decision(p_tenant uuid, p_authorization uuid, p_seq integer, p_trigger text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_agreement uuid, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer) RETURNS timestamp with time zone
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
    v_decided_at timestamptz;
    v_ceiling bigint;
    v_committed bigint;
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
        -- The decision read the agreement's facts under its commitment row's lock, which this transaction still
        -- holds and an amendment takes too, so its terms cannot have changed since; the version is compared anyway,
        -- at no cost, so that a decision can never record terms it did not see.
        SELECT a.ceiling_cents INTO v_ceiling FROM agreement a
        WHERE a.id = p_agreement AND a.terms_version = p_agreement_terms_version;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'agreement % is not at terms version %', p_agreement, p_agreement_terms_version
                USING ERRCODE = '40001';
        END IF;
        UPDATE agreement_commitment SET committed_cents = committed_cents + p_authorized_cents
        WHERE agreement_id = p_agreement
        RETURNING committed_cents INTO v_committed;
        -- The last line of defence behind the engine's ceiling gate (the CHECK the agreement row had).
        IF v_committed IS NULL OR v_committed > v_ceiling THEN
            RAISE EXCEPTION 'agreement % would commit % of its % cents', p_agreement, v_committed, v_ceiling
                USING ERRCODE = '23514', CONSTRAINT = 'agreement_within_ceiling';
        END IF;
        IF v_ceiling IS NOT NULL AND NOT on_citus() THEN
            PERFORM agreement_ceiling_alerts(p_agreement, v_committed - p_authorized_cents, v_committed);
        END IF;
    END IF;
    PERFORM audit_append(p_tenant, p_actor_token, p_actor_role, 'authorization.decided', 'authorization',
                         p_authorization::text, p_decision_digest);
    RETURN v_decided_at;
END
$$;


ALTER FUNCTION cooperage.authorization_record_decision(p_tenant uuid, p_authorization uuid, p_seq integer, p_trigger text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_agreement uuid, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer) OWNER TO cooperage_owner;

--
-- Name: FUNCTION authorization_record_decision(p_tenant uuid, p_authorization uuid, p_seq integer, p_trigger text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_agreement uuid, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.authorization_record_decision(p_tenant uuid, p_authorization uuid, p_seq integer, p_trigger text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_agreement uuid, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer) IS 'Appends a decision to an authorization request: the decision row with the agreement terms version it was made under, the request''s copy of its latest decision, the agreement''s commitment when approved (refused with 40001 if the agreement is no longer at that version), and the authorization.decided audit event.';


--
-- Name: current_supplier_id(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.current_supplier_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.supplier_id', true), '')::uuid $$;


ALTER FUNCTION cooperage.current_supplier_id() OWNER TO cooperage_owner;

--
-- Name: FUNCTION current_supplier_id(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.current_supplier_id() IS 'The supplier of the current transaction (app.supplier_id, set transaction-locally by Database.withSupplier), NULL when none: the row-level security policies of cooperage_supplier compare against it.';


--
-- Name: current_tenant_id(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;


ALTER FUNCTION cooperage.current_tenant_id() OWNER TO cooperage_owner;

--
-- Name: FUNCTION current_tenant_id(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.current_tenant_id() IS 'The tenant of the current transaction (app.tenant_id, set transaction-locally), NULL when none is set. Every row-level security policy compares tenant_id with it, so with no tenant set no tenant row is visible.';


--
-- Name: event_on_decision(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.event_on_decision() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_data jsonb;
BEGIN
    SELECT jsonb_build_object('authorizationId', NEW.authorization_id, 'decision', NEW.seq, 'outcome', NEW.outcome,
                              'trigger', NEW.trigger, 'authorizedAmountCents', NEW.authorized_amount_cents,
                              'requestedAmountCents', r.amount_cents, 'agreementId', r.agreement_id,
                              'policyVersion', NEW.policy_version)
    INTO v_data
    FROM authorization_request r WHERE r.tenant_id = NEW.tenant_id AND r.id = NEW.authorization_id;
    PERFORM event_publish(NEW.tenant_id, 'authorization.decided', 'authorization', NEW.authorization_id::text,
                          v_data, false, NULL);
    IF NEW.outcome = 'approved' THEN
        PERFORM event_publish(NEW.tenant_id, 'authorization.approved', 'authorization', NEW.authorization_id::text,
                              v_data, false, NULL);
    END IF;
    RETURN NULL;
END
$$;


ALTER FUNCTION cooperage.event_on_decision() OWNER TO cooperage_owner;

--
-- Name: FUNCTION event_on_decision(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.event_on_decision() IS 'Trigger: every decision publishes authorization.decided, and an approving one authorization.approved too.';


--
-- Name: event_on_import(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.event_on_import() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
BEGIN
    PERFORM event_publish(NEW.tenant_id, 'usage-import.completed', 'usage-import', NEW.id::text,
                          jsonb_build_object('importId', NEW.id, 'fileName', NEW.file_name, 'orders', NEW.order_count,
                                             'lines', NEW.line_count, 'totalCents', NEW.total_cents),
                          false, NULL);
    RETURN NULL;
END
$$;


ALTER FUNCTION cooperage.event_on_import() OWNER TO cooperage_owner;

--
-- Name: FUNCTION event_on_import(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.event_on_import() IS 'Trigger: a committed import publishes usage-import.completed.';


--
-- Name: event_on_usage(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.event_on_usage() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
BEGIN
    PERFORM event_publish(NEW.tenant_id, CASE NEW.kind WHEN 'order' THEN 'usage.registered' ELSE 'usage.reversed' END,
                          'usage', NEW.id::text,
                          jsonb_build_object('usageId', NEW.id, 'kind', NEW.kind, 'authorizationId', NEW.authorization_id,
                                             'agreementId', NEW.agreement_id, 'supplierId', NEW.supplier_id,
                                             'poNumber', NEW.po_number, 'orderDate', NEW.order_date,
                                             'amountCents', NEW.amount_cents, 'reversesId', NEW.reverses_id,
                                             'source', NEW.source),
                          false, NULL);
    RETURN NULL;
END
$$;


ALTER FUNCTION cooperage.event_on_usage() OWNER TO cooperage_owner;

--
-- Name: FUNCTION event_on_usage(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.event_on_usage() IS 'Trigger: a usage record written one at a time publishes usage.registered or usage.reversed; an import publishes one usage-import.completed instead of one event per order.';


--
-- Name: event_publish(uuid, text, text, text, jsonb, boolean, text); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.event_publish(p_tenant uuid, p_type text, p_subject_type text, p_subject_id text, p_data jsonb, p_alert boolean, p_dedupe_key text) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_saved text := current_setting('app.tenant_id', true);
    v_target text := coalesce(p_tenant::text, '');
    v_id uuid;
BEGIN
    -- An agency's transaction may publish into its own scope or the cooperative's (an agency's order moves an
    -- agreement towards its ceiling), never into another agency's. A transaction with no tenant set (the
    -- cooperative's work, an administrator's data load) may publish into any.
    IF p_tenant IS NOT NULL AND current_tenant_id() IS NOT NULL AND p_tenant <> current_tenant_id() THEN
        RAISE EXCEPTION 'an event for tenant % published outside its transaction', p_tenant USING ERRCODE = '42501';
    END IF;
    -- Switch to the event's scope for the insert only, so its row-level security check and the triggers on event
    -- (webhook fan-out) run in the scope the event belongs to.
    IF coalesce(v_saved, '') <> v_target THEN
        PERFORM set_config('app.tenant_id', v_target, true);
    END IF;
    INSERT INTO event (tenant_id, type, subject_type, subject_id, data, alert, dedupe_key)
    VALUES (coalesce(p_tenant, '00000000-0000-0000-0000-000000000000'::uuid), p_type, p_subject_type, p_subject_id,
            coalesce(p_data, '{}'::jsonb), p_alert, p_dedupe_key)
    ON CONFLICT (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
    RETURNING id INTO v_id;
    IF coalesce(v_saved, '') <> v_target THEN
        PERFORM set_config('app.tenant_id', coalesce(v_saved, ''), true);
    END IF;
    RETURN v_id;
END
$$;


ALTER FUNCTION cooperage.event_publish(p_tenant uuid, p_type text, p_subject_type text, p_subject_id text, p_data jsonb, p_alert boolean, p_dedupe_key text) OWNER TO cooperage_owner;

--
-- Name: FUNCTION event_publish(p_tenant uuid, p_type text, p_subject_type text, p_subject_id text, p_data jsonb, p_alert boolean, p_dedupe_key text); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.event_publish(p_tenant uuid, p_type text, p_subject_type text, p_subject_id text, p_data jsonb, p_alert boolean, p_dedupe_key text) IS 'Writes one event in the caller''s transaction: into a tenant (p_tenant: the caller''s own, or any when the caller has no tenant set) or the cooperative (NULL). Returns its id, or NULL when an event with the same dedupe key was already raised in that scope.';


--
-- Name: event_scope(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.event_scope() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(current_tenant_id(), '00000000-0000-0000-0000-000000000000'::uuid) $$;


ALTER FUNCTION cooperage.event_scope() OWNER TO cooperage_owner;

--
-- Name: FUNCTION event_scope(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.event_scope() IS 'Whose events the current transaction sees: its tenant''s, or with no tenant set the cooperative''s (the nil uuid).';


--
-- Name: idempotency_lock(uuid, text); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.idempotency_lock(p_tenant uuid, p_key text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
BEGIN
    IF on_citus() THEN
        PERFORM tenant_lock(p_tenant, 'idempotency/' || (hashtext(p_key) & 1023));
    ELSE
        PERFORM pg_advisory_xact_lock(18788, hashtext(upper(p_tenant::text) || '/' || p_key));
    END IF;
END
$$;


ALTER FUNCTION cooperage.idempotency_lock(p_tenant uuid, p_key text) OWNER TO cooperage_owner;

--
-- Name: FUNCTION idempotency_lock(p_tenant uuid, p_key text); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.idempotency_lock(p_tenant uuid, p_key text) IS 'Serializes requests of one tenant carrying the same Idempotency-Key until the transaction ends (the second then finds the first one''s result): the Swift writers (IdempotencyLock) and the SQL functions take the same lock.';


--
-- Name: on_citus(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.on_citus() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(current_setting('cooperage.citus', true), '') = 'on' $$;


ALTER FUNCTION cooperage.on_citus() OWNER TO cooperage_owner;

--
-- Name: FUNCTION on_citus(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.on_citus() IS 'True where deploy/citus distributed the schema (the database setting cooperage.citus = on): the ceiling and tier alerts are then raised by the alert scheduler''s sweep only, and an import inserts its orders one statement each.';


--
-- Name: refuse_change(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = '42501';
END
$$;


ALTER FUNCTION cooperage.refuse_change() OWNER TO cooperage_owner;

--
-- Name: FUNCTION refuse_change(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.refuse_change() IS 'Trigger: the table is append-only, even for its owner''s sessions.';


--
-- Name: refuse_delete(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.refuse_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted (usage points at them): % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = '42501';
END
$$;


ALTER FUNCTION cooperage.refuse_delete() OWNER TO cooperage_owner;

--
-- Name: FUNCTION refuse_delete(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.refuse_delete() IS 'Trigger: rows that usage points at (authorizations, imports) are never deleted or truncated.';


--
-- Name: refuse_reference_change(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.refuse_reference_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.tenant_id <> OLD.tenant_id OR NEW.id <> OLD.id OR NEW.agreement_id <> OLD.agreement_id
       OR NEW.supplier_id <> OLD.supplier_id OR NEW.category <> OLD.category THEN
        RAISE EXCEPTION 'an authorization''s tenant, id, agreement, supplier and category never change'
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;


ALTER FUNCTION cooperage.refuse_reference_change() OWNER TO cooperage_owner;

--
-- Name: FUNCTION refuse_reference_change(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.refuse_reference_change() IS 'Trigger: an authorization''s tenant, id, agreement, supplier and category, which usage rows copy, never change.';


--
-- Name: tenant_lock(uuid, text); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.tenant_lock(p_tenant uuid, p_name text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
BEGIN
    PERFORM FROM tenant_lock WHERE tenant_id = p_tenant AND name = p_name FOR UPDATE;
    IF NOT FOUND THEN
        -- A concurrent first use waits here for the other's transaction, then finds its row.
        INSERT INTO tenant_lock (tenant_id, name) VALUES (p_tenant, p_name) ON CONFLICT DO NOTHING;
        PERFORM FROM tenant_lock WHERE tenant_id = p_tenant AND name = p_name FOR UPDATE;
    END IF;
END
$$;


ALTER FUNCTION cooperage.tenant_lock(p_tenant uuid, p_name text) OWNER TO cooperage_owner;

--
-- Name: FUNCTION tenant_lock(p_tenant uuid, p_name text); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.tenant_lock(p_tenant uuid, p_name text) IS 'Locks the tenant''s lock row of this name until the transaction ends, creating it on first use: a lock on the tenant''s shard, which holds across nodes where an advisory lock would not.';


--
-- Name: tenant_status_publish(uuid, text); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.tenant_status_publish(p_tenant uuid, p_previous text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_tenant record;
    v_type text;
BEGIN
    SELECT t.id, t.legal_name, t.status INTO v_tenant FROM tenant t WHERE t.id = p_tenant;
    v_type := CASE WHEN v_tenant.status = 'suspended' AND p_previous <> 'suspended' THEN 'tenant.suspended'
                   WHEN p_previous = 'suspended' AND v_tenant.status = 'active' THEN 'tenant.reactivated' END;
    IF v_type IS NOT NULL THEN
        -- The cooperative's (it manages tenants); the agency learns of it through the cooperative, or by the API
        -- refusing its tokens.
        PERFORM event_publish(NULL, v_type, 'tenant', p_tenant::text,
                              jsonb_build_object('tenantId', p_tenant, 'legalName', v_tenant.legal_name,
                                                 'status', v_tenant.status, 'previousStatus', p_previous),
                              false, NULL);
    END IF;
END
$$;


ALTER FUNCTION cooperage.tenant_status_publish(p_tenant uuid, p_previous text) OWNER TO cooperage_owner;

--
-- Name: FUNCTION tenant_status_publish(p_tenant uuid, p_previous text); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.tenant_status_publish(p_tenant uuid, p_previous text) IS 'Publishes tenant.suspended or tenant.reactivated for a tenant whose status just changed from p_previous, in the caller''s transaction.';


--
-- Name: usage_add(uuid, uuid, text, date, bigint, integer, bigint, bigint); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.usage_add(p_tenant uuid, p_agreement uuid, p_category text, p_month date, p_amount bigint, p_orders integer, p_list bigint, p_paid bigint) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
    v_volume bigint;
BEGIN
    INSERT INTO usage_monthly AS m (tenant_id, agreement_id, category, month, amount_cents, order_count, list_cents,
                                    listed_paid_cents)
    VALUES (p_tenant, p_agreement, p_category, p_month, p_amount, p_orders, p_list, p_paid)
    ON CONFLICT (tenant_id, agreement_id, category, month) DO UPDATE SET
        amount_cents = m.amount_cents + EXCLUDED.amount_cents,
        order_count = m.order_count + EXCLUDED.order_count,
        list_cents = m.list_cents + EXCLUDED.list_cents,
        listed_paid_cents = m.listed_paid_cents + EXCLUDED.listed_paid_cents;

    -- An agency counts once per agreement and period, from its first order there. Its month, quarter and
    -- all-time rows are recorded together, so an agency already seen this month is seen in the others too,
    -- and the usual case costs one index probe.
    IF p_orders > 0 AND NOT EXISTS (
        SELECT 1 FROM agreement_agency_period
        WHERE tenant_id = p_tenant AND agreement_id = p_agreement AND period = 'month' AND period_start = p_month) THEN
        WITH seen AS (
            INSERT INTO agreement_agency_period (tenant_id, agreement_id, period, period_start)
            SELECT p_tenant, p_agreement, p.period, p.period_start FROM agency_periods(p_month) AS p
            ORDER BY p.period
            ON CONFLICT DO NOTHING
            RETURNING period, period_start),
        rolled AS (
        INSERT INTO agreement_rollup AS r (agreement_id, period, period_start, amount_cents, order_count, list_cents,
                                           listed_paid_cents, agency_count)
        SELECT p_agreement, p.period, p.period_start, p_amount, p_orders, p_list, p_paid,
               (SELECT count(*) FROM seen WHERE seen.period = p.period)
        FROM agency_periods(p_month) AS p
        ORDER BY p.period
        ON CONFLICT (agreement_id, period, period_start) DO UPDATE SET
            amount_cents = r.amount_cents + EXCLUDED.amount_cents,
            order_count = r.order_count + EXCLUDED.order_count,
            list_cents = r.list_cents + EXCLUDED.list_cents,
            listed_paid_cents = r.listed_paid_cents + EXCLUDED.listed_paid_cents,
            agency_count = r.agency_count + EXCLUDED.agency_count
        RETURNING r.period, r.amount_cents)
        SELECT rolled.amount_cents INTO v_volume FROM rolled WHERE rolled.period = 'all';
    ELSE
        WITH rolled AS (
        INSERT INTO agreement_rollup AS r (agreement_id, period, period_start, amount_cents, order_count, list_cents,
                                           listed_paid_cents)
        SELECT p_agreement, p.period, p.period_start, p_amount, p_orders, p_list, p_paid
        FROM agency_periods(p_month) AS p
        ORDER BY p.period
        ON CONFLICT (agreement_id, period, period_start) DO UPDATE SET
            amount_cents = r.amount_cents + EXCLUDED.amount_cents,
            order_count = r.order_count + EXCLUDED.order_count,
            list_cents = r.list_cents + EXCLUDED.list_cents,
            listed_paid_cents = r.listed_paid_cents + EXCLUDED.listed_paid_cents
        RETURNING r.period, r.amount_cents)
        SELECT rolled.amount_cents INTO v_volume FROM rolled WHERE rolled.period = 'all';
    END IF;
    -- The all-time volume reached a price tier's floor.
    IF p_amount > 0 AND NOT on_citus() THEN
        PERFORM agreement_tier_alerts(p_agreement, v_volume - p_amount, v_volume);
    END IF;
END
$$;


ALTER FUNCTION cooperage.usage_add(p_tenant uuid, p_agreement uuid, p_category text, p_month date, p_amount bigint, p_orders integer, p_list bigint, p_paid bigint) OWNER TO cooperage_owner;

--
-- Name: FUNCTION usage_add(p_tenant uuid, p_agreement uuid, p_category text, p_month date, p_amount bigint, p_orders integer, p_list bigint, p_paid bigint); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.usage_add(p_tenant uuid, p_agreement uuid, p_category text, p_month date, p_amount bigint, p_orders integer, p_list bigint, p_paid bigint) IS 'Adds usage of one agreement, category and month to usage_monthly and the agreement rollups, counting an agency once per agreement and period. Every usage writer locks in one order, so none can deadlock with another: the Idempotency-Key or the import, the authorizations (in id order), the tenant''s audit chain, then these aggregates.';


--
-- Name: usage_import_finish(uuid, uuid, text, text, text, text, text); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.usage_import_finish(p_tenant uuid, p_recorded_by uuid, p_actor_role text, p_audit_action text, p_audit_subject_type text, p_audit_subject_id text, p_audit_digest text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_group record;
BEGIN
    IF to_regclass('pg_temp.usage_import_sums') IS NULL THEN
        RAISE EXCEPTION 'usage_import_finish: this transaction wrote no orders with usage_import_orders'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;

    PERFORM audit_append(p_tenant, p_recorded_by, p_actor_role, p_audit_action, p_audit_subject_type,
                         p_audit_subject_id, p_audit_digest);

    FOR v_group IN
        SELECT r.agreement_id, r.category, s.month, sum(s.amount)::bigint AS amount, sum(s.orders)::integer AS orders,
               sum(s.list)::bigint AS list, sum(s.paid)::bigint AS paid
        FROM pg_temp.usage_import_sums s
        JOIN authorization_request r ON r.tenant_id = p_tenant AND r.id = s.authorization_id
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
    LOOP
        PERFORM usage_add(p_tenant, v_group.agreement_id, v_group.category, v_group.month, v_group.amount,
                          v_group.orders, v_group.list, v_group.paid);
    END LOOP;
    DROP TABLE pg_temp.usage_import_sums;
END
$$;


ALTER FUNCTION cooperage.usage_import_finish(p_tenant uuid, p_recorded_by uuid, p_actor_role text, p_audit_action text, p_audit_subject_type text, p_audit_subject_id text, p_audit_digest text) OWNER TO cooperage_owner;

--
-- Name: FUNCTION usage_import_finish(p_tenant uuid, p_recorded_by uuid, p_actor_role text, p_audit_action text, p_audit_subject_type text, p_audit_subject_id text, p_audit_digest text); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.usage_import_finish(p_tenant uuid, p_recorded_by uuid, p_actor_role text, p_audit_action text, p_audit_subject_type text, p_audit_subject_id text, p_audit_digest text) IS 'Ends an import written with usage_import_orders: its one audit event, then every aggregate its chunks moved (usage_add, in agreement, category and month order). Raises 55000 when no chunk was written.';


--
-- Name: usage_import_orders(uuid, uuid, uuid, uuid[], uuid[], text[], date[], bigint[], bigint[], bigint[], text[]); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.usage_import_orders(p_tenant uuid, p_import uuid, p_recorded_by uuid, p_ids uuid[], p_authorizations uuid[], p_po_numbers text[], p_order_dates date[], p_amounts bigint[], p_list bigint[], p_paid bigint[], p_lines text[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
#variable_conflict use_column
DECLARE
    v_order record;
BEGIN
    PERFORM 1 FROM authorization_request r
    WHERE r.tenant_id = p_tenant AND r.id = ANY (p_authorizations)
    ORDER BY r.id
    FOR UPDATE;

    -- Amounts are positive, so orders on one authorization fit in turn exactly when they fit together, and
    -- they are all within its validity when the earliest and the latest are.
    IF NOT coalesce((
        SELECT bool_and(r.id IS NOT NULL AND r.outcome = 'approved'
                        AND (r.valid_from IS NULL OR r.valid_until IS NULL
                             OR (o.earliest >= r.valid_from AND o.latest <= r.valid_until))
                        AND o.total <= r.authorized_amount_cents - r.used_cents)
        FROM (SELECT u.authorization_id, min(u.order_date) AS earliest, max(u.order_date) AS latest, sum(u.amount) AS total
              FROM unnest(p_authorizations, p_order_dates, p_amounts) AS u(authorization_id, order_date, amount)
              GROUP BY 1) AS o
        LEFT JOIN authorization_request r ON r.tenant_id = p_tenant AND r.id = o.authorization_id), false)
    THEN
        RAISE EXCEPTION 'usage cannot be written: an order of the import does not fit its authorization'
            USING ERRCODE = 'check_violation', TABLE = 'usage_record', CONSTRAINT = 'usage_authorization_limits';
    END IF;

    IF on_citus() THEN
        -- One INSERT per order: an INSERT ... SELECT from the arrays is sent to the shard with COPY, which row-level
        -- security refuses (measured); a row at a time is routed like any other. (On one PostgreSQL it would cost
        -- three quarters of an import's speed: measured 24,600 against 107,000 rows/s.)
        FOR v_order IN
            WITH r AS MATERIALIZED (
                SELECT r.id, r.agreement_id, r.supplier_id, r.category FROM authorization_request r
                WHERE r.tenant_id = p_tenant AND r.id = ANY (p_authorizations))
            SELECT u.id, u.authorization_id, r.agreement_id, r.supplier_id, r.category, u.po_number, u.order_date,
                   u.amount, u.list, u.paid, u.lines
            FROM unnest(p_ids, p_authorizations, p_po_numbers, p_order_dates, p_amounts, p_list, p_paid, p_lines)
                     AS u(id, authorization_id, po_number, order_date, amount, list, paid, lines)
            JOIN r ON r.id = u.authorization_id
        LOOP
            INSERT INTO usage_record (tenant_id, id, kind, authorization_id, agreement_id, supplier_id, category,
                                      po_number, order_date, amount_cents, list_cents, listed_paid_cents, lines, source,
                                      import_id, recorded_by)
            VALUES (p_tenant, v_order.id, 'order', v_order.authorization_id, v_order.agreement_id,
                    v_order.supplier_id, v_order.category, v_order.po_number, v_order.order_date, v_order.amount,
                    v_order.list, v_order.paid, v_order.lines::jsonb, 'import', p_import, p_recorded_by);
        END LOOP;
        FOR v_order IN
            SELECT u.authorization_id, sum(u.amount)::bigint AS amount
            FROM unnest(p_authorizations, p_amounts) AS u(authorization_id, amount)
            GROUP BY 1
        LOOP
            UPDATE authorization_request AS r SET used_cents = r.used_cents + v_order.amount
            WHERE r.tenant_id = p_tenant AND r.id = v_order.authorization_id;
        END LOOP;
    ELSE
        INSERT INTO usage_record (tenant_id, id, kind, authorization_id, agreement_id, supplier_id, category,
                                  po_number, order_date, amount_cents, list_cents, listed_paid_cents, lines, source,
                                  import_id, recorded_by)
        WITH r AS MATERIALIZED (
            SELECT r.id, r.agreement_id, r.supplier_id, r.category FROM authorization_request r
            WHERE r.tenant_id = p_tenant AND r.id = ANY (p_authorizations))
        SELECT p_tenant, u.id, 'order', u.authorization_id, r.agreement_id, r.supplier_id, r.category, u.po_number,
               u.order_date, u.amount, u.list, u.paid, u.lines::jsonb, 'import', p_import, p_recorded_by
        FROM unnest(p_ids, p_authorizations, p_po_numbers, p_order_dates, p_amounts, p_list, p_paid, p_lines)
                 AS u(id, authorization_id, po_number, order_date, amount, list, paid, lines)
        JOIN r ON r.id = u.authorization_id;

        UPDATE authorization_request AS r SET used_cents = r.used_cents + d.amount
        FROM (SELECT u.authorization_id, sum(u.amount)::bigint AS amount
              FROM unnest(p_authorizations, p_amounts) AS u(authorization_id, amount)
              GROUP BY 1) AS d
        WHERE r.tenant_id = p_tenant AND r.id = d.authorization_id;
    END IF;

    IF to_regclass('pg_temp.usage_import_sums') IS NULL THEN
        CREATE TEMPORARY TABLE usage_import_sums (
            authorization_id uuid NOT NULL,
            month date NOT NULL,
            amount bigint NOT NULL,
            orders integer NOT NULL,
            list bigint NOT NULL,
            paid bigint NOT NULL
        ) ON COMMIT DROP;
    END IF;
    INSERT INTO pg_temp.usage_import_sums
    SELECT u.authorization_id, date_trunc('month', u.order_date::timestamp)::date, sum(u.amount), count(*),
           sum(u.list), sum(u.paid)
    FROM unnest(p_authorizations, p_order_dates, p_amounts, p_list, p_paid)
             AS u(authorization_id, order_date, amount, list, paid)
    GROUP BY 1, 2;
END
$$;


ALTER FUNCTION cooperage.usage_import_orders(p_tenant uuid, p_import uuid, p_recorded_by uuid, p_ids uuid[], p_authorizations uuid[], p_po_numbers text[], p_order_dates date[], p_amounts bigint[], p_list bigint[], p_paid bigint[], p_lines text[]) OWNER TO cooperage_owner;

--
-- Name: FUNCTION usage_import_orders(p_tenant uuid, p_import uuid, p_recorded_by uuid, p_ids uuid[], p_authorizations uuid[], p_po_numbers text[], p_order_dates date[], p_amounts bigint[], p_list bigint[], p_paid bigint[], p_lines text[]); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.usage_import_orders(p_tenant uuid, p_import uuid, p_recorded_by uuid, p_ids uuid[], p_authorizations uuid[], p_po_numbers text[], p_order_dates date[], p_amounts bigint[], p_list bigint[], p_paid bigint[], p_lines text[]) IS 'Inserts one chunk of an import''s orders, all or none, after locking their authorizations in id order: each must be approved, valid on the order''s date and have room for it (23514 on usage_authorization_limits otherwise). The chunk''s sums wait in a temporary table for usage_import_finish.';


--
-- Name: usage_record_check_references(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.usage_record_check_references() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_row record;
    v_problem text;
BEGIN
    -- Each authorization once: it exists for this tenant and names the same agreement, supplier and category.
    FOR v_row IN
        SELECT tenant_id, authorization_id, agreement_id, supplier_id, category
        FROM new_rows GROUP BY 1, 2, 3, 4, 5
    LOOP
        IF NOT EXISTS (SELECT 1 FROM authorization_request r
                       WHERE r.tenant_id = v_row.tenant_id AND r.id = v_row.authorization_id
                         AND r.agreement_id = v_row.agreement_id AND r.supplier_id = v_row.supplier_id
                         AND r.category = v_row.category) THEN
            SELECT 'usage record ' || n.id || ' (purchase order ' || n.po_number || '): its authorization '
                   || n.authorization_id
                   || ' does not exist for this tenant or names another agreement, supplier or category'
            INTO v_problem
            FROM new_rows n
            WHERE n.authorization_id = v_row.authorization_id AND n.agreement_id = v_row.agreement_id
              AND n.supplier_id = v_row.supplier_id AND n.category = v_row.category
            LIMIT 1;
            EXIT;
        END IF;
    END LOOP;
    -- A reversal reverses an order of the same tenant and authorization.
    IF v_problem IS NULL THEN
        FOR v_row IN SELECT id, po_number, tenant_id, authorization_id, reverses_id FROM new_rows
                     WHERE reverses_id IS NOT NULL LOOP
            IF NOT EXISTS (SELECT 1 FROM usage_record o
                           WHERE o.tenant_id = v_row.tenant_id AND o.id = v_row.reverses_id AND o.kind = 'order'
                             AND o.authorization_id = v_row.authorization_id) THEN
                v_problem := 'usage record ' || v_row.id || ' (purchase order ' || v_row.po_number || '): it reverses '
                             || v_row.reverses_id || ', which is not an order of the same tenant and authorization';
                EXIT;
            END IF;
        END LOOP;
    END IF;
    -- Imported rows belong to an import of the same tenant.
    IF v_problem IS NULL THEN
        FOR v_row IN SELECT DISTINCT tenant_id, import_id FROM new_rows WHERE import_id IS NOT NULL LOOP
            IF NOT EXISTS (SELECT 1 FROM usage_import i WHERE i.tenant_id = v_row.tenant_id AND i.id = v_row.import_id) THEN
                v_problem := 'their import ' || v_row.import_id || ' does not exist for this tenant';
                EXIT;
            END IF;
        END LOOP;
    END IF;
    IF v_problem IS NOT NULL THEN
        RAISE EXCEPTION 'usage cannot be written: %', v_problem
            USING ERRCODE = 'foreign_key_violation', TABLE = 'usage_record', CONSTRAINT = 'usage_record_references';
    END IF;
    RETURN NULL;
END
$$;


ALTER FUNCTION cooperage.usage_record_check_references() OWNER TO cooperage_owner;

--
-- Name: FUNCTION usage_record_check_references(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.usage_record_check_references() IS 'Trigger, once per INSERT statement on usage_record: every new row names an authorization of its tenant with the same agreement, supplier and category; a reversal, an order of the same authorization; an import row, an import of its tenant. Raises 23503 on usage_record_references naming the first offending row.';


--
-- Name: usage_register_presented(uuid, bytea, text[], text, text, uuid, uuid, text, date, bigint, bigint, bigint, jsonb, text); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.usage_register_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_request_digest text, p_id uuid, p_authorization uuid, p_po_number text, p_order_date date, p_amount bigint, p_list bigint, p_paid bigint, p_lines jsonb, p_credential text) RETURNS TABLE(status text, id uuid, kind text, authorization_id uuid, agreement_id uuid, supplier_id uuid, category text, po_number text, order_date text, amount_cents bigint, lines text, reverses_id uuid, reason text, source text, import_id uuid, created_at timestamp with time zone, remaining_cents bigint, outcome text, authorized_cents bigint, used_cents bigint, valid_from text, valid_until text, token_role text, tenant_status text)
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
#variable_conflict use_column
DECLARE
    v_token record;
    v_existing uuid;
    v_stored_digest text;
    v_authorization record;
    v_created_at timestamptz;
BEGIN
    -- Also sets the tenant for this statement's transaction (row-level security for everything below).
    IF p_credential = 'console-session' THEN
        SELECT * INTO v_token FROM authenticate_console_session(p_tenant, p_secret_hash);
    ELSE
        SELECT * INTO v_token FROM authenticate_agency_token(p_tenant, p_secret_hash);
    END IF;
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
    -- Every answer from here on names the token, as the caller reads it.
    token_role := v_token.token_role;
    tenant_status := v_token.tenant_status;

    -- The same lock as IdempotencyLock, so the Swift writers and this function serialize alike.
    PERFORM idempotency_lock(p_tenant, p_idempotency_key);

    SELECT u.id, u.request_digest INTO v_existing, v_stored_digest
    FROM usage_record u WHERE u.tenant_id = p_tenant AND u.idempotency_key = p_idempotency_key;
    IF FOUND THEN
        IF v_stored_digest IS DISTINCT FROM p_request_digest THEN
            status := 'conflict';
            RETURN NEXT;
            RETURN;
        END IF;
        RETURN QUERY
            SELECT 'replayed'::text, u.id, u.kind, u.authorization_id, u.agreement_id, u.supplier_id, u.category,
                   u.po_number, u.order_date::text, u.amount_cents, u.lines::text, u.reverses_id, u.reason, u.source,
                   u.import_id, u.created_at, r.authorized_amount_cents - r.used_cents, NULL::text, NULL::bigint,
                   NULL::bigint, NULL::text, NULL::text, v_token.token_role, v_token.tenant_status
            FROM usage_record u
            JOIN authorization_request r ON r.tenant_id = u.tenant_id AND r.id = u.authorization_id
            WHERE u.tenant_id = p_tenant AND u.id = v_existing;
        RETURN;
    END IF;

    -- The check and the used amount in one statement, which locks the authorization: under concurrent writes
    -- PostgreSQL re-checks the conditions on the row's latest version.
    UPDATE authorization_request AS r SET used_cents = r.used_cents + p_amount
    WHERE r.tenant_id = p_tenant AND r.id = p_authorization AND r.outcome = 'approved'
      AND (r.valid_from IS NULL OR r.valid_until IS NULL OR p_order_date BETWEEN r.valid_from AND r.valid_until)
      AND r.used_cents + p_amount <= r.authorized_amount_cents
    RETURNING r.authorized_amount_cents, r.used_cents, r.agreement_id, r.supplier_id, r.category
    INTO v_authorization;
    IF NOT FOUND THEN
        SELECT r.outcome, r.authorized_amount_cents, r.used_cents, r.valid_from, r.valid_until
        INTO v_authorization
        FROM authorization_request r
        WHERE r.tenant_id = p_tenant AND r.id = p_authorization;
        status := 'rejected';
        authorization_id := p_authorization;
        outcome := v_authorization.outcome;
        authorized_cents := v_authorization.authorized_amount_cents;
        used_cents := v_authorization.used_cents;
        valid_from := v_authorization.valid_from::text;
        valid_until := v_authorization.valid_until::text;
        RETURN NEXT;
        RETURN;
    END IF;

    INSERT INTO usage_record (tenant_id, id, kind, authorization_id, agreement_id, supplier_id, category, po_number,
                              order_date, amount_cents, list_cents, listed_paid_cents, lines, source, idempotency_key,
                              request_digest, recorded_by)
    VALUES (p_tenant, p_id, 'order', p_authorization, v_authorization.agreement_id, v_authorization.supplier_id,
            v_authorization.category, p_po_number, p_order_date, p_amount, p_list, p_paid, p_lines, 'agency',
            p_idempotency_key, p_request_digest, v_token.token_id)
    RETURNING created_at INTO v_created_at;
    -- The actor is the token checked above, never one the caller names.
    PERFORM audit_append(p_tenant, v_token.token_id, v_token.token_role, 'usage.registered', 'usage', p_id::text,
                         p_request_digest);
    PERFORM usage_add(p_tenant, v_authorization.agreement_id, v_authorization.category,
                      date_trunc('month', p_order_date::timestamp)::date, p_amount, 1, p_list, p_paid);

    status := 'created';
    id := p_id;
    kind := 'order';
    authorization_id := p_authorization;
    agreement_id := v_authorization.agreement_id;
    supplier_id := v_authorization.supplier_id;
    category := v_authorization.category;
    po_number := p_po_number;
    order_date := p_order_date::text;
    amount_cents := p_amount;
    lines := p_lines::text;
    source := 'agency';
    created_at := v_created_at;
    remaining_cents := v_authorization.authorized_amount_cents - v_authorization.used_cents;
    RETURN NEXT;
END
$$;


ALTER FUNCTION cooperage.usage_register_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_request_digest text, p_id uuid, p_authorization uuid, p_po_number text, p_order_date date, p_amount bigint, p_list bigint, p_paid bigint, p_lines jsonb, p_credential text) OWNER TO cooperage_owner;

--
-- Name: FUNCTION usage_register_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_request_digest text, p_id uuid, p_authorization uuid, p_po_number text, p_order_date date, p_amount bigint, p_list bigint, p_paid bigint, p_lines jsonb, p_credential text); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.usage_register_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_request_digest text, p_id uuid, p_authorization uuid, p_po_number text, p_order_date date, p_amount bigint, p_list bigint, p_paid bigint, p_lines jsonb, p_credential text) IS 'POST /v1/usage (p_credential token) and the console''s purchase order form (console-session) in one statement: checks the credential (authenticate_agency_token or authenticate_console_session), serializes and replays by Idempotency-Key, checks the order against its authorization under the row lock, inserts it, appends the audit event with the checked token as its actor and moves the aggregates. status: created, replayed, conflict, rejected, or why the credential was refused (unauthenticated, tenant-not-active, forbidden).';


--
-- Name: webhook_fan_out(); Type: FUNCTION; Schema: cooperage; Owner: cooperage_owner
--

CREATE FUNCTION cooperage.webhook_fan_out() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_endpoint uuid;
BEGIN
    FOR v_endpoint IN
        SELECT w.id FROM webhook_endpoint w
        WHERE w.tenant_id = NEW.tenant_id AND w.enabled AND w.deleted_at IS NULL AND NEW.type = ANY (w.events)
    LOOP
        INSERT INTO webhook_delivery (tenant_id, endpoint_id, event_id, event_type)
        VALUES (NEW.tenant_id, v_endpoint, NEW.id, NEW.type);
    END LOOP;
    RETURN NULL;
END
$$;


ALTER FUNCTION cooperage.webhook_fan_out() OWNER TO cooperage_owner;

--
-- Name: FUNCTION webhook_fan_out(); Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON FUNCTION cooperage.webhook_fan_out() IS 'Trigger AFTER INSERT ON event: one pending webhook_delivery per enabled endpoint of the event''s scope subscribed to its type, in the same transaction.';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: agency_token; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.agency_token (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    secret_hash bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT agency_token_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT agency_token_role_check CHECK ((role = ANY (ARRAY['agency-admin'::text, 'agency-buyer'::text, 'agency-approver'::text, 'agency-finance'::text])))
);

ALTER TABLE ONLY cooperage.agency_token FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.agency_token OWNER TO cooperage_owner;

--
-- Name: agreement; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.agreement (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    number text NOT NULL,
    title text NOT NULL,
    lead_tenant_id uuid NOT NULL,
    solicitation_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    categories text[] NOT NULL,
    nigp_codes text[] DEFAULT '{}'::text[] NOT NULL,
    effective_on date NOT NULL,
    expires_on date NOT NULL,
    renewal_options jsonb DEFAULT '[]'::jsonb NOT NULL,
    maximum_term_ends_on date,
    status text DEFAULT 'active'::text NOT NULL,
    ceiling_cents bigint,
    eligible_entity_types text[] DEFAULT '{}'::text[] NOT NULL,
    eligible_states text[] DEFAULT '{}'::text[] NOT NULL,
    compliance_letter_on_file boolean DEFAULT false NOT NULL,
    telecom_attestation_200216 boolean DEFAULT false NOT NULL,
    admin_fee_basis_points integer DEFAULT 0 NOT NULL,
    price_tiers jsonb DEFAULT '[]'::jsonb NOT NULL,
    documents jsonb DEFAULT '[]'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    supplier_report_due_days integer DEFAULT 30 NOT NULL,
    terms_version integer DEFAULT 1 NOT NULL,
    CONSTRAINT agreement_admin_fee_basis_points_check CHECK (((admin_fee_basis_points >= 0) AND (admin_fee_basis_points <= 10000))),
    CONSTRAINT agreement_categories_check CHECK ((cardinality(categories) > 0)),
    CONSTRAINT agreement_ceiling_cents_check CHECK ((ceiling_cents > 0)),
    CONSTRAINT agreement_number_check CHECK (((length(number) >= 1) AND (length(number) <= 100))),
    CONSTRAINT agreement_status_check CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text, 'expired'::text, 'terminated'::text]))),
    CONSTRAINT agreement_supplier_report_due_days CHECK (((supplier_report_due_days >= 0) AND (supplier_report_due_days <= 365))),
    CONSTRAINT agreement_term CHECK ((expires_on >= effective_on)),
    CONSTRAINT agreement_terms_version_check CHECK ((terms_version >= 1)),
    CONSTRAINT agreement_title_check CHECK (((length(title) >= 1) AND (length(title) <= 500)))
)
WITH (fillfactor='80');


ALTER TABLE cooperage.agreement OWNER TO cooperage_owner;

--
-- Name: agreement_agency_period; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.agreement_agency_period (
    tenant_id uuid NOT NULL,
    agreement_id uuid NOT NULL,
    period text NOT NULL,
    period_start date NOT NULL,
    CONSTRAINT agreement_agency_period_period_check CHECK ((period = ANY (ARRAY['month'::text, 'quarter'::text, 'all'::text])))
);

ALTER TABLE ONLY cooperage.agreement_agency_period FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.agreement_agency_period OWNER TO cooperage_owner;

--
-- Name: agreement_amendment; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.agreement_amendment (
    agreement_id uuid NOT NULL,
    seq integer NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    kind text NOT NULL,
    effective_on date NOT NULL,
    rationale text,
    changes jsonb NOT NULL,
    renewal_option integer,
    renewal_years integer,
    terms_version integer,
    recorded_by uuid,
    recorded_role text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT agreement_amendment_kind_check CHECK ((kind = ANY (ARRAY['renewal'::text, 'terms'::text]))),
    CONSTRAINT agreement_amendment_kind_fields CHECK (
CASE kind
    WHEN 'renewal'::text THEN ((renewal_option IS NOT NULL) AND (renewal_years IS NOT NULL) AND (terms_version IS NULL))
    ELSE ((renewal_option IS NULL) AND (renewal_years IS NULL) AND (terms_version IS NOT NULL))
END),
    CONSTRAINT agreement_amendment_rationale_check CHECK ((length(rationale) >= 1)),
    CONSTRAINT agreement_amendment_renewal_option_check CHECK ((renewal_option >= 1)),
    CONSTRAINT agreement_amendment_renewal_years_check CHECK (((renewal_years >= 1) AND (renewal_years <= 10))),
    CONSTRAINT agreement_amendment_seq_check CHECK ((seq >= 1))
);


ALTER TABLE cooperage.agreement_amendment OWNER TO cooperage_owner;

--
-- Name: agreement_commitment; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.agreement_commitment (
    agreement_id uuid NOT NULL,
    committed_cents bigint DEFAULT 0 NOT NULL,
    CONSTRAINT agreement_commitment_committed_cents_check CHECK ((committed_cents >= 0))
);


ALTER TABLE cooperage.agreement_commitment OWNER TO cooperage_owner;

--
-- Name: agreement_rollup; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.agreement_rollup (
    agreement_id uuid NOT NULL,
    period text NOT NULL,
    period_start date NOT NULL,
    amount_cents bigint DEFAULT 0 NOT NULL,
    order_count bigint DEFAULT 0 NOT NULL,
    list_cents bigint DEFAULT 0 NOT NULL,
    listed_paid_cents bigint DEFAULT 0 NOT NULL,
    agency_count integer DEFAULT 0 NOT NULL,
    CONSTRAINT agreement_rollup_agency_count_check CHECK ((agency_count >= 0)),
    CONSTRAINT agreement_rollup_period_check CHECK ((period = ANY (ARRAY['month'::text, 'quarter'::text, 'all'::text])))
)
WITH (fillfactor='70');


ALTER TABLE cooperage.agreement_rollup OWNER TO cooperage_owner;

--
-- Name: agreement_seq_seq; Type: SEQUENCE; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.agreement ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cooperage.agreement_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: agreement_terms; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.agreement_terms (
    agreement_id uuid NOT NULL,
    version integer NOT NULL,
    ceiling_cents bigint,
    price_tiers jsonb NOT NULL,
    eligible_entity_types text[] NOT NULL,
    eligible_states text[] NOT NULL,
    admin_fee_basis_points integer NOT NULL,
    effective_on date NOT NULL,
    recorded_by uuid,
    recorded_role text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT agreement_terms_admin_fee_basis_points_check CHECK (((admin_fee_basis_points >= 0) AND (admin_fee_basis_points <= 10000))),
    CONSTRAINT agreement_terms_ceiling_cents_check CHECK ((ceiling_cents > 0)),
    CONSTRAINT agreement_terms_version_check1 CHECK ((version >= 1))
);


ALTER TABLE cooperage.agreement_terms OWNER TO cooperage_owner;

--
-- Name: alert_acknowledgement; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.alert_acknowledgement (
    tenant_id uuid NOT NULL,
    event_id uuid NOT NULL,
    acknowledged_by uuid,
    actor_role text NOT NULL,
    note text,
    acknowledged_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT alert_acknowledgement_note_check CHECK ((length(note) <= 1000))
);

ALTER TABLE ONLY cooperage.alert_acknowledgement FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.alert_acknowledgement OWNER TO cooperage_owner;

--
-- Name: alert_threshold; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.alert_threshold (
    event_type text NOT NULL,
    threshold integer NOT NULL,
    note text NOT NULL,
    CONSTRAINT alert_threshold_event_type_check CHECK ((event_type = ANY (ARRAY['agreement.expiring'::text, 'participation.expiring'::text, 'agreement.ceiling'::text]))),
    CONSTRAINT alert_threshold_threshold_check CHECK (((threshold >= 1) AND (threshold <= 3650)))
);


ALTER TABLE cooperage.alert_threshold OWNER TO cooperage_owner;

--
-- Name: audit_chain_head; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.audit_chain_head (
    tenant_id uuid NOT NULL,
    seq bigint NOT NULL,
    hash text NOT NULL,
    occurred_at timestamp with time zone,
    CONSTRAINT audit_chain_head_hash_check CHECK ((hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT audit_chain_head_seq_check CHECK ((seq >= 0))
);

ALTER TABLE ONLY cooperage.audit_chain_head FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.audit_chain_head OWNER TO cooperage_owner;

--
-- Name: audit_event; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.audit_event (
    tenant_id uuid NOT NULL,
    seq bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    actor_token_id uuid,
    actor_role text NOT NULL,
    action text NOT NULL,
    subject_type text NOT NULL,
    subject_id text NOT NULL,
    payload_digest text NOT NULL,
    previous_hash text NOT NULL,
    hash text NOT NULL,
    CONSTRAINT audit_event_seq_check CHECK ((seq > 0))
);

ALTER TABLE ONLY cooperage.audit_event FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.audit_event OWNER TO cooperage_owner;

--
-- Name: authorization_approval; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.authorization_approval (
    tenant_id uuid NOT NULL,
    authorization_id uuid NOT NULL,
    seq integer NOT NULL,
    rule_type text,
    rule_index integer,
    approver_role text NOT NULL,
    approver_token_id uuid NOT NULL,
    resolution_number text,
    resolution_date date,
    evidence jsonb DEFAULT '{}'::jsonb NOT NULL,
    note text,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY cooperage.authorization_approval FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.authorization_approval OWNER TO cooperage_owner;

--
-- Name: authorization_decision; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.authorization_decision (
    tenant_id uuid NOT NULL,
    authorization_id uuid NOT NULL,
    seq integer NOT NULL,
    outcome text NOT NULL,
    results jsonb NOT NULL,
    policy_version integer NOT NULL,
    inputs jsonb NOT NULL,
    authorized_amount_cents bigint NOT NULL,
    valid_from date,
    valid_until date,
    trigger text NOT NULL,
    decided_at timestamp with time zone DEFAULT now() NOT NULL,
    agreement_terms_version integer,
    CONSTRAINT authorization_decision_outcome_check CHECK ((outcome = ANY (ARRAY['approved'::text, 'denied'::text, 'pending'::text]))),
    CONSTRAINT authorization_decision_trigger_check CHECK ((trigger = ANY (ARRAY['request'::text, 'approval'::text])))
);

ALTER TABLE ONLY cooperage.authorization_decision FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.authorization_decision OWNER TO cooperage_owner;

--
-- Name: authorization_request; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.authorization_request (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    agreement_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    amount_cents bigint NOT NULL,
    purchase_date date NOT NULL,
    category text NOT NULL,
    funding_lines jsonb NOT NULL,
    purpose text NOT NULL,
    evidence jsonb NOT NULL,
    requested_by uuid NOT NULL,
    idempotency_key text,
    request_digest text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    outcome text NOT NULL,
    decision_count integer NOT NULL,
    policy_version integer NOT NULL,
    authorized_amount_cents bigint DEFAULT 0 NOT NULL,
    valid_from date,
    valid_until date,
    used_cents bigint DEFAULT 0 NOT NULL,
    CONSTRAINT authorization_request_amount_cents_check CHECK ((amount_cents > 0)),
    CONSTRAINT authorization_request_outcome_check CHECK ((outcome = ANY (ARRAY['approved'::text, 'denied'::text, 'pending'::text]))),
    CONSTRAINT authorization_used_within_authorized CHECK (((used_cents >= 0) AND (used_cents <= authorized_amount_cents)))
)
WITH (fillfactor='80');

ALTER TABLE ONLY cooperage.authorization_request FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.authorization_request OWNER TO cooperage_owner;

--
-- Name: authorization_request_seq_seq; Type: SEQUENCE; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.authorization_request ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cooperage.authorization_request_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: console_session; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.console_session (
    tenant_id uuid NOT NULL,
    id_hash bytea NOT NULL,
    token_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    ended_at timestamp with time zone
);

ALTER TABLE ONLY cooperage.console_session FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.console_session OWNER TO cooperage_owner;

--
-- Name: cooperative_audit_event; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.cooperative_audit_event (
    seq bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    actor_token_id uuid,
    actor_role text NOT NULL,
    action text NOT NULL,
    subject_type text NOT NULL,
    subject_id text NOT NULL,
    payload_digest text NOT NULL,
    previous_hash text NOT NULL,
    hash text NOT NULL,
    CONSTRAINT cooperative_audit_event_seq_check CHECK ((seq > 0))
);


ALTER TABLE cooperage.cooperative_audit_event OWNER TO cooperage_owner;

--
-- Name: cooperative_audit_heads; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.cooperative_audit_heads (
    seq bigint NOT NULL,
    heads text NOT NULL
);


ALTER TABLE cooperage.cooperative_audit_heads OWNER TO cooperage_owner;

--
-- Name: cooperative_console_session; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.cooperative_console_session (
    id_hash bytea NOT NULL,
    token_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    ended_at timestamp with time zone
);


ALTER TABLE cooperage.cooperative_console_session OWNER TO cooperage_owner;

--
-- Name: cooperative_token; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.cooperative_token (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    secret_hash bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT cooperative_token_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT cooperative_token_role_check CHECK ((role = ANY (ARRAY['cooperative-admin'::text, 'cooperative-finance'::text])))
);


ALTER TABLE cooperage.cooperative_token OWNER TO cooperage_owner;

--
-- Name: event; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.event (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    type text NOT NULL,
    subject_type text NOT NULL,
    subject_id text NOT NULL,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    alert boolean DEFAULT false NOT NULL,
    dedupe_key text,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT event_type_check CHECK (((type ~ '^[a-z]+(-[a-z]+)*(\.[a-z]+(-[a-z]+)*)+$'::text) AND (length(type) <= 100)))
);

ALTER TABLE ONLY cooperage.event FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.event OWNER TO cooperage_owner;

--
-- Name: event_seq_seq; Type: SEQUENCE; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.event ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cooperage.event_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: participation; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.participation (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    kind text NOT NULL,
    agreement_id uuid,
    state text,
    resolution_number text,
    resolution_date date,
    effective_on date NOT NULL,
    expires_on date,
    termination_notice_days integer,
    document_reference text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT participation_kind_check CHECK ((kind = ANY (ARRAY['master-intergovernmental-agreement'::text, 'interlocal-agreement'::text, 'registration'::text, 'participating-addendum'::text]))),
    CONSTRAINT participation_state_check CHECK ((state ~ '^[A-Z]{2}$'::text)),
    CONSTRAINT participation_term CHECK (((expires_on IS NULL) OR (expires_on >= effective_on))),
    CONSTRAINT participation_termination_notice_days_check CHECK ((termination_notice_days >= 0))
);

ALTER TABLE ONLY cooperage.participation FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.participation OWNER TO cooperage_owner;

--
-- Name: policy_version; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.policy_version (
    tenant_id uuid NOT NULL,
    version integer NOT NULL,
    rules jsonb NOT NULL,
    template_id text,
    created_by uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT policy_version_version_check CHECK ((version > 0))
);

ALTER TABLE ONLY cooperage.policy_version FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.policy_version OWNER TO cooperage_owner;

--
-- Name: solicitation; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.solicitation (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    lead_tenant_id uuid NOT NULL,
    number text NOT NULL,
    title text NOT NULL,
    method text NOT NULL,
    advertised_where text,
    advertised_on date,
    cooperative_language_in_solicitation boolean NOT NULL,
    cooperative_language_in_contract boolean NOT NULL,
    award_basis text NOT NULL,
    award_date date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT solicitation_award_basis_check CHECK ((award_basis = ANY (ARRAY['lowest-responsible-bidder'::text, 'best-value'::text]))),
    CONSTRAINT solicitation_method_check CHECK ((method = ANY (ARRAY['ifb'::text, 'rfp'::text, 'csp'::text]))),
    CONSTRAINT solicitation_number_check CHECK (((length(number) >= 1) AND (length(number) <= 100))),
    CONSTRAINT solicitation_title_check CHECK (((length(title) >= 1) AND (length(title) <= 500)))
);


ALTER TABLE cooperage.solicitation OWNER TO cooperage_owner;

--
-- Name: solicitation_seq_seq; Type: SEQUENCE; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.solicitation ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cooperage.solicitation_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: supplier; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.supplier (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    name text NOT NULL,
    ein text,
    sam_uei text,
    status text DEFAULT 'active'::text NOT NULL,
    status_effective_on date,
    status_reason text,
    diversity_certifications jsonb DEFAULT '[]'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT supplier_name_check CHECK (((length(name) >= 1) AND (length(name) <= 300))),
    CONSTRAINT supplier_status_check CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text, 'debarred'::text])))
);


ALTER TABLE cooperage.supplier OWNER TO cooperage_owner;

--
-- Name: supplier_report; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.supplier_report (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    agreement_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    year integer NOT NULL,
    quarter integer NOT NULL,
    total_cents bigint NOT NULL,
    fee_cents bigint NOT NULL,
    line_count integer NOT NULL,
    submitted_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    supersedes_id uuid,
    due_on date,
    CONSTRAINT supplier_report_first_supersedes_nothing CHECK (((version = 1) = (supersedes_id IS NULL))),
    CONSTRAINT supplier_report_quarter_check CHECK (((quarter >= 1) AND (quarter <= 4))),
    CONSTRAINT supplier_report_version_positive CHECK ((version >= 1)),
    CONSTRAINT supplier_report_year_check CHECK (((year >= 2000) AND (year <= 2200)))
);

ALTER TABLE ONLY cooperage.supplier_report FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.supplier_report OWNER TO cooperage_owner;

--
-- Name: supplier_report_latest; Type: VIEW; Schema: cooperage; Owner: cooperage_owner
--

CREATE VIEW cooperage.supplier_report_latest WITH (security_invoker='true') AS
 SELECT r.id,
    r.seq,
    r.agreement_id,
    r.supplier_id,
    r.year,
    r.quarter,
    r.total_cents,
    r.fee_cents,
    r.line_count,
    r.submitted_by,
    r.created_at,
    r.version,
    r.supersedes_id,
    r.due_on
   FROM cooperage.supplier_report r
  WHERE (NOT (EXISTS ( SELECT 1
           FROM cooperage.supplier_report n
          WHERE (n.supersedes_id = r.id))));


ALTER TABLE cooperage.supplier_report_latest OWNER TO cooperage_owner;

--
-- Name: VIEW supplier_report_latest; Type: COMMENT; Schema: cooperage; Owner: cooperage_owner
--

COMMENT ON VIEW cooperage.supplier_report_latest IS 'The latest version of each supplier report (agreement and quarter): the rows no amendment supersedes.';


--
-- Name: supplier_report_line; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.supplier_report_line (
    report_id uuid NOT NULL,
    line_number integer NOT NULL,
    agency_name text NOT NULL,
    cooperative_number text,
    agency_tenant_id uuid,
    invoice_date date NOT NULL,
    amount_cents bigint NOT NULL,
    fee_cents bigint DEFAULT 0 NOT NULL,
    supplier_id uuid NOT NULL
);

ALTER TABLE ONLY cooperage.supplier_report_line FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.supplier_report_line OWNER TO cooperage_owner;

--
-- Name: supplier_report_seq_seq; Type: SEQUENCE; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.supplier_report ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cooperage.supplier_report_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: supplier_seq_seq; Type: SEQUENCE; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.supplier ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cooperage.supplier_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: supplier_token; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.supplier_token (
    supplier_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    secret_hash bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    revoked_at timestamp with time zone,
    CONSTRAINT supplier_token_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT supplier_token_role_check CHECK ((role = 'supplier-reporter'::text))
);


ALTER TABLE cooperage.supplier_token OWNER TO cooperage_owner;

--
-- Name: tenant; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.tenant (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    legal_name text NOT NULL,
    slug text NOT NULL,
    entity_type text NOT NULL,
    state text NOT NULL,
    parent_id uuid,
    ein text,
    sam_uei text,
    cooperative_number text,
    fiscal_year_start_month smallint DEFAULT 7 NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT tenant_entity_type_check CHECK ((entity_type = ANY (ARRAY['state-agency'::text, 'city'::text, 'county'::text, 'special-district'::text, 'k12'::text, 'higher-ed'::text, 'nonprofit'::text, 'tribal'::text]))),
    CONSTRAINT tenant_fiscal_year_start_month_check CHECK (((fiscal_year_start_month >= 1) AND (fiscal_year_start_month <= 12))),
    CONSTRAINT tenant_legal_name_check CHECK (((length(legal_name) >= 1) AND (length(legal_name) <= 300))),
    CONSTRAINT tenant_not_own_parent CHECK ((parent_id IS DISTINCT FROM id)),
    CONSTRAINT tenant_slug_check CHECK (((slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'::text) AND (length(slug) <= 100))),
    CONSTRAINT tenant_state_check CHECK ((state ~ '^[A-Z]{2}$'::text)),
    CONSTRAINT tenant_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'active'::text, 'suspended'::text, 'closed'::text])))
);


ALTER TABLE cooperage.tenant OWNER TO cooperage_owner;

--
-- Name: tenant_lock; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.tenant_lock (
    tenant_id uuid NOT NULL,
    name text NOT NULL,
    CONSTRAINT tenant_lock_name_check CHECK (((length(name) >= 1) AND (length(name) <= 100)))
);

ALTER TABLE ONLY cooperage.tenant_lock FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.tenant_lock OWNER TO cooperage_owner;

--
-- Name: tenant_seq_seq; Type: SEQUENCE; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.tenant ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cooperage.tenant_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: usage_import; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.usage_import (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    file_digest text NOT NULL,
    file_name text,
    order_count integer NOT NULL,
    line_count integer NOT NULL,
    total_cents bigint NOT NULL,
    imported_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY cooperage.usage_import FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.usage_import OWNER TO cooperage_owner;

--
-- Name: usage_monthly; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.usage_monthly (
    tenant_id uuid NOT NULL,
    agreement_id uuid NOT NULL,
    category text NOT NULL,
    month date NOT NULL,
    amount_cents bigint DEFAULT 0 NOT NULL,
    order_count integer DEFAULT 0 NOT NULL,
    list_cents bigint DEFAULT 0 NOT NULL,
    listed_paid_cents bigint DEFAULT 0 NOT NULL,
    CONSTRAINT usage_monthly_month_check CHECK ((EXTRACT(day FROM month) = (1)::numeric))
)
WITH (fillfactor='80');

ALTER TABLE ONLY cooperage.usage_monthly FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.usage_monthly OWNER TO cooperage_owner;

--
-- Name: usage_record; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.usage_record (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    kind text NOT NULL,
    authorization_id uuid NOT NULL,
    agreement_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    category text NOT NULL,
    po_number text NOT NULL,
    order_date date NOT NULL,
    amount_cents bigint NOT NULL,
    list_cents bigint DEFAULT 0 NOT NULL,
    listed_paid_cents bigint DEFAULT 0 NOT NULL,
    lines jsonb DEFAULT '[]'::jsonb NOT NULL,
    reverses_id uuid,
    reason text,
    source text NOT NULL,
    import_id uuid,
    idempotency_key text,
    request_digest text,
    recorded_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT usage_record_check CHECK ((((kind = 'order'::text) = (amount_cents > 0)) AND (amount_cents <> 0))),
    CONSTRAINT usage_record_kind_check CHECK ((kind = ANY (ARRAY['order'::text, 'reversal'::text]))),
    CONSTRAINT usage_record_po_number_check CHECK (((length(po_number) >= 1) AND (length(po_number) <= 100))),
    CONSTRAINT usage_record_source_check CHECK ((source = ANY (ARRAY['agency'::text, 'import'::text, 'supplier-report'::text]))),
    CONSTRAINT usage_reversal_points_back CHECK (((kind = 'reversal'::text) = (reverses_id IS NOT NULL)))
);

ALTER TABLE ONLY cooperage.usage_record FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.usage_record OWNER TO cooperage_owner;

--
-- Name: usage_record_seq_seq; Type: SEQUENCE; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.usage_record ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cooperage.usage_record_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: webhook_attempt; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.webhook_attempt (
    tenant_id uuid NOT NULL,
    delivery_id uuid NOT NULL,
    number integer NOT NULL,
    attempted_at timestamp with time zone NOT NULL,
    duration_ms integer NOT NULL,
    response_status integer,
    error text,
    succeeded boolean NOT NULL,
    dispatcher text NOT NULL,
    CONSTRAINT webhook_attempt_duration_ms_check CHECK ((duration_ms >= 0)),
    CONSTRAINT webhook_attempt_error_check CHECK ((length(error) <= 1000)),
    CONSTRAINT webhook_attempt_has_an_outcome CHECK (((response_status IS NOT NULL) OR (error IS NOT NULL))),
    CONSTRAINT webhook_attempt_number_check CHECK ((number >= 1)),
    CONSTRAINT webhook_attempt_response_status_check CHECK (((response_status >= 100) AND (response_status <= 999)))
);

ALTER TABLE ONLY cooperage.webhook_attempt FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.webhook_attempt OWNER TO cooperage_owner;

--
-- Name: webhook_delivery; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.webhook_delivery (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    endpoint_id uuid NOT NULL,
    event_id uuid NOT NULL,
    event_type text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempt_count integer DEFAULT 0 NOT NULL,
    scheduled_attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    one_more boolean DEFAULT false NOT NULL,
    claim_token uuid,
    claimed_by text,
    claimed_until timestamp with time zone,
    last_attempt_at timestamp with time zone,
    last_response_status integer,
    delivered_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT webhook_delivery_attempt_count_check CHECK ((attempt_count >= 0)),
    CONSTRAINT webhook_delivery_scheduled_attempts_check CHECK ((scheduled_attempts >= 0)),
    CONSTRAINT webhook_delivery_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'delivered'::text, 'failed'::text])))
);

ALTER TABLE ONLY cooperage.webhook_delivery FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.webhook_delivery OWNER TO cooperage_owner;

--
-- Name: webhook_delivery_seq_seq; Type: SEQUENCE; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.webhook_delivery ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cooperage.webhook_delivery_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: webhook_endpoint; Type: TABLE; Schema: cooperage; Owner: cooperage_owner
--

CREATE TABLE cooperage.webhook_endpoint (
    tenant_id uuid NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    seq bigint NOT NULL,
    url text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    events text[] NOT NULL,
    secret text,
    previous_secret text,
    previous_secret_expires_at timestamp with time zone,
    secret_rotated_at timestamp with time zone,
    enabled boolean DEFAULT true NOT NULL,
    disabled_reason text,
    disabled_at timestamp with time zone,
    failing_since timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT webhook_endpoint_deleted_is_disabled CHECK (((deleted_at IS NULL) OR (NOT enabled))),
    CONSTRAINT webhook_endpoint_description_check CHECK ((length(description) <= 500)),
    CONSTRAINT webhook_endpoint_disabled_reason_check CHECK ((length(disabled_reason) <= 500)),
    CONSTRAINT webhook_endpoint_events_check CHECK (((cardinality(events) >= 1) AND (cardinality(events) <= 100))),
    CONSTRAINT webhook_endpoint_previous_secret_check CHECK ((previous_secret ~ '^whsec_[A-Za-z0-9+/]+={0,2}$'::text)),
    CONSTRAINT webhook_endpoint_previous_secret_expires CHECK (((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))),
    CONSTRAINT webhook_endpoint_secret_check CHECK ((secret ~ '^whsec_[A-Za-z0-9+/]+={0,2}$'::text)),
    CONSTRAINT webhook_endpoint_secret_until_deleted CHECK (((secret IS NULL) = (deleted_at IS NOT NULL))),
    CONSTRAINT webhook_endpoint_url_check CHECK ((((length(url) >= 1) AND (length(url) <= 2048)) AND (url ~* '^https?://'::text)))
);

ALTER TABLE ONLY cooperage.webhook_endpoint FORCE ROW LEVEL SECURITY;


ALTER TABLE cooperage.webhook_endpoint OWNER TO cooperage_owner;

--
-- Name: webhook_endpoint_seq_seq; Type: SEQUENCE; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.webhook_endpoint ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cooperage.webhook_endpoint_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: agency_token agency_token_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agency_token
    ADD CONSTRAINT agency_token_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: agency_token agency_token_secret_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agency_token
    ADD CONSTRAINT agency_token_secret_key UNIQUE (tenant_id, secret_hash);


--
-- Name: agreement_agency_period agreement_agency_period_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_agency_period
    ADD CONSTRAINT agreement_agency_period_pkey PRIMARY KEY (tenant_id, agreement_id, period, period_start);


--
-- Name: agreement_amendment agreement_amendment_id_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_amendment
    ADD CONSTRAINT agreement_amendment_id_key UNIQUE (id);


--
-- Name: agreement_amendment agreement_amendment_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_amendment
    ADD CONSTRAINT agreement_amendment_pkey PRIMARY KEY (agreement_id, seq);


--
-- Name: agreement_commitment agreement_commitment_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_commitment
    ADD CONSTRAINT agreement_commitment_pkey PRIMARY KEY (agreement_id);


--
-- Name: agreement agreement_number_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement
    ADD CONSTRAINT agreement_number_key UNIQUE (number);


--
-- Name: agreement agreement_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement
    ADD CONSTRAINT agreement_pkey PRIMARY KEY (id);


--
-- Name: agreement_rollup agreement_rollup_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_rollup
    ADD CONSTRAINT agreement_rollup_pkey PRIMARY KEY (agreement_id, period, period_start);


--
-- Name: agreement agreement_seq_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement
    ADD CONSTRAINT agreement_seq_key UNIQUE (seq);


--
-- Name: agreement_terms agreement_terms_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_terms
    ADD CONSTRAINT agreement_terms_pkey PRIMARY KEY (agreement_id, version);


--
-- Name: alert_acknowledgement alert_acknowledgement_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.alert_acknowledgement
    ADD CONSTRAINT alert_acknowledgement_pkey PRIMARY KEY (tenant_id, event_id);


--
-- Name: alert_threshold alert_threshold_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.alert_threshold
    ADD CONSTRAINT alert_threshold_pkey PRIMARY KEY (event_type, threshold);


--
-- Name: audit_chain_head audit_chain_head_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.audit_chain_head
    ADD CONSTRAINT audit_chain_head_pkey PRIMARY KEY (tenant_id);


--
-- Name: audit_event audit_event_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.audit_event
    ADD CONSTRAINT audit_event_pkey PRIMARY KEY (tenant_id, seq);


--
-- Name: authorization_approval authorization_approval_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.authorization_approval
    ADD CONSTRAINT authorization_approval_pkey PRIMARY KEY (tenant_id, authorization_id, seq);


--
-- Name: authorization_decision authorization_decision_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.authorization_decision
    ADD CONSTRAINT authorization_decision_pkey PRIMARY KEY (tenant_id, authorization_id, seq);


--
-- Name: authorization_decision authorization_decision_terms_version_recorded; Type: CHECK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.authorization_decision
    ADD CONSTRAINT authorization_decision_terms_version_recorded CHECK ((agreement_terms_version IS NOT NULL)) NOT VALID;


--
-- Name: authorization_request authorization_idempotency_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.authorization_request
    ADD CONSTRAINT authorization_idempotency_key UNIQUE (tenant_id, idempotency_key);


--
-- Name: authorization_request authorization_request_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.authorization_request
    ADD CONSTRAINT authorization_request_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: console_session console_session_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.console_session
    ADD CONSTRAINT console_session_pkey PRIMARY KEY (tenant_id, id_hash);


--
-- Name: cooperative_audit_event cooperative_audit_event_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.cooperative_audit_event
    ADD CONSTRAINT cooperative_audit_event_pkey PRIMARY KEY (seq);


--
-- Name: cooperative_audit_heads cooperative_audit_heads_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.cooperative_audit_heads
    ADD CONSTRAINT cooperative_audit_heads_pkey PRIMARY KEY (seq);


--
-- Name: cooperative_console_session cooperative_console_session_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.cooperative_console_session
    ADD CONSTRAINT cooperative_console_session_pkey PRIMARY KEY (id_hash);


--
-- Name: cooperative_token cooperative_token_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.cooperative_token
    ADD CONSTRAINT cooperative_token_pkey PRIMARY KEY (id);


--
-- Name: cooperative_token cooperative_token_secret_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.cooperative_token
    ADD CONSTRAINT cooperative_token_secret_key UNIQUE (secret_hash);


--
-- Name: event event_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.event
    ADD CONSTRAINT event_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: participation participation_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.participation
    ADD CONSTRAINT participation_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: policy_version policy_version_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.policy_version
    ADD CONSTRAINT policy_version_pkey PRIMARY KEY (tenant_id, version);


--
-- Name: solicitation solicitation_number_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.solicitation
    ADD CONSTRAINT solicitation_number_key UNIQUE (lead_tenant_id, number);


--
-- Name: solicitation solicitation_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.solicitation
    ADD CONSTRAINT solicitation_pkey PRIMARY KEY (id);


--
-- Name: solicitation solicitation_seq_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.solicitation
    ADD CONSTRAINT solicitation_seq_key UNIQUE (seq);


--
-- Name: supplier supplier_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier
    ADD CONSTRAINT supplier_pkey PRIMARY KEY (id);


--
-- Name: supplier_report_line supplier_report_line_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report_line
    ADD CONSTRAINT supplier_report_line_pkey PRIMARY KEY (report_id, line_number);


--
-- Name: supplier_report supplier_report_period_id_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report
    ADD CONSTRAINT supplier_report_period_id_key UNIQUE (id, agreement_id, year, quarter);


--
-- Name: supplier_report supplier_report_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report
    ADD CONSTRAINT supplier_report_pkey PRIMARY KEY (id);


--
-- Name: supplier_report supplier_report_seq_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report
    ADD CONSTRAINT supplier_report_seq_key UNIQUE (seq);


--
-- Name: supplier_report supplier_report_supersedes_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report
    ADD CONSTRAINT supplier_report_supersedes_key UNIQUE (supersedes_id);


--
-- Name: supplier_report supplier_report_supplier_id_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report
    ADD CONSTRAINT supplier_report_supplier_id_key UNIQUE (id, supplier_id);


--
-- Name: supplier_report supplier_report_version_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report
    ADD CONSTRAINT supplier_report_version_key UNIQUE (agreement_id, year, quarter, version);


--
-- Name: supplier supplier_seq_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier
    ADD CONSTRAINT supplier_seq_key UNIQUE (seq);


--
-- Name: supplier_token supplier_token_id_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_token
    ADD CONSTRAINT supplier_token_id_key UNIQUE (id);


--
-- Name: supplier_token supplier_token_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_token
    ADD CONSTRAINT supplier_token_pkey PRIMARY KEY (supplier_id, id);


--
-- Name: supplier_token supplier_token_secret_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_token
    ADD CONSTRAINT supplier_token_secret_key UNIQUE (supplier_id, secret_hash);


--
-- Name: tenant_lock tenant_lock_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.tenant_lock
    ADD CONSTRAINT tenant_lock_pkey PRIMARY KEY (tenant_id, name);


--
-- Name: tenant tenant_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.tenant
    ADD CONSTRAINT tenant_pkey PRIMARY KEY (id);


--
-- Name: tenant tenant_seq_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.tenant
    ADD CONSTRAINT tenant_seq_key UNIQUE (seq);


--
-- Name: tenant tenant_slug_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.tenant
    ADD CONSTRAINT tenant_slug_key UNIQUE (slug);


--
-- Name: usage_import usage_import_file_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.usage_import
    ADD CONSTRAINT usage_import_file_key UNIQUE (tenant_id, file_digest);


--
-- Name: usage_import usage_import_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.usage_import
    ADD CONSTRAINT usage_import_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: usage_monthly usage_monthly_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.usage_monthly
    ADD CONSTRAINT usage_monthly_pkey PRIMARY KEY (tenant_id, agreement_id, category, month);


--
-- Name: usage_record usage_record_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.usage_record
    ADD CONSTRAINT usage_record_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: webhook_attempt webhook_attempt_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.webhook_attempt
    ADD CONSTRAINT webhook_attempt_pkey PRIMARY KEY (tenant_id, delivery_id, number);


--
-- Name: webhook_delivery webhook_delivery_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.webhook_delivery
    ADD CONSTRAINT webhook_delivery_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: webhook_delivery webhook_delivery_tenant_id_endpoint_id_event_id_key; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.webhook_delivery
    ADD CONSTRAINT webhook_delivery_tenant_id_endpoint_id_event_id_key UNIQUE (tenant_id, endpoint_id, event_id);


--
-- Name: webhook_endpoint webhook_endpoint_pkey; Type: CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.webhook_endpoint
    ADD CONSTRAINT webhook_endpoint_pkey PRIMARY KEY (tenant_id, id);


--
-- Name: agreement_categories_idx; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX agreement_categories_idx ON cooperage.agreement USING gin (categories);


--
-- Name: agreement_lead_idx; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX agreement_lead_idx ON cooperage.agreement USING btree (lead_tenant_id);


--
-- Name: agreement_rollup_period_idx; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX agreement_rollup_period_idx ON cooperage.agreement_rollup USING btree (period, period_start, agreement_id);


--
-- Name: agreement_supplier_idx; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX agreement_supplier_idx ON cooperage.agreement USING btree (supplier_id);


--
-- Name: authorization_request_agreement_idx; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX authorization_request_agreement_idx ON cooperage.authorization_request USING btree (tenant_id, agreement_id, purchase_date);


--
-- Name: authorization_request_date_idx; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX authorization_request_date_idx ON cooperage.authorization_request USING btree (tenant_id, purchase_date);


--
-- Name: authorization_request_list_idx; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX authorization_request_list_idx ON cooperage.authorization_request USING btree (tenant_id, seq);


--
-- Name: cooperative_audit_event_heads_recorded; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX cooperative_audit_event_heads_recorded ON cooperage.cooperative_audit_event USING btree (occurred_at) WHERE (action = 'audit.heads-recorded'::text);


--
-- Name: event_alerts; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX event_alerts ON cooperage.event USING btree (tenant_id, seq) WHERE alert;


--
-- Name: event_by_seq; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX event_by_seq ON cooperage.event USING btree (tenant_id, seq);


--
-- Name: event_dedupe; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE UNIQUE INDEX event_dedupe ON cooperage.event USING btree (tenant_id, dedupe_key) WHERE (dedupe_key IS NOT NULL);


--
-- Name: supplier_report_supplier_idx; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX supplier_report_supplier_idx ON cooperage.supplier_report USING btree (supplier_id, seq);


--
-- Name: usage_monthly_agreement_idx; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX usage_monthly_agreement_idx ON cooperage.usage_monthly USING btree (agreement_id, month);


--
-- Name: usage_record_idempotency_key; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE UNIQUE INDEX usage_record_idempotency_key ON cooperage.usage_record USING btree (tenant_id, idempotency_key) WHERE (idempotency_key IS NOT NULL);


--
-- Name: usage_record_list_idx; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX usage_record_list_idx ON cooperage.usage_record USING btree (tenant_id, seq);


--
-- Name: usage_record_po_key; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE UNIQUE INDEX usage_record_po_key ON cooperage.usage_record USING btree (tenant_id, po_number) WHERE (kind = 'order'::text);


--
-- Name: usage_record_reverses_idx; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX usage_record_reverses_idx ON cooperage.usage_record USING btree (tenant_id, reverses_id) WHERE (reverses_id IS NOT NULL);


--
-- Name: usage_record_supplier_idx; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX usage_record_supplier_idx ON cooperage.usage_record USING btree (supplier_id, order_date);


--
-- Name: webhook_delivery_by_endpoint; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX webhook_delivery_by_endpoint ON cooperage.webhook_delivery USING btree (tenant_id, endpoint_id, seq);


--
-- Name: webhook_delivery_due; Type: INDEX; Schema: cooperage; Owner: cooperage_owner
--

CREATE INDEX webhook_delivery_due ON cooperage.webhook_delivery USING btree (next_attempt_at) WHERE (status = 'pending'::text);


--
-- Name: agreement_amendment agreement_amendment_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER agreement_amendment_append_only BEFORE DELETE OR UPDATE ON cooperage.agreement_amendment FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: agreement_terms agreement_terms_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER agreement_terms_append_only BEFORE DELETE OR UPDATE ON cooperage.agreement_terms FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: alert_acknowledgement alert_acknowledgement_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER alert_acknowledgement_append_only BEFORE DELETE OR UPDATE ON cooperage.alert_acknowledgement FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: audit_event audit_event_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER audit_event_append_only BEFORE DELETE OR UPDATE ON cooperage.audit_event FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: authorization_decision authorization_decision_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER authorization_decision_append_only BEFORE DELETE OR UPDATE ON cooperage.authorization_decision FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: authorization_decision authorization_decision_events; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER authorization_decision_events AFTER INSERT ON cooperage.authorization_decision FOR EACH ROW EXECUTE FUNCTION cooperage.event_on_decision();


--
-- Name: authorization_request authorization_request_never_deleted; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER authorization_request_never_deleted BEFORE DELETE ON cooperage.authorization_request FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_delete();


--
-- Name: authorization_request authorization_request_never_truncated; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER authorization_request_never_truncated BEFORE TRUNCATE ON cooperage.authorization_request FOR EACH STATEMENT EXECUTE FUNCTION cooperage.refuse_delete();


--
-- Name: authorization_request authorization_request_references_fixed; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER authorization_request_references_fixed BEFORE UPDATE OF tenant_id, id, agreement_id, supplier_id, category ON cooperage.authorization_request FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_reference_change();


--
-- Name: cooperative_audit_event cooperative_audit_event_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER cooperative_audit_event_append_only BEFORE DELETE OR UPDATE ON cooperage.cooperative_audit_event FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: cooperative_audit_heads cooperative_audit_heads_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER cooperative_audit_heads_append_only BEFORE DELETE OR UPDATE ON cooperage.cooperative_audit_heads FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: event event_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER event_append_only BEFORE DELETE OR UPDATE ON cooperage.event FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: event event_fan_out_to_webhooks; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER event_fan_out_to_webhooks AFTER INSERT ON cooperage.event FOR EACH ROW EXECUTE FUNCTION cooperage.webhook_fan_out();


--
-- Name: event event_no_truncate; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON cooperage.event FOR EACH STATEMENT EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: policy_version policy_version_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER policy_version_append_only BEFORE DELETE OR UPDATE ON cooperage.policy_version FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: supplier_report supplier_report_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER supplier_report_append_only BEFORE DELETE OR UPDATE ON cooperage.supplier_report FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: supplier_report_line supplier_report_line_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER supplier_report_line_append_only BEFORE DELETE OR UPDATE ON cooperage.supplier_report_line FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: usage_import usage_import_events; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER usage_import_events AFTER INSERT ON cooperage.usage_import FOR EACH ROW EXECUTE FUNCTION cooperage.event_on_import();


--
-- Name: usage_import usage_import_never_deleted; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER usage_import_never_deleted BEFORE DELETE ON cooperage.usage_import FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_delete();


--
-- Name: usage_import usage_import_never_truncated; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER usage_import_never_truncated BEFORE TRUNCATE ON cooperage.usage_import FOR EACH STATEMENT EXECUTE FUNCTION cooperage.refuse_delete();


--
-- Name: usage_record usage_record_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER usage_record_append_only BEFORE DELETE OR UPDATE ON cooperage.usage_record FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: usage_record usage_record_events; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER usage_record_events AFTER INSERT ON cooperage.usage_record FOR EACH ROW WHEN ((new.source <> 'import'::text)) EXECUTE FUNCTION cooperage.event_on_usage();


--
-- Name: usage_record usage_record_references; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER usage_record_references AFTER INSERT ON cooperage.usage_record REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cooperage.usage_record_check_references();


--
-- Name: webhook_attempt webhook_attempt_append_only; Type: TRIGGER; Schema: cooperage; Owner: cooperage_owner
--

CREATE TRIGGER webhook_attempt_append_only BEFORE DELETE OR UPDATE ON cooperage.webhook_attempt FOR EACH ROW EXECUTE FUNCTION cooperage.refuse_change();


--
-- Name: agency_token agency_token_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agency_token
    ADD CONSTRAINT agency_token_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: agreement_agency_period agreement_agency_period_agreement_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_agency_period
    ADD CONSTRAINT agreement_agency_period_agreement_id_fkey FOREIGN KEY (agreement_id) REFERENCES cooperage.agreement(id);


--
-- Name: agreement_agency_period agreement_agency_period_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_agency_period
    ADD CONSTRAINT agreement_agency_period_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: agreement_amendment agreement_amendment_agreement_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_amendment
    ADD CONSTRAINT agreement_amendment_agreement_id_fkey FOREIGN KEY (agreement_id) REFERENCES cooperage.agreement(id);


--
-- Name: agreement_amendment agreement_amendment_agreement_id_terms_version_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_amendment
    ADD CONSTRAINT agreement_amendment_agreement_id_terms_version_fkey FOREIGN KEY (agreement_id, terms_version) REFERENCES cooperage.agreement_terms(agreement_id, version);


--
-- Name: agreement_commitment agreement_commitment_agreement_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_commitment
    ADD CONSTRAINT agreement_commitment_agreement_id_fkey FOREIGN KEY (agreement_id) REFERENCES cooperage.agreement(id);


--
-- Name: agreement agreement_lead_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement
    ADD CONSTRAINT agreement_lead_tenant_id_fkey FOREIGN KEY (lead_tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: agreement_rollup agreement_rollup_agreement_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_rollup
    ADD CONSTRAINT agreement_rollup_agreement_id_fkey FOREIGN KEY (agreement_id) REFERENCES cooperage.agreement(id);


--
-- Name: agreement agreement_solicitation_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement
    ADD CONSTRAINT agreement_solicitation_id_fkey FOREIGN KEY (solicitation_id) REFERENCES cooperage.solicitation(id);


--
-- Name: agreement agreement_supplier_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement
    ADD CONSTRAINT agreement_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES cooperage.supplier(id);


--
-- Name: agreement_terms agreement_terms_agreement_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.agreement_terms
    ADD CONSTRAINT agreement_terms_agreement_id_fkey FOREIGN KEY (agreement_id) REFERENCES cooperage.agreement(id);


--
-- Name: alert_acknowledgement alert_acknowledgement_tenant_id_event_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.alert_acknowledgement
    ADD CONSTRAINT alert_acknowledgement_tenant_id_event_id_fkey FOREIGN KEY (tenant_id, event_id) REFERENCES cooperage.event(tenant_id, id);


--
-- Name: audit_chain_head audit_chain_head_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.audit_chain_head
    ADD CONSTRAINT audit_chain_head_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: audit_event audit_event_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.audit_event
    ADD CONSTRAINT audit_event_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: authorization_approval authorization_approval_tenant_id_authorization_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.authorization_approval
    ADD CONSTRAINT authorization_approval_tenant_id_authorization_id_fkey FOREIGN KEY (tenant_id, authorization_id) REFERENCES cooperage.authorization_request(tenant_id, id);


--
-- Name: authorization_decision authorization_decision_tenant_id_authorization_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.authorization_decision
    ADD CONSTRAINT authorization_decision_tenant_id_authorization_id_fkey FOREIGN KEY (tenant_id, authorization_id) REFERENCES cooperage.authorization_request(tenant_id, id);


--
-- Name: authorization_request authorization_request_agreement_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.authorization_request
    ADD CONSTRAINT authorization_request_agreement_id_fkey FOREIGN KEY (agreement_id) REFERENCES cooperage.agreement(id);


--
-- Name: authorization_request authorization_request_supplier_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.authorization_request
    ADD CONSTRAINT authorization_request_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES cooperage.supplier(id);


--
-- Name: authorization_request authorization_request_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.authorization_request
    ADD CONSTRAINT authorization_request_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: console_session console_session_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.console_session
    ADD CONSTRAINT console_session_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: console_session console_session_tenant_id_token_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.console_session
    ADD CONSTRAINT console_session_tenant_id_token_id_fkey FOREIGN KEY (tenant_id, token_id) REFERENCES cooperage.agency_token(tenant_id, id);


--
-- Name: cooperative_audit_heads cooperative_audit_heads_seq_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.cooperative_audit_heads
    ADD CONSTRAINT cooperative_audit_heads_seq_fkey FOREIGN KEY (seq) REFERENCES cooperage.cooperative_audit_event(seq);


--
-- Name: cooperative_console_session cooperative_console_session_token_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.cooperative_console_session
    ADD CONSTRAINT cooperative_console_session_token_id_fkey FOREIGN KEY (token_id) REFERENCES cooperage.cooperative_token(id);


--
-- Name: participation participation_agreement_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.participation
    ADD CONSTRAINT participation_agreement_id_fkey FOREIGN KEY (agreement_id) REFERENCES cooperage.agreement(id);


--
-- Name: participation participation_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.participation
    ADD CONSTRAINT participation_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: policy_version policy_version_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.policy_version
    ADD CONSTRAINT policy_version_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: solicitation solicitation_lead_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.solicitation
    ADD CONSTRAINT solicitation_lead_tenant_id_fkey FOREIGN KEY (lead_tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: supplier_report supplier_report_agreement_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report
    ADD CONSTRAINT supplier_report_agreement_id_fkey FOREIGN KEY (agreement_id) REFERENCES cooperage.agreement(id);


--
-- Name: supplier_report_line supplier_report_line_agency_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report_line
    ADD CONSTRAINT supplier_report_line_agency_tenant_id_fkey FOREIGN KEY (agency_tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: supplier_report_line supplier_report_line_report_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report_line
    ADD CONSTRAINT supplier_report_line_report_id_fkey FOREIGN KEY (report_id) REFERENCES cooperage.supplier_report(id);


--
-- Name: supplier_report_line supplier_report_line_same_supplier; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report_line
    ADD CONSTRAINT supplier_report_line_same_supplier FOREIGN KEY (report_id, supplier_id) REFERENCES cooperage.supplier_report(id, supplier_id);


--
-- Name: supplier_report supplier_report_supersedes_same_period; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report
    ADD CONSTRAINT supplier_report_supersedes_same_period FOREIGN KEY (supersedes_id, agreement_id, year, quarter) REFERENCES cooperage.supplier_report(id, agreement_id, year, quarter);


--
-- Name: supplier_report supplier_report_supplier_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_report
    ADD CONSTRAINT supplier_report_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES cooperage.supplier(id);


--
-- Name: supplier_token supplier_token_supplier_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.supplier_token
    ADD CONSTRAINT supplier_token_supplier_id_fkey FOREIGN KEY (supplier_id) REFERENCES cooperage.supplier(id);


--
-- Name: tenant_lock tenant_lock_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.tenant_lock
    ADD CONSTRAINT tenant_lock_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: tenant tenant_parent_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.tenant
    ADD CONSTRAINT tenant_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES cooperage.tenant(id);


--
-- Name: usage_import usage_import_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.usage_import
    ADD CONSTRAINT usage_import_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: usage_monthly usage_monthly_agreement_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.usage_monthly
    ADD CONSTRAINT usage_monthly_agreement_id_fkey FOREIGN KEY (agreement_id) REFERENCES cooperage.agreement(id);


--
-- Name: usage_monthly usage_monthly_tenant_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.usage_monthly
    ADD CONSTRAINT usage_monthly_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES cooperage.tenant(id);


--
-- Name: webhook_attempt webhook_attempt_tenant_id_delivery_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.webhook_attempt
    ADD CONSTRAINT webhook_attempt_tenant_id_delivery_id_fkey FOREIGN KEY (tenant_id, delivery_id) REFERENCES cooperage.webhook_delivery(tenant_id, id);


--
-- Name: webhook_delivery webhook_delivery_tenant_id_endpoint_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.webhook_delivery
    ADD CONSTRAINT webhook_delivery_tenant_id_endpoint_id_fkey FOREIGN KEY (tenant_id, endpoint_id) REFERENCES cooperage.webhook_endpoint(tenant_id, id);


--
-- Name: webhook_delivery webhook_delivery_tenant_id_event_id_fkey; Type: FK CONSTRAINT; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE ONLY cooperage.webhook_delivery
    ADD CONSTRAINT webhook_delivery_tenant_id_event_id_fkey FOREIGN KEY (tenant_id, event_id) REFERENCES cooperage.event(tenant_id, id);


--
-- Name: agency_token; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.agency_token ENABLE ROW LEVEL SECURITY;

--
-- Name: agreement; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.agreement ENABLE ROW LEVEL SECURITY;

--
-- Name: agreement_agency_period; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.agreement_agency_period ENABLE ROW LEVEL SECURITY;

--
-- Name: alert_acknowledgement; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.alert_acknowledgement ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_chain_head; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.audit_chain_head ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_event; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.audit_event ENABLE ROW LEVEL SECURITY;

--
-- Name: authorization_approval; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.authorization_approval ENABLE ROW LEVEL SECURITY;

--
-- Name: authorization_decision; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.authorization_decision ENABLE ROW LEVEL SECURITY;

--
-- Name: authorization_request; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.authorization_request ENABLE ROW LEVEL SECURITY;

--
-- Name: console_session; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.console_session ENABLE ROW LEVEL SECURITY;

--
-- Name: agency_token cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.agency_token FOR SELECT TO cooperage_coop USING (true);


--
-- Name: agreement cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.agreement FOR SELECT TO cooperage_coop USING (true);


--
-- Name: agreement_agency_period cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.agreement_agency_period FOR SELECT TO cooperage_coop USING (true);


--
-- Name: alert_acknowledgement cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.alert_acknowledgement FOR SELECT TO cooperage_coop USING (true);


--
-- Name: audit_chain_head cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.audit_chain_head FOR SELECT TO cooperage_coop USING (true);


--
-- Name: audit_event cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.audit_event FOR SELECT TO cooperage_coop USING (true);


--
-- Name: authorization_approval cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.authorization_approval FOR SELECT TO cooperage_coop USING (true);


--
-- Name: authorization_decision cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.authorization_decision FOR SELECT TO cooperage_coop USING (true);


--
-- Name: authorization_request cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.authorization_request FOR SELECT TO cooperage_coop USING (true);


--
-- Name: event cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.event FOR SELECT TO cooperage_coop USING (true);


--
-- Name: participation cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.participation FOR SELECT TO cooperage_coop USING (true);


--
-- Name: policy_version cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.policy_version FOR SELECT TO cooperage_coop USING (true);


--
-- Name: supplier cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.supplier FOR SELECT TO cooperage_coop USING (true);


--
-- Name: supplier_report cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.supplier_report FOR SELECT TO cooperage_coop USING (true);


--
-- Name: supplier_report_line cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.supplier_report_line FOR SELECT TO cooperage_coop USING (true);


--
-- Name: usage_import cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.usage_import FOR SELECT TO cooperage_coop USING (true);


--
-- Name: usage_monthly cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.usage_monthly FOR SELECT TO cooperage_coop USING (true);


--
-- Name: usage_record cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.usage_record FOR SELECT TO cooperage_coop USING (true);


--
-- Name: webhook_attempt cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.webhook_attempt FOR SELECT TO cooperage_coop USING (true);


--
-- Name: webhook_delivery cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.webhook_delivery FOR SELECT TO cooperage_coop USING (true);


--
-- Name: webhook_endpoint cooperative_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY cooperative_read ON cooperage.webhook_endpoint FOR SELECT TO cooperage_coop USING (true);


--
-- Name: event; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.event ENABLE ROW LEVEL SECURITY;

--
-- Name: participation; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.participation ENABLE ROW LEVEL SECURITY;

--
-- Name: policy_version; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.policy_version ENABLE ROW LEVEL SECURITY;

--
-- Name: agreement server_access; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY server_access ON cooperage.agreement TO cooperage_app USING (true) WITH CHECK (true);


--
-- Name: supplier server_access; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY server_access ON cooperage.supplier TO cooperage_app USING (true) WITH CHECK (true);


--
-- Name: supplier_report server_access; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY server_access ON cooperage.supplier_report TO cooperage_app USING (true) WITH CHECK (true);


--
-- Name: supplier_report_line server_access; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY server_access ON cooperage.supplier_report_line TO cooperage_app USING (true) WITH CHECK (true);


--
-- Name: supplier; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.supplier ENABLE ROW LEVEL SECURITY;

--
-- Name: agreement supplier_own; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY supplier_own ON cooperage.agreement FOR SELECT TO cooperage_supplier USING ((supplier_id = cooperage.current_supplier_id()));


--
-- Name: supplier supplier_own; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY supplier_own ON cooperage.supplier FOR SELECT TO cooperage_supplier USING ((id = cooperage.current_supplier_id()));


--
-- Name: supplier_report supplier_own; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY supplier_own ON cooperage.supplier_report TO cooperage_supplier USING ((supplier_id = cooperage.current_supplier_id())) WITH CHECK ((supplier_id = cooperage.current_supplier_id()));


--
-- Name: supplier_report_line supplier_own; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY supplier_own ON cooperage.supplier_report_line TO cooperage_supplier USING ((supplier_id = cooperage.current_supplier_id())) WITH CHECK ((supplier_id = cooperage.current_supplier_id()));


--
-- Name: usage_record supplier_read; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY supplier_read ON cooperage.usage_record FOR SELECT TO cooperage_supplier USING ((supplier_id = cooperage.current_supplier_id()));


--
-- Name: supplier_report; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.supplier_report ENABLE ROW LEVEL SECURITY;

--
-- Name: supplier_report_line; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.supplier_report_line ENABLE ROW LEVEL SECURITY;

--
-- Name: agency_token tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.agency_token USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: agreement_agency_period tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.agreement_agency_period USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: alert_acknowledgement tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.alert_acknowledgement USING ((tenant_id = cooperage.event_scope())) WITH CHECK ((tenant_id = cooperage.event_scope()));


--
-- Name: audit_chain_head tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.audit_chain_head USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: audit_event tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.audit_event USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: authorization_approval tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.authorization_approval USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: authorization_decision tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.authorization_decision USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: authorization_request tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.authorization_request USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: console_session tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.console_session USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: event tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.event USING ((tenant_id = cooperage.event_scope())) WITH CHECK ((tenant_id = cooperage.event_scope()));


--
-- Name: participation tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.participation USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: policy_version tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.policy_version USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: tenant_lock tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.tenant_lock USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: usage_import tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.usage_import USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: usage_monthly tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.usage_monthly USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: usage_record tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.usage_record USING ((tenant_id = cooperage.current_tenant_id())) WITH CHECK ((tenant_id = cooperage.current_tenant_id()));


--
-- Name: webhook_attempt tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.webhook_attempt USING ((tenant_id = cooperage.event_scope())) WITH CHECK ((tenant_id = cooperage.event_scope()));


--
-- Name: webhook_delivery tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.webhook_delivery USING ((tenant_id = cooperage.event_scope())) WITH CHECK ((tenant_id = cooperage.event_scope()));


--
-- Name: webhook_endpoint tenant_isolation; Type: POLICY; Schema: cooperage; Owner: cooperage_owner
--

CREATE POLICY tenant_isolation ON cooperage.webhook_endpoint USING ((tenant_id = cooperage.event_scope())) WITH CHECK ((tenant_id = cooperage.event_scope()));


--
-- Name: tenant_lock; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.tenant_lock ENABLE ROW LEVEL SECURITY;

--
-- Name: usage_import; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.usage_import ENABLE ROW LEVEL SECURITY;

--
-- Name: usage_monthly; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.usage_monthly ENABLE ROW LEVEL SECURITY;

--
-- Name: usage_record; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.usage_record ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_attempt; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.webhook_attempt ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_delivery; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.webhook_delivery ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_endpoint; Type: ROW SECURITY; Schema: cooperage; Owner: cooperage_owner
--

ALTER TABLE cooperage.webhook_endpoint ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA cooperage; Type: ACL; Schema: -; Owner: cooperage_owner
--

GRANT USAGE ON SCHEMA cooperage TO cooperage_app;
GRANT USAGE ON SCHEMA cooperage TO cooperage_coop;
GRANT USAGE ON SCHEMA cooperage TO cooperage_supplier;


--
-- Name: FUNCTION agency_periods(p_month date); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.agency_periods(p_month date) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.agency_periods(p_month date) TO cooperage_app;


--
-- Name: FUNCTION agreement_ceiling_alerts(p_agreement uuid, p_before bigint, p_after bigint); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.agreement_ceiling_alerts(p_agreement uuid, p_before bigint, p_after bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.agreement_ceiling_alerts(p_agreement uuid, p_before bigint, p_after bigint) TO cooperage_app;


--
-- Name: FUNCTION agreement_counter_alerts(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.agreement_counter_alerts() FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.agreement_counter_alerts() TO cooperage_app;


--
-- Name: FUNCTION agreement_tier_alerts(p_agreement uuid, p_before bigint, p_after bigint); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.agreement_tier_alerts(p_agreement uuid, p_before bigint, p_after bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.agreement_tier_alerts(p_agreement uuid, p_before bigint, p_after bigint) TO cooperage_app;


--
-- Name: FUNCTION audit_append(p_tenant uuid, p_actor_token uuid, p_actor_role text, p_action text, p_subject_type text, p_subject_id text, p_payload_digest text); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.audit_append(p_tenant uuid, p_actor_token uuid, p_actor_role text, p_action text, p_subject_type text, p_subject_id text, p_payload_digest text) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.audit_append(p_tenant uuid, p_actor_token uuid, p_actor_role text, p_action text, p_subject_type text, p_subject_id text, p_payload_digest text) TO cooperage_app;


--
-- Name: FUNCTION authenticate_agency_token(p_tenant uuid, p_hash bytea); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.authenticate_agency_token(p_tenant uuid, p_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.authenticate_agency_token(p_tenant uuid, p_hash bytea) TO cooperage_app;


--
-- Name: FUNCTION authenticate_console_session(p_tenant uuid, p_session_hash bytea); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.authenticate_console_session(p_tenant uuid, p_session_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.authenticate_console_session(p_tenant uuid, p_session_hash bytea) TO cooperage_app;


--
-- Name: FUNCTION authorization_create(p_tenant uuid, p_agreement uuid, p_supplier uuid, p_amount_cents bigint, p_purchase_date date, p_category text, p_funding_lines jsonb, p_purpose text, p_evidence jsonb, p_idempotency_key text, p_request_digest text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.authorization_create(p_tenant uuid, p_agreement uuid, p_supplier uuid, p_amount_cents bigint, p_purchase_date date, p_category text, p_funding_lines jsonb, p_purpose text, p_evidence jsonb, p_idempotency_key text, p_request_digest text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.authorization_create(p_tenant uuid, p_agreement uuid, p_supplier uuid, p_amount_cents bigint, p_purchase_date date, p_category text, p_funding_lines jsonb, p_purpose text, p_evidence jsonb, p_idempotency_key text, p_request_digest text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer) TO cooperage_app;


--
-- Name: FUNCTION authorization_decision_facts(p_tenant uuid, p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text, p_policy_version integer, p_excluding uuid); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.authorization_decision_facts(p_tenant uuid, p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text, p_policy_version integer, p_excluding uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.authorization_decision_facts(p_tenant uuid, p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text, p_policy_version integer, p_excluding uuid) TO cooperage_app;


--
-- Name: FUNCTION authorization_decision_facts_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.authorization_decision_facts_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.authorization_decision_facts_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text) TO cooperage_app;


--
-- Name: FUNCTION authorization_record_decision(p_tenant uuid, p_authorization uuid, p_seq integer, p_trigger text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_agreement uuid, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.authorization_record_decision(p_tenant uuid, p_authorization uuid, p_seq integer, p_trigger text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_agreement uuid, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.authorization_record_decision(p_tenant uuid, p_authorization uuid, p_seq integer, p_trigger text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_agreement uuid, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer) TO cooperage_app;


--
-- Name: FUNCTION current_supplier_id(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.current_supplier_id() FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.current_supplier_id() TO cooperage_supplier;


--
-- Name: FUNCTION current_tenant_id(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.current_tenant_id() FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.current_tenant_id() TO cooperage_app;
GRANT ALL ON FUNCTION cooperage.current_tenant_id() TO cooperage_coop;
GRANT ALL ON FUNCTION cooperage.current_tenant_id() TO cooperage_supplier;


--
-- Name: FUNCTION event_on_decision(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.event_on_decision() FROM PUBLIC;


--
-- Name: FUNCTION event_on_import(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.event_on_import() FROM PUBLIC;


--
-- Name: FUNCTION event_on_usage(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.event_on_usage() FROM PUBLIC;


--
-- Name: FUNCTION event_publish(p_tenant uuid, p_type text, p_subject_type text, p_subject_id text, p_data jsonb, p_alert boolean, p_dedupe_key text); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.event_publish(p_tenant uuid, p_type text, p_subject_type text, p_subject_id text, p_data jsonb, p_alert boolean, p_dedupe_key text) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.event_publish(p_tenant uuid, p_type text, p_subject_type text, p_subject_id text, p_data jsonb, p_alert boolean, p_dedupe_key text) TO cooperage_app;


--
-- Name: FUNCTION event_scope(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.event_scope() FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.event_scope() TO cooperage_app;
GRANT ALL ON FUNCTION cooperage.event_scope() TO cooperage_coop;


--
-- Name: FUNCTION idempotency_lock(p_tenant uuid, p_key text); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.idempotency_lock(p_tenant uuid, p_key text) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.idempotency_lock(p_tenant uuid, p_key text) TO cooperage_app;


--
-- Name: FUNCTION on_citus(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.on_citus() FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.on_citus() TO cooperage_app;


--
-- Name: FUNCTION refuse_change(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.refuse_change() FROM PUBLIC;


--
-- Name: FUNCTION refuse_delete(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.refuse_delete() FROM PUBLIC;


--
-- Name: FUNCTION refuse_reference_change(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.refuse_reference_change() FROM PUBLIC;


--
-- Name: FUNCTION tenant_lock(p_tenant uuid, p_name text); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.tenant_lock(p_tenant uuid, p_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.tenant_lock(p_tenant uuid, p_name text) TO cooperage_app;


--
-- Name: FUNCTION tenant_status_publish(p_tenant uuid, p_previous text); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.tenant_status_publish(p_tenant uuid, p_previous text) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.tenant_status_publish(p_tenant uuid, p_previous text) TO cooperage_app;


--
-- Name: FUNCTION usage_add(p_tenant uuid, p_agreement uuid, p_category text, p_month date, p_amount bigint, p_orders integer, p_list bigint, p_paid bigint); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.usage_add(p_tenant uuid, p_agreement uuid, p_category text, p_month date, p_amount bigint, p_orders integer, p_list bigint, p_paid bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.usage_add(p_tenant uuid, p_agreement uuid, p_category text, p_month date, p_amount bigint, p_orders integer, p_list bigint, p_paid bigint) TO cooperage_app;


--
-- Name: FUNCTION usage_import_finish(p_tenant uuid, p_recorded_by uuid, p_actor_role text, p_audit_action text, p_audit_subject_type text, p_audit_subject_id text, p_audit_digest text); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.usage_import_finish(p_tenant uuid, p_recorded_by uuid, p_actor_role text, p_audit_action text, p_audit_subject_type text, p_audit_subject_id text, p_audit_digest text) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.usage_import_finish(p_tenant uuid, p_recorded_by uuid, p_actor_role text, p_audit_action text, p_audit_subject_type text, p_audit_subject_id text, p_audit_digest text) TO cooperage_app;


--
-- Name: FUNCTION usage_import_orders(p_tenant uuid, p_import uuid, p_recorded_by uuid, p_ids uuid[], p_authorizations uuid[], p_po_numbers text[], p_order_dates date[], p_amounts bigint[], p_list bigint[], p_paid bigint[], p_lines text[]); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.usage_import_orders(p_tenant uuid, p_import uuid, p_recorded_by uuid, p_ids uuid[], p_authorizations uuid[], p_po_numbers text[], p_order_dates date[], p_amounts bigint[], p_list bigint[], p_paid bigint[], p_lines text[]) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.usage_import_orders(p_tenant uuid, p_import uuid, p_recorded_by uuid, p_ids uuid[], p_authorizations uuid[], p_po_numbers text[], p_order_dates date[], p_amounts bigint[], p_list bigint[], p_paid bigint[], p_lines text[]) TO cooperage_app;


--
-- Name: FUNCTION usage_record_check_references(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.usage_record_check_references() FROM PUBLIC;


--
-- Name: FUNCTION usage_register_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_request_digest text, p_id uuid, p_authorization uuid, p_po_number text, p_order_date date, p_amount bigint, p_list bigint, p_paid bigint, p_lines jsonb, p_credential text); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.usage_register_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_request_digest text, p_id uuid, p_authorization uuid, p_po_number text, p_order_date date, p_amount bigint, p_list bigint, p_paid bigint, p_lines jsonb, p_credential text) FROM PUBLIC;
GRANT ALL ON FUNCTION cooperage.usage_register_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_request_digest text, p_id uuid, p_authorization uuid, p_po_number text, p_order_date date, p_amount bigint, p_list bigint, p_paid bigint, p_lines jsonb, p_credential text) TO cooperage_app;


--
-- Name: FUNCTION webhook_fan_out(); Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

REVOKE ALL ON FUNCTION cooperage.webhook_fan_out() FROM PUBLIC;


--
-- Name: TABLE agency_token; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.agency_token TO cooperage_app;
GRANT SELECT ON TABLE cooperage.agency_token TO cooperage_coop;


--
-- Name: COLUMN agency_token.revoked_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(revoked_at) ON TABLE cooperage.agency_token TO cooperage_app;


--
-- Name: TABLE agreement; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE cooperage.agreement TO cooperage_app;
GRANT SELECT ON TABLE cooperage.agreement TO cooperage_coop;


--
-- Name: COLUMN agreement.id; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(id) ON TABLE cooperage.agreement TO cooperage_supplier;


--
-- Name: COLUMN agreement.seq; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(seq) ON TABLE cooperage.agreement TO cooperage_supplier;


--
-- Name: COLUMN agreement.number; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(number) ON TABLE cooperage.agreement TO cooperage_supplier;


--
-- Name: COLUMN agreement.title; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(title) ON TABLE cooperage.agreement TO cooperage_supplier;


--
-- Name: COLUMN agreement.lead_tenant_id; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(lead_tenant_id) ON TABLE cooperage.agreement TO cooperage_supplier;


--
-- Name: COLUMN agreement.supplier_id; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(supplier_id) ON TABLE cooperage.agreement TO cooperage_supplier;


--
-- Name: COLUMN agreement.categories; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(categories) ON TABLE cooperage.agreement TO cooperage_supplier;


--
-- Name: COLUMN agreement.effective_on; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(effective_on) ON TABLE cooperage.agreement TO cooperage_supplier;


--
-- Name: COLUMN agreement.expires_on; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(expires_on) ON TABLE cooperage.agreement TO cooperage_supplier;


--
-- Name: COLUMN agreement.status; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(status) ON TABLE cooperage.agreement TO cooperage_supplier;


--
-- Name: COLUMN agreement.admin_fee_basis_points; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(admin_fee_basis_points) ON TABLE cooperage.agreement TO cooperage_supplier;


--
-- Name: COLUMN agreement.supplier_report_due_days; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(supplier_report_due_days) ON TABLE cooperage.agreement TO cooperage_supplier;


--
-- Name: TABLE agreement_agency_period; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.agreement_agency_period TO cooperage_app;
GRANT SELECT ON TABLE cooperage.agreement_agency_period TO cooperage_coop;


--
-- Name: TABLE agreement_amendment; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.agreement_amendment TO cooperage_app;
GRANT SELECT ON TABLE cooperage.agreement_amendment TO cooperage_coop;


--
-- Name: TABLE agreement_commitment; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE cooperage.agreement_commitment TO cooperage_app;
GRANT SELECT ON TABLE cooperage.agreement_commitment TO cooperage_coop;


--
-- Name: TABLE agreement_rollup; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE cooperage.agreement_rollup TO cooperage_app;
GRANT SELECT ON TABLE cooperage.agreement_rollup TO cooperage_coop;


--
-- Name: TABLE agreement_terms; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.agreement_terms TO cooperage_app;
GRANT SELECT ON TABLE cooperage.agreement_terms TO cooperage_coop;


--
-- Name: TABLE alert_acknowledgement; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.alert_acknowledgement TO cooperage_app;
GRANT SELECT ON TABLE cooperage.alert_acknowledgement TO cooperage_coop;


--
-- Name: TABLE alert_threshold; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT ON TABLE cooperage.alert_threshold TO cooperage_app;
GRANT SELECT ON TABLE cooperage.alert_threshold TO cooperage_coop;


--
-- Name: TABLE audit_chain_head; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE cooperage.audit_chain_head TO cooperage_app;
GRANT SELECT ON TABLE cooperage.audit_chain_head TO cooperage_coop;


--
-- Name: TABLE audit_event; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT ON TABLE cooperage.audit_event TO cooperage_coop;
GRANT SELECT,INSERT ON TABLE cooperage.audit_event TO cooperage_app;


--
-- Name: TABLE authorization_approval; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT ON TABLE cooperage.authorization_approval TO cooperage_coop;
GRANT SELECT,INSERT ON TABLE cooperage.authorization_approval TO cooperage_app;


--
-- Name: TABLE authorization_decision; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT ON TABLE cooperage.authorization_decision TO cooperage_coop;
GRANT SELECT,INSERT ON TABLE cooperage.authorization_decision TO cooperage_app;


--
-- Name: TABLE authorization_request; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT ON TABLE cooperage.authorization_request TO cooperage_coop;
GRANT SELECT,INSERT ON TABLE cooperage.authorization_request TO cooperage_app;


--
-- Name: COLUMN authorization_request.outcome; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(outcome) ON TABLE cooperage.authorization_request TO cooperage_app;


--
-- Name: COLUMN authorization_request.decision_count; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(decision_count) ON TABLE cooperage.authorization_request TO cooperage_app;


--
-- Name: COLUMN authorization_request.policy_version; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(policy_version) ON TABLE cooperage.authorization_request TO cooperage_app;


--
-- Name: COLUMN authorization_request.authorized_amount_cents; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(authorized_amount_cents) ON TABLE cooperage.authorization_request TO cooperage_app;


--
-- Name: COLUMN authorization_request.valid_from; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(valid_from) ON TABLE cooperage.authorization_request TO cooperage_app;


--
-- Name: COLUMN authorization_request.valid_until; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(valid_until) ON TABLE cooperage.authorization_request TO cooperage_app;


--
-- Name: COLUMN authorization_request.used_cents; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(used_cents) ON TABLE cooperage.authorization_request TO cooperage_app;


--
-- Name: TABLE console_session; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.console_session TO cooperage_app;


--
-- Name: COLUMN console_session.last_seen_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(last_seen_at) ON TABLE cooperage.console_session TO cooperage_app;


--
-- Name: COLUMN console_session.ended_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(ended_at) ON TABLE cooperage.console_session TO cooperage_app;


--
-- Name: TABLE cooperative_audit_event; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.cooperative_audit_event TO cooperage_app;
GRANT SELECT ON TABLE cooperage.cooperative_audit_event TO cooperage_coop;


--
-- Name: TABLE cooperative_audit_heads; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.cooperative_audit_heads TO cooperage_app;
GRANT SELECT ON TABLE cooperage.cooperative_audit_heads TO cooperage_coop;


--
-- Name: TABLE cooperative_console_session; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.cooperative_console_session TO cooperage_app;


--
-- Name: COLUMN cooperative_console_session.last_seen_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(last_seen_at) ON TABLE cooperage.cooperative_console_session TO cooperage_app;


--
-- Name: COLUMN cooperative_console_session.ended_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(ended_at) ON TABLE cooperage.cooperative_console_session TO cooperage_app;


--
-- Name: TABLE cooperative_token; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.cooperative_token TO cooperage_app;


--
-- Name: COLUMN cooperative_token.revoked_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(revoked_at) ON TABLE cooperage.cooperative_token TO cooperage_app;


--
-- Name: TABLE event; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.event TO cooperage_app;
GRANT SELECT ON TABLE cooperage.event TO cooperage_coop;


--
-- Name: TABLE participation; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT ON TABLE cooperage.participation TO cooperage_coop;
GRANT SELECT,INSERT ON TABLE cooperage.participation TO cooperage_app;


--
-- Name: TABLE policy_version; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT ON TABLE cooperage.policy_version TO cooperage_coop;
GRANT SELECT,INSERT ON TABLE cooperage.policy_version TO cooperage_app;


--
-- Name: TABLE solicitation; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.solicitation TO cooperage_app;
GRANT SELECT ON TABLE cooperage.solicitation TO cooperage_coop;


--
-- Name: TABLE supplier; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE cooperage.supplier TO cooperage_app;
GRANT SELECT ON TABLE cooperage.supplier TO cooperage_coop;


--
-- Name: COLUMN supplier.id; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(id) ON TABLE cooperage.supplier TO cooperage_supplier;


--
-- Name: COLUMN supplier.name; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(name) ON TABLE cooperage.supplier TO cooperage_supplier;


--
-- Name: COLUMN supplier.status; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(status) ON TABLE cooperage.supplier TO cooperage_supplier;


--
-- Name: COLUMN supplier.status_effective_on; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(status_effective_on) ON TABLE cooperage.supplier TO cooperage_supplier;


--
-- Name: TABLE supplier_report; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.supplier_report TO cooperage_app;
GRANT SELECT ON TABLE cooperage.supplier_report TO cooperage_coop;
GRANT SELECT,INSERT ON TABLE cooperage.supplier_report TO cooperage_supplier;


--
-- Name: TABLE supplier_report_latest; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT ON TABLE cooperage.supplier_report_latest TO cooperage_app;
GRANT SELECT ON TABLE cooperage.supplier_report_latest TO cooperage_coop;
GRANT SELECT ON TABLE cooperage.supplier_report_latest TO cooperage_supplier;


--
-- Name: TABLE supplier_report_line; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.supplier_report_line TO cooperage_app;
GRANT SELECT ON TABLE cooperage.supplier_report_line TO cooperage_coop;
GRANT SELECT,INSERT ON TABLE cooperage.supplier_report_line TO cooperage_supplier;


--
-- Name: TABLE supplier_token; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.supplier_token TO cooperage_app;


--
-- Name: COLUMN supplier_token.revoked_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(revoked_at) ON TABLE cooperage.supplier_token TO cooperage_app;


--
-- Name: TABLE tenant; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE cooperage.tenant TO cooperage_app;
GRANT SELECT ON TABLE cooperage.tenant TO cooperage_coop;


--
-- Name: COLUMN tenant.id; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(id) ON TABLE cooperage.tenant TO cooperage_supplier;


--
-- Name: COLUMN tenant.legal_name; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(legal_name) ON TABLE cooperage.tenant TO cooperage_supplier;


--
-- Name: COLUMN tenant.cooperative_number; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(cooperative_number) ON TABLE cooperage.tenant TO cooperage_supplier;


--
-- Name: TABLE tenant_lock; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT,UPDATE ON TABLE cooperage.tenant_lock TO cooperage_app;


--
-- Name: TABLE usage_import; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT ON TABLE cooperage.usage_import TO cooperage_coop;
GRANT SELECT,INSERT ON TABLE cooperage.usage_import TO cooperage_app;


--
-- Name: TABLE usage_monthly; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT ON TABLE cooperage.usage_monthly TO cooperage_coop;
GRANT SELECT,INSERT,UPDATE ON TABLE cooperage.usage_monthly TO cooperage_app;


--
-- Name: TABLE usage_record; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT ON TABLE cooperage.usage_record TO cooperage_coop;
GRANT SELECT,INSERT ON TABLE cooperage.usage_record TO cooperage_app;


--
-- Name: COLUMN usage_record.tenant_id; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(tenant_id) ON TABLE cooperage.usage_record TO cooperage_supplier;


--
-- Name: COLUMN usage_record.kind; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(kind) ON TABLE cooperage.usage_record TO cooperage_supplier;


--
-- Name: COLUMN usage_record.agreement_id; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(agreement_id) ON TABLE cooperage.usage_record TO cooperage_supplier;


--
-- Name: COLUMN usage_record.supplier_id; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(supplier_id) ON TABLE cooperage.usage_record TO cooperage_supplier;


--
-- Name: COLUMN usage_record.order_date; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(order_date) ON TABLE cooperage.usage_record TO cooperage_supplier;


--
-- Name: COLUMN usage_record.amount_cents; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(amount_cents) ON TABLE cooperage.usage_record TO cooperage_supplier;


--
-- Name: TABLE webhook_attempt; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.webhook_attempt TO cooperage_app;
GRANT SELECT ON TABLE cooperage.webhook_attempt TO cooperage_coop;


--
-- Name: TABLE webhook_delivery; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.webhook_delivery TO cooperage_app;
GRANT SELECT ON TABLE cooperage.webhook_delivery TO cooperage_coop;


--
-- Name: COLUMN webhook_delivery.status; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(status) ON TABLE cooperage.webhook_delivery TO cooperage_app;


--
-- Name: COLUMN webhook_delivery.attempt_count; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(attempt_count) ON TABLE cooperage.webhook_delivery TO cooperage_app;


--
-- Name: COLUMN webhook_delivery.scheduled_attempts; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(scheduled_attempts) ON TABLE cooperage.webhook_delivery TO cooperage_app;


--
-- Name: COLUMN webhook_delivery.next_attempt_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(next_attempt_at) ON TABLE cooperage.webhook_delivery TO cooperage_app;


--
-- Name: COLUMN webhook_delivery.one_more; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(one_more) ON TABLE cooperage.webhook_delivery TO cooperage_app;


--
-- Name: COLUMN webhook_delivery.claim_token; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(claim_token) ON TABLE cooperage.webhook_delivery TO cooperage_app;


--
-- Name: COLUMN webhook_delivery.claimed_by; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(claimed_by) ON TABLE cooperage.webhook_delivery TO cooperage_app;


--
-- Name: COLUMN webhook_delivery.claimed_until; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(claimed_until) ON TABLE cooperage.webhook_delivery TO cooperage_app;


--
-- Name: COLUMN webhook_delivery.last_attempt_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(last_attempt_at) ON TABLE cooperage.webhook_delivery TO cooperage_app;


--
-- Name: COLUMN webhook_delivery.last_response_status; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(last_response_status) ON TABLE cooperage.webhook_delivery TO cooperage_app;


--
-- Name: COLUMN webhook_delivery.delivered_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(delivered_at) ON TABLE cooperage.webhook_delivery TO cooperage_app;


--
-- Name: TABLE webhook_endpoint; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT,INSERT ON TABLE cooperage.webhook_endpoint TO cooperage_app;


--
-- Name: COLUMN webhook_endpoint.tenant_id; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(tenant_id) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: COLUMN webhook_endpoint.id; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(id) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: COLUMN webhook_endpoint.seq; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(seq) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: COLUMN webhook_endpoint.url; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(url) ON TABLE cooperage.webhook_endpoint TO cooperage_app;
GRANT SELECT(url) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: COLUMN webhook_endpoint.description; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(description) ON TABLE cooperage.webhook_endpoint TO cooperage_app;
GRANT SELECT(description) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: COLUMN webhook_endpoint.events; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(events) ON TABLE cooperage.webhook_endpoint TO cooperage_app;
GRANT SELECT(events) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: COLUMN webhook_endpoint.secret; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(secret) ON TABLE cooperage.webhook_endpoint TO cooperage_app;


--
-- Name: COLUMN webhook_endpoint.previous_secret; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(previous_secret) ON TABLE cooperage.webhook_endpoint TO cooperage_app;


--
-- Name: COLUMN webhook_endpoint.previous_secret_expires_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(previous_secret_expires_at) ON TABLE cooperage.webhook_endpoint TO cooperage_app;


--
-- Name: COLUMN webhook_endpoint.secret_rotated_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(secret_rotated_at) ON TABLE cooperage.webhook_endpoint TO cooperage_app;


--
-- Name: COLUMN webhook_endpoint.enabled; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(enabled) ON TABLE cooperage.webhook_endpoint TO cooperage_app;
GRANT SELECT(enabled) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: COLUMN webhook_endpoint.disabled_reason; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(disabled_reason) ON TABLE cooperage.webhook_endpoint TO cooperage_app;
GRANT SELECT(disabled_reason) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: COLUMN webhook_endpoint.disabled_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(disabled_at) ON TABLE cooperage.webhook_endpoint TO cooperage_app;
GRANT SELECT(disabled_at) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: COLUMN webhook_endpoint.failing_since; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(failing_since) ON TABLE cooperage.webhook_endpoint TO cooperage_app;
GRANT SELECT(failing_since) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: COLUMN webhook_endpoint.created_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT SELECT(created_at) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: COLUMN webhook_endpoint.updated_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(updated_at) ON TABLE cooperage.webhook_endpoint TO cooperage_app;
GRANT SELECT(updated_at) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: COLUMN webhook_endpoint.deleted_at; Type: ACL; Schema: cooperage; Owner: cooperage_owner
--

GRANT UPDATE(deleted_at) ON TABLE cooperage.webhook_endpoint TO cooperage_app;
GRANT SELECT(deleted_at) ON TABLE cooperage.webhook_endpoint TO cooperage_coop;


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: cooperage_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE cooperage_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


--
-- PostgreSQL database dump complete
--
