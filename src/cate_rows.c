/*
 * cate_rows.c — PostgreSQL glue for the CATE-model checks that keep rows:
 * cate_projection (the best linear projection of the CATE), calibration_test
 * and rate (the rank-weighted average treatment effect).  The state is a
 * growable array of doubles per row (src/core/hte_rows.h), serialized for
 * parallel workers; the statistics are in src/core/hte_ols.c and
 * hte_rate.c, and each row's doubly robust score in hte_aipw.h.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/jsonb.h"

#include "hte.h"
#include "core/hte_aipw.h"
#include "core/hte_dist.h"
#include "core/hte_forest.h"
#include "core/hte_mvmoments.h"
#include "core/hte_ols.h"
#include "core/hte_rate.h"
#include "core/hte_rows.h"

/*
 * The state.  h.n counts the rows in either form.  The moment form of
 * cate_projection (HTE_ROWS_PROJECTION_MOMENTS) keeps `arm`, the central
 * moments of (a, Γ), and in `rows` a block of up to PROJ_BLOCK pending rows
 * (a₁..a_p, Γ), folded in when full and before the state is combined,
 * serialized or finished.
 */
typedef struct CateRows
{
	HteRowsHeader h;
	Size		cap;			/* rows allocated (the rows form) */
	double	   *rows;
	double	   *arm;			/* the moment form's summary */
	int			pending;		/* the moment form's pending rows */
	/* causal_forest: its options, packed, and as the jsonb last given */
	bool		has_fopts;
	unsigned char fopts[HTE_FOREST_OPT_BYTES];
	Jsonb	   *fraw;
} CateRows;

#define PROJ_BLOCK 64

/* The monomial table for p covariates and merge work space, in ctx. */
typedef struct MvTable
{
	int			p;
	HteMvTable	t;
	double	   *work;
} MvTable;

static MvTable *
mv_table_new(MemoryContext ctx, int p)
{
	MvTable    *m = MemoryContextAllocZero(ctx, sizeof(MvTable));

	m->p = p;
	hte_mv_table_init(&m->t, p, MemoryContextAlloc(ctx, hte_mv_table_size(p)));
	m->work = MemoryContextAlloc(ctx, sizeof(double) * hte_mv_block_work(&m->t));
	return m;
}

/* The table for p, cached in fn_extra (functions that use it for nothing else). */
static MvTable *
mv_table_cached(FunctionCallInfo fcinfo, int p)
{
	MvTable    *m = (MvTable *) fcinfo->flinfo->fn_extra;

	if (m == NULL || m->p != p)
	{
		m = mv_table_new(fcinfo->flinfo->fn_mcxt, p);
		fcinfo->flinfo->fn_extra = m;
	}
	return m;
}

/* Fold the moment form's pending rows into its summary; ERROR on overflow. */
static void
mv_fold(CateRows *st, const MvTable *m)
{
	size_t		len;

	if (st->pending == 0)
		return;
	hte_mv_push_block(&m->t, st->arm, st->rows, st->pending, m->work);
	st->pending = 0;
	len = hte_mv_arm_len(&m->t);
	for (size_t i = 0; i < len; i++)
		if (unlikely(!isfinite(st->arm[i])))
			hte_overflow_error();
}

/* Give an empty projection state the moment form for p covariates. */
static void
mv_start(MemoryContext ctx, CateRows *st, int p)
{
	st->h.kind = HTE_ROWS_PROJECTION_MOMENTS;
	st->h.width = 1 + p;
	st->arm = MemoryContextAllocZero(ctx, sizeof(double) * hte_rows_moments_len(p));
	st->rows = MemoryContextAlloc(ctx, sizeof(double) * PROJ_BLOCK * (1 + p));
	st->pending = 0;
}

static void
rows_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

static const char *
kind_name(int kind)
{
	return kind == HTE_ROWS_PROJECTION || kind == HTE_ROWS_PROJECTION_MOMENTS ? "cate_projection" :
		kind == HTE_ROWS_CALIBRATION ? "calibration_test" :
		kind == HTE_ROWS_FOREST ? "causal_forest" : "rate";
}

static CateRows *
rows_new(MemoryContext ctx, int kind, int option, int width)
{
	CateRows   *st = MemoryContextAllocZero(ctx, sizeof(CateRows));

	st->h.kind = kind;
	st->h.option = option;
	st->h.width = width;
	return st;
}

/* Room for `more` rows, growing geometrically in ctx. */
static void
rows_reserve(MemoryContext ctx, CateRows *st, Size more)
{
	Size		row_bytes = sizeof(double) * (Size) st->h.width;
	Size		cap;

	if (more <= st->cap - st->h.n)
		return;
	cap = hte_grow_capacity(st->h.n, st->cap, more, row_bytes, kind_name(st->h.kind));
	if (st->rows == NULL)
		st->rows = MemoryContextAllocHuge(ctx, cap * row_bytes);
	else
		st->rows = repalloc_huge(st->rows, cap * row_bytes);
	st->cap = cap;
}

/* The next row's slot (the count is advanced by the caller's success). */
static double *
rows_slot(MemoryContext ctx, CateRows *st)
{
	if (unlikely(st->h.n >= ((uint64) 1 << 53)))
		hte_count_error(kind_name(st->h.kind));
	rows_reserve(ctx, st, 1);
	return st->rows + st->h.n * (Size) st->h.width;
}

/* true when none of arguments first..last is NULL */
static bool
args_present(FunctionCallInfo fcinfo, int first, int last)
{
	for (int i = first; i <= last; i++)
		if (PG_ARGISNULL(i))
			return false;
	return true;
}

/*
 * The doubly robust score Γ of this row (arguments 1..5: y, treated, e_hat,
 * mu0_hat, mu1_hat), checked; the same terms as aipw.
 */
static double
score_arg(FunctionCallInfo fcinfo, HteTreatKind kind)
{
	int			arm = hte_arm_of(fcinfo, 2, kind);
	double		y = hte_finite(PG_GETARG_FLOAT8(1), "outcome"),
				e = hte_propensity_arg(PG_GETARG_FLOAT8(3)),
				mu0 = hte_finite(PG_GETARG_FLOAT8(4), "mu0_hat"),
				mu1 = hte_finite(PG_GETARG_FLOAT8(5), "mu1_hat"),
				t[HTE_AIPW_ROW],
				g;

	if (unlikely(!hte_aipw_terms(arm == 1, y, e, mu0, mu1, t)))
		hte_overflow_error();
	g = t[0] + t[1];
	if (unlikely(!isfinite(g)))
		hte_overflow_error();
	return g;
}

/* ------------------------------------------------------------------------
 * Transition functions
 * ------------------------------------------------------------------------
 */

/*
 * cate_projection(y, treated, e_hat, mu0_hat, mu1_hat, a float8[]
 * [, se_type]): a row is (Γ, a).  A NULL argument or a NULL in a skips the
 * row; a's length is fixed by the first row used.
 */
static Datum
proj_trans(FunctionCallInfo fcinfo, HteTreatKind kind)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "cate_projection transition function");
	CateRows   *st = PG_ARGISNULL(0) ? NULL : (CateRows *) PG_GETARG_POINTER(0);
	int			type = PG_NARGS() > 7 ?
		hte_row_se_type(fcinfo, 7, st != NULL ? st->h.option : -1) : HTE_SE_HC3;
	ArrayType  *a;
	int			p;
	const double *x;
	double	   *row;

	if (st == NULL)
		st = rows_new(ctx, HTE_ROWS_PROJECTION, type, 0);
	else if (st->h.option != type)
		hte_se_type_mismatch(st->h.option, type, "cate_projection(y, treated, e_hat, mu0_hat, mu1_hat, a, 'HC3')");
	if (!args_present(fcinfo, 1, 6))
		PG_RETURN_POINTER(st);
	a = PG_GETARG_ARRAYTYPE_P(6);
	if (ARR_NDIM(a) > 1 || ARR_ELEMTYPE(a) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the projection's covariates must be a one-dimensional float8 array"),
				 errhint("Write them as ARRAY[a1, a2, ...].")));
	if (array_contains_nulls(a))
		PG_RETURN_POINTER(st);
	p = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
	if (p > HTE_ROWS_MAX_P)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many covariates for cate_projection: %d", p),
				 errdetail("The best linear projection takes at most %d covariates.", HTE_ROWS_MAX_P)));
	if (st->h.width == 0)
	{
		/* classical, HC0, HC1: one pass over moments when the table allows */
		if (type <= HTE_SE_HC1 && p >= 1 && p <= HTE_MV_MAX_P)
			mv_start(ctx, st, p);
		else
			st->h.width = 1 + p;
	}
	else if (st->h.width != 1 + p)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("covariate arrays of different lengths: %d and %d", st->h.width - 1, p),
				 errhint("Every row must have the same number of covariates.")));
	x = p > 0 ? (const double *) ARR_DATA_PTR(a) : NULL;
	for (int j = 0; j < p; j++)
		(void) hte_finite(x[j], "covariate");
	if (st->h.kind == HTE_ROWS_PROJECTION_MOMENTS)
	{
		if (unlikely(st->h.n >= ((uint64) 1 << 53)))
			hte_count_error(kind_name(st->h.kind));
		row = st->rows + (Size) st->pending * (1 + p);
		if (p > 0)
			memcpy(row, x, sizeof(double) * p);
		row[p] = score_arg(fcinfo, kind);
		st->h.n++;
		if (++st->pending == PROJ_BLOCK)
			mv_fold(st, mv_table_cached(fcinfo, p));
		PG_RETURN_POINTER(st);
	}
	row = rows_slot(ctx, st);
	row[0] = score_arg(fcinfo, kind);
	if (p > 0)
		memcpy(row + 1, x, sizeof(double) * p);
	st->h.n++;
	PG_RETURN_POINTER(st);
}

/* calibration_test(y, treated, e_hat, m_hat, tau_hat): (y − m̂, T − ê, τ̂) */
static Datum
calib_trans(FunctionCallInfo fcinfo, HteTreatKind kind)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "calibration_test transition function");
	CateRows   *st = PG_ARGISNULL(0) ? NULL : (CateRows *) PG_GETARG_POINTER(0);
	double	   *row,
				y,
				e,
				m,
				tau;
	int			arm;

	if (st == NULL)
		st = rows_new(ctx, HTE_ROWS_CALIBRATION, 0, 3);
	if (!args_present(fcinfo, 1, 5))
		PG_RETURN_POINTER(st);
	arm = hte_arm_of(fcinfo, 2, kind);
	y = hte_finite(PG_GETARG_FLOAT8(1), "outcome");
	e = hte_propensity_arg(PG_GETARG_FLOAT8(3));
	m = hte_finite(PG_GETARG_FLOAT8(4), "m_hat");
	tau = hte_finite(PG_GETARG_FLOAT8(5), "tau_hat");
	row = rows_slot(ctx, st);
	row[0] = y - m;
	row[1] = (double) arm - e;
	row[2] = tau;
	if (unlikely(!isfinite(row[0])))
		hte_overflow_error();
	st->h.n++;
	PG_RETURN_POINTER(st);
}

/* The target of argument argno: AUTOC or QINI, case-insensitively. */
static int
target_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *s;
	int			t;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("target must not be NULL"),
				 errhint("Valid values are \"AUTOC\" and \"QINI\".")));
	s = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	t = hte_rate_target_parse(s);
	if (t < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown RATE target \"%s\"", s),
				 errhint("Valid values are \"AUTOC\" and \"QINI\".")));
	pfree(s);
	return t;
}

/* rate(y, treated, e_hat, mu0_hat, mu1_hat, priority [, target]): (Γ, S) */
static Datum
rate_trans(FunctionCallInfo fcinfo, HteTreatKind kind)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "rate transition function");
	CateRows   *st = PG_ARGISNULL(0) ? NULL : (CateRows *) PG_GETARG_POINTER(0);
	int			target = PG_NARGS() > 7 ? target_arg(fcinfo, 7) : HTE_RATE_AUTOC;
	double	   *row;

	if (st == NULL)
		st = rows_new(ctx, HTE_ROWS_RATE, target, 2);
	else if (st->h.option != target)
		hte_option_mismatch("target");
	if (!args_present(fcinfo, 1, 6))
		PG_RETURN_POINTER(st);
	row = rows_slot(ctx, st);
	row[1] = hte_finite(PG_GETARG_FLOAT8(6), "priority");
	row[0] = score_arg(fcinfo, kind);
	st->h.n++;
	PG_RETURN_POINTER(st);
}

pg_noreturn static void
forest_options_mismatch(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("causal_forest's options differ between rows"),
			 errhint("Pass the options as a constant.")));
}

/*
 * causal_forest(y, treated, covariates float8[] [, options jsonb]): a row is
 * (y, T, x).  A NULL argument or a NULL in x skips the row; x's length is
 * fixed by the first row used.  The options are parsed once and must be the
 * same on every row.
 */
static Datum
forest_trans(FunctionCallInfo fcinfo, HteTreatKind kind)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "causal_forest transition function");
	CateRows   *st = PG_ARGISNULL(0) ? NULL : (CateRows *) PG_GETARG_POINTER(0);
	ArrayType  *a;
	int			p;
	const double *x;
	double	   *row;

	if (st == NULL)
		st = rows_new(ctx, HTE_ROWS_FOREST, 0, 0);
	if (PG_NARGS() > 4)
	{
		Jsonb	   *j;

		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("causal_forest options must not be NULL"),
					 errhint("Pass '{}' for the defaults.")));
		j = PG_GETARG_JSONB_P(4);
		if (st->fraw == NULL || VARSIZE(st->fraw) != VARSIZE(j) ||
			memcmp(st->fraw, j, VARSIZE(j)) != 0)
		{
			HteForestOptions o;
			unsigned char packed[HTE_FOREST_OPT_BYTES];

			hte_forest_options_from_jsonb((struct varlena *) j, &o);
			hte_forest_options_pack(&o, packed);
			if (st->has_fopts && memcmp(st->fopts, packed, sizeof(packed)) != 0)
				forest_options_mismatch();
			memcpy(st->fopts, packed, sizeof(packed));
			st->has_fopts = true;
			if (st->fraw != NULL)
				pfree(st->fraw);
			st->fraw = MemoryContextAlloc(ctx, VARSIZE(j));
			memcpy(st->fraw, j, VARSIZE(j));
		}
	}
	else if (!st->has_fopts)
	{
		HteForestOptions o;

		hte_forest_defaults(&o);
		hte_forest_options_pack(&o, st->fopts);
		st->has_fopts = true;
	}
	if (!args_present(fcinfo, 1, 3))
		PG_RETURN_POINTER(st);
	a = PG_GETARG_ARRAYTYPE_P(3);
	if (ARR_NDIM(a) > 1 || ARR_ELEMTYPE(a) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the forest's covariates must be a one-dimensional float8 array"),
				 errhint("Write them as ARRAY[x1, x2, ...].")));
	if (array_contains_nulls(a))
		PG_RETURN_POINTER(st);
	p = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
	if (p < 1 || p > HTE_FOREST_MAX_P)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a causal forest needs 1 to %d covariates, not %d", HTE_FOREST_MAX_P, p),
				 errhint("Pass the covariates as ARRAY[x1, x2, ...].")));
	if (st->h.width == 0)
		st->h.width = 2 + p;
	else if (st->h.width != 2 + p)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("covariate arrays of different lengths: %d and %d", st->h.width - 2, p),
				 errhint("Every row must have the same number of covariates.")));
	if (unlikely(st->h.n >= HTE_FOREST_MAX_ROWS - 1))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a causal forest takes at most %zu rows", (size_t) HTE_FOREST_MAX_ROWS - 1),
				 errhint("Train on a sample, e.g. WHERE random() < 0.1.")));
	x = (const double *) ARR_DATA_PTR(a);
	row = rows_slot(ctx, st);
	row[0] = hte_finite(PG_GETARG_FLOAT8(1), "outcome");
	row[1] = (double) hte_arm_of(fcinfo, 2, kind);
	for (int j = 0; j < p; j++)
		row[2 + j] = hte_finite(x[j], "covariate") + 0.0;
	st->h.n++;
	PG_RETURN_POINTER(st);
}

#define TRANS_ENTRY(name, fn, kind) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return fn(fcinfo, kind); \
}

TRANS_ENTRY(hte_proj_trans_bool, proj_trans, HTE_T_BOOL)
TRANS_ENTRY(hte_proj_trans_int2, proj_trans, HTE_T_INT2)
TRANS_ENTRY(hte_proj_trans_int4, proj_trans, HTE_T_INT4)
TRANS_ENTRY(hte_proj_trans_int8, proj_trans, HTE_T_INT8)
TRANS_ENTRY(hte_calib_trans_bool, calib_trans, HTE_T_BOOL)
TRANS_ENTRY(hte_calib_trans_int2, calib_trans, HTE_T_INT2)
TRANS_ENTRY(hte_calib_trans_int4, calib_trans, HTE_T_INT4)
TRANS_ENTRY(hte_calib_trans_int8, calib_trans, HTE_T_INT8)
TRANS_ENTRY(hte_rate_trans_bool, rate_trans, HTE_T_BOOL)
TRANS_ENTRY(hte_rate_trans_int2, rate_trans, HTE_T_INT2)
TRANS_ENTRY(hte_rate_trans_int4, rate_trans, HTE_T_INT4)
TRANS_ENTRY(hte_rate_trans_int8, rate_trans, HTE_T_INT8)
TRANS_ENTRY(hte_forest_trans_bool, forest_trans, HTE_T_BOOL)
TRANS_ENTRY(hte_forest_trans_int2, forest_trans, HTE_T_INT2)
TRANS_ENTRY(hte_forest_trans_int4, forest_trans, HTE_T_INT4)
TRANS_ENTRY(hte_forest_trans_int8, forest_trans, HTE_T_INT8)

/* ------------------------------------------------------------------------
 * Combine, serialize, deserialize
 * ------------------------------------------------------------------------
 */

/* The two kinds of cate_projection state are one aggregate's. */
static int
family(int kind)
{
	return kind == HTE_ROWS_PROJECTION_MOMENTS ? HTE_ROWS_PROJECTION : kind;
}

PG_FUNCTION_INFO_V1(hte_cate_rows_combine);
Datum
hte_cate_rows_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "kept-row combine function");
	CateRows   *a = PG_ARGISNULL(0) ? NULL : (CateRows *) PG_GETARG_POINTER(0);
	CateRows   *b = PG_ARGISNULL(1) ? NULL : (CateRows *) PG_GETARG_POINTER(1);

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
	{
		a = rows_new(ctx, family(b->h.kind), b->h.option, 0);
		a->has_fopts = b->has_fopts;
		memcpy(a->fopts, b->fopts, sizeof(a->fopts));
	}
	else if (family(a->h.kind) != family(b->h.kind) || a->h.option != b->h.option)
		hte_option_mismatch(family(a->h.kind) == HTE_ROWS_PROJECTION ? "se_type" : "target");
	else if (a->h.kind == HTE_ROWS_FOREST && memcmp(a->fopts, b->fopts, sizeof(a->fopts)) != 0)
		forest_options_mismatch();
	if (b->h.n == 0)
		PG_RETURN_POINTER(a);
	if (a->h.n == 0 && a->h.width == 0 && b->h.kind == HTE_ROWS_PROJECTION_MOMENTS)
		mv_start(ctx, a, b->h.width - 1);
	else if (a->h.width == 0)
		a->h.width = b->h.width;
	if (a->h.width != b->h.width || a->h.kind != b->h.kind)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("covariate arrays of different lengths: %d and %d", a->h.width - 1, b->h.width - 1),
				 errhint("Every row must have the same number of covariates.")));
	if (a->h.n > ((uint64) 1 << 53) - b->h.n)
		hte_count_error(kind_name(a->h.kind));
	if (a->h.kind == HTE_ROWS_PROJECTION_MOMENTS)
	{
		MvTable    *m = mv_table_cached(fcinfo, a->h.width - 1);
		size_t		len = hte_mv_arm_len(&m->t);

		mv_fold(a, m);
		mv_fold(b, m);
		hte_mv_merge(&m->t, a->arm, b->arm, m->work);
		for (size_t i = 0; i < len; i++)
			if (unlikely(!isfinite(a->arm[i])))
				hte_overflow_error();
		a->h.n += b->h.n;
		PG_RETURN_POINTER(a);
	}
	rows_reserve(ctx, a, b->h.n);
	memcpy(a->rows + a->h.n * a->h.width, b->rows, b->h.n * a->h.width * sizeof(double));
	a->h.n += b->h.n;
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(hte_cate_rows_serialize);
Datum
hte_cate_rows_serialize(PG_FUNCTION_ARGS)
{
	CateRows   *st = (CateRows *) PG_GETARG_POINTER(0);
	Size		row_bytes = sizeof(double) * (Size) (st->h.width > 0 ? st->h.width : 1),
				size,
				pre;
	bytea	   *out;

	(void) hte_agg_context(fcinfo, "kept-row serialize function");
	if (st->h.kind == HTE_ROWS_PROJECTION_MOMENTS)
	{
		MvTable    *m = mv_table_new(CurrentMemoryContext, st->h.width - 1);
		size_t		len = hte_mv_arm_len(&m->t);

		/* folding changes the form, not the content */
		mv_fold(st, m);
		out = palloc(VARHDRSZ + HTE_ROWS_HEADER + len * sizeof(double));
		SET_VARSIZE(out, VARHDRSZ + HTE_ROWS_HEADER + len * sizeof(double));
		hte_rows_write_header((unsigned char *) VARDATA(out), &st->h);
		memcpy((unsigned char *) VARDATA(out) + HTE_ROWS_HEADER, st->arm, len * sizeof(double));
		PG_RETURN_BYTEA_P(out);
	}
	if (st->h.n > (MaxAllocSize - VARHDRSZ - HTE_ROWS_HEADER - HTE_FOREST_OPT_BYTES) / row_bytes)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s state of a parallel worker exceeds 1 GB", kind_name(st->h.kind)),
				 errdetail("A parallel worker sends its " UINT64_FORMAT " rows, %zu bytes each, to the leader, and at most 1 GB can be sent.",
						   st->h.n, row_bytes),
				 errhint("Run the query without parallel workers: SET max_parallel_workers_per_gather = 0.")));
	pre = hte_rows_prefix(st->h.kind);
	size = HTE_ROWS_HEADER + pre + st->h.n * (Size) st->h.width * sizeof(double);
	out = palloc(VARHDRSZ + size);
	SET_VARSIZE(out, VARHDRSZ + size);
	hte_rows_write_header((unsigned char *) VARDATA(out), &st->h);
	if (pre > 0)
		memcpy((unsigned char *) VARDATA(out) + HTE_ROWS_HEADER, st->fopts, pre);
	if (st->h.n > 0)
		memcpy((unsigned char *) VARDATA(out) + HTE_ROWS_HEADER + pre, st->rows,
			   size - HTE_ROWS_HEADER - pre);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(hte_cate_rows_deserialize);
Datum
hte_cate_rows_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "kept-row deserialize function");
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	HteRowsHeader h;
	const unsigned char *rows;
	const char *why = hte_rows_parse((const unsigned char *) VARDATA_ANY(in),
									 VARSIZE_ANY_EXHDR(in), &h, &rows,
									 rows_check_interrupts);
	CateRows   *st;

	if (why != NULL)
		hte_invalid_state("cate_projection, calibration_test, rate or causal_forest", why);
	st = rows_new(ctx, h.kind, h.option, h.width);
	if (h.kind == HTE_ROWS_FOREST)
	{
		memcpy(st->fopts, (const unsigned char *) VARDATA_ANY(in) + HTE_ROWS_HEADER,
			   HTE_FOREST_OPT_BYTES);
		st->has_fopts = true;
	}
	if (h.kind == HTE_ROWS_PROJECTION_MOMENTS)
	{
		MvTable    *m = mv_table_new(CurrentMemoryContext, h.width - 1);

		mv_start(ctx, st, h.width - 1);
		memcpy(st->arm, rows, hte_mv_arm_len(&m->t) * sizeof(double));
		why = hte_mv_arm_check(&m->t, st->arm);
		if (why == NULL && st->arm[0] != (double) h.n)
			why = "The moment summary's count is not the state's row count.";
		if (why != NULL)
			hte_invalid_state("cate_projection", why);
		st->h.n = h.n;
		PG_RETURN_POINTER(st);
	}
	if (h.n > 0)
	{
		rows_reserve(ctx, st, h.n);
		memcpy(st->rows, rows, h.n * (Size) h.width * sizeof(double));
	}
	st->h.n = h.n;
	PG_RETURN_POINTER(st);
}

/* ------------------------------------------------------------------------
 * Final functions
 * ------------------------------------------------------------------------
 */

typedef struct ProjCtx
{
	const double *rows;
	int			width;
} ProjCtx;

/* z = (1, a), y = Γ */
static void
proj_row(const void *ctx, size_t i, double *z, double *y)
{
	const ProjCtx *c = ctx;
	const double *r = c->rows + i * (size_t) c->width;

	*y = r[0];
	z[0] = 1.0;
	for (int j = 1; j < c->width; j++)
		z[j] = r[j];
}

static HteOlsResult *
ols_or_error(const void *ctx, HteOlsRowFn fn, size_t n, int k, bool intercept, HteSeType type)
{
	HteOlsResult *r = palloc(sizeof(HteOlsResult));

	if (!hte_ols_fit(ctx, fn, n, k, intercept, type,
					 palloc(sizeof(double) * hte_ols_work_size(k)),
					 rows_check_interrupts, r))
		hte_overflow_error();
	return r;
}

/* cate_projection's final: hte_projection[] (term 0 = intercept), NULL without rows. */
PG_FUNCTION_INFO_V1(hte_proj_final);
Datum
hte_proj_final(PG_FUNCTION_ARGS)
{
	CateRows   *st = PG_ARGISNULL(0) ? NULL : (CateRows *) PG_GETARG_POINTER(0);
	ProjCtx		c;
	HteOlsResult *r;
	HteArrayResult *ar;
	Datum	   *elems;

	if (st == NULL || st->h.n == 0)
		PG_RETURN_NULL();
	if (st->h.kind == HTE_ROWS_PROJECTION_MOMENTS)
	{
		MvTable    *m = mv_table_new(CurrentMemoryContext, st->h.width - 1);

		mv_fold(st, m);
		r = palloc(sizeof(HteOlsResult));
		if (!hte_ols_fit_moments(&m->t, st->arm, (HteSeType) st->h.option,
								 palloc(sizeof(double) * hte_ols_work_size(st->h.width)), r))
			hte_overflow_error();
	}
	else
	{
		c.rows = st->rows;
		c.width = st->h.width;
		r = ols_or_error(&c, proj_row, st->h.n, st->h.width, true, (HteSeType) st->h.option);
	}
	ar = hte_array_result(fcinfo);
	elems = palloc(sizeof(Datum) * r->k);
	for (int j = 0; j < r->k; j++)
	{
		Datum		values[5];
		bool		nulls[5] = {0};

		values[0] = Int32GetDatum(j);
		values[1] = hte_float8_or_null(r->estimate[j], &nulls[1]);
		values[2] = hte_float8_or_null(r->std_error[j], &nulls[2]);
		values[3] = hte_float8_or_null(r->t_statistic[j], &nulls[3]);
		values[4] = hte_float8_or_null(r->p_value[j], &nulls[4]);
		elems[j] = HeapTupleGetDatum(heap_form_tuple(ar->tupdesc, values, nulls));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, r->k, ar->elemtype, ar->elemlen,
										  ar->elembyval, ar->elemalign));
}

typedef struct CalibCtx
{
	const double *rows;
	double		tau_bar;
} CalibCtx;

/* z = ((T − ê) τ̄, (T − ê)(τ̂ − τ̄)), y = y − m̂ */
static void
calib_row(const void *ctx, size_t i, double *z, double *y)
{
	const CalibCtx *c = ctx;
	const double *r = c->rows + i * 3;

	*y = r[0];
	z[0] = r[1] * c->tau_bar;
	z[1] = r[1] * (r[2] - c->tau_bar);
}

/* P(T > t), t with df: grf's one-sided p-value. */
static double
upper_p(double t, double df)
{
	return isnan(t) || !(df > 0.0) ? NAN : hte_pt(t, df, false);
}

PG_FUNCTION_INFO_V1(hte_calib_final);
Datum
hte_calib_final(PG_FUNCTION_ARGS)
{
	CateRows   *st = PG_ARGISNULL(0) ? NULL : (CateRows *) PG_GETARG_POINTER(0);
	CalibCtx	c;
	HteOlsResult *r;
	Datum		values[6];
	bool		nulls[6];
	HteDD		sum = {0.0, 0.0};

	if (st == NULL || st->h.n == 0)
		PG_RETURN_NULL();
	for (uint64 i = 0; i < st->h.n; i++)
		hte_dd_add(&sum, st->rows[i * 3 + 2]);
	c.rows = st->rows;
	c.tau_bar = hte_dd_value(sum) / (double) st->h.n;
	r = ols_or_error(&c, calib_row, st->h.n, 2, false, HTE_SE_HC3);
	for (int j = 0; j < 2; j++)
	{
		values[3 * j] = hte_float8_or_null(r->estimate[j], &nulls[3 * j]);
		values[3 * j + 1] = hte_float8_or_null(r->std_error[j], &nulls[3 * j + 1]);
		values[3 * j + 2] = hte_float8_or_null(upper_p(r->t_statistic[j], r->df),
											   &nulls[3 * j + 2]);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo),
													  values, nulls)));
}

/*
 * rate's final: the hte_rate row, NULL without rows.  It sorts the kept
 * rows in place: their order is not part of the state's content, so an
 * aggregate sharing the state, or later rows of a window, see the same rows.
 */
PG_FUNCTION_INFO_V1(hte_rate_final);
Datum
hte_rate_final(PG_FUNCTION_ARGS)
{
	CateRows   *st = PG_ARGISNULL(0) ? NULL : (CateRows *) PG_GETARG_POINTER(0);
	HteRateResult r;
	Datum		values[7];
	bool		nulls[7] = {0};
	double		z,
				zcrit;

	if (st == NULL || st->h.n == 0)
		PG_RETURN_NULL();
	hte_rate_sort(st->rows, st->h.n, rows_check_interrupts);
	if (!hte_rate_compute(st->rows, st->h.n, (HteRateTarget) st->h.option,
						  rows_check_interrupts, &r))
		hte_overflow_error();
	zcrit = hte_qnorm((1.0 + hte_get_confidence_level()) / 2.0, true);
	z = r.std_error > 0.0 ? r.estimate / r.std_error : NAN;
	values[0] = CStringGetTextDatum(hte_rate_target_name((HteRateTarget) st->h.option));
	values[1] = hte_float8_or_null(r.estimate, &nulls[1]);
	values[2] = hte_float8_or_null(r.std_error, &nulls[2]);
	values[3] = hte_float8_or_null(isnan(z) ? NAN : r.estimate - zcrit * r.std_error, &nulls[3]);
	values[4] = hte_float8_or_null(isnan(z) ? NAN : r.estimate + zcrit * r.std_error, &nulls[4]);
	values[5] = hte_float8_or_null(isnan(z) ? NAN : 2.0 * hte_pnorm(-fabs(z), true), &nulls[5]);
	values[6] = Int64GetDatum((int64) st->h.n);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo),
													  values, nulls)));
}

/* causal_forest's final: the trained hte_forest, NULL without rows. */
PG_FUNCTION_INFO_V1(hte_forest_final);
Datum
hte_forest_final(PG_FUNCTION_ARGS)
{
	CateRows   *st = PG_ARGISNULL(0) ? NULL : (CateRows *) PG_GETARG_POINTER(0);
	HteForestOptions o;

	if (st == NULL || st->h.n == 0)
		PG_RETURN_NULL();
	if (hte_forest_options_unpack(st->fopts, &o) != NULL)
		hte_invalid_state("causal_forest", "The state's forest options are invalid.");
	{
		struct varlena *m = hte_forest_build(st->rows, st->h.n, st->h.width - 2, &o);

		if (m == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(m);
	}
}
