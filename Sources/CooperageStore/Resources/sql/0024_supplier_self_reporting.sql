-- Suppliers report for themselves: a supplier-reporter token belongs to one supplier, and its requests run as the
-- role cooperage_supplier with app.supplier_id set, so row-level security shows them their own agreements, sales
-- reports and the usage agencies registered under their agreements, and nothing else. Reports become versioned:
-- an amendment is a new row that supersedes the current one; no row is ever updated or deleted, and reconciliation
-- and admin fees read the latest version of each agreement and quarter (supplier_report_latest). Each agreement
-- says how many days after a quarter ends its report is due (default 30).

-- The supplier role. Roles belong to the whole cluster, and only the connecting administrative user may create them
-- (cooperage_owner has no CREATEROLE), so this migration steps out of the owner's role for these statements only,
-- as 0001 does, and takes it again before it creates anything in the schema.
RESET ROLE;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cooperage_supplier') THEN
        CREATE ROLE cooperage_supplier NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
EXCEPTION WHEN duplicate_object THEN
    NULL;  -- another database of the cluster created it a moment ago
END
$$;
-- The server reaches it only with SET LOCAL ROLE inside one transaction (Database.withSupplier); cooperage_app is
-- NOINHERIT, so the membership gives it none of the role's rights, and policies TO cooperage_supplier do not apply to
-- it.
GRANT cooperage_supplier TO cooperage_app;
SET LOCAL ROLE cooperage_owner;
GRANT USAGE ON SCHEMA cooperage TO cooperage_supplier;

-- The supplier a transaction acts for, NULL when none is set (fail-closed: NULL matches no row).
CREATE FUNCTION current_supplier_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.supplier_id', true), '')::uuid $$;
COMMENT ON FUNCTION current_supplier_id() IS
    'The supplier of the current transaction (app.supplier_id, set transaction-locally by Database.withSupplier), NULL when none: the row-level security policies of cooperage_supplier compare against it.';
GRANT EXECUTE ON FUNCTION current_supplier_id() TO cooperage_supplier;
-- The tenant policies of usage_record apply to every role, this one included; with no tenant set they match nothing.
GRANT EXECUTE ON FUNCTION current_tenant_id() TO cooperage_supplier;

-- ---------------------------------------------------------------------------------------------
-- Due dates: a report is due this many days after its quarter ends.
ALTER TABLE agreement ADD COLUMN supplier_report_due_days integer NOT NULL DEFAULT 30
    CONSTRAINT agreement_supplier_report_due_days CHECK (supplier_report_due_days BETWEEN 0 AND 365);

-- ---------------------------------------------------------------------------------------------
-- Supplier credentials: issued by the cooperative, one supplier each. The supplier id is part of the token text
-- (cps_<supplier>_<secret>), so authentication is one statement looking up (supplier_id, secret_hash), as for
-- agency tokens. Cooperative-level data like cooperative_token: the supplier's own role cannot read it.
CREATE TABLE supplier_token (
    supplier_id uuid NOT NULL REFERENCES supplier (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role text NOT NULL CHECK (role IN ('supplier-reporter')),
    secret_hash bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    PRIMARY KEY (supplier_id, id),
    CONSTRAINT supplier_token_id_key UNIQUE (id),
    CONSTRAINT supplier_token_secret_key UNIQUE (supplier_id, secret_hash)
);
GRANT SELECT, INSERT ON supplier_token TO cooperage_app;
GRANT UPDATE (revoked_at) ON supplier_token TO cooperage_app;

-- ---------------------------------------------------------------------------------------------
-- Versioned reports. Version 1 is the first report of an agreement and quarter; each amendment supersedes the
-- version before it (one successor at most, in the same agreement and quarter). due_on is the due date in force
-- when the version was filed (the agreement's due days may change later); the server always sets it, and reports
-- filed before this migration get the default's date.
ALTER TABLE supplier_report DROP CONSTRAINT supplier_report_period_key;
ALTER TABLE supplier_report
    ADD COLUMN version integer NOT NULL DEFAULT 1 CONSTRAINT supplier_report_version_positive CHECK (version >= 1),
    ADD COLUMN supersedes_id uuid,
    ADD COLUMN due_on date,
    ADD CONSTRAINT supplier_report_version_key UNIQUE (agreement_id, year, quarter, version),
    ADD CONSTRAINT supplier_report_supersedes_key UNIQUE (supersedes_id),
    ADD CONSTRAINT supplier_report_period_id_key UNIQUE (id, agreement_id, year, quarter),
    ADD CONSTRAINT supplier_report_supplier_id_key UNIQUE (id, supplier_id),
    ADD CONSTRAINT supplier_report_first_supersedes_nothing CHECK ((version = 1) = (supersedes_id IS NULL)),
    ADD CONSTRAINT supplier_report_supersedes_same_period FOREIGN KEY (supersedes_id, agreement_id, year, quarter)
        REFERENCES supplier_report (id, agreement_id, year, quarter);
CREATE INDEX supplier_report_supplier_idx ON supplier_report (supplier_id, seq);
UPDATE supplier_report r
SET due_on = (make_date(r.year, r.quarter * 3 - 2, 1) + interval '3 months')::date - 1 + a.supplier_report_due_days
FROM agreement a WHERE a.id = r.agreement_id;

-- Lines carry their report's supplier, so the supplier's policy on them needs no subquery.
ALTER TABLE supplier_report_line ADD COLUMN supplier_id uuid;
UPDATE supplier_report_line l SET supplier_id = r.supplier_id FROM supplier_report r WHERE r.id = l.report_id;
ALTER TABLE supplier_report_line
    ALTER COLUMN supplier_id SET NOT NULL,
    ADD CONSTRAINT supplier_report_line_same_supplier FOREIGN KEY (report_id, supplier_id)
        REFERENCES supplier_report (id, supplier_id);

-- Every version is kept: nobody updates or deletes a report or a line (the server's role was never granted either;
-- this holds the owner too).
CREATE TRIGGER supplier_report_append_only BEFORE UPDATE OR DELETE ON supplier_report
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER supplier_report_line_append_only BEFORE UPDATE OR DELETE ON supplier_report_line
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The version of each agreement and quarter that nothing supersedes: what reconciliation and admin fees read.
-- security_invoker: read with the caller's rights and row-level security, not the view owner's.
CREATE VIEW supplier_report_latest WITH (security_invoker = true) AS
    SELECT r.* FROM supplier_report r
    WHERE NOT EXISTS (SELECT 1 FROM supplier_report n WHERE n.supersedes_id = r.id);
COMMENT ON VIEW supplier_report_latest IS
    'The latest version of each supplier report (agreement and quarter): the rows no amendment supersedes.';

-- ---------------------------------------------------------------------------------------------
-- Row-level security for the supplier's role. Policies compare a column with current_supplier_id(), never a
-- subquery. The server's role and the cooperative's read path keep seeing every row (these are cooperative-level
-- tables); policies TO cooperage_supplier give the supplier exactly its own.
--
-- supplier_report and supplier_report_line: FORCEd like tenant tables (their owner, too, sees rows only through a
-- policy, and there is none for it: a later migration that backfills from them lifts FORCE for its transaction, as
-- 0008 does). agreement and supplier: ENABLEd only, so their owner (migrations, such as a backfill of agreement
-- terms) still reads every row; no login role owns them.
ALTER TABLE supplier_report ENABLE ROW LEVEL SECURITY;
ALTER TABLE supplier_report FORCE ROW LEVEL SECURITY;
ALTER TABLE supplier_report_line ENABLE ROW LEVEL SECURITY;
ALTER TABLE supplier_report_line FORCE ROW LEVEL SECURITY;
ALTER TABLE agreement ENABLE ROW LEVEL SECURITY;
ALTER TABLE supplier ENABLE ROW LEVEL SECURITY;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['supplier_report', 'supplier_report_line', 'agreement', 'supplier']
    LOOP
        EXECUTE format('CREATE POLICY server_access ON %I TO cooperage_app USING (true) WITH CHECK (true)', t);
        EXECUTE format('CREATE POLICY cooperative_read ON %I FOR SELECT TO cooperage_coop USING (true)', t);
    END LOOP;
END
$$;
CREATE POLICY supplier_own ON supplier_report TO cooperage_supplier
    USING (supplier_id = current_supplier_id()) WITH CHECK (supplier_id = current_supplier_id());
CREATE POLICY supplier_own ON supplier_report_line TO cooperage_supplier
    USING (supplier_id = current_supplier_id()) WITH CHECK (supplier_id = current_supplier_id());
CREATE POLICY supplier_own ON agreement FOR SELECT TO cooperage_supplier USING (supplier_id = current_supplier_id());
CREATE POLICY supplier_own ON supplier FOR SELECT TO cooperage_supplier USING (id = current_supplier_id());
-- The usage agencies registered under the supplier's agreements (usage_record carries the agreement's supplier).
CREATE POLICY supplier_read ON usage_record FOR SELECT TO cooperage_supplier USING (supplier_id = current_supplier_id());
CREATE INDEX usage_record_supplier_idx ON usage_record (supplier_id, order_date);

-- What the supplier's role may touch at all: its reports (read and file), the agreement and supplier columns its
-- pages show, the agencies' names and cooperative numbers (to name the agencies in its usage and to match report
-- lines; tenant has no row-level security, so this is every agency's name and number, the cooperative's member
-- directory, and no other column), and the few usage columns its quarterly view sums. No policy, decision,
-- authorization, token, audit row or other tenant data.
GRANT SELECT, INSERT ON supplier_report, supplier_report_line TO cooperage_supplier;
GRANT SELECT ON supplier_report_latest TO cooperage_app, cooperage_coop, cooperage_supplier;
GRANT SELECT (id, seq, number, title, lead_tenant_id, supplier_id, categories, effective_on, expires_on, status,
              admin_fee_basis_points, supplier_report_due_days) ON agreement TO cooperage_supplier;
GRANT SELECT (id, name, status, status_effective_on) ON supplier TO cooperage_supplier;
GRANT SELECT (id, legal_name, cooperative_number) ON tenant TO cooperage_supplier;
GRANT SELECT (tenant_id, agreement_id, supplier_id, kind, order_date, amount_cents) ON usage_record TO cooperage_supplier;
