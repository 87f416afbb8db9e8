-- Webhooks (Standard Webhooks 1.0): endpoints that subscribe to event types, one delivery per event and endpoint,
-- and every attempt to deliver it. The three tables follow the scope rule of `event` (0022, event_scope()): a row belongs to an
-- agency's tenant, or, under the nil uuid 00000000-0000-0000-0000-000000000000, to the cooperative itself. A
-- transaction of a tenant sees that tenant's rows; one with no tenant set (withTransaction) the cooperative's; the
-- cooperative's read path (cooperage_coop) reads them all, which the dispatcher uses to find whose deliveries are
-- due before it claims them inside each scope.

-- An endpoint. The secret signs every delivery (HMAC-SHA256 with its decoded bytes), so it is kept as issued:
-- only the server's role reads it, the API shows it once (at creation and rotation), and deleting the endpoint
-- wipes it. After a rotation the previous secret signs alongside the new one until previous_secret_expires_at.
CREATE TABLE webhook_endpoint (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    -- Creation order, for listings (not declared unique: unique indexes of tenant tables include tenant_id).
    seq bigint GENERATED ALWAYS AS IDENTITY,
    url text NOT NULL CHECK (length(url) BETWEEN 1 AND 2048 AND url ~* '^https?://'),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    events text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 100),
    secret text CHECK (secret ~ '^whsec_[A-Za-z0-9+/]+={0,2}$'),
    previous_secret text CHECK (previous_secret ~ '^whsec_[A-Za-z0-9+/]+={0,2}$'),
    previous_secret_expires_at timestamptz,
    secret_rotated_at timestamptz,
    enabled boolean NOT NULL DEFAULT true,
    disabled_reason text CHECK (length(disabled_reason) <= 500),
    disabled_at timestamptz,
    -- When the first failed attempt since the last delivered one was made; NULL while deliveries succeed.
    failing_since timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT webhook_endpoint_secret_until_deleted CHECK ((secret IS NULL) = (deleted_at IS NOT NULL)),
    CONSTRAINT webhook_endpoint_previous_secret_expires
        CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL)),
    CONSTRAINT webhook_endpoint_deleted_is_disabled CHECK (deleted_at IS NULL OR NOT enabled)
);
ALTER TABLE webhook_endpoint ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoint FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_endpoint
    USING (tenant_id = event_scope())
    WITH CHECK (tenant_id = event_scope());
CREATE POLICY cooperative_read ON webhook_endpoint FOR SELECT TO cooperage_coop USING (true);
GRANT SELECT, INSERT ON webhook_endpoint TO cooperage_app;
GRANT UPDATE (url, description, events, secret, previous_secret, previous_secret_expires_at, secret_rotated_at, enabled,
              disabled_reason, disabled_at, failing_since, updated_at, deleted_at)
    ON webhook_endpoint TO cooperage_app;
-- The cooperative's read path never sees secrets.
GRANT SELECT (tenant_id, id, seq, url, description, events, enabled, disabled_reason, disabled_at, failing_since,
              created_at, updated_at, deleted_at)
    ON webhook_endpoint TO cooperage_coop;

-- One delivery of one event to one endpoint: what the dispatcher claims, sends and retries. `claim_token`,
-- `claimed_by` and `claimed_until` are the lease of the dispatcher sending it now (another instance skips it until
-- the lease ends, so a crashed instance's claim lapses on its own); `one_more` marks a manual retry of a delivery
-- that had failed for good: it gets one attempt, not a new schedule.
CREATE TABLE webhook_delivery (
    tenant_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    seq bigint GENERATED ALWAYS AS IDENTITY,
    endpoint_id uuid NOT NULL,
    event_id uuid NOT NULL,
    event_type text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempt_count integer NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
    -- Attempts counted against the retry schedule (a manual retry of a failed delivery is not).
    scheduled_attempts integer NOT NULL DEFAULT 0 CHECK (scheduled_attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    one_more boolean NOT NULL DEFAULT false,
    claim_token uuid,
    claimed_by text,
    claimed_until timestamptz,
    last_attempt_at timestamptz,
    last_response_status integer,
    delivered_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, endpoint_id, event_id),
    FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoint (tenant_id, id),
    FOREIGN KEY (tenant_id, event_id) REFERENCES event (tenant_id, id)
);
-- What the dispatcher looks for: pending deliveries by due time.
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
-- An endpoint's deliveries, newest first.
CREATE INDEX webhook_delivery_by_endpoint ON webhook_delivery (tenant_id, endpoint_id, seq);
ALTER TABLE webhook_delivery ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_delivery FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_delivery
    USING (tenant_id = event_scope())
    WITH CHECK (tenant_id = event_scope());
CREATE POLICY cooperative_read ON webhook_delivery FOR SELECT TO cooperage_coop USING (true);
GRANT SELECT, INSERT ON webhook_delivery TO cooperage_app;
GRANT UPDATE (status, attempt_count, scheduled_attempts, next_attempt_at, one_more, claim_token, claimed_by,
              claimed_until, last_attempt_at, last_response_status, delivered_at)
    ON webhook_delivery TO cooperage_app;
GRANT SELECT ON webhook_delivery TO cooperage_coop;

-- Every attempt, as it happened: append-only. `response_status` is the receiver's HTTP status, NULL when no
-- response came (then `error` says why: refused address, connection refused, timeout).
CREATE TABLE webhook_attempt (
    tenant_id uuid NOT NULL,
    delivery_id uuid NOT NULL,
    number integer NOT NULL CHECK (number >= 1),
    attempted_at timestamptz NOT NULL,
    duration_ms integer NOT NULL CHECK (duration_ms >= 0),
    response_status integer CHECK (response_status BETWEEN 100 AND 999),
    error text CHECK (length(error) <= 1000),
    succeeded boolean NOT NULL,
    dispatcher text NOT NULL,
    PRIMARY KEY (tenant_id, delivery_id, number),
    FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_delivery (tenant_id, id),
    CONSTRAINT webhook_attempt_has_an_outcome CHECK (response_status IS NOT NULL OR error IS NOT NULL)
);
ALTER TABLE webhook_attempt ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_attempt FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_attempt
    USING (tenant_id = event_scope())
    WITH CHECK (tenant_id = event_scope());
CREATE POLICY cooperative_read ON webhook_attempt FOR SELECT TO cooperage_coop USING (true);
GRANT SELECT, INSERT ON webhook_attempt TO cooperage_app;
GRANT SELECT ON webhook_attempt TO cooperage_coop;
CREATE TRIGGER webhook_attempt_append_only BEFORE UPDATE OR DELETE ON webhook_attempt
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The fan-out: every event gets one delivery per enabled endpoint of its own scope subscribed to its type, in the
-- transaction that writes the event (no event without its deliveries). event_publish switches app.tenant_id to
-- the event's scope for its insert, so this trigger reads and writes that scope's rows under row-level security
-- (event_scope(), the same rule as the three tables' policies).
CREATE FUNCTION webhook_fan_out() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'cooperage', 'pg_temp'
    AS $$
BEGIN
    INSERT INTO webhook_delivery (tenant_id, endpoint_id, event_id, event_type)
    SELECT NEW.tenant_id, w.id, NEW.id, NEW.type
    FROM webhook_endpoint w
    WHERE w.tenant_id = NEW.tenant_id AND w.enabled AND w.deleted_at IS NULL AND NEW.type = ANY (w.events);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION webhook_fan_out() IS
    'Trigger AFTER INSERT ON event: one pending webhook_delivery per enabled endpoint of the event''s scope subscribed to its type, in the same transaction.';
CREATE TRIGGER event_fan_out_to_webhooks AFTER INSERT ON event
    FOR EACH ROW EXECUTE FUNCTION webhook_fan_out();
