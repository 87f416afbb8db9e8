-- Agreement-level rollups, so that cooperative-wide reports by agreement read one row per agreement and
-- period instead of every agency's usage_monthly rows (at 1,000 agencies the buying-power report by agreement
-- and quarter read 240,000 rows and sorted them to count distinct agencies: about 0.7 s of PostgreSQL).
--
-- Maintained by usage_add() (below) in the same transaction as every usage write, as usage_monthly is, so
-- reports are never stale. agreement_rollup names no agency: it is cooperative data (agencies may see every
-- agreement's totals and agency count, never who the agencies are).

-- Every agency's spend and orders per agreement and month, quarter and all time, and how many distinct
-- agencies placed an order there. Distinct counts of shorter periods do not add up to a longer period's, so
-- each period has its own row, and its count moves once, when an agency's first order of the period arrives.
-- `all` has period_start -infinity.
CREATE TABLE agreement_rollup (
    agreement_id uuid NOT NULL REFERENCES agreement (id),
    period text NOT NULL CHECK (period IN ('month', 'quarter', 'all')),
    period_start date NOT NULL,
    amount_cents bigint NOT NULL DEFAULT 0,
    order_count bigint NOT NULL DEFAULT 0,
    list_cents bigint NOT NULL DEFAULT 0,
    listed_paid_cents bigint NOT NULL DEFAULT 0,
    agency_count integer NOT NULL DEFAULT 0 CHECK (agency_count >= 0),
    PRIMARY KEY (agreement_id, period, period_start)
) WITH (fillfactor = 70);  -- updated in place on every write: room for HOT updates
-- Reports read one kind of period, in time order.
CREATE INDEX agreement_rollup_period_idx ON agreement_rollup (period, period_start, agreement_id);

-- Which agencies were counted where: tenant data (the agency is named), so row-level security applies and
-- each tenant's transaction sees and inserts only its own rows.
CREATE TABLE agreement_agency_period (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    agreement_id uuid NOT NULL REFERENCES agreement (id),
    period text NOT NULL CHECK (period IN ('month', 'quarter', 'all')),
    period_start date NOT NULL,
    PRIMARY KEY (tenant_id, agreement_id, period, period_start)
);

-- The periods that hold an order dated in `p_month`, in the order writers lock their rows.
CREATE FUNCTION agency_periods(p_month date) RETURNS TABLE (period text, period_start date)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    VALUES ('all', date '-infinity'),
           ('month', date_trunc('month', p_month::timestamp)::date),
           ('quarter', date_trunc('quarter', p_month::timestamp)::date)
$$;

-- The rollups of the usage already recorded. The migration runs as the tables' owner, whom FORCE ROW LEVEL
-- SECURITY holds to one tenant like everyone else; it is lifted inside this transaction only (nobody sees
-- the table in between: ALTER TABLE holds an exclusive lock until COMMIT).
ALTER TABLE usage_monthly NO FORCE ROW LEVEL SECURITY;
INSERT INTO agreement_agency_period (tenant_id, agreement_id, period, period_start)
SELECT DISTINCT m.tenant_id, m.agreement_id, p.period, p.period_start
FROM usage_monthly m CROSS JOIN LATERAL agency_periods(m.month) AS p
WHERE m.order_count > 0;
INSERT INTO agreement_rollup (agreement_id, period, period_start, amount_cents, order_count, list_cents,
                              listed_paid_cents, agency_count)
SELECT s.agreement_id, s.period, s.period_start, s.amount, s.orders, s.list, s.paid,
       (SELECT count(*) FROM agreement_agency_period c
        WHERE c.agreement_id = s.agreement_id AND c.period = s.period AND c.period_start = s.period_start)
FROM (SELECT m.agreement_id, p.period, p.period_start, sum(m.amount_cents) AS amount, sum(m.order_count) AS orders,
             sum(m.list_cents) AS list, sum(m.listed_paid_cents) AS paid
      FROM usage_monthly m CROSS JOIN LATERAL agency_periods(m.month) AS p
      GROUP BY 1, 2, 3) AS s;
ALTER TABLE usage_monthly FORCE ROW LEVEL SECURITY;

ALTER TABLE agreement_agency_period ENABLE ROW LEVEL SECURITY;
ALTER TABLE agreement_agency_period FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agreement_agency_period
    USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
CREATE POLICY cooperative_read ON agreement_agency_period FOR SELECT TO cooperage_coop USING (true);

GRANT SELECT, INSERT ON agreement_agency_period TO cooperage_app;
GRANT SELECT, INSERT, UPDATE ON agreement_rollup TO cooperage_app;
GRANT SELECT ON agreement_rollup, agreement_agency_period TO cooperage_coop;
GRANT EXECUTE ON FUNCTION agency_periods(date) TO cooperage_app, cooperage_coop;

-- Adds usage of one agreement, category and month to every aggregate, in the caller's tenant transaction:
-- usage_monthly and the agreement rollups (the caller moves the authorization's used amount, in the statement
-- that checks it). p_orders is the number of orders (0 for a reversal, whose amounts are negative). Scalar
-- statements: one order is the common case, and PL/pgSQL runs these several times faster than the same work
-- over arrays; a batch calls this once per group, in (agreement, category, month) order.
--
-- The rows shared by every agency (the agreement's) are locked last, so they are held for the shortest time;
-- callers append their audit event before calling this, for the same reason. Every writer locks an
-- agreement's rollup rows in one order (all, month, quarter), starting with the all-time row, so two writers
-- on one agreement cannot deadlock.
CREATE FUNCTION usage_add(
    p_tenant uuid,
    p_agreement uuid,
    p_category text,
    p_month date,
    p_amount bigint,
    p_orders integer,
    p_list bigint,
    p_paid bigint
) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = cooperage, pg_temp
    SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    INSERT INTO usage_monthly AS m (tenant_id, agreement_id, category, month, amount_cents, order_count, list_cents,
                                    listed_paid_cents)
    VALUES (p_tenant, p_agreement, p_category, p_month, p_amount, p_orders, p_list, p_paid)
    ON CONFLICT (tenant_id, agreement_id, category, month) DO UPDATE SET
        amount_cents = m.amount_cents + EXCLUDED.amount_cents,
        order_count = m.order_count + EXCLUDED.order_count,
        list_cents = m.list_cents + EXCLUDED.list_cents,
        listed_paid_cents = m.listed_paid_cents + EXCLUDED.listed_paid_cents;

    -- An agency counts once per agreement and period, from its first order there. Its month, quarter and
    -- all-time rows are recorded together, so an agency already seen this month is seen in the others too,
    -- and the usual case costs one index probe.
    IF p_orders > 0 AND NOT EXISTS (
        SELECT 1 FROM agreement_agency_period
        WHERE tenant_id = p_tenant AND agreement_id = p_agreement AND period = 'month' AND period_start = p_month) THEN
        WITH seen AS (
            INSERT INTO agreement_agency_period (tenant_id, agreement_id, period, period_start)
            SELECT p_tenant, p_agreement, p.period, p.period_start FROM agency_periods(p_month) AS p
            ORDER BY p.period
            ON CONFLICT DO NOTHING
            RETURNING period, period_start)
        INSERT INTO agreement_rollup AS r (agreement_id, period, period_start, amount_cents, order_count, list_cents,
                                           listed_paid_cents, agency_count)
        SELECT p_agreement, p.period, p.period_start, p_amount, p_orders, p_list, p_paid,
               (SELECT count(*) FROM seen WHERE seen.period = p.period)
        FROM agency_periods(p_month) AS p
        ORDER BY p.period
        ON CONFLICT (agreement_id, period, period_start) DO UPDATE SET
            amount_cents = r.amount_cents + EXCLUDED.amount_cents,
            order_count = r.order_count + EXCLUDED.order_count,
            list_cents = r.list_cents + EXCLUDED.list_cents,
            listed_paid_cents = r.listed_paid_cents + EXCLUDED.listed_paid_cents,
            agency_count = r.agency_count + EXCLUDED.agency_count;
    ELSE
        INSERT INTO agreement_rollup AS r (agreement_id, period, period_start, amount_cents, order_count, list_cents,
                                           listed_paid_cents)
        SELECT p_agreement, p.period, p.period_start, p_amount, p_orders, p_list, p_paid
        FROM agency_periods(p_month) AS p
        ORDER BY p.period
        ON CONFLICT (agreement_id, period, period_start) DO UPDATE SET
            amount_cents = r.amount_cents + EXCLUDED.amount_cents,
            order_count = r.order_count + EXCLUDED.order_count,
            list_cents = r.list_cents + EXCLUDED.list_cents,
            listed_paid_cents = r.listed_paid_cents + EXCLUDED.listed_paid_cents;
    END IF;
END
$$;
REVOKE ALL ON FUNCTION usage_add(uuid, uuid, text, date, bigint, integer, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION usage_add(uuid, uuid, text, date, bigint, integer, bigint, bigint) TO cooperage_app;

-- Rows updated in place on every usage write or decision keep room on their page, so the new version goes
-- on the same page and no index changes (a HOT update): the authorizations (used amounts, decisions), the
-- aggregates, and the agreements (their commitment).
ALTER TABLE authorization_request SET (fillfactor = 80);
ALTER TABLE usage_monthly SET (fillfactor = 80);
ALTER TABLE agreement SET (fillfactor = 80);
