-- Agreement-level rollups, so that cooperative-wide reports by agreement read a few rows per agreement and
-- period instead of every agency's usage_monthly rows (at 1,000 agencies the buying-power report by agreement
-- and quarter read 240,000 rows and sorted them to count distinct agencies: about 0.7 s of PostgreSQL).
--
-- Both are maintained by usage_aggregate() (below) in the same transaction as every usage write, as
-- usage_monthly is, so reports are never stale. Neither names an agency: they are cooperative data
-- (agencies may see every agreement's totals and agency count, never who the agencies are).

-- Every agency's spend per agreement and month (quarters and years are sums of months).
CREATE TABLE agreement_monthly (
    agreement_id uuid NOT NULL REFERENCES agreement (id),
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    amount_cents bigint NOT NULL DEFAULT 0,
    order_count bigint NOT NULL DEFAULT 0,
    list_cents bigint NOT NULL DEFAULT 0,
    listed_paid_cents bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (agreement_id, month)
);

-- How many distinct agencies placed an order under each agreement in a month, a quarter and ever. Distinct
-- counts of shorter periods do not add up to a longer period's, so each kind of period has its own count,
-- moved once, when an agency's first order of that period arrives. `all` has period_start -infinity.
CREATE TABLE agreement_agency_count (
    agreement_id uuid NOT NULL REFERENCES agreement (id),
    period text NOT NULL CHECK (period IN ('month', 'quarter', 'all')),
    period_start date NOT NULL,
    agency_count integer NOT NULL CHECK (agency_count > 0),
    PRIMARY KEY (agreement_id, period, period_start)
);

-- Which agencies were counted where: tenant data (the agency is named), so row-level security applies and
-- each tenant's transaction sees and inserts only its own rows.
CREATE TABLE agreement_agency_period (
    tenant_id uuid NOT NULL REFERENCES tenant (id),
    agreement_id uuid NOT NULL REFERENCES agreement (id),
    period text NOT NULL CHECK (period IN ('month', 'quarter', 'all')),
    period_start date NOT NULL,
    PRIMARY KEY (tenant_id, agreement_id, period, period_start)
);

-- The periods that count an agency, for an order dated in `p_month`.
CREATE FUNCTION agency_periods(p_month date) RETURNS TABLE (period text, period_start date)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    VALUES ('month', date_trunc('month', p_month::timestamp)::date),
           ('quarter', date_trunc('quarter', p_month::timestamp)::date),
           ('all', date '-infinity')
$$;

-- The rollups of the usage already recorded. The migration runs as the tables' owner, whom FORCE ROW LEVEL
-- SECURITY holds to one tenant like everyone else; it is lifted inside this transaction only (nobody sees
-- the table in between: ALTER TABLE holds an exclusive lock until COMMIT).
ALTER TABLE usage_monthly NO FORCE ROW LEVEL SECURITY;
INSERT INTO agreement_monthly (agreement_id, month, amount_cents, order_count, list_cents, listed_paid_cents)
SELECT agreement_id, month, sum(amount_cents), sum(order_count), sum(list_cents), sum(listed_paid_cents)
FROM usage_monthly
GROUP BY agreement_id, month;
INSERT INTO agreement_agency_period (tenant_id, agreement_id, period, period_start)
SELECT DISTINCT m.tenant_id, m.agreement_id, p.period, p.period_start
FROM usage_monthly m CROSS JOIN LATERAL agency_periods(m.month) AS p
WHERE m.order_count > 0;
ALTER TABLE usage_monthly FORCE ROW LEVEL SECURITY;
INSERT INTO agreement_agency_count (agreement_id, period, period_start, agency_count)
SELECT agreement_id, period, period_start, count(*)
FROM agreement_agency_period
GROUP BY agreement_id, period, period_start;

ALTER TABLE agreement_agency_period ENABLE ROW LEVEL SECURITY;
ALTER TABLE agreement_agency_period FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agreement_agency_period
    USING (tenant_id = current_tenant_id()) WITH CHECK (tenant_id = current_tenant_id());
CREATE POLICY cooperative_read ON agreement_agency_period FOR SELECT TO cooperage_coop USING (true);

GRANT SELECT, INSERT ON agreement_agency_period TO cooperage_app;
GRANT SELECT, INSERT, UPDATE ON agreement_monthly, agreement_agency_count TO cooperage_app;
GRANT SELECT ON agreement_monthly, agreement_agency_count, agreement_agency_period TO cooperage_coop;
GRANT EXECUTE ON FUNCTION agency_periods(date) TO cooperage_app, cooperage_coop;

-- Adds usage to every aggregate, in the caller's tenant transaction: the authorizations' used amounts,
-- usage_monthly, and the agreement rollups. One row per authorization and month (orders: the number of
-- orders, 0 for reversals; amounts are negative for reversals). Each table's rows are locked in key order,
-- so concurrent writers cannot deadlock; the agreement-level rows, shared by every agency, come last, so
-- they are held for the shortest time.
CREATE FUNCTION usage_aggregate(
    p_tenant uuid,
    p_authorizations uuid[],
    p_months date[],
    p_amounts bigint[],
    p_orders integer[],
    p_list bigint[],
    p_paid bigint[]
) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = cooperage, pg_temp
AS $$
BEGIN
    UPDATE authorization_request AS r SET used_cents = r.used_cents + d.amount
    FROM (SELECT u.authorization_id, sum(u.amount)::bigint AS amount
          FROM unnest(p_authorizations, p_amounts) AS u(authorization_id, amount)
          GROUP BY u.authorization_id) AS d
    WHERE r.tenant_id = p_tenant AND r.id = d.authorization_id;

    INSERT INTO usage_monthly AS m (tenant_id, agreement_id, category, month, amount_cents, order_count, list_cents,
                                    listed_paid_cents)
    SELECT p_tenant, r.agreement_id, r.category, u.month, sum(u.amount), sum(u.orders), sum(u.list), sum(u.paid)
    FROM unnest(p_authorizations, p_months, p_amounts, p_orders, p_list, p_paid)
             AS u(authorization_id, month, amount, orders, list, paid)
    JOIN authorization_request r ON r.tenant_id = p_tenant AND r.id = u.authorization_id
    GROUP BY r.agreement_id, r.category, u.month
    ORDER BY r.agreement_id, r.category, u.month
    ON CONFLICT (tenant_id, agreement_id, category, month) DO UPDATE SET
        amount_cents = m.amount_cents + EXCLUDED.amount_cents,
        order_count = m.order_count + EXCLUDED.order_count,
        list_cents = m.list_cents + EXCLUDED.list_cents,
        listed_paid_cents = m.listed_paid_cents + EXCLUDED.listed_paid_cents;

    -- An agency counts once per agreement and period, from its first order there.
    WITH seen AS (
        INSERT INTO agreement_agency_period (tenant_id, agreement_id, period, period_start)
        SELECT DISTINCT p_tenant, r.agreement_id, p.period, p.period_start
        FROM unnest(p_authorizations, p_months, p_orders) AS u(authorization_id, month, orders)
        JOIN authorization_request r ON r.tenant_id = p_tenant AND r.id = u.authorization_id
        CROSS JOIN LATERAL agency_periods(u.month) AS p
        WHERE u.orders > 0
        ORDER BY 2, 3, 4
        ON CONFLICT DO NOTHING
        RETURNING agreement_id, period, period_start)
    INSERT INTO agreement_agency_count AS c (agreement_id, period, period_start, agency_count)
    SELECT agreement_id, period, period_start, count(*) FROM seen
    GROUP BY agreement_id, period, period_start
    ORDER BY agreement_id, period, period_start
    ON CONFLICT (agreement_id, period, period_start) DO UPDATE SET agency_count = c.agency_count + EXCLUDED.agency_count;

    INSERT INTO agreement_monthly AS a (agreement_id, month, amount_cents, order_count, list_cents, listed_paid_cents)
    SELECT r.agreement_id, u.month, sum(u.amount), sum(u.orders), sum(u.list), sum(u.paid)
    FROM unnest(p_authorizations, p_months, p_amounts, p_orders, p_list, p_paid)
             AS u(authorization_id, month, amount, orders, list, paid)
    JOIN authorization_request r ON r.tenant_id = p_tenant AND r.id = u.authorization_id
    GROUP BY r.agreement_id, u.month
    ORDER BY r.agreement_id, u.month
    ON CONFLICT (agreement_id, month) DO UPDATE SET
        amount_cents = a.amount_cents + EXCLUDED.amount_cents,
        order_count = a.order_count + EXCLUDED.order_count,
        list_cents = a.list_cents + EXCLUDED.list_cents,
        listed_paid_cents = a.listed_paid_cents + EXCLUDED.listed_paid_cents;
END
$$;
REVOKE ALL ON FUNCTION usage_aggregate(uuid, uuid[], date[], bigint[], integer[], bigint[], bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION usage_aggregate(uuid, uuid[], date[], bigint[], integer[], bigint[], bigint[]) TO cooperage_app;
