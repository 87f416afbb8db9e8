-- Benchmark data, part 1: the catalogue, tenants, credentials, policies and approved authorizations.
-- Run by Benchmarks/run as the superuser `postgres` (row-level security does not apply to it), after
-- `cooperage migrate`. Set-based: every table is filled by one INSERT ... SELECT over generate_series.
--
-- psql variables: tenants, agreements, auths (approved authorizations per tenant, each on a distinct
-- agreement). Every id is derived from a counter (bench.uid), so a run is reproducible and the load
-- scripts (pgbench, wrk) can name rows without looking them up.
\set ON_ERROR_STOP on
SET search_path = cooperage, public;

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
GRANT USAGE ON SCHEMA bench TO cooperage_app;

-- Deterministic ids: md5 of a label, read as a uuid. Every call in these functions is immutable (n::text,
-- not text || bigint, which is only stable), so the planner inlines them: pgbench's INSERT pays no
-- function-call overhead for them.
CREATE FUNCTION bench.uid(kind text, n bigint) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT md5('cooperage-bench/' || kind || '/' || n::text)::uuid $$;
-- Agreement number (1..agreements) of tenant n's k-th authorization. 53 is coprime with the agreement
-- count used here (500), so a tenant's authorizations are on distinct agreements while k < agreements.
CREATE FUNCTION bench.agreement_no(n bigint, k bigint, agreements bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ((n * 7 + k * 53) % agreements) + 1 $$;
-- UNSPSC family (4 digits) of agreement a.
CREATE FUNCTION bench.family(a bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (ARRAY['4321', '4412', '7210', '2510', '5610', '4618', '8111', '4214', '7215', '5020'])[(a % 10) + 1] $$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA bench TO cooperage_app;

-- Tenants: agencies of 8 entity types in 10 states.
INSERT INTO tenant (id, legal_name, slug, entity_type, state, cooperative_number, fiscal_year_start_month, status,
                    created_at, updated_at)
SELECT bench.uid('tenant', n), 'Bench Agency ' || n, 'bench-agency-' || n,
       (ARRAY['city', 'county', 'k12', 'higher-ed', 'special-district', 'state-agency', 'nonprofit', 'tribal'])[(n % 8) + 1],
       (ARRAY['TX', 'NY', 'WA', 'OR', 'CA', 'FL', 'MN', 'GA', 'OH', 'AZ'])[(n % 10) + 1],
       'BENCH-' || lpad(n::text, 6, '0'), (ARRAY[7, 10, 1])[(n % 3) + 1], 'active',
       timestamptz '2024-01-01', timestamptz '2024-01-01'
FROM generate_series(1, :tenants) AS n;

-- One agency-buyer token per tenant. The plaintext is kept in bench.token for the load driver; the
-- server stores and checks SHA-256 of the whole text, as TokenSecret does.
CREATE TABLE bench.token (n int PRIMARY KEY, tenant_id uuid NOT NULL, token_id uuid NOT NULL, token text NOT NULL);
INSERT INTO bench.token
SELECT n, bench.uid('tenant', n), bench.uid('token', n),
       'cpa_' || replace(bench.uid('tenant', n)::text, '-', '') || '_' || md5('cooperage-bench/secret/' || n)
FROM generate_series(1, :tenants) AS n;
INSERT INTO agency_token (tenant_id, id, name, role, secret_hash, created_at)
SELECT tenant_id, token_id, 'bench buyer', 'agency-buyer', sha256(convert_to(token, 'UTF8')), timestamptz '2024-01-01'
FROM bench.token;

-- The cooperative's finance token (any text that is not cpa_... is looked up as a cooperative token).
CREATE TABLE bench.finance_token (token text NOT NULL);
INSERT INTO bench.finance_token VALUES ('cpc_' || md5('cooperage-bench/finance'));
INSERT INTO cooperative_token (id, name, role, secret_hash, created_at)
SELECT bench.uid('cooperative-token', 1), 'bench finance', 'cooperative-finance', sha256(convert_to(token, 'UTF8')),
       timestamptz '2024-01-01'
FROM bench.finance_token;

-- The cooperative's admin token, for the console's overview page.
CREATE TABLE bench.admin_token (token text NOT NULL);
INSERT INTO bench.admin_token VALUES ('cpc_' || md5('cooperage-bench/admin'));
INSERT INTO cooperative_token (id, name, role, secret_hash, created_at)
SELECT bench.uid('cooperative-token', 2), 'bench admin', 'cooperative-admin', sha256(convert_to(token, 'UTF8')),
       timestamptz '2024-01-01'
FROM bench.admin_token;

-- Suppliers (one per two agreements), solicitations and Master Agreements, each led by a tenant.
INSERT INTO supplier (id, name, ein, status, created_at, updated_at)
SELECT bench.uid('supplier', s), 'Bench Supplier ' || s, lpad((s % 100)::text, 2, '0') || '-' || lpad(s::text, 7, '0'),
       'active', timestamptz '2023-06-01', timestamptz '2023-06-01'
FROM generate_series(1, greatest(1, :agreements / 2)) AS s;

INSERT INTO solicitation (id, lead_tenant_id, number, title, method, advertised_where, advertised_on,
                          cooperative_language_in_solicitation, cooperative_language_in_contract, award_basis, award_date)
SELECT bench.uid('solicitation', a), bench.uid('tenant', ((a * 13) % :tenants) + 1), 'RFP-BENCH-' || lpad(a::text, 4, '0'),
       'Bench solicitation ' || a, 'rfp', 'Bench State Business Daily', date '2023-09-01', true, true, 'best-value',
       date '2023-12-01'
FROM generate_series(1, :agreements) AS a;

INSERT INTO agreement (id, number, title, lead_tenant_id, solicitation_id, supplier_id, categories, effective_on, expires_on,
                       status, eligible_entity_types, eligible_states, compliance_letter_on_file, telecom_attestation_200216,
                       admin_fee_basis_points, price_tiers, created_at, updated_at)
SELECT bench.uid('agreement', a), 'MA-BENCH-' || lpad(a::text, 4, '0'), 'Bench agreement ' || a,
       bench.uid('tenant', ((a * 13) % :tenants) + 1), bench.uid('solicitation', a),
       bench.uid('supplier', ((a - 1) % greatest(1, :agreements / 2)) + 1), ARRAY[bench.family(a) || '0000'],
       date '2024-01-01', date '2029-12-31', 'active', '{}', '{}', true, true, 200,
       '[{"minVolumeCents": 0, "discountBasisPoints": 0}, {"minVolumeCents": 100000000000, "discountBasisPoints": 300}]',
       timestamptz '2024-01-01', timestamptz '2024-01-01'
FROM generate_series(1, :agreements) AS a;

-- Every tenant joined the cooperative with a master intergovernmental agreement (covers every agreement)
-- and has an empty local policy (version 1, no rules): only the system gates decide.
INSERT INTO participation (tenant_id, id, kind, resolution_number, resolution_date, effective_on, created_at)
SELECT bench.uid('tenant', n), bench.uid('participation', n), 'master-intergovernmental-agreement',
       'R-2024-' || n, date '2023-12-15', date '2024-01-01', timestamptz '2024-01-01'
FROM generate_series(1, :tenants) AS n;

INSERT INTO policy_version (tenant_id, version, rules, created_by, created_at)
SELECT bench.uid('tenant', n), 1, '[]', bench.uid('token', n), timestamptz '2024-01-01'
FROM generate_series(1, :tenants) AS n;

-- The authorizations usage is registered against: per tenant `auths` approved blanket authorizations,
-- each on its own agreement, valid 2025-01-01 to 2027-12-31 (the seeded history and the load's dates),
-- with an authorized amount (100 billion dollars) that neither history nor load can exhaust.
CREATE TABLE bench.authorization_map (
    n int NOT NULL,
    k int NOT NULL,
    tenant_id uuid NOT NULL,
    authorization_id uuid NOT NULL,
    agreement_id uuid NOT NULL,
    supplier_id uuid NOT NULL,
    category text NOT NULL,
    token_id uuid NOT NULL,
    PRIMARY KEY (n, k)
);
INSERT INTO bench.authorization_map
SELECT n, k, bench.uid('tenant', n), bench.uid('authorization', n * 10000 + k), bench.uid('agreement', a),
       bench.uid('supplier', ((a - 1) % greatest(1, :agreements / 2)) + 1),
       bench.family(a) || lpad((((n * 3 + k) % 89) + 10)::text, 2, '0') || '01', bench.uid('token', n)
FROM generate_series(1, :tenants) AS n, generate_series(0, :auths - 1) AS k,
     LATERAL (SELECT bench.agreement_no(n, k, :agreements) AS a) AS x;
ANALYZE bench.authorization_map;
-- pgbench's baseline INSERT reads an authorization's facts from it, as cooperage_app.
GRANT SELECT ON bench.authorization_map TO cooperage_app;

INSERT INTO authorization_request (tenant_id, id, agreement_id, supplier_id, amount_cents, purchase_date, category,
    funding_lines, purpose, evidence, requested_by, created_at, outcome, decision_count, policy_version,
    authorized_amount_cents, valid_from, valid_until, used_cents)
SELECT tenant_id, authorization_id, agreement_id, supplier_id, 10000000000000, date '2025-01-01', category,
       '[{"source": "local", "amountCents": 10000000000000}]', 'Bench blanket authorization',
       '{"quotes": [], "resolutions": [], "writtenDeterminations": [], "documents": []}', token_id,
       timestamptz '2024-12-15', 'approved', 1, 1, 10000000000000, date '2025-01-01', date '2027-12-31', 0
FROM bench.authorization_map;

-- The seeded history publishes no events, as it appends no audit events: the outbox trigger (sql/0022) refuses an
-- event written outside its tenant's transaction, and every row here is valid by construction, so the decisions go
-- in with triggers off (as the usage rows do, seed-usage-chunk.sql).
SET session_replication_role = replica;
INSERT INTO authorization_decision (tenant_id, authorization_id, seq, outcome, results, policy_version, inputs,
    authorized_amount_cents, valid_from, valid_until, trigger, decided_at, agreement_terms_version)
SELECT tenant_id, authorization_id, 1, 'approved', '[]', 1, '{}', 10000000000000, date '2025-01-01', date '2027-12-31',
       'request', timestamptz '2024-12-15', 1
FROM bench.authorization_map;
RESET session_replication_role;

-- The agreements' running commitment is every approved authorization on them; the ceiling leaves room.
INSERT INTO agreement_commitment (agreement_id, committed_cents)
SELECT agreement_id, sum(authorized_amount_cents)::bigint FROM authorization_request GROUP BY 1;
UPDATE agreement a SET ceiling_cents = c.committed_cents + 1000000000000000
FROM agreement_commitment c WHERE a.id = c.agreement_id;
UPDATE agreement SET ceiling_cents = 1000000000000000 WHERE ceiling_cents IS NULL;
-- Each agreement's terms as published are its version 1 (sql/0025), in force from its first day.
INSERT INTO agreement_terms (agreement_id, version, ceiling_cents, price_tiers, eligible_entity_types, eligible_states,
                             admin_fee_basis_points, effective_on, recorded_role, recorded_at)
SELECT id, 1, ceiling_cents, price_tiers, eligible_entity_types, eligible_states, admin_fee_basis_points, effective_on,
       'system', created_at
FROM agreement;

-- Bulk load: drop usage_record's secondary indexes (those not backing a constraint) and rebuild them
-- afterwards from their saved definitions; the primary key stays.
CREATE TABLE bench.saved_index AS
SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = 'cooperage.usage_record'::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid);
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT name FROM bench.saved_index LOOP
        EXECUTE format('DROP INDEX cooperage.%I', r.name);
    END LOOP;
END
$$;
