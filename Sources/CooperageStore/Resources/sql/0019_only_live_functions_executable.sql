-- The server's role may execute exactly the functions it calls, and nothing superseded stays callable.
--
-- usage_register (sql/0009) took the audited actor as a parameter. Since sql/0015 the route registers through
-- usage_register_presented, which checks the token and records it as the actor, but it called usage_register, so
-- cooperage_app kept EXECUTE on it: any statement of the server's role could still register usage in any tenant's
-- name with an actor it chose. Its body now lives inside usage_register_presented (the same statements in the same
-- order, planned once per connection as before, one PL/pgSQL call and one result set fewer) and it is dropped.
--
-- PostgreSQL grants EXECUTE on every new function to PUBLIC: current_tenant_id(), agency_periods() and the trigger
-- functions were executable by every role. Now no function of the schema is executable by PUBLIC, new ones start
-- closed (the default privileges below), and the grants are the list near the end of this file. The catalog query in
-- the README ("Who may execute what") shows them; FunctionPrivilegeTests keeps them equal to its allowlist.
--
-- Every function is also described (COMMENT ON FUNCTION), so sql/schema.sql, the live schema in one file, says what
-- each is for without the migrations that explained it.

CREATE OR REPLACE FUNCTION usage_register_presented(
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
    p_lines jsonb
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

DROP FUNCTION usage_register(uuid, text, text, uuid, uuid, text, date, bigint, bigint, bigint, jsonb, uuid, text);

-- Start from nothing, for every role but the owner; and closed for functions created from now on.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA cooperage FROM PUBLIC, cooperage_app, cooperage_coop;
-- Global rather than IN SCHEMA: per-schema default privileges can only add to the global ones.
ALTER DEFAULT PRIVILEGES FOR ROLE cooperage_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Every row-level security policy calls current_tenant_id() with the querying role's rights, cooperative staff's
-- included (SET LOCAL ROLE cooperage_coop), which call nothing else.
GRANT EXECUTE ON FUNCTION current_tenant_id() TO cooperage_app, cooperage_coop;
-- What the server calls. The functions are SECURITY INVOKER, so one called inside another needs the caller's
-- EXECUTE too (agency_periods is called only by usage_add). Trigger functions need no EXECUTE to fire.
GRANT EXECUTE ON FUNCTION
    agency_periods(date),
    audit_append(uuid, uuid, text, text, text, text, text),
    authenticate_agency_token(uuid, bytea),
    authorization_create(uuid, uuid, uuid, bigint, date, text, jsonb, text, jsonb, text, text, text, jsonb, integer, jsonb,
                         bigint, date, date, uuid, text, text),
    authorization_decision_facts(uuid, text, uuid, date, text, integer, uuid),
    authorization_decision_facts_presented(uuid, bytea, text[], text, uuid, date, text),
    authorization_record_decision(uuid, uuid, integer, text, text, jsonb, integer, jsonb, bigint, date, date, uuid, uuid,
                                  text, text),
    usage_add(uuid, uuid, text, date, bigint, integer, bigint, bigint),
    usage_import_finish(uuid, uuid, text, text, text, text, text),
    usage_import_orders(uuid, uuid, uuid, uuid[], uuid[], text[], date[], bigint[], bigint[], bigint[], text[]),
    usage_register_presented(uuid, bytea, text[], text, text, uuid, uuid, text, date, bigint, bigint, bigint, jsonb)
TO cooperage_app;

COMMENT ON FUNCTION current_tenant_id() IS
    'The tenant of the current transaction (app.tenant_id, set transaction-locally), NULL when none is set. Every '
    'row-level security policy compares tenant_id with it, so with no tenant set no tenant row is visible.';
COMMENT ON FUNCTION agency_periods(date) IS
    'The periods (all, month, quarter) that hold an order dated in the given month, in the order usage writers lock '
    'their agreement_rollup rows.';
COMMENT ON FUNCTION audit_append(uuid, uuid, text, text, text, text, text) IS
    'Appends one event to a hash chain (the tenant''s, or the cooperative''s for a NULL tenant) under that chain''s '
    'advisory lock and returns its sequence number. The hash is AuditEvent.computedHash, which `cooperage audit '
    'verify` recomputes in Swift.';
COMMENT ON FUNCTION authenticate_agency_token(uuid, bytea) IS
    'Sets the tenant for the transaction and reads the agency token with this hash under the tenant''s row-level '
    'security: an agency request''s authentication in one round trip.';
COMMENT ON FUNCTION authorization_create(uuid, uuid, uuid, bigint, date, text, jsonb, text, jsonb, text, text, text,
                                         jsonb, integer, jsonb, bigint, date, date, uuid, text, text) IS
    'Records a new authorization request with its first decision (authorization_record_decision) and the '
    'authorization.requested audit event, whose payload digest is the request''s digest.';
COMMENT ON FUNCTION authorization_decision_facts(uuid, text, uuid, date, text, integer, uuid) IS
    'Sets the tenant, serializes and replays requests with the same Idempotency-Key (when given), locks the agreement '
    'row (FOR NO KEY UPDATE, so concurrent decisions cannot together pass its ceiling) and reads every fact the rule '
    'engine reads; the recent orders, account spending and other agreements only for a policy with a rule that reads '
    'them. Approvals call it (their token was checked before); new requests go through '
    'authorization_decision_facts_presented.';
COMMENT ON FUNCTION authorization_decision_facts_presented(uuid, bytea, text[], text, uuid, date, text) IS
    'authorization_decision_facts for a new request, read only when the presented agency token is usable, its agency '
    'active and its role one of p_roles; otherwise status says why (unauthenticated, tenant-not-active, forbidden) '
    'and nothing else is read. token_id is the actor the decision''s audit events record.';
COMMENT ON FUNCTION authorization_record_decision(uuid, uuid, integer, text, text, jsonb, integer, jsonb, bigint, date,
                                                  date, uuid, uuid, text, text) IS
    'Appends a decision to an authorization request: the decision row, the request''s copy of its latest decision, '
    'the agreement''s commitment when approved, and the authorization.decided audit event.';
COMMENT ON FUNCTION refuse_change() IS
    'Trigger: the table is append-only, even for its owner''s sessions.';
COMMENT ON FUNCTION refuse_delete() IS
    'Trigger: rows that usage points at (authorizations, imports) are never deleted or truncated.';
COMMENT ON FUNCTION refuse_reference_change() IS
    'Trigger: an authorization''s tenant, id, agreement, supplier and category, which usage rows copy, never change.';
COMMENT ON FUNCTION usage_add(uuid, uuid, text, date, bigint, integer, bigint, bigint) IS
    'Adds usage of one agreement, category and month to usage_monthly and the agreement rollups, counting an agency '
    'once per agreement and period. Every usage writer locks in one order, so none can deadlock with another: the '
    'Idempotency-Key or the import, the authorizations (in id order), the tenant''s audit chain, then these aggregates.';
COMMENT ON FUNCTION usage_import_finish(uuid, uuid, text, text, text, text, text) IS
    'Ends an import written with usage_import_orders: its one audit event, then every aggregate its chunks moved '
    '(usage_add, in agreement, category and month order). Raises 55000 when no chunk was written.';
COMMENT ON FUNCTION usage_import_orders(uuid, uuid, uuid, uuid[], uuid[], text[], date[], bigint[], bigint[], bigint[],
                                        text[]) IS
    'Inserts one chunk of an import''s orders, all or none, after locking their authorizations in id order: each must '
    'be approved, valid on the order''s date and have room for it (23514 on usage_authorization_limits otherwise). The '
    'chunk''s sums wait in a temporary table for usage_import_finish.';
COMMENT ON FUNCTION usage_record_check_references() IS
    'Trigger, once per INSERT statement on usage_record: every new row names an authorization of its tenant with the '
    'same agreement, supplier and category; a reversal, an order of the same authorization; an import row, an import '
    'of its tenant. Raises 23503 on usage_record_references naming the first offending row.';
COMMENT ON FUNCTION usage_register_presented(uuid, bytea, text[], text, text, uuid, uuid, text, date, bigint, bigint,
                                             bigint, jsonb) IS
    'POST /v1/usage in one statement: checks the agency token (authenticate_agency_token), serializes and replays by '
    'Idempotency-Key, checks the order against its authorization under the row lock, inserts it, appends the audit '
    'event with the checked token as its actor and moves the aggregates. status: created, replayed, conflict, '
    'rejected, or why the token was refused (unauthenticated, tenant-not-active, forbidden).';
