-- Sessions of the web console (/console). A person signs in once with an API token; the session then acts as
-- that token, so everything done in the console is audited as the token's actor, exactly as through the API.
-- Only a SHA-256 of the session's random secret is stored. A session ends at sign-out (ended_at), after its
-- idle timeout or absolute lifetime (checked against last_seen_at and created_at by the lookup), and at once
-- when its token is revoked or expires or its agency is no longer active (the lookup joins them).

-- An agency token's sessions live under the agency's row-level security, like the token itself.
CREATE TABLE console_session (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    id_hash bytea NOT NULL,
    token_id uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    ended_at timestamptz,
    PRIMARY KEY (tenant_id, id_hash),
    FOREIGN KEY (tenant_id, token_id) REFERENCES agency_token (tenant_id, id)
);
ALTER TABLE console_session ENABLE ROW LEVEL SECURITY;
ALTER TABLE console_session FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON console_session
    USING (tenant_id = current_tenant_id())
    WITH CHECK (tenant_id = current_tenant_id());
GRANT SELECT, INSERT ON console_session TO cooperage_app;
GRANT UPDATE (last_seen_at, ended_at) ON console_session TO cooperage_app;

-- Cooperative staff's sessions (no tenant), like cooperative_token.
CREATE TABLE cooperative_console_session (
    id_hash bytea PRIMARY KEY,
    token_id uuid NOT NULL REFERENCES cooperative_token (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    ended_at timestamptz
);
GRANT SELECT, INSERT ON cooperative_console_session TO cooperage_app;
GRANT UPDATE (last_seen_at, ended_at) ON cooperative_console_session TO cooperage_app;
