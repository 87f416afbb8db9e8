-- Usage writes in one statement: registering a purchase order took 13 round trips (idempotency lock,
-- replay check, authorization lock, purchase-order check, insert, used amount, monthly aggregate, three for
-- the audit trail, re-read, BEGIN and COMMIT) and PostgreSQL planned each of them anew. These functions do
-- the same work with plans PL/pgSQL keeps per connection.
--
-- Both are ordinary SECURITY INVOKER functions: they run with the caller's rights and row-level security.
-- What they decide is only whether every order can be accepted; when one cannot, nothing is written and the
-- caller words the reasons (UsageCheck in Swift) from the facts returned.

-- Inserts orders under the tenant's authorizations, all or none, in the caller's tenant transaction.
--
-- The authorizations are locked (in id order, so concurrent writers cannot deadlock). Every order must name
-- an approved authorization of the tenant, be dated within its validity, and fit what remains of it, orders
-- on the same authorization taken in turn. Returns one row per authorization named: written is true when
-- every order was inserted (used_cents is then the amount after them), false when nothing was (the facts as
-- they were). A purchase-order number already registered raises 23505 on usage_record_po_key.
CREATE FUNCTION usage_insert_orders(
    p_tenant uuid,
    p_source text,
    p_import uuid,
    p_idempotency_key text,
    p_request_digest text,
    p_recorded_by uuid,
    p_ids uuid[],
    p_authorizations uuid[],
    p_po_numbers text[],
    p_order_dates date[],
    p_amounts bigint[],
    p_list bigint[],
    p_paid bigint[],
    p_lines jsonb[]
) RETURNS TABLE (
    written boolean,
    authorization_id uuid,
    outcome text,
    authorized_cents bigint,
    used_cents bigint,
    valid_from date,
    valid_until date
)
    LANGUAGE plpgsql VOLATILE
    SET search_path = cooperage, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_acceptable boolean;
BEGIN
    PERFORM 1 FROM authorization_request r
    WHERE r.tenant_id = p_tenant AND r.id = ANY (p_authorizations)
    ORDER BY r.id
    FOR UPDATE;

    SELECT coalesce(bool_and(r.id IS NOT NULL AND r.outcome = 'approved'
                             AND (r.valid_from IS NULL OR r.valid_until IS NULL
                                  OR o.order_date BETWEEN r.valid_from AND r.valid_until)
                             AND o.running <= r.authorized_amount_cents - r.used_cents), false)
    INTO v_acceptable
    FROM (SELECT u.authorization_id, u.order_date,
                 sum(u.amount) OVER (PARTITION BY u.authorization_id ORDER BY u.ord) AS running
          FROM unnest(p_authorizations, p_order_dates, p_amounts) WITH ORDINALITY AS u(authorization_id, order_date, amount, ord)) AS o
    LEFT JOIN authorization_request r ON r.tenant_id = p_tenant AND r.id = o.authorization_id;

    IF v_acceptable THEN
        INSERT INTO usage_record (tenant_id, id, kind, authorization_id, agreement_id, supplier_id, category, po_number,
                                  order_date, amount_cents, list_cents, listed_paid_cents, lines, source, import_id,
                                  idempotency_key, request_digest, recorded_by)
        SELECT p_tenant, u.id, 'order', u.authorization_id, r.agreement_id, r.supplier_id, r.category, u.po_number,
               u.order_date, u.amount, u.list, u.paid, u.lines, p_source, p_import, p_idempotency_key, p_request_digest,
               p_recorded_by
        FROM unnest(p_ids, p_authorizations, p_po_numbers, p_order_dates, p_amounts, p_list, p_paid, p_lines)
                 AS u(id, authorization_id, po_number, order_date, amount, list, paid, lines)
        JOIN authorization_request r ON r.tenant_id = p_tenant AND r.id = u.authorization_id;

        PERFORM usage_aggregate(p_tenant, g.authorizations, g.months, g.amounts, g.orders, g.list, g.paid)
        FROM (SELECT array_agg(d.authorization_id) AS authorizations, array_agg(d.month) AS months,
                     array_agg(d.amount) AS amounts, array_agg(d.orders) AS orders, array_agg(d.list) AS list,
                     array_agg(d.paid) AS paid
              FROM (SELECT u.authorization_id, date_trunc('month', u.order_date::timestamp)::date AS month,
                           sum(u.amount)::bigint AS amount, count(*)::integer AS orders, sum(u.list)::bigint AS list,
                           sum(u.paid)::bigint AS paid
                    FROM unnest(p_authorizations, p_order_dates, p_amounts, p_list, p_paid)
                             AS u(authorization_id, order_date, amount, list, paid)
                    GROUP BY 1, 2) AS d) AS g;
    END IF;

    RETURN QUERY
        SELECT v_acceptable, r.id, r.outcome, r.authorized_amount_cents, r.used_cents, r.valid_from, r.valid_until
        FROM authorization_request r
        WHERE r.tenant_id = p_tenant AND r.id = ANY (p_authorizations);
END
$$;
REVOKE ALL ON FUNCTION usage_insert_orders(uuid, text, uuid, text, text, uuid, uuid[], uuid[], text[], date[], bigint[],
                                           bigint[], bigint[], jsonb[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION usage_insert_orders(uuid, text, uuid, text, text, uuid, uuid[], uuid[], text[], date[], bigint[],
                                              bigint[], bigint[], jsonb[]) TO cooperage_app;

-- Registers one purchase order (POST /v1/usage) in one statement, its own transaction: sets the tenant for
-- row-level security, serializes requests with the same Idempotency-Key, answers a retry with the first
-- result, inserts the order with its aggregates, and appends the audit event.
--
-- status: created or replayed (with the record, as UsageStore reads it), conflict (the key was used with
-- another request; nothing else is returned), or rejected (nothing written; the authorization's facts, if
-- it is the tenant's, for the caller to word the reason).
CREATE FUNCTION usage_register(
    p_tenant uuid,
    p_idempotency_key text,
    p_request_digest text,
    p_id uuid,
    p_authorization uuid,
    p_po_number text,
    p_order_date date,
    p_amount bigint,
    p_list bigint,
    p_paid bigint,
    p_lines jsonb,
    p_actor_token uuid,
    p_actor_role text
) RETURNS TABLE (
    status text,
    id uuid,
    kind text,
    authorization_id uuid,
    agreement_id uuid,
    supplier_id uuid,
    category text,
    po_number text,
    order_date text,
    amount_cents bigint,
    lines text,
    reverses_id uuid,
    reason text,
    source text,
    import_id uuid,
    created_at timestamptz,
    remaining_cents bigint,
    outcome text,
    authorized_cents bigint,
    used_cents bigint,
    valid_from text,
    valid_until text
)
    LANGUAGE plpgsql VOLATILE
    SET search_path = cooperage, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_existing uuid;
    v_stored_digest text;
    v_facts record;
BEGIN
    PERFORM set_config('app.tenant_id', p_tenant::text, true);
    -- The same lock as IdempotencyLock (class "Id"), so the Swift writers and this function serialize alike.
    PERFORM pg_advisory_xact_lock(18788, hashtext(upper(p_tenant::text) || '/' || p_idempotency_key));

    SELECT u.id, u.request_digest INTO v_existing, v_stored_digest
    FROM usage_record u WHERE u.tenant_id = p_tenant AND u.idempotency_key = p_idempotency_key;
    IF FOUND AND v_stored_digest IS DISTINCT FROM p_request_digest THEN
        RETURN QUERY SELECT 'conflict'::text, NULL::uuid, NULL::text, NULL::uuid, NULL::uuid, NULL::uuid, NULL::text,
                            NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::uuid, NULL::text, NULL::text,
                            NULL::uuid, NULL::timestamptz, NULL::bigint, NULL::text, NULL::bigint, NULL::bigint,
                            NULL::text, NULL::text;
        RETURN;
    END IF;

    IF v_existing IS NULL THEN
        SELECT f.* INTO v_facts
        FROM usage_insert_orders(p_tenant, 'agency', NULL, p_idempotency_key, p_request_digest, p_actor_token,
                                 ARRAY[p_id], ARRAY[p_authorization], ARRAY[p_po_number], ARRAY[p_order_date],
                                 ARRAY[p_amount], ARRAY[p_list], ARRAY[p_paid], ARRAY[p_lines]) AS f;
        IF v_facts.written IS DISTINCT FROM true THEN
            RETURN QUERY SELECT 'rejected'::text, NULL::uuid, NULL::text, p_authorization, NULL::uuid, NULL::uuid,
                                NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::uuid, NULL::text,
                                NULL::text, NULL::uuid, NULL::timestamptz, NULL::bigint, v_facts.outcome,
                                v_facts.authorized_cents, v_facts.used_cents, v_facts.valid_from::text,
                                v_facts.valid_until::text;
            RETURN;
        END IF;
        PERFORM audit_append(p_tenant, p_actor_token, p_actor_role, 'usage.registered', 'usage', p_id::text,
                             p_request_digest);
    END IF;

    RETURN QUERY
        SELECT CASE WHEN v_existing IS NULL THEN 'created' ELSE 'replayed' END, u.id, u.kind, u.authorization_id,
               u.agreement_id, u.supplier_id, u.category, u.po_number, u.order_date::text, u.amount_cents, u.lines::text,
               u.reverses_id, u.reason, u.source, u.import_id, u.created_at,
               r.authorized_amount_cents - r.used_cents, NULL::text, NULL::bigint, NULL::bigint, NULL::text, NULL::text
        FROM usage_record u
        JOIN authorization_request r ON r.tenant_id = u.tenant_id AND r.id = u.authorization_id
        WHERE u.tenant_id = p_tenant AND u.id = coalesce(v_existing, p_id);
END
$$;
REVOKE ALL ON FUNCTION usage_register(uuid, text, text, uuid, uuid, text, date, bigint, bigint, bigint, jsonb, uuid, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION usage_register(uuid, text, text, uuid, uuid, text, date, bigint, bigint, bigint, jsonb, uuid, text)
    TO cooperage_app;
