-- Benchmark data, part 2: usage rows lo..hi of `usage_rows`, run in parallel sessions by Benchmarks/run.
--
-- Rows 1..orders are purchase orders (`orders` = 99% of usage_rows); the rest are reversals, one for
-- every 99th order, of half its amount, as `POST /v1/usage/{id}/reversal` writes them. Order i belongs to
-- tenant (i % tenants) + 1 and its authorization (i / tenants) % auths, is dated within 2025-2026, and
-- every other order carries a list price (for savings).
--
-- session_replication_role = replica turns off the foreign-key (RI) triggers and the append-only trigger
-- for this bulk load only; every reference is valid by construction (ids come from bench.uid and
-- bench.authorization_map), and the append-only trigger only refuses UPDATE and DELETE anyway.
\set ON_ERROR_STOP on
SET search_path = cooperage, public;
SET session_replication_role = replica;
SET synchronous_commit = off;

INSERT INTO usage_record (tenant_id, id, kind, authorization_id, agreement_id, supplier_id, category, po_number, order_date,
    amount_cents, list_cents, listed_paid_cents, lines, reverses_id, reason, source, recorded_by, created_at)
SELECT m.tenant_id,
       CASE WHEN s.reversal THEN bench.uid('reversal', s.i) ELSE bench.uid('usage', s.i) END,
       CASE WHEN s.reversal THEN 'reversal' ELSE 'order' END,
       m.authorization_id, m.agreement_id, m.supplier_id, m.category, 'H-' || s.i, v.day,
       CASE WHEN s.reversal THEN -(v.amount / 2) ELSE v.amount END,
       CASE WHEN s.reversal THEN -round(v.list * (v.amount / 2)::numeric / v.amount)::bigint ELSE v.list END,
       CASE WHEN v.list = 0 THEN 0 WHEN s.reversal THEN -round(v.amount * (v.amount / 2)::numeric / v.amount)::bigint
            ELSE v.amount END,
       CASE WHEN s.reversal THEN '[]'::jsonb
            ELSE format('[{"description": "Bench item %s", "unspsc": "%s", "quantity": 1, "unitPriceCents": %s%s}]',
                        s.i % 50, m.category, v.amount,
                        CASE WHEN v.list > 0 THEN ', "listPriceCents": ' || v.list ELSE '' END)::jsonb END,
       CASE WHEN s.reversal THEN bench.uid('usage', s.i) END,
       CASE WHEN s.reversal THEN 'bench correction' END,
       CASE WHEN s.i % 3 = 0 THEN 'import' ELSE 'agency' END,
       m.token_id, v.day + time '12:00'
FROM (SELECT g, g > :orders AS reversal, CASE WHEN g <= :orders THEN g ELSE (g - :orders) * 99 END AS i
      FROM generate_series(:lo::bigint, :hi::bigint) AS g) AS s
JOIN bench.authorization_map m ON m.n = (s.i % :tenants) + 1 AND m.k = (s.i / :tenants) % :auths
CROSS JOIN LATERAL (
    SELECT 100 + (s.i * 2654435761) % 499900 AS amount,
           CASE WHEN s.i % 2 = 0 THEN (100 + (s.i * 2654435761) % 499900) * 115 / 100 ELSE 0 END AS list,
           date '2025-01-01' + ((s.i * 7919) % 730)::int AS day
) AS v;
