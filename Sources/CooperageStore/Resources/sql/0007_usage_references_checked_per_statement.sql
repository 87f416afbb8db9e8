-- usage_record's references, checked once per statement instead of by six foreign-key triggers per row.
--
-- Each foreign key fired a trigger per inserted row that looked up the row it points at (tenant, agreement,
-- supplier, authorization, reversed order, import): with 6 of them a bulk import spent more time in those
-- lookups than in writing its rows (50,000 rows: 2.1 s with them, 0.8 s without, on the benchmark machine).
-- One statement-level trigger now checks every new row of an INSERT together, and checks more than the
-- foreign keys did:
--   - the authorization exists for the same tenant, and the row carries that authorization's agreement,
--     supplier and category (the foreign keys only said that some agreement and supplier existed);
--   - a reversal points at an order of the same tenant and authorization;
--   - an import row points at an import of the same tenant.
-- The tenant itself follows from the authorization (whose own foreign key names the tenant).
--
-- What the foreign keys also did, refusing to delete a row that usage points at, is now done by the
-- referenced tables themselves: authorizations and imports are never deleted (the server's role has no
-- DELETE on them either), and their references never change; usage rows were already append-only. Agreements, suppliers and tenants are
-- still referenced by authorization_request's foreign keys.
--
-- A violation raises SQLSTATE 23503 (foreign_key_violation) naming the first offending row, as a foreign key
-- would. The trigger runs with the inserting role's rights and row-level security: the authorization must
-- be visible to the tenant that writes the usage.
ALTER TABLE usage_record
    DROP CONSTRAINT usage_record_tenant_id_fkey,
    DROP CONSTRAINT usage_record_agreement_id_fkey,
    DROP CONSTRAINT usage_record_supplier_id_fkey,
    DROP CONSTRAINT usage_record_tenant_id_authorization_id_fkey,
    DROP CONSTRAINT usage_record_tenant_id_reverses_id_fkey,
    DROP CONSTRAINT usage_record_tenant_id_import_id_fkey;

CREATE FUNCTION usage_record_check_references() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = cooperage, pg_temp
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_bad record;
BEGIN
    -- One query for the three checks: the first offending row, if any.
    SELECT b.id, b.po_number, b.problem INTO v_bad
    FROM (SELECT n.id, n.po_number, 'its authorization ' || n.authorization_id
                 || ' does not exist for this tenant or names another agreement, supplier or category' AS problem
          FROM new_rows n
          LEFT JOIN authorization_request r ON r.tenant_id = n.tenant_id AND r.id = n.authorization_id
          WHERE r.id IS NULL OR r.agreement_id <> n.agreement_id OR r.supplier_id <> n.supplier_id
             OR r.category <> n.category
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
CREATE TRIGGER usage_record_references AFTER INSERT ON usage_record
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION usage_record_check_references();

-- Rows that usage points at are never deleted.
CREATE FUNCTION refuse_delete() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted (usage points at them): % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER authorization_request_never_deleted BEFORE DELETE ON authorization_request
    FOR EACH ROW EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER authorization_request_never_truncated BEFORE TRUNCATE ON authorization_request
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER usage_import_never_deleted BEFORE DELETE ON usage_import
    FOR EACH ROW EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER usage_import_never_truncated BEFORE TRUNCATE ON usage_import
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();
-- An authorization's agreement, supplier and category, which usage rows copy, never change.
CREATE FUNCTION refuse_reference_change() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.tenant_id <> OLD.tenant_id OR NEW.id <> OLD.id OR NEW.agreement_id <> OLD.agreement_id
       OR NEW.supplier_id <> OLD.supplier_id OR NEW.category <> OLD.category THEN
        RAISE EXCEPTION 'an authorization''s tenant, id, agreement, supplier and category never change'
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER authorization_request_references_fixed BEFORE UPDATE OF tenant_id, id, agreement_id, supplier_id, category
    ON authorization_request FOR EACH ROW EXECUTE FUNCTION refuse_reference_change();

-- No query can use this index (the usage list filters by agreement as "no filter or this agreement", which no
-- index serves, and orders by seq), yet every usage row paid for it: a fifth of a bulk import's insert time.
DROP INDEX usage_record_agreement_idx;
