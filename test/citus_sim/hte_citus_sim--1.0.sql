-- hte_citus_sim 1.0: see hte_citus_sim.c.
\echo Use "CREATE EXTENSION hte_citus_sim" to load this file. \quit

-- sim_partial(agg, a1, ...): what Citus's worker_partial_agg does on a
-- worker: agg's transition function over the rows, then agg's serialfn.
-- The row arguments are passed to agg's transition function uncoerced, so
-- they must have agg's argument types (cast literals: 0.5::float8, 'x'::text).
CREATE FUNCTION sim_partial_trans(internal, regprocedure, "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'sim_partial_trans' LANGUAGE C;
CREATE FUNCTION sim_partial_trans(internal, regprocedure, "any", "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'sim_partial_trans' LANGUAGE C;
CREATE FUNCTION sim_partial_trans(internal, regprocedure, "any", "any", "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'sim_partial_trans' LANGUAGE C;
CREATE FUNCTION sim_partial_trans(internal, regprocedure, "any", "any", "any", "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'sim_partial_trans' LANGUAGE C;
CREATE FUNCTION sim_partial_trans(internal, regprocedure, "any", "any", "any", "any", "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'sim_partial_trans' LANGUAGE C;
CREATE FUNCTION sim_partial_trans(internal, regprocedure, "any", "any", "any", "any", "any", "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'sim_partial_trans' LANGUAGE C;
CREATE FUNCTION sim_partial_trans(internal, regprocedure, "any", "any", "any", "any", "any", "any", "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'sim_partial_trans' LANGUAGE C;
CREATE FUNCTION sim_partial_final(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'sim_partial_final' LANGUAGE C;

CREATE AGGREGATE sim_partial(agg regprocedure, a1 "any") (
    SFUNC = sim_partial_trans, STYPE = internal, FINALFUNC = sim_partial_final);
CREATE AGGREGATE sim_partial(agg regprocedure, a1 "any", a2 "any") (
    SFUNC = sim_partial_trans, STYPE = internal, FINALFUNC = sim_partial_final);
CREATE AGGREGATE sim_partial(agg regprocedure, a1 "any", a2 "any", a3 "any") (
    SFUNC = sim_partial_trans, STYPE = internal, FINALFUNC = sim_partial_final);
CREATE AGGREGATE sim_partial(agg regprocedure, a1 "any", a2 "any", a3 "any", a4 "any") (
    SFUNC = sim_partial_trans, STYPE = internal, FINALFUNC = sim_partial_final);
CREATE AGGREGATE sim_partial(agg regprocedure, a1 "any", a2 "any", a3 "any", a4 "any", a5 "any") (
    SFUNC = sim_partial_trans, STYPE = internal, FINALFUNC = sim_partial_final);
CREATE AGGREGATE sim_partial(agg regprocedure, a1 "any", a2 "any", a3 "any", a4 "any", a5 "any", a6 "any") (
    SFUNC = sim_partial_trans, STYPE = internal, FINALFUNC = sim_partial_final);
CREATE AGGREGATE sim_partial(agg regprocedure, a1 "any", a2 "any", a3 "any", a4 "any", a5 "any", a6 "any", a7 "any") (
    SFUNC = sim_partial_trans, STYPE = internal, FINALFUNC = sim_partial_final);

-- sim_combine(agg, partial): what Citus's coord_combine_agg does on the
-- coordinator: agg's deserialfn and combinefn over the partial states, then
-- agg's final function (no fn_expr; FINALFUNC_EXTRA arguments NULL), as text.
CREATE FUNCTION sim_combine_trans(internal, regprocedure, bytea) RETURNS internal
    AS 'MODULE_PATHNAME', 'sim_combine_trans' LANGUAGE C;
CREATE FUNCTION sim_combine_final(internal) RETURNS text
    AS 'MODULE_PATHNAME', 'sim_combine_final' LANGUAGE C;
CREATE AGGREGATE sim_combine(agg regprocedure, partial bytea) (
    SFUNC = sim_combine_trans, STYPE = internal, FINALFUNC = sim_combine_final);

-- sim_probe(float8): reports how its own support functions were called (an
-- fn_expr? fn_extra kept from row to row? the final function's arguments),
-- to check that sim_partial/sim_combine call them as Citus does.
CREATE FUNCTION sim_probe_trans(internal, float8) RETURNS internal
    AS 'MODULE_PATHNAME', 'sim_probe_trans' LANGUAGE C;
CREATE FUNCTION sim_probe_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'sim_probe_combine' LANGUAGE C;
CREATE FUNCTION sim_probe_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'sim_probe_serialize' LANGUAGE C STRICT;
CREATE FUNCTION sim_probe_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'sim_probe_deserialize' LANGUAGE C STRICT;
CREATE FUNCTION sim_probe_final(internal, float8) RETURNS text
    AS 'MODULE_PATHNAME', 'sim_probe_final' LANGUAGE C;
CREATE AGGREGATE sim_probe(float8) (
    SFUNC = sim_probe_trans, STYPE = internal, COMBINEFUNC = sim_probe_combine,
    SERIALFUNC = sim_probe_serialize, DESERIALFUNC = sim_probe_deserialize,
    FINALFUNC = sim_probe_final, FINALFUNC_EXTRA);
