-- The same INSERT as pgbench-insert-app.sql, as the superuser in autocommit: no transaction wrapper,
-- no row-level security (the reference check and indexes still apply). Shown for reference only.
\set n random(1, :tenants)
\set k random(0, :auths - 1)
\set amount random(100, 99999)
INSERT INTO cooperage.usage_record (tenant_id, kind, authorization_id, agreement_id, supplier_id, category, po_number,
    order_date, amount_cents, lines, source, idempotency_key, request_digest, recorded_by)
SELECT m.tenant_id, 'order', m.authorization_id, m.agreement_id, m.supplier_id, m.category, 'PGB-' || gen_random_uuid(),
    date '2026-12-15', CAST(:amount AS bigint),
    jsonb_build_array(jsonb_build_object('description', 'Bench load item', 'unspsc', m.category, 'quantity', 1,
                                         'unitPriceCents', CAST(:amount AS bigint))),
    'agency', 'pgb-' || gen_random_uuid(), md5(CAST(:amount AS text)) || md5(CAST(:n AS text)), m.token_id
-- The row's tenant is set in the same statement (transaction-local): the event outbox's trigger (sql/0022) publishes
-- a row's event only into its own tenant's transaction.
FROM (SELECT *, set_config('app.tenant_id', tenant_id::text, true) FROM bench.authorization_map
      WHERE n = :n AND k = :k) AS m;
