/* hte 1.1 — treatment-effect analysis as aggregates */

\echo Use "CREATE EXTENSION hte" to load this file. \quit

-- Built from sql/parts/*.sql by make (do not edit sql/hte--1.1.sql).
--
-- Every object below is created in the extension's schema, and every C
-- function is reached only through the aggregates or with arguments it
-- validates, so the script is safe as a trusted extension.  No function has
-- an SQL body: references resolve once, at CREATE EXTENSION, when the
-- search path is the extension's schema with pg_temp last.

