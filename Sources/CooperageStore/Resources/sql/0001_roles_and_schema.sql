-- Roles and schema. This is the only migration run as the connecting (administrative) user;
-- every later migration runs as cooperage_owner, so the schema is never owned by a superuser.
--
-- cooperage_owner  owns every object; runs migrations; NOLOGIN, not a superuser.
-- cooperage_app    the server's login role: not the owner, NOBYPASSRLS, NOINHERIT, so it holds
--                  only what is granted to it directly and sees tenant rows only through the
--                  row-level security policies on app.tenant_id.
-- cooperage_coop   the explicit cross-tenant path for cooperative staff (reports, audit, token
--                  lookups): the server reaches it only with SET LOCAL ROLE inside one transaction;
--                  NOLOGIN, NOBYPASSRLS; its policies are written table by table.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cooperage_owner') THEN
        CREATE ROLE cooperage_owner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cooperage_app') THEN
        CREATE ROLE cooperage_app LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cooperage_coop') THEN
        CREATE ROLE cooperage_coop NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END
$$;

-- The migration runner switches to the owner with SET ROLE, so the migrating user must be a member.
GRANT cooperage_owner TO CURRENT_USER;
GRANT cooperage_coop TO cooperage_app;

CREATE SCHEMA IF NOT EXISTS cooperage AUTHORIZATION cooperage_owner;
REVOKE ALL ON SCHEMA cooperage FROM PUBLIC;
GRANT USAGE ON SCHEMA cooperage TO cooperage_app, cooperage_coop;

-- Fail fast instead of holding locks or connections forever.
ALTER ROLE cooperage_app SET statement_timeout = '30s';
ALTER ROLE cooperage_app SET idle_in_transaction_session_timeout = '60s';
ALTER ROLE cooperage_app SET search_path = cooperage;
