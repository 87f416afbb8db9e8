-- A bulk import's orders are written in chunks within its one transaction, so the server prepares each chunk
-- while the database writes the one before; usage_insert_orders (sql/0011) took the whole file in one statement,
-- so the database waited for the server to build every row of the file, then the server waited for the database.
--
-- The lock order every usage writer follows is kept (sql/0009): the caller locks all the file's
-- authorizations first (in id order), each chunk inserts its orders and moves their authorizations' used
-- amounts, and usage_import_finish then appends the import's audit event and moves the aggregates, the rows
-- every writer locks last. The chunks' sums per authorization and month wait in a temporary table of the
-- transaction, so the aggregates come from the rows the database inserted.

-- Inserts one chunk of an import's orders in the caller's tenant transaction. Every order must name an
-- approved authorization of the tenant, be dated within its validity and fit what remains of it (the earlier
-- chunks' orders already counted); when one does not, nothing of the chunk is written and it raises 23514 on
-- usage_authorization_limits (the caller checks the file against the locked authorizations first and words the
-- reasons; this is the database's own guard). A purchase-order number already registered raises 23505 on
-- usage_record_po_key.
CREATE FUNCTION usage_import_orders(
    p_tenant uuid,
    p_import uuid,
    p_recorded_by uuid,
    p_ids uuid[],
    p_authorizations uuid[],
    p_po_numbers text[],
    p_order_dates date[],
    p_amounts bigint[],
    p_list bigint[],
    p_paid bigint[],
    p_lines text[]
) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = cooperage, pg_temp
    SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    PERFORM 1 FROM authorization_request r
    WHERE r.tenant_id = p_tenant AND r.id = ANY (p_authorizations)
    ORDER BY r.id
    FOR UPDATE;

    -- Amounts are positive, so orders on one authorization fit in turn exactly when they fit together, and
    -- they are all within its validity when the earliest and the latest are.
    IF NOT coalesce((
        SELECT bool_and(r.id IS NOT NULL AND r.outcome = 'approved'
                        AND (r.valid_from IS NULL OR r.valid_until IS NULL
                             OR (o.earliest >= r.valid_from AND o.latest <= r.valid_until))
                        AND o.total <= r.authorized_amount_cents - r.used_cents)
        FROM (SELECT u.authorization_id, min(u.order_date) AS earliest, max(u.order_date) AS latest, sum(u.amount) AS total
              FROM unnest(p_authorizations, p_order_dates, p_amounts) AS u(authorization_id, order_date, amount)
              GROUP BY 1) AS o
        LEFT JOIN authorization_request r ON r.tenant_id = p_tenant AND r.id = o.authorization_id), false)
    THEN
        RAISE EXCEPTION 'usage cannot be written: an order of the import does not fit its authorization'
            USING ERRCODE = 'check_violation', TABLE = 'usage_record', CONSTRAINT = 'usage_authorization_limits';
    END IF;

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

    IF to_regclass('pg_temp.usage_import_sums') IS NULL THEN
        CREATE TEMPORARY TABLE usage_import_sums (
            authorization_id uuid NOT NULL,
            month date NOT NULL,
            amount bigint NOT NULL,
            orders integer NOT NULL,
            list bigint NOT NULL,
            paid bigint NOT NULL
        ) ON COMMIT DROP;
    END IF;
    INSERT INTO pg_temp.usage_import_sums
    SELECT u.authorization_id, date_trunc('month', u.order_date::timestamp)::date, sum(u.amount), count(*),
           sum(u.list), sum(u.paid)
    FROM unnest(p_authorizations, p_order_dates, p_amounts, p_list, p_paid)
             AS u(authorization_id, order_date, amount, list, paid)
    GROUP BY 1, 2;
END
$$;
REVOKE ALL ON FUNCTION usage_import_orders(uuid, uuid, uuid, uuid[], uuid[], text[], date[], bigint[], bigint[], bigint[],
                                           text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION usage_import_orders(uuid, uuid, uuid, uuid[], uuid[], text[], date[], bigint[], bigint[],
                                              bigint[], text[]) TO cooperage_app;

-- Ends an import written with usage_import_orders: its one audit event, then every aggregate its chunks moved
-- (usage_add, in agreement, category and month order). Raises 55000 when no chunk was written.
CREATE FUNCTION usage_import_finish(
    p_tenant uuid,
    p_recorded_by uuid,
    p_actor_role text,
    p_audit_action text,
    p_audit_subject_type text,
    p_audit_subject_id text,
    p_audit_digest text
) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = cooperage, pg_temp
AS $$
DECLARE
    v_group record;
BEGIN
    IF to_regclass('pg_temp.usage_import_sums') IS NULL THEN
        RAISE EXCEPTION 'usage_import_finish: this transaction wrote no orders with usage_import_orders'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;

    PERFORM audit_append(p_tenant, p_recorded_by, p_actor_role, p_audit_action, p_audit_subject_type,
                         p_audit_subject_id, p_audit_digest);

    FOR v_group IN
        SELECT r.agreement_id, r.category, s.month, sum(s.amount)::bigint AS amount, sum(s.orders)::integer AS orders,
               sum(s.list)::bigint AS list, sum(s.paid)::bigint AS paid
        FROM pg_temp.usage_import_sums s
        JOIN authorization_request r ON r.tenant_id = p_tenant AND r.id = s.authorization_id
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
    LOOP
        PERFORM usage_add(p_tenant, v_group.agreement_id, v_group.category, v_group.month, v_group.amount,
                          v_group.orders, v_group.list, v_group.paid);
    END LOOP;
    DROP TABLE pg_temp.usage_import_sums;
END
$$;
REVOKE ALL ON FUNCTION usage_import_finish(uuid, uuid, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION usage_import_finish(uuid, uuid, text, text, text, text, text) TO cooperage_app;

-- Imports were its only caller.
DROP FUNCTION usage_insert_orders(uuid, uuid, uuid, text, text, text, text, text, uuid[], uuid[], text[], date[],
                                  bigint[], bigint[], bigint[], text[]);
