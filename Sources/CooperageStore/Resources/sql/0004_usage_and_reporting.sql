-- Usage (piggyback purchases), corrections, bulk imports, supplier sales reports, and the aggregates
-- that reports read instead of raw usage.

-- How much of an approved authorization purchase orders have used (orders minus reversals).
ALTER TABLE authorization_request ADD COLUMN used_cents bigint NOT NULL DEFAULT 0
    CONSTRAINT authorization_used_within_authorized CHECK (used_cents >= 0 AND used_cents <= authorized_amount_cents);
GRANT UPDATE (used_cents) ON authorization_request TO cooperage_app;

-- One bulk file per row: re-sending the same file (same digest) returns this row instead of counting twice.
CREATE TABLE usage_import (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    file_digest text NOT NULL,
    file_name text,
    order_count integer NOT NULL,
    line_count integer NOT NULL,
    total_cents bigint NOT NULL,
    imported_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT usage_import_file_key UNIQUE (tenant_id, file_digest)
);

-- Append-only: an order is a positive amount; a correction is a reversal row (negative amount) that
-- points at the order it corrects. Nothing is ever updated or deleted.
CREATE TABLE usage_record (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    seq bigint GENERATED ALWAYS AS IDENTITY,
    kind text NOT NULL CHECK (kind IN ('order', 'reversal')),
    authorization_id uuid NOT NULL,
    agreement_id uuid NOT NULL REFERENCES agreement (id),
    supplier_id uuid NOT NULL REFERENCES supplier (id),
    category text NOT NULL,
    po_number text NOT NULL CHECK (length(po_number) BETWEEN 1 AND 100),
    order_date date NOT NULL,
    amount_cents bigint NOT NULL CHECK ((kind = 'order') = (amount_cents > 0) AND amount_cents <> 0),
    -- Of the lines that carry a list price: the list total and what was paid for them (savings).
    list_cents bigint NOT NULL DEFAULT 0,
    listed_paid_cents bigint NOT NULL DEFAULT 0,
    lines jsonb NOT NULL DEFAULT '[]',
    reverses_id uuid,
    reason text,
    source text NOT NULL CHECK (source IN ('agency', 'import', 'supplier-report')),
    import_id uuid,
    idempotency_key text,
    request_digest text,
    recorded_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, authorization_id) REFERENCES authorization_request (tenant_id, id),
    FOREIGN KEY (tenant_id, reverses_id) REFERENCES usage_record (tenant_id, id),
    FOREIGN KEY (tenant_id, import_id) REFERENCES usage_import (tenant_id, id),
    CONSTRAINT usage_reversal_points_back CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL))
);
CREATE UNIQUE INDEX usage_record_po_key ON usage_record (tenant_id, po_number) WHERE kind = 'order';
CREATE UNIQUE INDEX usage_record_idempotency_key ON usage_record (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX usage_record_list_idx ON usage_record (tenant_id, seq);
CREATE INDEX usage_record_agreement_idx ON usage_record (tenant_id, agreement_id, order_date);
CREATE INDEX usage_record_reverses_idx ON usage_record (tenant_id, reverses_id) WHERE reverses_id IS NOT NULL;

-- Spend per tenant x agreement x category x month, maintained in the same transaction as every usage
-- write and reversal: reports read these rows, never raw usage, and are never stale.
CREATE TABLE usage_monthly (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    agreement_id uuid NOT NULL REFERENCES agreement (id),
    category text NOT NULL,
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    amount_cents bigint NOT NULL DEFAULT 0,
    order_count integer NOT NULL DEFAULT 0,
    list_cents bigint NOT NULL DEFAULT 0,
    listed_paid_cents bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, agreement_id, category, month)
);
CREATE INDEX usage_monthly_agreement_idx ON usage_monthly (agreement_id, month);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['usage_import', 'usage_record', 'usage_monthly']
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

-- The server's role inserts usage and imports but never updates or deletes them.
GRANT SELECT, INSERT ON usage_import, usage_record TO cooperage_app;
GRANT SELECT, INSERT, UPDATE ON usage_monthly TO cooperage_app;
CREATE TRIGGER usage_record_append_only BEFORE UPDATE OR DELETE ON usage_record
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Supplier quarterly sales reports (cooperative data: the supplier reports to the cooperative).
CREATE TABLE supplier_report (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    agreement_id uuid NOT NULL REFERENCES agreement (id),
    supplier_id uuid NOT NULL REFERENCES supplier (id),
    year integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
    quarter integer NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    total_cents bigint NOT NULL,
    fee_cents bigint NOT NULL,
    line_count integer NOT NULL,
    submitted_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT supplier_report_period_key UNIQUE (agreement_id, year, quarter)
);
CREATE TABLE supplier_report_line (
    report_id uuid NOT NULL REFERENCES supplier_report (id),
    line_number integer NOT NULL,
    agency_name text NOT NULL,
    cooperative_number text,
    -- The tenant the line was matched to by cooperative number, when one matched.
    agency_tenant_id uuid REFERENCES tenant (id),
    invoice_date date NOT NULL,
    amount_cents bigint NOT NULL,
    fee_cents bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (report_id, line_number)
);
GRANT SELECT, INSERT ON supplier_report, supplier_report_line TO cooperage_app;
GRANT SELECT ON supplier_report, supplier_report_line TO cooperage_coop;
