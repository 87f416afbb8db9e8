-- Run as a superuser on the coordinator, after `cooperage` has migrated the database (migration 0001 creates the
-- roles) and before 02_distribute.sql. Citus propagates it to the workers.
--
-- Citus opens connections to the workers as the current role. The schema's owner and the cooperative's cross-tenant
-- role are NOLOGIN on a single PostgreSQL (nobody logs in as them; the server reaches them with SET ROLE), and then
-- "role cooperage_owner is not permitted to log in" when a migration or a cooperative read touches a distributed
-- table. On Citus they must be able to log in to the workers, and only there: give them a password that only the
-- cluster knows (in each node's .pgpass or pg_dist_authinfo) and let pg_hba.conf accept them from the other
-- nodes only.
ALTER ROLE cooperage_owner LOGIN;
ALTER ROLE cooperage_coop LOGIN;
-- The supplier's role (sql/0024) reads usage_record, a distributed table, so it needs the same.
ALTER ROLE cooperage_supplier LOGIN;
-- Citus sends the workers the query with the row-level security policies already applied, deparsed with the
-- coordinator's search_path (cooperage_app's: cooperage), so `current_tenant_id()` unqualified. The roles it logs in
-- as on the workers need the same search_path, or "function current_tenant_id() does not exist" (measured on a
-- cooperative read). cooperage_app has it from migration 0001.
ALTER ROLE cooperage_owner SET search_path = cooperage;
ALTER ROLE cooperage_coop SET search_path = cooperage;
ALTER ROLE cooperage_supplier SET search_path = cooperage;
-- Example, with a secret from your secret store (not committed):
--   ALTER ROLE cooperage_owner PASSWORD '...';
--   INSERT INTO pg_dist_authinfo (nodeid, rolename, authinfo) VALUES (0, 'cooperage_owner', 'password=...');
