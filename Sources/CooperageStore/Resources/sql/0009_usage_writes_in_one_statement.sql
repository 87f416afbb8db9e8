-- Usage writes in one statement: registering a purchase order took 13 round trips (idempotency lock,
-- replay check, authorization lock, purchase-order check, insert, used amount, monthly aggregate, three for
-- the audit trail, re-read, BEGIN and COMMIT) and PostgreSQL planned each of them anew. These functions do
-- the same work with plans PL/pgSQL keeps per connection.
--
-- Both are ordinary SECURITY INVOKER functions: they run with the caller's rights and row-level security.
-- What they decide is only whether every order can be accepted; when one cannot, nothing is written and the
-- caller words the reasons (UsageCheck in Swift) from the facts returned.
--
-- Every usage writer takes its locks in one order, so none can deadlock with another: the idempotency key or
-- the import, the authorizations (by id), the tenant's audit chain, then the aggregates (usage_add).

-- Inserts a batch of orders (a bulk import) under the tenant's authorizations, all or none, in the caller's
-- tenant transaction, with the batch's one audit event (p_audit_*) and every aggregate.
--
-- The authorizations are locked (in id order, so concurrent writers cannot deadlock). Every order must name
-- an approved authorization of the tenant, be dated within its validity, and fit what remains of it, orders
-- on the same authorization taken in turn (usage_register checks one order the same way). Amounts must be
-- positive (the caller's validation; usage_record's CHECK refuses others anyway). Returns one row per
-- authorization named: written is true when every order was inserted (used_cents is then the amount after
-- them), false when nothing was (the facts as they were). A purchase-order number already registered raises
-- 23505 on usage_record_po_key.
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
    p_lines jsonb[]
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
        SELECT p_tenant, u.id, 'order', u.authorization_id, r.agreement_id, r.supplier_id, r.category, u.po_number,
               u.order_date, u.amount, u.list, u.paid, u.lines, 'import', p_import, p_recorded_by
        FROM unnest(p_ids, p_authorizations, p_po_numbers, p_order_dates, p_amounts, p_list, p_paid, p_lines)
                 AS u(id, authorization_id, po_number, order_date, amount, list, paid, lines)
        JOIN authorization_request r ON r.tenant_id = p_tenant AND r.id = u.authorization_id;

        UPDATE authorization_request AS r SET used_cents = r.used_cents + d.amount
        FROM (SELECT u.authorization_id, sum(u.amount)::bigint AS amount
              FROM unnest(p_authorizations, p_amounts) AS u(authorization_id, amount)
              GROUP BY 1) AS d
        WHERE r.tenant_id = p_tenant AND r.id = d.authorization_id;

        PERFORM audit_append(p_tenant, p_recorded_by, p_actor_role, p_audit_action, p_audit_subject_type,
                             p_audit_subject_id, p_audit_digest);

        FOR v_group IN
            SELECT r.agreement_id, r.category, date_trunc('month', u.order_date::timestamp)::date AS month,
                   sum(u.amount)::bigint AS amount, count(*)::integer AS orders, sum(u.list)::bigint AS list,
                   sum(u.paid)::bigint AS paid
            FROM unnest(p_authorizations, p_order_dates, p_amounts, p_list, p_paid)
                     AS u(authorization_id, order_date, amount, list, paid)
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
                                           bigint[], bigint[], bigint[], jsonb[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION usage_insert_orders(uuid, uuid, uuid, text, text, text, text, text, uuid[], uuid[], text[], date[],
                                              bigint[], bigint[], bigint[], jsonb[]) TO cooperage_app;

-- Registers one purchase order (POST /v1/usage) in one statement, its own transaction: sets the tenant for
-- row-level security, serializes requests with the same Idempotency-Key, answers a retry with the first
-- result, checks and inserts the order, appends the audit event (its payload digest is the request's digest)
-- and moves the aggregates. Scalar statements throughout: this is the hottest write.
--
-- The order is checked as usage_insert_orders checks a batch: an approved authorization of the tenant, the
-- date within its validity, the amount within what remains.
--
-- status: created or replayed (with the record, as UsageStore reads it), conflict (the key was used with
-- another request; nothing else is returned), or rejected (nothing written; the authorization's facts, if
-- it is the tenant's, for the caller to word the reason). A purchase-order number already registered raises
-- 23505 on usage_record_po_key.
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
    SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    v_existing uuid;
    v_stored_digest text;
    v_authorization record;
    v_created_at timestamptz;
BEGIN
    -- The same lock as IdempotencyLock (class "Id"), so the Swift writers and this function serialize alike.
    PERFORM set_config('app.tenant_id', p_tenant::text, true),
            pg_advisory_xact_lock(18788, hashtext(upper(p_tenant::text) || '/' || p_idempotency_key));

    SELECT u.id, u.request_digest INTO v_existing, v_stored_digest
    FROM usage_record u WHERE u.tenant_id = p_tenant AND u.idempotency_key = p_idempotency_key;
    IF FOUND THEN
        IF v_stored_digest IS DISTINCT FROM p_request_digest THEN
            status := 'conflict';
            RETURN NEXT;
            RETURN;
        END IF;
        RETURN QUERY
            SELECT 'replayed'::text, u.id, u.kind, u.authorization_id, u.agreement_id, u.supplier_id, u.category,
                   u.po_number, u.order_date::text, u.amount_cents, u.lines::text, u.reverses_id, u.reason, u.source,
                   u.import_id, u.created_at, r.authorized_amount_cents - r.used_cents, NULL::text, NULL::bigint,
                   NULL::bigint, NULL::text, NULL::text
            FROM usage_record u
            JOIN authorization_request r ON r.tenant_id = u.tenant_id AND r.id = u.authorization_id
            WHERE u.tenant_id = p_tenant AND u.id = v_existing;
        RETURN;
    END IF;

    -- The check and the used amount in one statement, which locks the authorization: under concurrent writes
    -- PostgreSQL re-checks the conditions on the row's latest version.
    UPDATE authorization_request AS r SET used_cents = r.used_cents + p_amount
    WHERE r.tenant_id = p_tenant AND r.id = p_authorization AND r.outcome = 'approved'
      AND (r.valid_from IS NULL OR r.valid_until IS NULL OR p_order_date BETWEEN r.valid_from AND r.valid_until)
      AND r.used_cents + p_amount <= r.authorized_amount_cents
    RETURNING r.authorized_amount_cents, r.used_cents, r.agreement_id, r.supplier_id, r.category
    INTO v_authorization;
    IF NOT FOUND THEN
        SELECT r.outcome, r.authorized_amount_cents, r.used_cents, r.valid_from, r.valid_until
        INTO v_authorization
        FROM authorization_request r
        WHERE r.tenant_id = p_tenant AND r.id = p_authorization;
        status := 'rejected';
        authorization_id := p_authorization;
        outcome := v_authorization.outcome;
        authorized_cents := v_authorization.authorized_amount_cents;
        used_cents := v_authorization.used_cents;
        valid_from := v_authorization.valid_from::text;
        valid_until := v_authorization.valid_until::text;
        RETURN NEXT;
        RETURN;
    END IF;

    INSERT INTO usage_record (tenant_id, id, kind, authorization_id, agreement_id, supplier_id, category, po_number,
                              order_date, amount_cents, list_cents, listed_paid_cents, lines, source, idempotency_key,
                              request_digest, recorded_by)
    VALUES (p_tenant, p_id, 'order', p_authorization, v_authorization.agreement_id, v_authorization.supplier_id,
            v_authorization.category, p_po_number, p_order_date, p_amount, p_list, p_paid, p_lines, 'agency',
            p_idempotency_key, p_request_digest, p_actor_token)
    RETURNING created_at INTO v_created_at;
    PERFORM audit_append(p_tenant, p_actor_token, p_actor_role, 'usage.registered', 'usage', p_id::text, p_request_digest);
    PERFORM usage_add(p_tenant, v_authorization.agreement_id, v_authorization.category,
                      date_trunc('month', p_order_date::timestamp)::date, p_amount, 1, p_list, p_paid);

    status := 'created';
    id := p_id;
    kind := 'order';
    authorization_id := p_authorization;
    agreement_id := v_authorization.agreement_id;
    supplier_id := v_authorization.supplier_id;
    category := v_authorization.category;
    po_number := p_po_number;
    order_date := p_order_date::text;
    amount_cents := p_amount;
    lines := p_lines::text;
    source := 'agency';
    created_at := v_created_at;
    remaining_cents := v_authorization.authorized_amount_cents - v_authorization.used_cents;
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION usage_register(uuid, text, text, uuid, uuid, text, date, bigint, bigint, bigint, jsonb, uuid, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION usage_register(uuid, text, text, uuid, uuid, text, date, bigint, bigint, bigint, jsonb, uuid, text)
    TO cooperage_app;
