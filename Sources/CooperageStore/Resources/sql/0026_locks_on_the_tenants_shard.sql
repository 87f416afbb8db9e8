-- Locks that hold wherever the tenant's rows are. Advisory locks live in one server's memory: on Citus the
-- coordinator took a tenant's Idempotency-Key and audit-chain locks when the Swift side asked, and the tenant's worker
-- when a delegated function did, so the two did not exclude each other. Row locks on the tenant's shard do, and on a
-- single PostgreSQL they serialize exactly as the advisory locks did (deploy/citus/README.md).

-- A tenant's named locks: the Idempotency-Key buckets and the policy version's. A row is created on first use and
-- locked FOR UPDATE until the transaction ends.
CREATE TABLE tenant_lock (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    PRIMARY KEY (tenant_id, name)
);
ALTER TABLE tenant_lock ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_lock FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_lock
    USING (tenant_id = current_tenant_id())
    WITH CHECK (tenant_id = current_tenant_id());
-- UPDATE because SELECT ... FOR UPDATE needs it; nothing updates a lock row.
GRANT SELECT, INSERT, UPDATE ON tenant_lock TO cooperage_app;

-- The head of each tenant's audit chain: the row audit_append locks, and what `cooperage audit anchor` and the
-- heads recorder read (one row per tenant instead of a search per tenant, which Citus could not run either).
CREATE TABLE audit_chain_head (
    tenant_id uuid PRIMARY KEY REFERENCES tenant (id),
    seq bigint NOT NULL CHECK (seq >= 0),
    hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    occurred_at timestamptz
);
ALTER TABLE audit_chain_head ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_chain_head FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_chain_head
    USING (tenant_id = current_tenant_id())
    WITH CHECK (tenant_id = current_tenant_id());
CREATE POLICY cooperative_read ON audit_chain_head FOR SELECT TO cooperage_coop USING (true);
GRANT SELECT, INSERT, UPDATE ON audit_chain_head TO cooperage_app;
GRANT SELECT ON audit_chain_head TO cooperage_coop;
INSERT INTO audit_chain_head (tenant_id, seq, hash, occurred_at)
SELECT DISTINCT ON (tenant_id) tenant_id, seq, hash, occurred_at FROM audit_event ORDER BY tenant_id, seq DESC;

CREATE FUNCTION tenant_lock(p_tenant uuid, p_name text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
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
COMMENT ON FUNCTION tenant_lock(uuid, text) IS 'Locks the tenant''s lock row of this name until the transaction ends, creating it on first use: a lock on the tenant''s shard, which holds across nodes where an advisory lock would not.';

-- 1024 buckets per tenant: two different keys share a lock rarely and briefly; the rows stay few.
CREATE FUNCTION idempotency_lock(p_tenant uuid, p_key text) RETURNS void
    LANGUAGE sql
    SET search_path = cooperage, pg_temp
    AS $$ SELECT tenant_lock(p_tenant, 'idempotency/' || (hashtext(p_key) & 1023)) $$;
COMMENT ON FUNCTION idempotency_lock(uuid, text) IS 'Serializes requests of one tenant carrying the same Idempotency-Key until the transaction ends (the second then finds the first one''s result): the Swift writers (IdempotencyLock) and the SQL functions take the same lock.';

REVOKE ALL ON FUNCTION tenant_lock(uuid, text), idempotency_lock(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_lock(uuid, text), idempotency_lock(uuid, text) TO cooperage_app;

CREATE OR REPLACE FUNCTION audit_append(p_tenant uuid, p_actor_token uuid, p_actor_role text, p_action text, p_subject_type text, p_subject_id text, p_payload_digest text) RETURNS bigint
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

CREATE OR REPLACE FUNCTION usage_register_presented(p_tenant uuid, p_secret_hash bytea, p_roles text[], p_idempotency_key text, p_request_digest text, p_id uuid, p_authorization uuid, p_po_number text, p_order_date date, p_amount bigint, p_list bigint, p_paid bigint, p_lines jsonb, p_credential text) RETURNS TABLE(status text, id uuid, kind text, authorization_id uuid, agreement_id uuid, supplier_id uuid, category text, po_number text, order_date text, amount_cents bigint, lines text, reverses_id uuid, reason text, source text, import_id uuid, created_at timestamp with time zone, remaining_cents bigint, outcome text, authorized_cents bigint, used_cents bigint, valid_from text, valid_until text, token_role text, tenant_status text)
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

COMMENT ON FUNCTION audit_append(uuid, uuid, text, text, text, text, text) IS 'Appends one event to a hash chain (the tenant''s under its head row''s lock in audit_chain_head, or the cooperative''s for a NULL tenant under an advisory lock) and returns its sequence number. The hash is AuditEvent.computedHash, which `cooperage audit verify` recomputes in Swift.';
