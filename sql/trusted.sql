-- hte is a trusted extension: a database owner without superuser rights can
-- create it (managed and locked-down warehouses), and then use it.
CREATE ROLE hte_trusted_owner NOSUPERUSER;
CREATE DATABASE hte_trusted OWNER hte_trusted_owner;
\c hte_trusted
SET ROLE hte_trusted_owner;
SELECT rolsuper FROM pg_roles WHERE rolname = current_user;
CREATE EXTENSION hte;
SELECT e.extname, r.rolname AS owner FROM pg_extension e JOIN pg_roles r ON r.oid = e.extowner WHERE e.extname = 'hte';
SELECT (ate(y, t)).estimate, (ate(y, t)).n_treated FROM (VALUES (3.0, true), (1.0, false), (5.0, true)) v(y, t);
-- the C functions are owned by the bootstrap superuser, not the creator
SELECT count(*) > 0 AS has_functions, bool_and(p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = 'hte_trusted_owner')) AS none_owned_by_creator
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'hte');
RESET ROLE;
\c contrib_regression
DROP DATABASE hte_trusted;
DROP ROLE hte_trusted_owner;
