-- A purchase order registered in the web console is checked in the database like one sent to the API: the statement
-- that registers it checks the credential it was given, and the audit event's actor is the token found there, never
-- one the caller names. Through the API that credential is the agency token; in the console it is the session,
-- which stands for the token it was opened with (sql/0020). authenticate_console_session reads the session and its
-- token under the agency's row-level security, as authenticate_agency_token reads a token: usable while the session
-- has not ended and the token is neither revoked nor expired (the idle timeout and lifetime were checked by the
-- page's own session lookup an instant before). usage_register_presented takes which kind of credential it is
-- given, p_credential ('token' or 'console-session'); its body is otherwise that of sql/0019.

CREATE FUNCTION authenticate_console_session(p_tenant uuid, p_session_hash bytea)
    RETURNS TABLE (token_id uuid, token_name text, token_role text, tenant_status text, usable boolean)
    LANGUAGE plpgsql VOLATILE
    SET search_path = cooperage, pg_temp
    SET plan_cache_mode = force_generic_plan
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

DROP FUNCTION usage_register_presented(uuid, bytea, text[], text, text, uuid, uuid, text, date, bigint, bigint, bigint, jsonb);

CREATE FUNCTION usage_register_presented(
    p_tenant uuid,
    p_secret_hash bytea,
    p_roles text[],
    p_idempotency_key text,
    p_request_digest text,
    p_id uuid,
    p_authorization uuid,
    p_po_number text,
    p_order_date date,
    p_amount bigint,
    p_list bigint,
    p_paid bigint,
    p_lines jsonb,
    p_credential text
) RETURNS TABLE (
    status text,
    id uuid,
    kind text,
    authorization_id uuid,
    agreement_id uuid,
    supplier_id uuid,
    category text,
    po_number text,
    order_date text,
    amount_cents bigint,
    lines text,
    reverses_id uuid,
    reason text,
    source text,
    import_id uuid,
    created_at timestamptz,
    remaining_cents bigint,
    outcome text,
    authorized_cents bigint,
    used_cents bigint,
    valid_from text,
    valid_until text,
    token_role text,
    tenant_status text
)
    LANGUAGE plpgsql VOLATILE
    SET search_path = cooperage, pg_temp
    SET plan_cache_mode = force_generic_plan
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

    -- The same lock as IdempotencyLock (class "Id"), so the Swift writers and this function serialize alike.
    PERFORM pg_advisory_xact_lock(18788, hashtext(upper(p_tenant::text) || '/' || p_idempotency_key));

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

GRANT EXECUTE ON FUNCTION
    authenticate_console_session(uuid, bytea),
    usage_register_presented(uuid, bytea, text[], text, text, uuid, uuid, text, date, bigint, bigint, bigint, jsonb, text)
TO cooperage_app;

COMMENT ON FUNCTION authenticate_console_session(uuid, bytea) IS
    'Sets the tenant for the transaction and reads the console session with this hash and the agency token it stands '
    'for, under the tenant''s row-level security: the console''s credential, checked where the work is done.';
COMMENT ON FUNCTION usage_register_presented(uuid, bytea, text[], text, text, uuid, uuid, text, date, bigint, bigint, bigint, jsonb, text) IS
    'POST /v1/usage (p_credential token) and the console''s purchase order form (console-session) in one statement: '
    'checks the credential (authenticate_agency_token or authenticate_console_session), serializes and replays by '
    'Idempotency-Key, checks the order against its authorization under the row lock, inserts it, appends the audit '
    'event with the checked token as its actor and moves the aggregates. status: created, replayed, conflict, '
    'rejected, or why the credential was refused (unauthenticated, tenant-not-active, forbidden).';
