-- Master Agreements, local policies, authorization requests with their decisions, and the audit trail.

-- ---------------------------------------------------------------------------------------------
-- Cooperative-level catalogue (no tenant_id: every tenant reads it; cooperative-admins write it).

CREATE TABLE supplier (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    ein text,
    sam_uei text,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'debarred')),
    status_effective_on date,
    status_reason text,
    -- [{"kind": "MBE", "certifier": "...", "expiresOn": "2027-01-01"}]
    diversity_certifications jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE ON supplier TO cooperage_app;
GRANT SELECT ON supplier TO cooperage_coop;

CREATE TABLE solicitation (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    lead_tenant_id uuid NOT NULL REFERENCES tenant (id),
    number text NOT NULL CHECK (length(number) BETWEEN 1 AND 100),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    method text NOT NULL CHECK (method IN ('ifb', 'rfp', 'csp')),
    advertised_where text,
    advertised_on date,
    cooperative_language_in_solicitation boolean NOT NULL,
    cooperative_language_in_contract boolean NOT NULL,
    award_basis text NOT NULL CHECK (award_basis IN ('lowest-responsible-bidder', 'best-value')),
    award_date date,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT solicitation_number_key UNIQUE (lead_tenant_id, number)
);
GRANT SELECT, INSERT ON solicitation TO cooperage_app;
GRANT SELECT ON solicitation TO cooperage_coop;

CREATE TABLE agreement (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    number text NOT NULL CHECK (length(number) BETWEEN 1 AND 100),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    lead_tenant_id uuid NOT NULL REFERENCES tenant (id),
    solicitation_id uuid NOT NULL REFERENCES solicitation (id),
    supplier_id uuid NOT NULL REFERENCES supplier (id),
    categories text[] NOT NULL CHECK (cardinality(categories) > 0),
    nigp_codes text[] NOT NULL DEFAULT '{}',
    effective_on date NOT NULL,
    expires_on date NOT NULL,
    -- [{"years": 1, "exercised": false}] and the latest date renewals can reach.
    renewal_options jsonb NOT NULL DEFAULT '[]',
    maximum_term_ends_on date,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'expired', 'terminated')),
    ceiling_cents bigint CHECK (ceiling_cents > 0),
    eligible_entity_types text[] NOT NULL DEFAULT '{}',
    eligible_states text[] NOT NULL DEFAULT '{}',
    compliance_letter_on_file boolean NOT NULL DEFAULT false,
    telecom_attestation_200216 boolean NOT NULL DEFAULT false,
    admin_fee_basis_points integer NOT NULL DEFAULT 0 CHECK (admin_fee_basis_points BETWEEN 0 AND 10000),
    -- [{"minVolumeCents": 0, "discountBasisPoints": 0}, ...] ascending by minVolumeCents.
    price_tiers jsonb NOT NULL DEFAULT '[]',
    -- [{"title": "...", "url": "...", "sha256": "..."}]
    documents jsonb NOT NULL DEFAULT '[]',
    -- All agencies' approved authorizations together: checked against ceiling_cents under this row's lock.
    committed_cents bigint NOT NULL DEFAULT 0 CHECK (committed_cents >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT agreement_number_key UNIQUE (number),
    CONSTRAINT agreement_term CHECK (expires_on >= effective_on),
    CONSTRAINT agreement_within_ceiling CHECK (ceiling_cents IS NULL OR committed_cents <= ceiling_cents)
);
CREATE INDEX agreement_supplier_idx ON agreement (supplier_id);
CREATE INDEX agreement_lead_idx ON agreement (lead_tenant_id);
CREATE INDEX agreement_categories_idx ON agreement USING gin (categories);
GRANT SELECT, INSERT, UPDATE ON agreement TO cooperage_app;
GRANT SELECT ON agreement TO cooperage_coop;

-- ---------------------------------------------------------------------------------------------
-- Tenant data: tenant_id leads every key; row-level security ENABLED and FORCED.

CREATE TABLE participation (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    kind text NOT NULL CHECK (kind IN (
        'master-intergovernmental-agreement', 'interlocal-agreement', 'registration', 'participating-addendum')),
    agreement_id uuid REFERENCES agreement (id),
    state text CHECK (state ~ '^[A-Z]{2}$'),
    resolution_number text,
    resolution_date date,
    effective_on date NOT NULL,
    expires_on date,
    termination_notice_days integer CHECK (termination_notice_days >= 0),
    document_reference text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT participation_term CHECK (expires_on IS NULL OR expires_on >= effective_on)
);

CREATE TABLE policy_version (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    version integer NOT NULL CHECK (version > 0),
    rules jsonb NOT NULL,
    template_id text,
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, version)
);

CREATE TABLE authorization_request (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    seq bigint GENERATED ALWAYS AS IDENTITY,
    agreement_id uuid NOT NULL REFERENCES agreement (id),
    supplier_id uuid NOT NULL REFERENCES supplier (id),
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    purchase_date date NOT NULL,
    category text NOT NULL,
    funding_lines jsonb NOT NULL,
    purpose text NOT NULL,
    evidence jsonb NOT NULL,
    requested_by uuid NOT NULL,
    idempotency_key text,
    request_digest text,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- The latest decision, kept here so lists and usage checks need no join (decisions stay append-only).
    outcome text NOT NULL CHECK (outcome IN ('approved', 'denied', 'pending')),
    decision_count integer NOT NULL,
    policy_version integer NOT NULL,
    authorized_amount_cents bigint NOT NULL DEFAULT 0,
    valid_from date,
    valid_until date,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT authorization_idempotency_key UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX authorization_request_list_idx ON authorization_request (tenant_id, seq);
CREATE INDEX authorization_request_agreement_idx ON authorization_request (tenant_id, agreement_id, purchase_date);
CREATE INDEX authorization_request_date_idx ON authorization_request (tenant_id, purchase_date);

CREATE TABLE authorization_decision (
    tenant_id uuid NOT NULL,
    authorization_id uuid NOT NULL,
    seq integer NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('approved', 'denied', 'pending')),
    results jsonb NOT NULL,
    policy_version integer NOT NULL,
    -- The inputs the engine saw, so the decision can be reproduced.
    inputs jsonb NOT NULL,
    authorized_amount_cents bigint NOT NULL,
    valid_from date,
    valid_until date,
    trigger text NOT NULL CHECK (trigger IN ('request', 'approval')),
    decided_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, authorization_id, seq),
    FOREIGN KEY (tenant_id, authorization_id) REFERENCES authorization_request (tenant_id, id)
);

CREATE TABLE authorization_approval (
    tenant_id uuid NOT NULL,
    authorization_id uuid NOT NULL,
    seq integer NOT NULL,
    rule_type text,
    rule_index integer,
    approver_role text NOT NULL,
    approver_token_id uuid NOT NULL,
    resolution_number text,
    resolution_date date,
    evidence jsonb NOT NULL DEFAULT '{}',
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, authorization_id, seq),
    FOREIGN KEY (tenant_id, authorization_id) REFERENCES authorization_request (tenant_id, id)
);

-- Hash-chained audit trail, one chain per tenant (and one for the cooperative, below).
CREATE TABLE audit_event (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    seq bigint NOT NULL CHECK (seq > 0),
    occurred_at timestamptz NOT NULL,
    actor_token_id uuid,
    actor_role text NOT NULL,
    action text NOT NULL,
    subject_type text NOT NULL,
    subject_id text NOT NULL,
    payload_digest text NOT NULL,
    previous_hash text NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);

CREATE TABLE cooperative_audit_event (
    seq bigint PRIMARY KEY CHECK (seq > 0),
    occurred_at timestamptz NOT NULL,
    actor_token_id uuid,
    actor_role text NOT NULL,
    action text NOT NULL,
    subject_type text NOT NULL,
    subject_id text NOT NULL,
    payload_digest text NOT NULL,
    previous_hash text NOT NULL,
    hash text NOT NULL
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['participation', 'policy_version', 'authorization_request', 'authorization_decision',
                             'authorization_approval', 'audit_event']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_tenant_id()) '
                       'WITH CHECK (tenant_id = current_tenant_id())', t);
        EXECUTE format('CREATE POLICY cooperative_read ON %I FOR SELECT TO cooperage_coop USING (true)', t);
        EXECUTE format('GRANT SELECT ON %I TO cooperage_coop', t);
    END LOOP;
END
$$;

-- Append-only for the server's role: no UPDATE or DELETE on versions, decisions, approvals, audit.
GRANT SELECT, INSERT ON participation, policy_version, authorization_decision, authorization_approval, audit_event
    TO cooperage_app;
GRANT SELECT, INSERT ON cooperative_audit_event TO cooperage_app;
GRANT SELECT ON cooperative_audit_event TO cooperage_coop;
-- The request row carries its latest decision; only those columns change.
GRANT SELECT, INSERT ON authorization_request TO cooperage_app;
GRANT UPDATE (outcome, decision_count, policy_version, authorized_amount_cents, valid_from, valid_until)
    ON authorization_request TO cooperage_app;

-- Belt and braces: even the owner's sessions cannot rewrite history without dropping this trigger.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER cooperative_audit_event_append_only BEFORE UPDATE OR DELETE ON cooperative_audit_event
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER authorization_decision_append_only BEFORE UPDATE OR DELETE ON authorization_decision
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER policy_version_append_only BEFORE UPDATE OR DELETE ON policy_version
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
