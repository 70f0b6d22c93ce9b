/* hte 1.0 -> 1.1 */

\echo Use "ALTER EXTENSION hte UPDATE TO '1.1'" to load this file. \quit

-- Built by make from this header and sql/parts/[5-9]*.sql, the parts new
-- since 1.0 (do not edit sql/hte--1.0--1.1.sql).  Everything 1.1 adds or
-- changes is here, so that an updated 1.0 installation equals a fresh 1.1
-- one (test/upgrade.sh checks it object by object).
