-- Appending to an audit chain in one statement instead of three round trips (lock the chain, read its
-- head, insert), so every writer's transaction is shorter and the chain lock is held for less time.
--
-- The hash is exactly AuditEvent.computedHash: SHA-256, lower-case hex, over the newline-joined previous
-- hash, sequence number, tenant id (or "cooperative"), time in microseconds since 1970, actor token (or
-- "-"), actor role, action, subject type, subject id and payload digest. `cooperage audit verify`
-- recomputes it in Swift, so the two definitions are checked against each other by the audit tests.
--
-- An ordinary SECURITY INVOKER function: it runs with the caller's rights and row-level security, so a
-- tenant's transaction can only append to its own chain (the policy's WITH CHECK on audit_event).
--
-- This and every function of the later migrations plan their statements once per connection
-- (plan_cache_mode = force_generic_plan): PL/pgSQL otherwise keeps choosing custom plans for statements over
-- array parameters (their row estimates look better) and plans them anew on every call, which was 30% of
-- PostgreSQL's CPU time in a usage registration.
CREATE FUNCTION audit_append(
    p_tenant uuid,
    p_actor_token uuid,
    p_actor_role text,
    p_action text,
    p_subject_type text,
    p_subject_id text,
    p_payload_digest text
) RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = cooperage, pg_temp
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_seq bigint;
    v_previous text;
    v_at timestamptz := clock_timestamp();
    v_micros bigint;
    v_hash text;
BEGIN
    -- One lock per chain (class "Au"), keyed by the tenant id's first four bytes; 0 is the cooperative's.
    PERFORM pg_advisory_xact_lock(16757, CASE WHEN p_tenant IS NULL THEN 0
                                              ELSE ('x' || left(replace(p_tenant::text, '-', ''), 8))::bit(32)::int END);
    IF p_tenant IS NULL THEN
        SELECT e.seq, e.hash INTO v_seq, v_previous FROM cooperative_audit_event e ORDER BY e.seq DESC LIMIT 1;
    ELSE
        SELECT e.seq, e.hash INTO v_seq, v_previous FROM audit_event e
        WHERE e.tenant_id = p_tenant ORDER BY e.seq DESC LIMIT 1;
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
    END IF;
    RETURN v_seq;
END
$$;
REVOKE ALL ON FUNCTION audit_append(uuid, uuid, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_append(uuid, uuid, text, text, text, text, text) TO cooperage_app;

-- The same for the agency-token lookup of 0005 (a primary-key read: one plan fits every call).
ALTER FUNCTION authenticate_agency_token(uuid, bytea) SET plan_cache_mode = force_generic_plan;
