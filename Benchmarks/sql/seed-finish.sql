-- Benchmark data, part 3: rebuild the indexes, derive the aggregates the server maintains, check them,
-- and leave the tables vacuumed and analyzed (as a database in service would be).
\set ON_ERROR_STOP on
SET search_path = cooperage, public;
SET maintenance_work_mem = '1GB';

DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT definition FROM bench.saved_index LOOP
        EXECUTE r.definition;
    END LOOP;
END
$$;

-- usage_monthly exactly as UsageWriter.addToAggregates builds it: per tenant x agreement x category x month,
-- orders count 1 and reversals 0.
INSERT INTO usage_monthly (tenant_id, agreement_id, category, month, amount_cents, order_count, list_cents, listed_paid_cents)
SELECT tenant_id, agreement_id, category, date_trunc('month', order_date)::date, sum(amount_cents)::bigint,
       count(*) FILTER (WHERE kind = 'order'), sum(list_cents)::bigint, sum(listed_paid_cents)::bigint
FROM usage_record
GROUP BY 1, 2, 3, 4;

-- The agreement rollups exactly as usage_add() maintains them (sql/0008): every agency's spend and orders per
-- agreement and month, quarter and all time, and the agencies counted there.
INSERT INTO agreement_agency_period (tenant_id, agreement_id, period, period_start)
SELECT DISTINCT m.tenant_id, m.agreement_id, p.period, p.period_start
FROM usage_monthly m CROSS JOIN LATERAL agency_periods(m.month) AS p
WHERE m.order_count > 0;
INSERT INTO agreement_rollup (agreement_id, period, period_start, amount_cents, order_count, list_cents, listed_paid_cents,
                              agency_count)
SELECT s.agreement_id, s.period, s.period_start, s.amount, s.orders, s.list, s.paid, coalesce(c.agencies, 0)
FROM (SELECT m.agreement_id, p.period, p.period_start, sum(m.amount_cents) AS amount, sum(m.order_count) AS orders,
             sum(m.list_cents) AS list, sum(m.listed_paid_cents) AS paid
      FROM usage_monthly m CROSS JOIN LATERAL agency_periods(m.month) AS p
      GROUP BY 1, 2, 3) AS s
LEFT JOIN (SELECT agreement_id, period, period_start, count(*) AS agencies FROM agreement_agency_period GROUP BY 1, 2, 3) AS c
       USING (agreement_id, period, period_start);

-- used_cents: what orders minus reversals took from each authorization. A tenant's authorizations are on
-- distinct agreements here, so (tenant, agreement) names one authorization and the monthly rows suffice.
UPDATE authorization_request r SET used_cents = u.used
FROM (SELECT tenant_id, agreement_id, sum(amount_cents)::bigint AS used FROM usage_monthly GROUP BY 1, 2) AS u
WHERE r.tenant_id = u.tenant_id AND r.agreement_id = u.agreement_id;

-- The aggregates must add up to the raw rows, as they would after the same writes through the server.
DO $$
DECLARE
    raw bigint;
    raw_orders bigint;
    monthly bigint;
    monthly_orders bigint;
    used bigint;
    by_agreement bigint;
BEGIN
    SELECT sum(amount_cents), count(*) FILTER (WHERE kind = 'order') INTO raw, raw_orders FROM cooperage.usage_record;
    SELECT sum(amount_cents), sum(order_count) INTO monthly, monthly_orders FROM cooperage.usage_monthly;
    SELECT sum(used_cents) INTO used FROM cooperage.authorization_request;
    SELECT sum(amount_cents) INTO by_agreement FROM cooperage.agreement_rollup WHERE period = 'all';
    IF raw IS DISTINCT FROM monthly OR raw IS DISTINCT FROM used OR raw_orders IS DISTINCT FROM monthly_orders
       OR raw IS DISTINCT FROM by_agreement THEN
        RAISE EXCEPTION 'seed check failed: raw % / % orders, monthly % / % orders, used %, agreement_rollup %',
            raw, raw_orders, monthly, monthly_orders, used, by_agreement;
    END IF;
    RAISE NOTICE 'seed check: % cents in % orders; usage_monthly, agreement_rollup and used_cents agree', raw, raw_orders;
END
$$;

-- A freshly bulk-loaded table would otherwise be vacuumed by autovacuum in the middle of a measurement.
VACUUM (ANALYZE) usage_record;
VACUUM (ANALYZE) usage_monthly;
VACUUM (ANALYZE) agreement_rollup;
VACUUM (ANALYZE) agreement_agency_period;
VACUUM (ANALYZE) authorization_request;
ANALYZE;

-- The bulk load wrote gigabytes of WAL: the checkpoint it calls for is taken now, at once, rather than
-- spread over the next quarter of an hour in the middle of every measurement.
CHECKPOINT;
