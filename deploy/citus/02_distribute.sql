-- Distributes the migrated schema: the cooperative's tables as reference tables (a copy on every node), every table
-- with a tenant_id column as a distributed table, colocated by tenant_id. Run as a superuser on the coordinator,
-- once, after 01_roles.sql, on a database `cooperage` migrated while it was still an ordinary database.
--
-- The order matters (measured on Citus 13.2.2 with PostgreSQL 15): making a referenced cooperative table a
-- reference table first turns every tenant table that points at it into a Citus local table, and a table with an
-- identity column (authorization_request.seq, event.seq) then cannot become distributed ("cannot complete
-- operation on a table with identity column"). So the foreign keys are dropped, the tables distributed, and the
-- same foreign keys (by definition, from the catalog) added back.
SET search_path = cooperage;
SET citus.enable_unsafe_triggers = on;  -- the append-only and event triggers run on the shards (see README.md)
-- Adding a foreign key to a reference table after a parallel operation in one transaction is refused (measured);
-- one connection per node does it.
SET citus.multi_shard_modify_mode = 'sequential';

CREATE TEMP TABLE saved_foreign_key AS
SELECT c.conrelid::regclass AS on_table, c.conname, pg_get_constraintdef(c.oid) AS definition
FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace AND n.nspname = 'cooperage'
WHERE c.contype = 'f';

DO $$
DECLARE
    fk record;
    t record;
BEGIN
    FOR fk IN SELECT * FROM saved_foreign_key LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.on_table, fk.conname);
    END LOOP;
    -- Reference tables: every table of the schema without tenant_id, but the agreement-level counters. (The
    -- migrations' bookkeeping table is in schema public and stays a local table of the coordinator, where later
    -- migrations run; Citus propagates their DDL.)
    FOR t IN
        SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'cooperage' AND c.relkind = 'r'
          AND c.relname NOT IN ('agreement_commitment', 'agreement_rollup')
          AND NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                                                       AND NOT a.attisdropped)
        ORDER BY c.relname
    LOOP
        PERFORM create_reference_table(t.name);
    END LOOP;
    -- The agreement-level counters, which every decision (committed amount) and every order (rollups) writes:
    -- distributed by agreement_id, colocated with each other. In a reference table each such write would lock
    -- the table's one shard on every node and serialize the cooperative's writes; here writes to different
    -- agreements never wait for each other. The cost: a decision or an order touches the tenant's shard and the
    -- agreement's, on up to two workers (a two-phase commit).
    PERFORM create_distributed_table('agreement_commitment', 'agreement_id', colocate_with => 'none');
    PERFORM create_distributed_table('agreement_rollup', 'agreement_id', colocate_with => 'agreement_commitment');
    -- Distributed tables: every table with tenant_id, colocated with agency_token.
    PERFORM create_distributed_table('agency_token', 'tenant_id');
    FOR t IN
        SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'cooperage' AND c.relkind = 'r' AND c.relname <> 'agency_token'
          AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                                                   AND NOT a.attisdropped)
        ORDER BY c.relname
    LOOP
        PERFORM create_distributed_table(t.name::text, 'tenant_id', colocate_with => 'agency_token');
    END LOOP;
    FOR fk IN SELECT * FROM saved_foreign_key LOOP
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.on_table, fk.conname, fk.definition);
    END LOOP;
END
$$;

-- The schema is distributed: the statements Citus cannot run as written for one PostgreSQL take their Citus form
-- (sql/schema.sql, on_citus()). An agency's transaction cannot write the cooperative's events here (they live on the
-- nil tenant's shard, which may be on another node, and triggers on shards may not reach other nodes), so the
-- ceiling and tier alerts are raised by the alert scheduler's sweep only: set alerts.interval to how late such an
-- alert may be (for example 5m). And an import inserts its orders one statement each (COPY is refused under
-- row-level security).
-- (Citus carries ALTER DATABASE ... SET to the workers.)
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET cooperage.citus = %L', current_database(), 'on');
END
$$;

-- The identity columns' sequences (authorization_request.seq, usage_record.seq, event.seq, ...): one PostgreSQL
-- lets an INSERT draw from them without any grant, but Citus calls nextval itself when the coordinator routes a
-- row to its shard, which needs USAGE (measured: "permission denied for sequence usage_record_seq_seq" on an
-- import). Only the server's role inserts into these tables.
DO $$
DECLARE
    s regclass;
BEGIN
    FOR s IN
        SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'cooperage' AND c.relkind = 'S'
    LOOP
        EXECUTE format('GRANT USAGE ON SEQUENCE %s TO cooperage_app', s);
    END LOOP;
END
$$;
