-- Events: a transactional outbox. Every event is written by the transaction that makes the change it describes
-- (triggers on the changed tables, or the alert scheduler), so there is no event without its change and no change
-- without its event; webhooks (0023) deliver from here, and alerts are the events people acknowledge.
--
-- One table for agencies and the cooperative: an agency's events carry its tenant_id under row-level security; the
-- cooperative's carry the nil uuid, which no tenant has, and are seen by a transaction with no tenant set. So
-- tenant_id leads every key (as in every tenant table) and one code path serves both scopes.

CREATE FUNCTION event_scope() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(current_tenant_id(), '00000000-0000-0000-0000-000000000000'::uuid) $$;
COMMENT ON FUNCTION event_scope() IS
    'Whose events the current transaction sees: its tenant''s, or with no tenant set the cooperative''s (the nil uuid).';

CREATE TABLE event (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    seq bigint GENERATED ALWAYS AS IDENTITY,
    type text NOT NULL CHECK (type ~ '^[a-z]+(-[a-z]+)*(\.[a-z]+(-[a-z]+)*)+$' AND length(type) <= 100),
    subject_type text NOT NULL,
    subject_id text NOT NULL,
    data jsonb NOT NULL DEFAULT '{}'::jsonb,
    alert boolean NOT NULL DEFAULT false,
    dedupe_key text,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
-- An alert is raised once per key, whatever the number of server instances or restarts.
CREATE UNIQUE INDEX event_dedupe ON event (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX event_by_seq ON event (tenant_id, seq);
CREATE INDEX event_alerts ON event (tenant_id, seq) WHERE alert;
ALTER TABLE event ENABLE ROW LEVEL SECURITY;
ALTER TABLE event FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON event
    USING (tenant_id = event_scope())
    WITH CHECK (tenant_id = event_scope());
CREATE POLICY cooperative_read ON event FOR SELECT TO cooperage_coop USING (true);
GRANT SELECT, INSERT ON event TO cooperage_app;
GRANT SELECT ON event TO cooperage_coop;
CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER event_no_truncate BEFORE TRUNCATE ON event
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Acknowledging an alert is a new row, never a change to the event.
CREATE TABLE alert_acknowledgement (
    tenant_id uuid NOT NULL,
    event_id uuid NOT NULL,
    acknowledged_by uuid,
    actor_role text NOT NULL,
    note text CHECK (length(note) <= 1000),
    acknowledged_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, event_id),
    FOREIGN KEY (tenant_id, event_id) REFERENCES event (tenant_id, id)
);
ALTER TABLE alert_acknowledgement ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_acknowledgement FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON alert_acknowledgement
    USING (tenant_id = event_scope())
    WITH CHECK (tenant_id = event_scope());
CREATE POLICY cooperative_read ON alert_acknowledgement FOR SELECT TO cooperage_coop USING (true);
GRANT SELECT, INSERT ON alert_acknowledgement TO cooperage_app;
GRANT SELECT ON alert_acknowledgement TO cooperage_coop;
CREATE TRIGGER alert_acknowledgement_append_only BEFORE UPDATE OR DELETE ON alert_acknowledgement
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- When alerts fire: policy, so data, not constants. The cooperative may change them (a new row, or deleting one)
-- with SQL as cooperage_owner; the server reads them on each check.
CREATE TABLE alert_threshold (
    event_type text NOT NULL CHECK (event_type IN ('agreement.expiring', 'participation.expiring', 'agreement.ceiling')),
    threshold integer NOT NULL CHECK (threshold BETWEEN 1 AND 3650),
    note text NOT NULL,
    PRIMARY KEY (event_type, threshold)
);
GRANT SELECT ON alert_threshold TO cooperage_app, cooperage_coop;
INSERT INTO alert_threshold (event_type, threshold, note) VALUES
    ('agreement.expiring', 90, 'days before expiry: time to plan a renewal or a new solicitation'),
    ('agreement.expiring', 60, 'days before expiry'),
    ('agreement.expiring', 30, 'days before expiry'),
    ('participation.expiring', 60, 'days before a participation instrument expires'),
    ('participation.expiring', 30, 'days before a participation instrument expires'),
    ('agreement.ceiling', 80, 'percent of the ceiling committed'),
    ('agreement.ceiling', 90, 'percent of the ceiling committed'),
    ('agreement.ceiling', 100, 'percent of the ceiling committed');

CREATE FUNCTION event_publish(p_tenant uuid, p_type text, p_subject_type text, p_subject_id text, p_data jsonb,
                              p_alert boolean, p_dedupe_key text) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_saved text := current_setting('app.tenant_id', true);
    v_target text := coalesce(p_tenant::text, '');
    v_id uuid;
BEGIN
    -- A transaction may publish into its own scope or the cooperative's (an agency's order moves an agreement
    -- towards its ceiling), never into another agency's.
    IF p_tenant IS NOT NULL AND p_tenant IS DISTINCT FROM current_tenant_id() THEN
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
COMMENT ON FUNCTION event_publish(uuid, text, text, text, jsonb, boolean, text) IS
    'Writes one event in the caller''s transaction: into the caller''s tenant (p_tenant) or the cooperative (NULL). Returns its id, or NULL when an event with the same dedupe key was already raised in that scope.';
GRANT EXECUTE ON FUNCTION event_publish(uuid, text, text, text, jsonb, boolean, text) TO cooperage_app;
GRANT EXECUTE ON FUNCTION event_scope() TO cooperage_app, cooperage_coop;

-- Change-driven events, from triggers on the tables that change, so every path that writes them publishes.

CREATE FUNCTION event_on_decision() RETURNS trigger
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
COMMENT ON FUNCTION event_on_decision() IS
    'Trigger: every decision publishes authorization.decided, and an approving one authorization.approved too.';
CREATE TRIGGER authorization_decision_events AFTER INSERT ON authorization_decision
    FOR EACH ROW EXECUTE FUNCTION event_on_decision();

CREATE FUNCTION event_on_usage() RETURNS trigger
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
COMMENT ON FUNCTION event_on_usage() IS
    'Trigger: a usage record written one at a time publishes usage.registered or usage.reversed; an import publishes one usage-import.completed instead of one event per order.';
CREATE TRIGGER usage_record_events AFTER INSERT ON usage_record
    FOR EACH ROW WHEN (NEW.source <> 'import') EXECUTE FUNCTION event_on_usage();

CREATE FUNCTION event_on_import() RETURNS trigger
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
COMMENT ON FUNCTION event_on_import() IS 'Trigger: a committed import publishes usage-import.completed.';
CREATE TRIGGER usage_import_events AFTER INSERT ON usage_import
    FOR EACH ROW EXECUTE FUNCTION event_on_import();

CREATE FUNCTION event_on_commitment() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_threshold integer;
BEGIN
    -- Each threshold crossed by this change, raised once per agreement, ceiling and threshold (the dedupe key; a
    -- raised ceiling re-arms them), in the cooperative's scope. numeric: no overflow however large the amounts.
    FOR v_threshold IN
        SELECT t.threshold FROM alert_threshold t
        WHERE t.event_type = 'agreement.ceiling'
          AND NEW.committed_cents::numeric * 100 >= NEW.ceiling_cents::numeric * t.threshold
          AND OLD.committed_cents::numeric * 100 < NEW.ceiling_cents::numeric * t.threshold
        ORDER BY t.threshold
    LOOP
        PERFORM event_publish(NULL, 'agreement.ceiling', 'agreement', NEW.id::text,
                              jsonb_build_object('agreementId', NEW.id, 'number', NEW.number, 'percent', v_threshold,
                                                 'committedCents', NEW.committed_cents,
                                                 'ceilingCents', NEW.ceiling_cents),
                              true, 'agreement.ceiling:' || NEW.id || ':' || NEW.ceiling_cents || ':' || v_threshold);
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION event_on_commitment() IS
    'Trigger: an agreement whose committed amount crosses a threshold of alert_threshold (80, 90, 100 percent of its ceiling) raises agreement.ceiling once per threshold.';
CREATE TRIGGER agreement_ceiling_events AFTER UPDATE OF committed_cents ON agreement
    FOR EACH ROW WHEN (NEW.ceiling_cents IS NOT NULL AND NEW.committed_cents > OLD.committed_cents)
    EXECUTE FUNCTION event_on_commitment();

CREATE FUNCTION event_on_volume() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_before bigint := CASE TG_OP WHEN 'UPDATE' THEN OLD.amount_cents ELSE 0 END;
    v_tier record;
BEGIN
    -- The agreement's all-time volume reached the floor of one of its price tiers.
    FOR v_tier IN
        SELECT a.number, (t.tier ->> 'minVolumeCents')::numeric AS floor_cents,
               (t.tier ->> 'discountBasisPoints')::numeric AS discount, t.position
        FROM agreement a, jsonb_array_elements(a.price_tiers) WITH ORDINALITY AS t(tier, position)
        WHERE a.id = NEW.agreement_id
          AND (t.tier ->> 'minVolumeCents')::numeric > v_before
          AND (t.tier ->> 'minVolumeCents')::numeric <= NEW.amount_cents
        ORDER BY t.position
    LOOP
        PERFORM event_publish(NULL, 'agreement.tier-reached', 'agreement', NEW.agreement_id::text,
                              jsonb_build_object('agreementId', NEW.agreement_id, 'number', v_tier.number,
                                                 'tier', v_tier.position, 'minVolumeCents', v_tier.floor_cents,
                                                 'discountBasisPoints', v_tier.discount,
                                                 'volumeCents', NEW.amount_cents),
                              true, 'agreement.tier-reached:' || NEW.agreement_id || ':' || v_tier.floor_cents);
    END LOOP;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION event_on_volume() IS
    'Trigger: an agreement whose all-time volume (agreement_rollup, period all) reaches a price tier''s minVolumeCents raises agreement.tier-reached once per tier.';
CREATE TRIGGER agreement_tier_events_on_insert AFTER INSERT ON agreement_rollup
    FOR EACH ROW WHEN (NEW.period = 'all' AND NEW.amount_cents > 0) EXECUTE FUNCTION event_on_volume();
CREATE TRIGGER agreement_tier_events_on_update AFTER UPDATE OF amount_cents ON agreement_rollup
    FOR EACH ROW WHEN (NEW.period = 'all' AND NEW.amount_cents > OLD.amount_cents) EXECUTE FUNCTION event_on_volume();

CREATE FUNCTION event_on_tenant_status() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
DECLARE
    v_type text := CASE WHEN NEW.status = 'suspended' THEN 'tenant.suspended'
                        WHEN OLD.status = 'suspended' AND NEW.status = 'active' THEN 'tenant.reactivated' END;
    v_data jsonb := jsonb_build_object('tenantId', NEW.id, 'legalName', NEW.legal_name, 'status', NEW.status,
                                       'previousStatus', OLD.status);
BEGIN
    IF v_type IS NOT NULL THEN
        -- The cooperative's (it manages tenants); the agency's own transaction is not open here, so the agency
        -- learns of it through the cooperative, or by the API refusing its tokens.
        PERFORM event_publish(NULL, v_type, 'tenant', NEW.id::text, v_data, false, NULL);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION event_on_tenant_status() IS
    'Trigger: a tenant suspended publishes tenant.suspended, one reactivated (suspended to active) tenant.reactivated, in the cooperative''s scope.';
CREATE TRIGGER tenant_status_events AFTER UPDATE OF status ON tenant
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION event_on_tenant_status();
