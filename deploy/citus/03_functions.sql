-- Delegates the tenant-keyed functions to the worker that holds the tenant's shards, so a call runs there in one
-- round trip, its transaction-local set_config('app.tenant_id', ...) applies where the rows are, and the
-- per-tenant advisory locks it takes (audit chain, Idempotency-Key) are taken on that one worker for every call of
-- the tenant. Run as a superuser on the coordinator after 02_distribute.sql.
SET search_path = cooperage;
-- On one PostgreSQL the hottest functions force generic plans (they skip five custom plannings per session). Citus
-- cannot route a generic plan's parameter to a shard: "could not create distributed plan ... Possibly this is caused
-- by the use of parameters in SQL functions" (measured: every token check and decision failed). Custom plans let it
-- prune to the tenant's shard. Reset before the functions are distributed, so the workers get them reset too.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'cooperage' AND 'plan_cache_mode=force_generic_plan' = ANY (p.proconfig)
    LOOP
        EXECUTE format('ALTER FUNCTION %s RESET plan_cache_mode', f);
    END LOOP;
END
$$;
SELECT create_distributed_function('authenticate_agency_token(uuid,bytea)', 'p_tenant', colocate_with => 'agency_token');
SELECT create_distributed_function('authenticate_console_session(uuid,bytea)', 'p_tenant', colocate_with => 'agency_token');
SELECT create_distributed_function('authorization_decision_facts_presented(uuid,bytea,text[],text,uuid,date,text)',
                                   'p_tenant', colocate_with => 'agency_token');
SELECT create_distributed_function('authorization_decision_facts(uuid,text,uuid,date,text,integer,uuid)',
                                   'p_tenant', colocate_with => 'agency_token');
SELECT create_distributed_function(
    'authorization_create(uuid,uuid,uuid,bigint,date,text,jsonb,text,jsonb,text,text,text,jsonb,integer,jsonb,bigint,date,date,uuid,text,text,integer)',
    'p_tenant', colocate_with => 'agency_token');
SELECT create_distributed_function(
    'authorization_record_decision(uuid,uuid,integer,text,text,jsonb,integer,jsonb,bigint,date,date,uuid,uuid,text,text,integer)',
    'p_tenant', colocate_with => 'agency_token');
SELECT create_distributed_function(
    'usage_register_presented(uuid,bytea,text[],text,text,uuid,uuid,text,date,bigint,bigint,bigint,jsonb,text)',
    'p_tenant', colocate_with => 'agency_token');
SELECT create_distributed_function(
    'usage_import_orders(uuid,uuid,uuid,uuid[],uuid[],text[],date[],bigint[],bigint[],bigint[],text[])',
    'p_tenant', colocate_with => 'agency_token');
SELECT create_distributed_function('usage_import_finish(uuid,uuid,text,text,text,text,text)', 'p_tenant',
                                   colocate_with => 'agency_token');
SELECT create_distributed_function('usage_add(uuid,uuid,text,date,bigint,integer,bigint,bigint)', 'p_tenant',
                                   colocate_with => 'agency_token');
SELECT create_distributed_function('audit_append(uuid,uuid,text,text,text,text,text)', 'p_tenant',
                                   colocate_with => 'agency_token');
-- Not delegated, and why:
--   current_tenant_id(), event_scope(), agency_periods(date): pure helpers, evaluated where they are called.
--   event_publish(...): may write the cooperative's event (the nil tenant, another shard) from an agency's
--     transaction; it runs where its caller runs.
--   audit_append with a NULL tenant (the cooperative's chain, a reference table): a NULL distribution argument is
--     not delegated; it runs on the coordinator.
--   Trigger functions (refuse_change, refuse_delete, refuse_reference_change, usage_record_check_references,
--     event_on_*): they run on the shards (citus.enable_unsafe_triggers) and must do local work only.
-- Every other function of the schema exists on every node, undelegated: the triggers that run on the shards call
-- some of them (event_publish from the event triggers; measured: "function event_publish(...) does not exist" on a
-- worker), and Citus creates on the workers only what a distributed object depends on.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'cooperage'
          AND NOT EXISTS (SELECT FROM pg_dist_object o WHERE o.classid = 'pg_proc'::regclass AND o.objid = p.oid)
        -- In the order the migrations made them: a SQL function's body is checked against the functions it calls.
        ORDER BY p.oid
    LOOP
        PERFORM create_distributed_function(f);
    END LOOP;
END
$$;
