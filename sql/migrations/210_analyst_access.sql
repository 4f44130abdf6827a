-- The analysts' access: a schema of documented views (created from sql/views/ by every clean) and
-- a read-only group role. Log-in roles are created per analyst and made members of it (see
-- docs/analysts.md); roles belong to the whole server, so the group is created only once.
create schema if not exists analyst;
comment on schema analyst is 'Documented, stable views over clean.*, quarantine and the loads, for analysts (read-only role relance_analyst)';

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'relance_analyst') then
    create role relance_analyst nologin;
  end if;
end
$$;
comment on role relance_analyst is 'Read-only access to the analyst views and the clean, features, scoring, dialer and monitoring tables';

grant usage on schema analyst, clean, features, scoring, dialer, monitoring to relance_analyst;
grant select on all tables in schema analyst, clean, features, scoring, dialer, monitoring to relance_analyst;
-- Tables and views created later by the migrating role are readable too.
alter default privileges in schema analyst, clean, features, scoring, dialer, monitoring grant select on tables to relance_analyst;
