-- Locks that hold wherever the tenant's rows are. Advisory locks live in one server's memory: on Citus the
-- coordinator took a tenant's Idempotency-Key and audit-chain locks when the Swift side asked, and the tenant's worker
-- when a delegated function did, so the two did not exclude each other. Row locks on the tenant's shard do, and on a
-- single PostgreSQL they serialize exactly as the advisory locks did (deploy/citus/README.md).
-- (authorization_decision_facts takes idempotency_lock from sql/0027, which redefines it for other reasons too.)

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
