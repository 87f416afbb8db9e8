-- Tenants (participating agencies) and API credentials.

-- The tenant a transaction acts for, NULL when none is set (fail-closed: NULL matches no row).
CREATE FUNCTION current_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

-- The tenant registry is cooperative-level data: it is the list of tenants itself.
CREATE TABLE tenant (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Creation order, for stable keyset pagination (timestamps can tie).
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    legal_name text NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 300),
    slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100),
    entity_type text NOT NULL CHECK (entity_type IN (
        'state-agency', 'city', 'county', 'special-district', 'k12', 'higher-ed', 'nonprofit', 'tribal')),
    state text NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
    parent_id uuid REFERENCES tenant (id),
    ein text,
    sam_uei text,
    cooperative_number text,
    fiscal_year_start_month smallint NOT NULL DEFAULT 7 CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('pending', 'active', 'suspended', 'closed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenant_slug_key UNIQUE (slug),
    CONSTRAINT tenant_not_own_parent CHECK (parent_id IS DISTINCT FROM id)
);
GRANT SELECT, INSERT, UPDATE ON tenant TO cooperage_app;
GRANT SELECT ON tenant TO cooperage_coop;

-- Cooperative staff credentials (no tenant).
CREATE TABLE cooperative_token (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role text NOT NULL CHECK (role IN ('cooperative-admin', 'cooperative-finance')),
    secret_hash bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    CONSTRAINT cooperative_token_secret_key UNIQUE (secret_hash)
);
GRANT SELECT, INSERT ON cooperative_token TO cooperage_app;
GRANT UPDATE (revoked_at) ON cooperative_token TO cooperage_app;

-- Agency credentials. The tenant id is part of the token text, so authentication is a lookup by
-- (tenant_id, secret_hash) inside that tenant's own transaction: no cross-tenant read needed.
CREATE TABLE agency_token (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role text NOT NULL CHECK (role IN ('agency-admin', 'agency-buyer', 'agency-approver', 'agency-finance')),
    secret_hash bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT agency_token_secret_key UNIQUE (tenant_id, secret_hash)
);
ALTER TABLE agency_token ENABLE ROW LEVEL SECURITY;
ALTER TABLE agency_token FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agency_token
    USING (tenant_id = current_tenant_id())
    WITH CHECK (tenant_id = current_tenant_id());
-- Cooperative staff find which tenant a token id belongs to (to revoke it) and list tokens.
CREATE POLICY cooperative_read ON agency_token FOR SELECT TO cooperage_coop USING (true);
GRANT SELECT, INSERT ON agency_token TO cooperage_app;
GRANT UPDATE (revoked_at) ON agency_token TO cooperage_app;
GRANT SELECT ON agency_token TO cooperage_coop;
