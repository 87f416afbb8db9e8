-- usage_insert_orders takes each order's lines as text and casts them to jsonb row by row.
--
-- It took them as jsonb[], which the caller wrote as `$16::jsonb[]` over a text[] parameter. PostgreSQL
-- casts such an array as a whole, and when it plans the call with the parameter's value it does so while
-- planning: for a file of 50,000 orders the cast alone took 280 to 520 ms (Bind), against about 90 ms for the
-- same strings cast one by one as the rows are read. The function below is sql/0009's with `p_lines text[]`
-- and `u.lines::jsonb` in its INSERT, and three more changes, each for the cost of a large batch:
--   - the INSERT reads each order's agreement, supplier and category from the batch's few authorizations,
--     read once, instead of looking each order's authorization up in the index (4 buffers per order);
--   - the aggregates sum the orders per authorization and month before joining the authorizations;
--   - work_mem is 64MB while it runs, so the INSERT's transition table (every new row, for the statement's
--     reference check below) stays in memory for batches of up to about 80,000 orders instead of spilling
--     to a temporary file.
-- The reference check (sql/0007) likewise compares the batch's distinct authorization, agreement, supplier
-- and category combinations with the authorizations, not every new row.
DROP FUNCTION usage_insert_orders(uuid, uuid, uuid, text, text, text, text, text, uuid[], uuid[], text[], date[],
                                  bigint[], bigint[], bigint[], jsonb[]);

CREATE FUNCTION usage_insert_orders(
    p_tenant uuid,
    p_import uuid,
    p_recorded_by uuid,
    p_actor_role text,
    p_audit_action text,
    p_audit_subject_type text,
    p_audit_subject_id text,
    p_audit_digest text,
    p_ids uuid[],
    p_authorizations uuid[],
    p_po_numbers text[],
    p_order_dates date[],
    p_amounts bigint[],
    p_list bigint[],
    p_paid bigint[],
    p_lines text[]
) RETURNS TABLE (
    written boolean,
    authorization_id uuid,
    outcome text,
    authorized_cents bigint,
    used_cents bigint,
    valid_from text,
    valid_until text
)
    LANGUAGE plpgsql VOLATILE
    SET search_path = cooperage, pg_temp
    SET plan_cache_mode = force_generic_plan
    SET work_mem = '64MB'
AS $$
#variable_conflict use_column
DECLARE
    v_acceptable boolean;
    v_group record;
BEGIN
    PERFORM 1 FROM authorization_request r
    WHERE r.tenant_id = p_tenant AND r.id = ANY (p_authorizations)
    ORDER BY r.id
    FOR UPDATE;

    -- Amounts are positive, so orders on one authorization fit in turn exactly when they fit together, and
    -- they are all within its validity when the earliest and the latest are.
    SELECT coalesce(bool_and(r.id IS NOT NULL AND r.outcome = 'approved'
                             AND (r.valid_from IS NULL OR r.valid_until IS NULL
                                  OR (o.earliest >= r.valid_from AND o.latest <= r.valid_until))
                             AND o.total <= r.authorized_amount_cents - r.used_cents), false)
    INTO v_acceptable
    FROM (SELECT u.authorization_id, min(u.order_date) AS earliest, max(u.order_date) AS latest, sum(u.amount) AS total
          FROM unnest(p_authorizations, p_order_dates, p_amounts) AS u(authorization_id, order_date, amount)
          GROUP BY 1) AS o
    LEFT JOIN authorization_request r ON r.tenant_id = p_tenant AND r.id = o.authorization_id;

    IF v_acceptable THEN
        INSERT INTO usage_record (tenant_id, id, kind, authorization_id, agreement_id, supplier_id, category, po_number,
                                  order_date, amount_cents, list_cents, listed_paid_cents, lines, source, import_id,
                                  recorded_by)
        WITH r AS MATERIALIZED (
            SELECT r.id, r.agreement_id, r.supplier_id, r.category FROM authorization_request r
            WHERE r.tenant_id = p_tenant AND r.id = ANY (p_authorizations))
        SELECT p_tenant, u.id, 'order', u.authorization_id, r.agreement_id, r.supplier_id, r.category, u.po_number,
               u.order_date, u.amount, u.list, u.paid, u.lines::jsonb, 'import', p_import, p_recorded_by
        FROM unnest(p_ids, p_authorizations, p_po_numbers, p_order_dates, p_amounts, p_list, p_paid, p_lines)
                 AS u(id, authorization_id, po_number, order_date, amount, list, paid, lines)
        JOIN r ON r.id = u.authorization_id;

        UPDATE authorization_request AS r SET used_cents = r.used_cents + d.amount
        FROM (SELECT u.authorization_id, sum(u.amount)::bigint AS amount
              FROM unnest(p_authorizations, p_amounts) AS u(authorization_id, amount)
              GROUP BY 1) AS d
        WHERE r.tenant_id = p_tenant AND r.id = d.authorization_id;

        PERFORM audit_append(p_tenant, p_recorded_by, p_actor_role, p_audit_action, p_audit_subject_type,
                             p_audit_subject_id, p_audit_digest);

        FOR v_group IN
            SELECT r.agreement_id, r.category, u.month, sum(u.amount)::bigint AS amount,
                   sum(u.orders)::integer AS orders, sum(u.list)::bigint AS list, sum(u.paid)::bigint AS paid
            FROM (SELECT u.authorization_id, date_trunc('month', u.order_date::timestamp)::date AS month,
                         sum(u.amount) AS amount, count(*) AS orders, sum(u.list) AS list, sum(u.paid) AS paid
                  FROM unnest(p_authorizations, p_order_dates, p_amounts, p_list, p_paid)
                           AS u(authorization_id, order_date, amount, list, paid)
                  GROUP BY 1, 2) AS u
            JOIN authorization_request r ON r.tenant_id = p_tenant AND r.id = u.authorization_id
            GROUP BY 1, 2, 3
            ORDER BY 1, 2, 3
        LOOP
            PERFORM usage_add(p_tenant, v_group.agreement_id, v_group.category, v_group.month, v_group.amount,
                              v_group.orders, v_group.list, v_group.paid);
        END LOOP;
    END IF;

    RETURN QUERY
        SELECT v_acceptable, r.id, r.outcome, r.authorized_amount_cents, r.used_cents, r.valid_from::text,
               r.valid_until::text
        FROM authorization_request r
        WHERE r.tenant_id = p_tenant AND r.id = ANY (p_authorizations);
END
$$;
REVOKE ALL ON FUNCTION usage_insert_orders(uuid, uuid, uuid, text, text, text, text, text, uuid[], uuid[], text[], date[],
                                           bigint[], bigint[], bigint[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION usage_insert_orders(uuid, uuid, uuid, text, text, text, text, text, uuid[], uuid[], text[], date[],
                                              bigint[], bigint[], bigint[], text[]) TO cooperage_app;

-- sql/0007's check with the authorization comparison made once per distinct combination in the statement's
-- rows (a batch names a few); the offending row, when there is one, is then found among the rows.
CREATE OR REPLACE FUNCTION usage_record_check_references() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_bad record;
BEGIN
    SELECT b.id, b.po_number, b.problem INTO v_bad
    FROM (SELECT n.id, n.po_number, 'its authorization ' || n.authorization_id
                 || ' does not exist for this tenant or names another agreement, supplier or category' AS problem
          FROM (SELECT g.*
                FROM (SELECT DISTINCT tenant_id, authorization_id, agreement_id, supplier_id, category
                      FROM new_rows) AS g
                LEFT JOIN authorization_request r ON r.tenant_id = g.tenant_id AND r.id = g.authorization_id
                WHERE r.id IS NULL OR r.agreement_id <> g.agreement_id OR r.supplier_id <> g.supplier_id
                   OR r.category <> g.category
                LIMIT 1) AS g
          JOIN LATERAL (SELECT n.id, n.po_number, n.authorization_id FROM new_rows n
                        WHERE n.tenant_id = g.tenant_id AND n.authorization_id = g.authorization_id
                          AND n.agreement_id = g.agreement_id AND n.supplier_id = g.supplier_id
                          AND n.category = g.category
                        LIMIT 1) AS n ON true
          UNION ALL
          SELECT n.id, n.po_number, 'it reverses ' || n.reverses_id
                 || ', which is not an order of the same tenant and authorization'
          FROM new_rows n
          WHERE n.reverses_id IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM usage_record o
                            WHERE o.tenant_id = n.tenant_id AND o.id = n.reverses_id AND o.kind = 'order'
                              AND o.authorization_id = n.authorization_id)
          UNION ALL
          SELECT NULL, NULL, 'their import ' || n.import_id || ' does not exist for this tenant'
          FROM (SELECT DISTINCT tenant_id, import_id FROM new_rows WHERE import_id IS NOT NULL) AS n
          WHERE NOT EXISTS (SELECT 1 FROM usage_import i WHERE i.tenant_id = n.tenant_id AND i.id = n.import_id)) AS b
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'usage cannot be written: %', coalesce('usage record ' || v_bad.id || ' (purchase order '
                                                               || v_bad.po_number || '): ', '') || v_bad.problem
            USING ERRCODE = 'foreign_key_violation', TABLE = 'usage_record', CONSTRAINT = 'usage_record_references';
    END IF;
    RETURN NULL;
END
$$;
