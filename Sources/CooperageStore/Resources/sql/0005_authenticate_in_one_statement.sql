-- Authentication of agency tokens in one round trip instead of a four-statement transaction
-- (BEGIN, set_config, SELECT, COMMIT) on every request.
--
-- An ordinary SECURITY INVOKER function: it runs with the caller's rights (cooperage_app) and row-level
-- security, and only does in one statement what the caller could do in a transaction. The tenant
-- setting is transaction-local, so it ends with the statement's own implicit transaction.
CREATE FUNCTION authenticate_agency_token(p_tenant uuid, p_hash bytea)
    RETURNS TABLE (token_id uuid, token_name text, token_role text, tenant_status text, usable boolean)
    LANGUAGE plpgsql VOLATILE
    SET search_path = cooperage, pg_temp
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
REVOKE ALL ON FUNCTION authenticate_agency_token(uuid, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION authenticate_agency_token(uuid, bytea) TO cooperage_app;
