/*
 * qte.c — PostgreSQL glue for qte(y, treated, q), qte(y, treated, q[]) and
 * homogeneity_test(y, treated).
 *
 * Exact quantiles need every value: the internal state keeps each arm's
 * outcomes in a growable double array in the aggregate context (8 bytes a
 * row; huge allocations, so it works past 1 GB), plus the requested
 * quantile levels.  The final function finds the order statistics it needs
 * by multiple quickselect (src/core/hte_quantile.c), calling
 * CHECK_FOR_INTERRUPTS about every million element operations.
 *
 * For parallel query the state is serialized to a bytea: a header and the
 * values (format in hte_quantile.h), validated completely before use.  A
 * bytea holds at most 1 GB, so a worker with more than about 134 million
 * values fails with an error naming the remedy.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/typcache.h"

#include "hte.h"
#include "core/hte_dist.h"
#include "core/hte_quantile.h"

/* The values of one arm. */
typedef struct ValueBuf
{
	double	   *v;
	Size		count;
	Size		cap;
} ValueBuf;

typedef struct QteState
{
	HteQStateKind kind;
	int			nq;
	double	   *q;				/* nq levels, in the aggregate context */
	ArrayType  *q_array;		/* array form: the argument as first seen */
	ValueBuf	arm[2];			/* control, treated */
	bool		q_const;		/* the level argument is a constant (or absent) */
} QteState;

static const char *
kind_name(HteQStateKind kind)
{
	return kind == HTE_QSTATE_HOMOGENEITY ? "homogeneity_test" : "qte";
}

static void
qte_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

/*
 * Room for `more` values, growing geometrically (doubling) in the current
 * memory context: appending n values costs O(n) copying in all.  Large
 * blocks are realloc'ed by the allocator, which usually remaps them in
 * place.
 */
static void
valuebuf_reserve(ValueBuf *b, Size more)
{
	Size		cap;

	if (more <= b->cap - b->count)
		return;
	cap = hte_grow_capacity(b->count, b->cap, more, sizeof(double), "an exact quantile");
	if (b->v == NULL)
		b->v = MemoryContextAllocHuge(CurrentMemoryContext, cap * sizeof(double));
	else
		b->v = repalloc_huge(b->v, cap * sizeof(double));
	b->cap = cap;
}

/* Grow a transition state's buffer, in the aggregate context. */
static pg_noinline void
valuebuf_grow(ValueBuf *b, FunctionCallInfo fcinfo)
{
	MemoryContext old = MemoryContextSwitchTo(hte_agg_context(fcinfo, "qte transition function"));

	valuebuf_reserve(b, 1);
	MemoryContextSwitchTo(old);
}

static inline void
valuebuf_push(ValueBuf *b, FunctionCallInfo fcinfo, double y)
{
	if (unlikely(b->count == b->cap))
		valuebuf_grow(b, fcinfo);
	b->v[b->count++] = y;
}

/*
 * Whether the aggregate's level argument (number 3) is a constant, so that
 * it need not be compared on every row; false when it cannot be told (a
 * window aggregate), which keeps the comparison.
 */
static bool
level_is_const(FunctionCallInfo fcinfo, HteQStateKind kind)
{
	Aggref	   *ag;

	if (kind == HTE_QSTATE_HOMOGENEITY)
		return true;
	ag = AggGetAggref(fcinfo);
	if (ag == NULL || list_length(ag->args) < 3 || ag->aggorder != NIL ||
		ag->aggdistinct != NIL)
		return false;
	return IsA(((TargetEntry *) lthird(ag->args))->expr, Const);
}

/* ERROR unless q is a usable quantile level. */
static double
check_level(double q)
{
	if (isnan(q) || q < 0.0 || q > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("quantile %g is not between 0 and 1", q),
				 errhint("Pass a level between 0 and 1, e.g. 0.5 for the median.")));
	return q;
}

static void
q_null_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("quantile must not be NULL"),
			 errhint("Pass a level between 0 and 1, e.g. qte(y, treated, 0.5).")));
}

static void
q_mismatch_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("quantile argument of qte must be the same on every row"),
			 errhint("Pass a constant, e.g. qte(y, treated, 0.5) or qte(y, treated, ARRAY[0.25, 0.5, 0.75]).")));
}

/* The levels of a float8[] argument, validated. */
static double *
array_levels(ArrayType *a, int *nq)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	double	   *q;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("quantile array must be one-dimensional")));
	deconstruct_array(a, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantile array must not be empty"),
				 errhint("Pass at least one level, e.g. ARRAY[0.25, 0.5, 0.75].")));
	if (n > (int) HTE_QSTATE_MAX_NQ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("quantile array has more than %u elements", HTE_QSTATE_MAX_NQ)));
	q = palloc(n * sizeof(double));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			q_null_error();
		q[i] = check_level(DatumGetFloat8(elems[i]));
	}
	pfree(elems);
	pfree(nulls);
	*nq = n;
	return q;
}

/*
 * The state for this row, created on the first row: checks the quantile
 * argument (number 3) against the state's.
 */
static pg_noinline QteState *
row_state(FunctionCallInfo fcinfo, HteQStateKind kind)
{
	QteState   *st = PG_ARGISNULL(0) ? NULL : (QteState *) PG_GETARG_POINTER(0);
	MemoryContext ctx = hte_agg_context(fcinfo, "qte transition function");

	if (kind == HTE_QSTATE_QTE)
	{
		double		q;

		if (PG_ARGISNULL(3))
			q_null_error();
		q = check_level(PG_GETARG_FLOAT8(3));
		if (st != NULL)
		{
			/* 0 and -0 ask for the same quantile */
			if (q != st->q[0])
				q_mismatch_error();
			return st;
		}
		st = MemoryContextAllocZero(ctx, sizeof(QteState));
		st->kind = kind;
		st->nq = 1;
		st->q = MemoryContextAlloc(ctx, sizeof(double));
		st->q[0] = q;
	}
	else if (kind == HTE_QSTATE_QTE_ARRAY)
	{
		ArrayType  *a;

		if (PG_ARGISNULL(3))
			q_null_error();
		a = PG_GETARG_ARRAYTYPE_P(3);
		if (st != NULL)
		{
			/* the usual constant argument: a byte comparison */
			if (VARSIZE(a) != VARSIZE(st->q_array) ||
				memcmp(a, st->q_array, VARSIZE(a)) != 0)
			{
				int			nq;
				double	   *q = array_levels(a, &nq);

				if (nq != st->nq || memcmp(q, st->q, nq * sizeof(double)) != 0)
					q_mismatch_error();
				pfree(q);
			}
			return st;
		}
		else
		{
			MemoryContext old = MemoryContextSwitchTo(ctx);

			st = palloc0(sizeof(QteState));
			st->kind = kind;
			st->q = array_levels(a, &st->nq);
			st->q_array = (ArrayType *) palloc(VARSIZE(a));
			memcpy(st->q_array, a, VARSIZE(a));
			MemoryContextSwitchTo(old);
		}
	}
	else
	{
		if (st != NULL)
			return st;
		st = MemoryContextAllocZero(ctx, sizeof(QteState));
		st->kind = kind;
	}
	st->q_const = level_is_const(fcinfo, kind);
	return st;
}

static inline Datum
qte_trans(FunctionCallInfo fcinfo, HteQStateKind kind, HteTreatKind tkind)
{
	QteState   *st = PG_ARGISNULL(0) ? NULL : (QteState *) PG_GETARG_POINTER(0);
	double		y;
	int			arm;

	/* the state is created, and a varying level checked, off the fast path */
	if (unlikely(st == NULL || !st->q_const))
		st = row_state(fcinfo, kind);

	/* a NULL outcome or treatment skips the row */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	y = hte_finite(PG_GETARG_FLOAT8(1), "outcome");
	arm = hte_arm_of(fcinfo, 2, tkind);
	valuebuf_push(&st->arm[arm], fcinfo, y);
	PG_RETURN_POINTER(st);
}

#define QTE_TRANS(name, KIND_, TKIND) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return qte_trans(fcinfo, (KIND_), (TKIND)); \
}

QTE_TRANS(hte_qte_trans_bool, HTE_QSTATE_QTE, HTE_T_BOOL)
QTE_TRANS(hte_qte_trans_int2, HTE_QSTATE_QTE, HTE_T_INT2)
QTE_TRANS(hte_qte_trans_int4, HTE_QSTATE_QTE, HTE_T_INT4)
QTE_TRANS(hte_qte_trans_int8, HTE_QSTATE_QTE, HTE_T_INT8)
QTE_TRANS(hte_qtea_trans_bool, HTE_QSTATE_QTE_ARRAY, HTE_T_BOOL)
QTE_TRANS(hte_qtea_trans_int2, HTE_QSTATE_QTE_ARRAY, HTE_T_INT2)
QTE_TRANS(hte_qtea_trans_int4, HTE_QSTATE_QTE_ARRAY, HTE_T_INT4)
QTE_TRANS(hte_qtea_trans_int8, HTE_QSTATE_QTE_ARRAY, HTE_T_INT8)
QTE_TRANS(hte_homog_trans_bool, HTE_QSTATE_HOMOGENEITY, HTE_T_BOOL)
QTE_TRANS(hte_homog_trans_int2, HTE_QSTATE_HOMOGENEITY, HTE_T_INT2)
QTE_TRANS(hte_homog_trans_int4, HTE_QSTATE_HOMOGENEITY, HTE_T_INT4)
QTE_TRANS(hte_homog_trans_int8, HTE_QSTATE_HOMOGENEITY, HTE_T_INT8)

/* Append b's values to a's (in the current context). */
static void
values_append(ValueBuf *a, const ValueBuf *b)
{
	if (b->count == 0)
		return;
	valuebuf_reserve(a, b->count);
	memcpy(a->v + a->count, b->v, b->count * sizeof(double));
	a->count += b->count;
}

PG_FUNCTION_INFO_V1(hte_qte_combine);
Datum
hte_qte_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "qte combine function");
	QteState   *a = PG_ARGISNULL(0) ? NULL : (QteState *) PG_GETARG_POINTER(0);
	QteState   *b = PG_ARGISNULL(1) ? NULL : (QteState *) PG_GETARG_POINTER(1);
	MemoryContext old;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	/*
	 * The second state is always one our deserialize function just built in
	 * the aggregate context (partial aggregation serializes its states), and
	 * nothing else refers to it: the first one is taken as it is, and later
	 * ones' value buffers may be taken over, which saves copying and
	 * touching fresh memory for most of the values.
	 */
	if (a == NULL)
		PG_RETURN_POINTER(b);
	if (a->kind != b->kind || a->nq != b->nq ||
		(a->nq > 0 && memcmp(a->q, b->q, a->nq * sizeof(double)) != 0))
		q_mismatch_error();
	old = MemoryContextSwitchTo(ctx);
	for (int g = 0; g < 2; g++)
	{
		CHECK_FOR_INTERRUPTS();
		/* append the smaller buffer to the larger, keeping the larger */
		if (b->arm[g].count > a->arm[g].count)
		{
			ValueBuf	t = a->arm[g];

			a->arm[g] = b->arm[g];
			b->arm[g] = t;
		}
		values_append(&a->arm[g], &b->arm[g]);
		if (b->arm[g].v != NULL)
			pfree(b->arm[g].v);
		b->arm[g].v = NULL;
		b->arm[g].count = b->arm[g].cap = 0;
	}
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

/*
 * The payload size of a worker's state, or an ERROR naming the remedy when
 * it would not fit in a bytea.  max_bytes is MaxAllocSize - VARHDRSZ.
 */
static Size
serialized_size(const QteState *st, Size max_bytes)
{
	Size		size = hte_qstate_size((uint32) st->nq, st->arm[0].count,
									   st->arm[1].count, max_bytes);

	if (size == 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s state of a parallel worker exceeds 1 GB", kind_name(st->kind)),
				 errdetail("A parallel worker sends its %zu values, 8 bytes each, to the leader, and at most 1 GB can be sent.",
						   st->arm[0].count + st->arm[1].count),
				 errhint("Run the query without parallel workers: SET max_parallel_workers_per_gather = 0.")));
	return size;
}

PG_FUNCTION_INFO_V1(hte_qte_serialize);
Datum
hte_qte_serialize(PG_FUNCTION_ARGS)
{
	QteState   *st = (QteState *) PG_GETARG_POINTER(0);
	Size		size;
	bytea	   *out;
	unsigned char *p;

	(void) hte_agg_context(fcinfo, "qte serialize function");
	size = serialized_size(st, MaxAllocSize - VARHDRSZ);
	out = palloc(VARHDRSZ + size);
	SET_VARSIZE(out, VARHDRSZ + size);
	p = (unsigned char *) VARDATA(out);
	hte_qstate_write_header(p, st->kind, (uint32) st->nq,
							st->arm[0].count, st->arm[1].count);
	p += HTE_QSTATE_HEADER;
	if (st->nq > 0)
	{
		memcpy(p, st->q, st->nq * sizeof(double));
		p += st->nq * sizeof(double);
	}
	for (int g = 0; g < 2; g++)
	{
		if (st->arm[g].count > 0)
			memcpy(p, st->arm[g].v, st->arm[g].count * sizeof(double));
		p += st->arm[g].count * sizeof(double);
	}
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(hte_qte_deserialize);
Datum
hte_qte_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "qte deserialize function");
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	HteQStateHeader hdr;
	const char *why = hte_qstate_parse(p, len, &hdr, qte_check_interrupts);
	QteState   *st;
	MemoryContext old;

	if (why != NULL)
		hte_invalid_state("qte", why);
	old = MemoryContextSwitchTo(ctx);
	st = palloc0(sizeof(QteState));
	st->kind = (HteQStateKind) hdr.kind;
	st->nq = (int) hdr.nq;
	if (st->nq > 0)
	{
		st->q = palloc(st->nq * sizeof(double));
		memcpy(st->q, p + hdr.q_offset, st->nq * sizeof(double));
	}
	for (int g = 0; g < 2; g++)
	{
		valuebuf_reserve(&st->arm[g], (Size) hdr.n[g]);
		if (hdr.n[g] > 0)
			memcpy(st->arm[g].v, p + hdr.values_offset[g], hdr.n[g] * sizeof(double));
		st->arm[g].count = (Size) hdr.n[g];
	}
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

/* Both arms' quantiles and sparsities at the state's levels. */
static void
arms_quantiles(QteState *st, double level, HteArmQuantiles *aq[2])
{
	double		z = hte_qnorm((1.0 - level) / 2.0, false);
	size_t	   *ranks = palloc_extended(6 * (Size) st->nq * sizeof(size_t), MCXT_ALLOC_HUGE);

	for (int g = 0; g < 2; g++)
	{
		aq[g] = palloc_extended((Size) st->nq * sizeof(HteArmQuantiles), MCXT_ALLOC_HUGE);
		hte_arm_quantiles(st->arm[g].v, st->arm[g].count, st->q, st->nq, z,
						  ranks, aq[g], qte_check_interrupts);
	}
	pfree(ranks);
}

static HeapTuple
qte_tuple(TupleDesc tupdesc, const HteQteResult *r)
{
	Datum		values[10];
	bool		nulls[10];

	values[0] = Float8GetDatum(r->quantile);
	nulls[0] = false;
	values[1] = hte_float8_or_null(r->estimate, &nulls[1]);
	values[2] = hte_float8_or_null(r->quantile_treated, &nulls[2]);
	values[3] = hte_float8_or_null(r->quantile_control, &nulls[3]);
	values[4] = hte_float8_or_null(r->std_error, &nulls[4]);
	values[5] = hte_float8_or_null(r->ci_lower, &nulls[5]);
	values[6] = hte_float8_or_null(r->ci_upper, &nulls[6]);
	values[7] = hte_float8_or_null(r->p_value, &nulls[7]);
	values[8] = hte_count_datum(r->n_treated, &nulls[8]);
	values[9] = hte_count_datum(r->n_control, &nulls[9]);
	return heap_form_tuple(tupdesc, values, nulls);
}

static QteState *
final_state(FunctionCallInfo fcinfo, HteQStateKind kind)
{
	QteState   *st = PG_ARGISNULL(0) ? NULL : (QteState *) PG_GETARG_POINTER(0);

	(void) hte_agg_context(fcinfo, "qte final function");
	if (st == NULL || st->arm[0].count + st->arm[1].count == 0)
		return NULL;			/* no rows used: NULL */
	if (st->kind != kind)
		elog(ERROR, "qte state of kind %d passed to a final function of kind %d",
			 (int) st->kind, (int) kind);
	return st;
}

PG_FUNCTION_INFO_V1(hte_qte_final);
Datum
hte_qte_final(PG_FUNCTION_ARGS)
{
	QteState   *st = final_state(fcinfo, HTE_QSTATE_QTE);
	double		level;
	HteArmQuantiles *aq[2];
	HteQteResult r;

	if (st == NULL)
		PG_RETURN_NULL();
	level = hte_get_confidence_level();
	arms_quantiles(st, level, aq);
	hte_qte_compute(st->q[0], &aq[1][0], &aq[0][0], level, &r);
	PG_RETURN_DATUM(HeapTupleGetDatum(qte_tuple(hte_result_tupdesc(fcinfo), &r)));
}

/* The element type (hte_qte) of the array result and its blessed tupdesc. */
typedef struct ArrayResultInfo
{
	Oid			elemtype;
	int16		elmlen;
	bool		elmbyval;
	char		elmalign;
	TupleDesc	tupdesc;
} ArrayResultInfo;

static ArrayResultInfo *
array_result_info(FunctionCallInfo fcinfo)
{
	ArrayResultInfo *info = (ArrayResultInfo *) fcinfo->flinfo->fn_extra;

	if (info == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		/*
		 * The declared result type (hte_qte[]), not the call expression's:
		 * Citus's coordinator calls a final function without one.
		 */
		Oid			arraytype = get_func_rettype(fcinfo->flinfo->fn_oid);
		TupleDesc	td;

		info = palloc(sizeof(ArrayResultInfo));
		info->elemtype = OidIsValid(arraytype) ? get_element_type(arraytype) : InvalidOid;
		if (!OidIsValid(info->elemtype))
			elog(ERROR, "qte final function must return an array of a row type");
		get_typlenbyvalalign(info->elemtype, &info->elmlen, &info->elmbyval, &info->elmalign);
		td = lookup_rowtype_tupdesc(info->elemtype, -1);
		info->tupdesc = BlessTupleDesc(CreateTupleDescCopy(td));
		ReleaseTupleDesc(td);
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = info;
	}
	return info;
}

PG_FUNCTION_INFO_V1(hte_qte_final_array);
Datum
hte_qte_final_array(PG_FUNCTION_ARGS)
{
	QteState   *st = final_state(fcinfo, HTE_QSTATE_QTE_ARRAY);
	ArrayResultInfo *info;
	double		level;
	HteArmQuantiles *aq[2];
	Datum	   *elems;

	if (st == NULL)
		PG_RETURN_NULL();
	info = array_result_info(fcinfo);
	level = hte_get_confidence_level();
	arms_quantiles(st, level, aq);
	elems = palloc(st->nq * sizeof(Datum));
	for (int i = 0; i < st->nq; i++)
	{
		HteQteResult r;

		hte_qte_compute(st->q[i], &aq[1][i], &aq[0][i], level, &r);
		elems[i] = HeapTupleGetDatum(qte_tuple(info->tupdesc, &r));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, st->nq, info->elemtype,
										  info->elmlen, info->elmbyval, info->elmalign));
}

PG_FUNCTION_INFO_V1(hte_homog_final);
Datum
hte_homog_final(PG_FUNCTION_ARGS)
{
	QteState   *st = final_state(fcinfo, HTE_QSTATE_HOMOGENEITY);
	HteHomogeneityResult r;
	Datum		values[9];
	bool		nulls[9];

	if (st == NULL)
		PG_RETURN_NULL();
	hte_homogeneity_compute(st->arm[1].v, st->arm[1].count, st->arm[0].v, st->arm[0].count,
							hte_get_confidence_level(), &r, qte_check_interrupts);
	values[0] = hte_float8_or_null(r.variance_treated, &nulls[0]);
	values[1] = hte_float8_or_null(r.variance_control, &nulls[1]);
	values[2] = hte_float8_or_null(r.variance_ratio, &nulls[2]);
	values[3] = hte_float8_or_null(r.variance_ratio_p_value, &nulls[3]);
	values[4] = hte_float8_or_null(r.ite_sd_lower, &nulls[4]);
	values[5] = hte_float8_or_null(r.ite_sd_upper, &nulls[5]);
	values[6] = hte_float8_or_null(r.qte_flatness_statistic, &nulls[6]);
	values[7] = hte_float8_or_null(r.qte_flatness_df, &nulls[7]);
	values[8] = hte_float8_or_null(r.qte_flatness_p_value, &nulls[8]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo), values, nulls)));
}
