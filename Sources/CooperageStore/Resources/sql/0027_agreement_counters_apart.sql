-- The agreement-level counters get the home they need on Citus, and the events the cooperative's counters raise are
-- published where Citus can write them. On one PostgreSQL nothing changes for a client.
--
-- Measured on Citus 13.2.2 (deploy/citus/README.md): a decision locked its agreement's row, a row of a reference
-- table, which Citus turns into an exclusive lock of every reference table in the statement on every node (and
-- refused it for lack of UPDATE on solicitation); and triggers on the shards may not write another node's shard
-- ("cannot execute a distributed query from a query on a shard"), which the outbox's cooperative alerts and the
-- webhook fan-out did.

-- 1. An agreement's committed amount: its own row, apart from the agreement's terms (on Citus, a table distributed by
-- agreement_id; a decision then locks one row of one shard, and decisions on different agreements never wait for
-- each other).
CREATE TABLE agreement_commitment (
    agreement_id uuid PRIMARY KEY REFERENCES agreement (id),
    committed_cents bigint NOT NULL DEFAULT 0 CHECK (committed_cents >= 0)
);
GRANT SELECT, INSERT, UPDATE ON agreement_commitment TO cooperage_app;
GRANT SELECT ON agreement_commitment TO cooperage_coop;
INSERT INTO agreement_commitment (agreement_id, committed_cents)
SELECT id, committed_cents FROM agreement WHERE committed_cents > 0;
DROP TRIGGER agreement_ceiling_events ON agreement;
DROP FUNCTION event_on_commitment();
ALTER TABLE agreement DROP COLUMN committed_cents;

-- 2. Where deploy/citus distributed the schema, it sets the database setting cooperage.citus = 'on', and the few
-- statements Citus cannot run as one PostgreSQL runs them best take their Citus form (on_citus()).
CREATE FUNCTION on_citus() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(current_setting('cooperage.citus', true), '') = 'on' $$;
COMMENT ON FUNCTION on_citus() IS 'True where deploy/citus distributed the schema (the database setting cooperage.citus = on): the ceiling and tier alerts are then raised by the alert scheduler''s sweep only, and an import inserts its orders one statement each.';

-- An Idempotency-Key's lock: on Citus a row of the tenant's shard (sql/0026: the Swift side and the delegated
-- functions run on different nodes), elsewhere the advisory lock it was, which writes nothing (the row costs a
-- registration an insert the first time a bucket is used and a row lock every time).
CREATE OR REPLACE FUNCTION idempotency_lock(p_tenant uuid, p_key text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
    AS $$
BEGIN
    IF on_citus() THEN
        PERFORM tenant_lock(p_tenant, 'idempotency/' || (hashtext(p_key) & 1023));
    ELSE
        PERFORM pg_advisory_xact_lock(18788, hashtext(upper(p_tenant::text) || '/' || p_key));
    END IF;
END
$$;

-- The cooperative's alerts that an agency's change raises (an agreement's ceiling, a price tier): published in
-- that change's transaction, except on Citus (an agency's transaction cannot write the cooperative's events there),
-- and in any case by the alert scheduler's sweep, which raises whatever is due and not yet raised (the dedupe keys
-- make each one once).

CREATE FUNCTION agreement_ceiling_alerts(p_agreement uuid, p_before bigint, p_after bigint) RETURNS integer
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
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
COMMENT ON FUNCTION agreement_ceiling_alerts(uuid, bigint, bigint) IS 'Raises agreement.ceiling for each threshold of alert_threshold (80, 90, 100 percent of the ceiling) that a committed amount going from p_before to p_after crosses, once per agreement, ceiling and threshold; returns how many were new.';

DROP TRIGGER agreement_tier_events_on_insert ON agreement_rollup;
DROP TRIGGER agreement_tier_events_on_update ON agreement_rollup;
DROP FUNCTION event_on_volume();
CREATE FUNCTION agreement_tier_alerts(p_agreement uuid, p_before bigint, p_after bigint) RETURNS integer
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
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
COMMENT ON FUNCTION agreement_tier_alerts(uuid, bigint, bigint) IS 'Raises agreement.tier-reached for each price tier whose minVolumeCents an all-time volume going from p_before to p_after reaches, once per agreement and tier floor; returns how many were new.';

CREATE FUNCTION agreement_counter_alerts() RETURNS integer
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
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
COMMENT ON FUNCTION agreement_counter_alerts() IS 'The alert scheduler''s sweep: raises every ceiling and tier alert that the agreements'' counters have reached and that was not raised yet (on Citus the only way they are raised); returns how many were new. Runs with no tenant set.';

-- 3. A tenant's status change is published by the transaction that changes it (a trigger on the tenant table would
-- fire on every node holding a copy of that reference table on Citus).
DROP TRIGGER tenant_status_events ON tenant;
DROP FUNCTION event_on_tenant_status();
CREATE FUNCTION tenant_status_publish(p_tenant uuid, p_previous text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
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
COMMENT ON FUNCTION tenant_status_publish(uuid, text) IS 'Publishes tenant.suspended or tenant.reactivated for a tenant whose status just changed from p_previous, in the caller''s transaction.';

-- 4. The webhook fan-out reads the scope's endpoints and writes one delivery each, every statement keyed by the
-- scope (on Citus, colocated shards of the event's node; an INSERT ... SELECT was planned across all shards).
CREATE OR REPLACE FUNCTION webhook_fan_out() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
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

REVOKE ALL ON FUNCTION on_citus(), agreement_ceiling_alerts(uuid, bigint, bigint),
    agreement_tier_alerts(uuid, bigint, bigint), agreement_counter_alerts(), tenant_status_publish(uuid, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION on_citus(), agreement_ceiling_alerts(uuid, bigint, bigint),
    agreement_tier_alerts(uuid, bigint, bigint), agreement_counter_alerts(), tenant_status_publish(uuid, text)
    TO cooperage_app;

-- 5. The functions that raise the counters.
CREATE OR REPLACE FUNCTION authorization_decision_facts(p_tenant uuid, p_idempotency_key text, p_agreement uuid, p_purchase_date date, p_category text, p_policy_version integer, p_excluding uuid) RETURNS TABLE(replay_id uuid, replay_digest text, tenant_found boolean, entity_type text, state text, tenant_status text, fiscal_year_start_month integer, agreement_found boolean, number text, agreement_status text, effective_on text, expires_on text, categories text[], nigp_codes text[], eligible_entity_types text[], eligible_states text[], ceiling_cents bigint, compliance_letter_on_file boolean, telecom_attestation_200216 boolean, committed_cents bigint, lead_name text, lead_state text, lead_entity_type text, solicitation_number text, solicitation_method text, advertised_where text, advertised_on text, cooperative_language_in_solicitation boolean, cooperative_language_in_contract boolean, award_basis text, supplier_id uuid, supplier_name text, supplier_status text, supplier_status_effective_on text, instruments text, policy_version integer, policy_rules text, spend_on_agreement_cents bigint, spend_this_fiscal_year_cents bigint, recent_dates text[], recent_amounts bigint[], recent_categories text[], recent_suppliers uuid[], recent_agreements uuid[], account_codes text[], account_spent bigint[], alternative_leads text, agreement_terms_version integer)
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

CREATE OR REPLACE FUNCTION authorization_record_decision(p_tenant uuid, p_authorization uuid, p_seq integer, p_trigger text, p_outcome text, p_results jsonb, p_policy_version integer, p_inputs jsonb, p_authorized_cents bigint, p_valid_from date, p_valid_until date, p_agreement uuid, p_actor_token uuid, p_actor_role text, p_decision_digest text, p_agreement_terms_version integer) RETURNS timestamp with time zone
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

CREATE OR REPLACE FUNCTION usage_add(p_tenant uuid, p_agreement uuid, p_category text, p_month date, p_amount bigint, p_orders integer, p_list bigint, p_paid bigint) RETURNS void
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

-- 6. The usage rows' references are checked row group by row group, each lookup keyed by the tenant (on Citus a
-- trigger on a shard may read its colocated shards only, and an outer join from the new rows to a distributed table
-- crashed Citus 13.2.2's planner: measured, a segmentation fault in RecursivelyPlanRecurringTupleOuterJoinWalker).
CREATE OR REPLACE FUNCTION usage_record_check_references() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
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

-- 7. On Citus an import's orders are inserted one statement each (see the comment inside).
CREATE OR REPLACE FUNCTION usage_import_orders(p_tenant uuid, p_import uuid, p_recorded_by uuid, p_ids uuid[], p_authorizations uuid[], p_po_numbers text[], p_order_dates date[], p_amounts bigint[], p_list bigint[], p_paid bigint[], p_lines text[]) RETURNS void
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
