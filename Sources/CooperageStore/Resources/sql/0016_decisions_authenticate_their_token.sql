-- POST /v1/authorizations checks its agency token in the statement that reads the decision's facts: four round
-- trips per decision (BEGIN, this, the writes, COMMIT) instead of five (authenticate_agency_token before them).
--
-- Like usage_register_presented (sql/0015), an ordinary SECURITY INVOKER function that reads the token under the
-- tenant's row-level security with the caller's rights. It reads the facts, and so takes the Idempotency-Key's
-- lock and the agreement's row lock, only when the token is usable, its agency active and its role one of
-- p_roles. Otherwise it reads nothing else and says why in `status`: 'unauthenticated' (unknown, expired or
-- revoked), 'tenant-not-active' (with tenant_status) or 'forbidden' (with token_role). With 'facts' it names the
-- token (token_id, token_role) that the decision's audit events then record.
CREATE FUNCTION authorization_decision_facts_presented(
    p_tenant uuid,
    p_secret_hash bytea,
    p_roles text[],
    p_idempotency_key text,
    p_agreement uuid,
    p_purchase_date date,
    p_category text
) RETURNS TABLE (
    status text,
    token_id uuid,
    token_role text,
    -- The columns of authorization_decision_facts (sql/0010), in its order.
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
REVOKE ALL ON FUNCTION authorization_decision_facts_presented(uuid, bytea, text[], text, uuid, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION authorization_decision_facts_presented(uuid, bytea, text[], text, uuid, date, text)
    TO cooperage_app;
