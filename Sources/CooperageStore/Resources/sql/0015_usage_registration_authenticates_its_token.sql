-- POST /v1/usage checks its agency token inside the registration statement: one round trip per order
-- instead of two (authenticate_agency_token, then usage_register). On 2 cores the separate authentication
-- cost about a sixth of the server's CPU per registration (BENCHMARKS.md).
--
-- Like authenticate_agency_token, an ordinary SECURITY INVOKER function: it reads the token under the
-- tenant's row-level security with the caller's rights, and registers only when the token is usable, its
-- agency active and its role one of p_roles. Otherwise it writes nothing and says why in `status`:
-- 'unauthenticated' (unknown, expired or revoked), 'tenant-not-active' (with tenant_status) or 'forbidden'
-- (with token_role). The audit event's actor is the token found here, never one the caller names.
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
        SELECT r.*, v_token.token_role, v_token.tenant_status
        FROM usage_register(p_tenant, p_idempotency_key, p_request_digest, p_id, p_authorization, p_po_number,
                            p_order_date, p_amount, p_list, p_paid, p_lines, v_token.token_id, v_token.token_role) r;
END
$$;
REVOKE ALL ON FUNCTION usage_register_presented(uuid, bytea, text[], text, text, uuid, uuid, text, date, bigint, bigint,
                                                bigint, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION usage_register_presented(uuid, bytea, text[], text, text, uuid, uuid, text, date, bigint,
                                                   bigint, bigint, jsonb) TO cooperage_app;
