/*
 * hte_citus_sim: how Citus distributes an aggregate with an `internal`
 * transition state, reproduced inside one PostgreSQL, for any aggregate.
 *
 *   sim_partial(agg regprocedure, a1 "any", ...) -> bytea
 *       what Citus's worker_partial_agg does on a worker: runs agg's
 *       transition function over the rows and returns the state serialized
 *       by agg's serialfn instead of calling the final function;
 *   sim_combine(agg regprocedure, partial bytea) -> text
 *       what Citus's coord_combine_agg does on the coordinator: deserializes
 *       every partial state with agg's deserialfn, merges them with its
 *       combinefn, calls its final function and returns the result as text.
 *
 * Like Citus (src/backend/distributed/utils/aggregate_utils.c), every inner
 * support function is called through a plain fmgr_info() +
 * InitFunctionCallInfoData() + FunctionCallInvoke(), with a fresh FmgrInfo
 * on every call: flinfo->fn_expr is NULL (get_fn_expr_argtype() and
 * get_fn_expr_rettype() answer InvalidOid), flinfo->fn_extra does not
 * survive from one row to the next, and a FINALFUNC_EXTRA final function
 * gets SQL NULL for every extra argument.  The context passed is the
 * AggState of the outer aggregate (sim_partial or sim_combine), so
 * AggCheckCallContext() succeeds, and AggGetAggref() answers the outer
 * aggregate's Aggref, as it does under Citus.  Strictness and the initial
 * condition are honoured as nodeAgg.c does.
 *
 * One deliberate difference from Citus: the final function gets as many
 * arguments as PostgreSQL would give it (the aggregate's arguments + 1),
 * where Citus passes its own coord_combine_agg's argument count (3).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_aggregate.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "parser/parse_coerce.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/expandeddatum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/syscache.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(sim_partial_trans);
PG_FUNCTION_INFO_V1(sim_partial_final);
PG_FUNCTION_INFO_V1(sim_combine_trans);
PG_FUNCTION_INFO_V1(sim_combine_final);
PG_FUNCTION_INFO_V1(sim_probe_trans);
PG_FUNCTION_INFO_V1(sim_probe_combine);
PG_FUNCTION_INFO_V1(sim_probe_serialize);
PG_FUNCTION_INFO_V1(sim_probe_deserialize);
PG_FUNCTION_INFO_V1(sim_probe_final);

/* The inner aggregate and its state, one per group, in the aggregate context. */
typedef struct SimState
{
	Oid			agg;
	int			nargs;			/* the inner aggregate's number of arguments */
	Oid			transfn;
	Oid			combinefn;
	Oid			serialfn;
	Oid			deserialfn;
	Oid			finalfn;
	bool		finalextra;
	Oid			transtype;
	int16		transtypeLen;
	bool		transtypeByVal;

	Datum		value;			/* the inner transition state */
	bool		valueNull;
	bool		noTransValue;	/* strict transfn/combinefn, no initcond, no
								 * value yet */
} SimState;

/* sim_partial's first argument is the aggregate, the rows' values follow */
#define SIM_FIRST_ROW_ARG 2
/* the most row arguments sim_partial takes (its overloads: 1 to 4) */
#define SIM_MAX_ROW_ARGS 7

static MemoryContext
sim_agg_context(FunctionCallInfo fcinfo, const char *caller)
{
	MemoryContext aggctx;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "%s called in a non-aggregate context", caller);
	return aggctx;
}

static void
sim_check_execute(Oid fn)
{
	AclResult	acl;

	if (!OidIsValid(fn))
		return;
#if PG_VERSION_NUM >= 160000
	acl = object_aclcheck(ProcedureRelationId, fn, GetUserId(), ACL_EXECUTE);
#else
	acl = pg_proc_aclcheck(fn, GetUserId(), ACL_EXECUTE);
#endif
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_FUNCTION, get_func_name(fn));
}

/*
 * The state for aggregate agg, read from pg_aggregate, with its initial
 * condition, in aggctx.  partial: for sim_partial (needs serialfn), else for
 * sim_combine (needs deserialfn).
 */
static SimState *
sim_state_new(Oid agg, MemoryContext aggctx, bool partial)
{
	HeapTuple	tup;
	Form_pg_aggregate form;
	SimState   *st;
	Datum		initval;
	bool		initnull;
	Oid		   *argtypes;
	int			nargs;

	tup = SearchSysCache1(AGGFNOID, ObjectIdGetDatum(agg));
	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s is not an aggregate", format_procedure(agg))));
	form = (Form_pg_aggregate) GETSTRUCT(tup);
	if (form->aggkind != AGGKIND_NORMAL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s is an ordered-set or hypothetical-set aggregate",
						format_procedure(agg))));
	if (!OidIsValid(form->aggcombinefn))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("aggregate %s has no combine function", format_procedure(agg)),
				 errdetail("Citus computes it on the coordinator instead.")));
	if (partial && !OidIsValid(form->aggserialfn))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("aggregate %s has no serialization function", format_procedure(agg)),
				 errdetail("sim_partial simulates only aggregates with an internal state.")));
	if (!partial && !OidIsValid(form->aggdeserialfn))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("aggregate %s has no deserialization function", format_procedure(agg)),
				 errdetail("sim_combine simulates only aggregates with an internal state.")));

	/* what nodeAgg checks: EXECUTE on the aggregate and its functions */
	sim_check_execute(form->aggfnoid);
	sim_check_execute(form->aggtransfn);
	sim_check_execute(form->aggcombinefn);
	sim_check_execute(form->aggserialfn);
	sim_check_execute(form->aggdeserialfn);
	sim_check_execute(form->aggfinalfn);

	st = MemoryContextAllocZero(aggctx, sizeof(SimState));
	st->agg = agg;
	st->transfn = form->aggtransfn;
	st->combinefn = form->aggcombinefn;
	st->serialfn = form->aggserialfn;
	st->deserialfn = form->aggdeserialfn;
	st->finalfn = form->aggfinalfn;
	st->finalextra = form->aggfinalextra;
	st->transtype = form->aggtranstype;
	get_typlenbyval(st->transtype, &st->transtypeLen, &st->transtypeByVal);

	/* the initial condition, as nodeAgg's GetAggInitVal() reads it */
	initval = SysCacheGetAttr(AGGFNOID, tup, Anum_pg_aggregate_agginitval, &initnull);
	if (initnull)
	{
		st->value = (Datum) 0;
		st->valueNull = true;
	}
	else
	{
		Oid			typinput;
		Oid			typioparam;
		char	   *str = TextDatumGetCString(initval);
		MemoryContext old = MemoryContextSwitchTo(aggctx);

		getTypeInputInfo(st->transtype, &typinput, &typioparam);
		st->value = OidInputFunctionCall(typinput, str, typioparam, -1);
		st->valueNull = false;
		MemoryContextSwitchTo(old);
		pfree(str);
	}
	ReleaseSysCache(tup);

	/*
	 * The strict-transition rule of nodeAgg: no initial condition and a
	 * strict function means the first input becomes the state (decided when
	 * the function is looked up, below).
	 */
	st->noTransValue = initnull;

	get_func_signature(agg, &argtypes, &nargs);
	st->nargs = nargs;
	pfree(argtypes);
	return st;
}

/*
 * sim_partial's row arguments against the aggregate's declared argument
 * types: the values are passed on raw, so they must be of the types the
 * aggregate's transition function reads ("any" hides them from the parser).
 */
static void
sim_check_row_args(FunctionCallInfo fcinfo, const SimState *st, int nrow)
{
	Oid		   *argtypes;
	int			nargs;

	get_func_signature(st->agg, &argtypes, &nargs);
	if (nargs != nrow)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("aggregate %s takes %d arguments, sim_partial was given %d",
						format_procedure(st->agg), nargs, nrow)));
	for (int i = 0; i < nrow; i++)
	{
		Oid			actual = get_fn_expr_argtype(fcinfo->flinfo, i + SIM_FIRST_ROW_ARG);

		if (!OidIsValid(actual))
			elog(ERROR, "sim_partial could not determine the type of its argument %d",
				 i + SIM_FIRST_ROW_ARG + 1);
		if (actual == UNKNOWNOID ||
			(!IsPolymorphicType(argtypes[i]) && argtypes[i] != ANYOID &&
			 !IsBinaryCoercible(actual, argtypes[i])))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("argument %d of sim_partial has type %s, but %s takes %s there",
							i + SIM_FIRST_ROW_ARG + 1, format_type_be(actual),
							format_procedure(st->agg), format_type_be(argtypes[i])),
					 errhint("Cast the argument: the values are passed on uncoerced.")));
	}
	pfree(argtypes);
}

/*
 * Keep a new transition value, as nodeAgg's ExecAggTransReparent() (and
 * Citus's HandleTransition()) do: a by-reference value the function did not
 * return in place is copied into the aggregate context, the old one freed.
 */
static void
sim_keep(SimState *st, Datum newval, bool newnull, MemoryContext aggctx)
{
	if (!st->transtypeByVal && DatumGetPointer(newval) != DatumGetPointer(st->value))
	{
		if (!newnull)
		{
			MemoryContext old = MemoryContextSwitchTo(aggctx);

			if (!(DatumIsReadWriteExpandedObject(newval, false, st->transtypeLen) &&
				  MemoryContextGetParent(DatumGetEOHP(newval)->eoh_context) == CurrentMemoryContext))
				newval = datumCopy(newval, st->transtypeByVal, st->transtypeLen);
			MemoryContextSwitchTo(old);
		}
		if (!st->valueNull)
		{
			if (DatumIsReadWriteExpandedObject(st->value, false, st->transtypeLen))
				DeleteExpandedObject(st->value);
			else
				pfree(DatumGetPointer(st->value));
		}
	}
	st->value = newval;
	st->valueNull = newnull;
}

/* The first input of a strict function becomes the state (nodeAgg's ExecAggInitGroup). */
static void
sim_take_first(SimState *st, Datum value, MemoryContext aggctx)
{
	MemoryContext old = MemoryContextSwitchTo(aggctx);

	st->value = datumCopy(value, st->transtypeByVal, st->transtypeLen);
	MemoryContextSwitchTo(old);
	st->valueNull = false;
	st->noTransValue = false;
}

/*
 * sim_partial_trans(internal, agg regprocedure, a1 "any", ...): one row
 * through agg's transition function, called as Citus's
 * worker_partial_agg_sfunc calls it.
 */
Datum
sim_partial_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = sim_agg_context(fcinfo, "sim_partial_trans");
	int			nrow = PG_NARGS() - SIM_FIRST_ROW_ARG;
	SimState   *st;
	FmgrInfo	flinfo;
	Datum		newval;

	LOCAL_FCINFO(inner, SIM_MAX_ROW_ARGS + 1);

	if (nrow < 1 || nrow > SIM_MAX_ROW_ARGS)
		elog(ERROR, "sim_partial_trans called with %d row arguments", nrow);
	if (PG_ARGISNULL(0))
	{
		if (PG_ARGISNULL(1))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("sim_partial's aggregate must not be NULL")));
		st = sim_state_new(PG_GETARG_OID(1), aggctx, true);
		sim_check_row_args(fcinfo, st, nrow);
	}
	else
		st = (SimState *) PG_GETARG_POINTER(0);

	/* a fresh FmgrInfo on every row, as Citus: no fn_expr, no fn_extra kept */
	fmgr_info(st->transfn, &flinfo);
	if (flinfo.fn_strict)
	{
		for (int i = 0; i < nrow; i++)
			if (PG_ARGISNULL(i + SIM_FIRST_ROW_ARG))
				PG_RETURN_POINTER(st);
		if (st->noTransValue)
		{
			sim_take_first(st, PG_GETARG_DATUM(SIM_FIRST_ROW_ARG), aggctx);
			PG_RETURN_POINTER(st);
		}
		if (st->valueNull)
			PG_RETURN_POINTER(st);
	}
	st->noTransValue = false;

	InitFunctionCallInfoData(*inner, &flinfo, nrow + 1, fcinfo->fncollation,
							 fcinfo->context, NULL);
	inner->args[0].value = st->value;
	inner->args[0].isnull = st->valueNull;
	for (int i = 0; i < nrow; i++)
		inner->args[i + 1] = fcinfo->args[i + SIM_FIRST_ROW_ARG];
	newval = FunctionCallInvoke(inner);
	sim_keep(st, newval, inner->isnull, aggctx);
	PG_RETURN_POINTER(st);
}

/*
 * sim_partial_final(internal) -> bytea: the state through agg's serialfn
 * (Citus's worker_partial_agg_ffunc); NULL for no rows or a NULL state.
 */
Datum
sim_partial_final(PG_FUNCTION_ARGS)
{
	SimState   *st;
	FmgrInfo	flinfo;
	Datum		result;

	LOCAL_FCINFO(inner, 1);

	(void) sim_agg_context(fcinfo, "sim_partial_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (SimState *) PG_GETARG_POINTER(0);
	fmgr_info(st->serialfn, &flinfo);
	if (st->valueNull && flinfo.fn_strict)
		PG_RETURN_NULL();
	InitFunctionCallInfoData(*inner, &flinfo, 1, fcinfo->fncollation, fcinfo->context, NULL);
	inner->args[0].value = st->value;
	inner->args[0].isnull = st->valueNull;
	result = FunctionCallInvoke(inner);
	if (inner->isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}

/*
 * sim_combine_trans(internal, agg regprocedure, partial bytea): one partial
 * state through agg's deserialfn and combinefn (Citus's
 * coord_combine_agg_sfunc, with the serialization functions).
 */
Datum
sim_combine_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = sim_agg_context(fcinfo, "sim_combine_trans");
	SimState   *st;
	FmgrInfo	flinfo;
	Datum		value;
	bool		valueNull;
	Datum		newval;

	LOCAL_FCINFO(inner, 2);

	if (PG_ARGISNULL(0))
	{
		if (PG_ARGISNULL(1))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("sim_combine's aggregate must not be NULL")));
		st = sim_state_new(PG_GETARG_OID(1), aggctx, false);
	}
	else
		st = (SimState *) PG_GETARG_POINTER(0);

	/* deserialize, with the dummy second argument nodeAgg passes */
	fmgr_info(st->deserialfn, &flinfo);
	if (PG_ARGISNULL(2) && flinfo.fn_strict)
	{
		value = (Datum) 0;
		valueNull = true;
	}
	else
	{
		InitFunctionCallInfoData(*inner, &flinfo, 2, fcinfo->fncollation,
								 fcinfo->context, NULL);
		inner->args[0] = fcinfo->args[2];
		inner->args[1].value = PointerGetDatum(NULL);
		inner->args[1].isnull = false;
		value = FunctionCallInvoke(inner);
		valueNull = inner->isnull;
	}

	/* combine */
	fmgr_info(st->combinefn, &flinfo);
	if (flinfo.fn_strict)
	{
		if (valueNull)
			PG_RETURN_POINTER(st);
		if (st->noTransValue)
		{
			sim_take_first(st, value, aggctx);
			PG_RETURN_POINTER(st);
		}
		if (st->valueNull)
			PG_RETURN_POINTER(st);
	}
	st->noTransValue = false;

	InitFunctionCallInfoData(*inner, &flinfo, 2, fcinfo->fncollation, fcinfo->context, NULL);
	inner->args[0].value = st->value;
	inner->args[0].isnull = st->valueNull;
	inner->args[1].value = value;
	inner->args[1].isnull = valueNull;
	newval = FunctionCallInvoke(inner);
	sim_keep(st, newval, inner->isnull, aggctx);
	PG_RETURN_POINTER(st);
}

/*
 * sim_combine_final(internal) -> text: agg's final function on the merged
 * state, called as Citus's coord_combine_agg_ffunc calls it (no fn_expr,
 * extra arguments NULL), its result through its type's output function.
 */
Datum
sim_combine_final(PG_FUNCTION_ARGS)
{
	SimState   *st;
	Datum		result;
	bool		resultNull;
	Oid			rettype;
	Oid			typoutput;
	bool		typisvarlena;

	(void) sim_agg_context(fcinfo, "sim_combine_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (SimState *) PG_GETARG_POINTER(0);

	if (!OidIsValid(st->finalfn))
	{
		result = st->value;
		resultNull = st->valueNull;
		rettype = st->transtype;
	}
	else
	{
		FmgrInfo	flinfo;
		int			n = st->finalextra ? st->nargs + 1 : 1;

		LOCAL_FCINFO(inner, FUNC_MAX_ARGS);

		if (n > FUNC_MAX_ARGS)
			elog(ERROR, "final function of %s would take %d arguments",
				 format_procedure(st->agg), n);
		fmgr_info(st->finalfn, &flinfo);
		rettype = get_func_rettype(st->finalfn);
		if (flinfo.fn_strict && (st->valueNull || n > 1))
		{
			result = (Datum) 0;
			resultNull = true;
		}
		else
		{
			InitFunctionCallInfoData(*inner, &flinfo, n, fcinfo->fncollation,
									 fcinfo->context, NULL);
			inner->args[0].value = st->value;
			inner->args[0].isnull = st->valueNull;
			for (int i = 1; i < n; i++)
			{
				inner->args[i].value = (Datum) 0;
				inner->args[i].isnull = true;
			}
			result = FunctionCallInvoke(inner);
			resultNull = inner->isnull;
		}
	}

	if (resultNull)
		PG_RETURN_NULL();
	if (rettype == INTERNALOID || IsPolymorphicType(rettype))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("the result of %s, of type %s, has no text form",
						format_procedure(st->agg), format_type_be(rettype))));
	getTypeOutputInfo(rettype, &typoutput, &typisvarlena);
	PG_RETURN_TEXT_P(cstring_to_text(OidOutputFunctionCall(typoutput, result)));
}

/*
 * sim_probe(float8): an internal-state aggregate that reports how its own
 * support functions were called, to check the harness: over n rows, on how
 * many the transition function had an fn_expr (get_fn_expr_argtype() valid)
 * and found the fn_extra it set on an earlier row; whether the final
 * function had an fn_expr, how many arguments it got and whether the extra
 * one was NULL.  Plain: "rows=n trans_fn_expr=n trans_fn_extra_kept=n-1
 * final_fn_expr=t final_nargs=2 final_extra_null=t"; through
 * sim_partial/sim_combine, as Citus calls it: trans_fn_expr=0
 * trans_fn_extra_kept=0 final_fn_expr=f.
 */
typedef struct SimProbe
{
	int64		rows;
	int64		withExpr;
	int64		extraKept;
} SimProbe;

static SimProbe *
sim_probe_new(FunctionCallInfo fcinfo)
{
	return MemoryContextAllocZero(sim_agg_context(fcinfo, "sim_probe"), sizeof(SimProbe));
}

Datum
sim_probe_trans(PG_FUNCTION_ARGS)
{
	SimProbe   *p = PG_ARGISNULL(0) ? sim_probe_new(fcinfo) : (SimProbe *) PG_GETARG_POINTER(0);

	p->rows++;
	if (OidIsValid(get_fn_expr_argtype(fcinfo->flinfo, 1)))
		p->withExpr++;
	if (fcinfo->flinfo->fn_extra != NULL)
		p->extraKept++;
	else
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, 1);
	PG_RETURN_POINTER(p);
}

Datum
sim_probe_combine(PG_FUNCTION_ARGS)
{
	SimProbe   *a = PG_ARGISNULL(0) ? NULL : (SimProbe *) PG_GETARG_POINTER(0);
	SimProbe   *b = PG_ARGISNULL(1) ? NULL : (SimProbe *) PG_GETARG_POINTER(1);

	if (b == NULL)
		PG_RETURN_POINTER(a != NULL ? a : sim_probe_new(fcinfo));
	if (a == NULL)
		a = sim_probe_new(fcinfo);
	a->rows += b->rows;
	a->withExpr += b->withExpr;
	a->extraKept += b->extraKept;
	PG_RETURN_POINTER(a);
}

Datum
sim_probe_serialize(PG_FUNCTION_ARGS)
{
	bytea	   *out = palloc(VARHDRSZ + sizeof(SimProbe));

	(void) sim_agg_context(fcinfo, "sim_probe_serialize");
	SET_VARSIZE(out, VARHDRSZ + sizeof(SimProbe));
	memcpy(VARDATA(out), PG_GETARG_POINTER(0), sizeof(SimProbe));
	PG_RETURN_BYTEA_P(out);
}

Datum
sim_probe_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	SimProbe   *p = sim_probe_new(fcinfo);

	if (VARSIZE_ANY_EXHDR(in) != sizeof(SimProbe))
		elog(ERROR, "sim_probe_deserialize: %zu bytes", (size_t) VARSIZE_ANY_EXHDR(in));
	memcpy(p, VARDATA_ANY(in), sizeof(SimProbe));
	PG_RETURN_POINTER(p);
}

Datum
sim_probe_final(PG_FUNCTION_ARGS)
{
	SimProbe   *p = PG_ARGISNULL(0) ? NULL : (SimProbe *) PG_GETARG_POINTER(0);

	(void) sim_agg_context(fcinfo, "sim_probe_final");
	PG_RETURN_TEXT_P(cstring_to_text(psprintf(
		"rows=" INT64_FORMAT " trans_fn_expr=" INT64_FORMAT " trans_fn_extra_kept=" INT64_FORMAT
		" final_fn_expr=%s final_nargs=%d final_extra_null=%s",
		p ? p->rows : 0, p ? p->withExpr : 0, p ? p->extraKept : 0,
		fcinfo->flinfo->fn_expr != NULL ? "t" : "f", PG_NARGS(),
		PG_NARGS() > 1 && PG_ARGISNULL(1) ? "t" : "f")));
}
