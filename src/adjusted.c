/*
 * adjusted.c — PostgreSQL glue for the covariate-adjusted treatment effects:
 * ate_cuped(y, treated, pre), and (below) ate(y, treated, covariates
 * [, se_type]) and interaction_test(y, treated, moderators [, se_type]).
 *
 * ate_cuped shares interaction_test(y, treated, x)'s transition function and
 * float8[] state (per-arm co-moments of (pre, y)): only its final function
 * is its own, so a query asking for both scans once, and the state is a real
 * type that Citus pushes down.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "hte.h"
#include "core/hte_ate.h"
#include "core/hte_comoments.h"
#include "core/hte_lin.h"
#include "core/hte_state_io.h"

/* The hte_ate_adjusted row. */
static Datum
adjusted_result(FunctionCallInfo fcinfo, const HteAteAdjusted *r, const char *se_type)
{
	Datum		values[13];
	bool		nulls[13];

	values[0] = hte_float8_or_null(r->estimate, &nulls[0]);
	values[1] = hte_float8_or_null(r->std_error, &nulls[1]);
	values[2] = hte_float8_or_null(r->ci_lower, &nulls[2]);
	values[3] = hte_float8_or_null(r->ci_upper, &nulls[3]);
	values[4] = hte_float8_or_null(r->p_value, &nulls[4]);
	values[5] = hte_float8_or_null(r->df, &nulls[5]);
	values[6] = hte_count_datum(r->n_treated, &nulls[6]);
	values[7] = hte_count_datum(r->n_control, &nulls[7]);
	values[8] = Int32GetDatum((int32) r->covariates);
	nulls[8] = false;
	values[9] = CStringGetTextDatum(se_type);
	nulls[9] = false;
	values[10] = hte_float8_or_null(r->unadjusted_estimate, &nulls[10]);
	values[11] = hte_float8_or_null(r->unadjusted_std_error, &nulls[11]);
	values[12] = hte_float8_or_null(r->variance_reduction, &nulls[12]);
	for (int i = 0; i < 13; i++)
		if (!nulls[i] && i != 6 && i != 7 && i != 8 && i != 9 &&
			isinf(DatumGetFloat8(values[i])))
			hte_overflow_error();
	return HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo), values, nulls));
}

/* ate_cuped's final function: CUPED from the (pre, y) co-moments. */
PG_FUNCTION_INFO_V1(hte_cuped_final);
Datum
hte_cuped_final(PG_FUNCTION_ARGS)
{
	HteArmXY	arms[2];
	HteAteAdjusted r;

	hte_it_state_arms(PG_GETARG_ARRAYTYPE_P(0), arms);
	if (arms[0].n + arms[1].n == 0.0)
		PG_RETURN_NULL();
	hte_cuped(arms, hte_get_confidence_level(), &r);
	PG_RETURN_DATUM(adjusted_result(fcinfo, &r, "Welch"));
}

/* ------------------------------------------------------------------------
 * ate(y, treated, covariates float8[]) and
 * interaction_test(y, treated, moderators float8[]): one float8[] state of
 * per-arm moments (src/core/hte_lin.h), shared by the two aggregates.
 * ------------------------------------------------------------------------
 */

#define COV_KIND "covariate"

/* The monomial tables, one per p, built on first use for the backend. */
static HteMvTable *cov_tables[HTE_MV_MAX_P + 1];

static const HteMvTable *
cov_table(int p)
{
	if (cov_tables[p] == NULL)
	{
		HteMvTable *t = MemoryContextAlloc(TopMemoryContext, sizeof(HteMvTable));
		void	   *mem = MemoryContextAllocHuge(TopMemoryContext, hte_mv_table_size(p));

		hte_mv_table_init(t, p, mem);
		cov_tables[p] = t;
	}
	return cov_tables[p];
}

/*
 * Scratch space for folding blocks, kept with the function's call site
 * (transition and combine functions only: a final function's fn_extra
 * caches its result type).
 */
static double *
cov_work(FunctionCallInfo fcinfo, const HteMvTable *t)
{
	typedef struct
	{
		int			p;
		double	   *work;
	}			Cache;
	Cache	   *c = fcinfo->flinfo->fn_extra;

	if (c == NULL || c->p != t->p)
	{
		if (c == NULL)
			c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(Cache));
		else if (c->work != NULL)
			pfree(c->work);
		c->p = t->p;
		c->work = MemoryContextAllocHuge(fcinfo->flinfo->fn_mcxt,
										 sizeof(double) * hte_mv_block_work(t));
		fcinfo->flinfo->fn_extra = c;
	}
	return c->work;
}

/* The elements of a state array and its p, after checking the shape only. */
static double *
cov_state_shape(ArrayType *a, int *p)
{
	size_t		len;
	double	   *s;

	if (ARR_NDIM(a) != 1 || ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID)
		hte_invalid_state(COV_KIND, "The state is a one-dimensional float8 array without NULLs.");
	len = (size_t) ARR_DIMS(a)[0];
	s = (double *) ARR_DATA_PTR(a);
	*p = hte_cov_state_p(s, len);
	if (*p < 0)
		*p = hte_cov_stored_p(s, len);
	if (*p < 0)
		hte_invalid_state(COV_KIND, "Its layout tag, number of covariates or length is not that of a covariate state, format 1.");
	return s;
}

static bool
cov_state_empty(ArrayType *a)
{
	return ARR_DIMS(a)[0] == HTE_COV_EMPTY_LEN;
}

/* Whether a state of shape p (cov_state_shape) is in the stored form. */
static bool
cov_state_stored(ArrayType *a, int p)
{
	return ARR_DIMS(a)[0] > HTE_COV_EMPTY_LEN &&
		(size_t) ARR_DIMS(a)[0] == hte_cov_stored_len_p(p);
}

/* A checked state's elements; its table in *t (NULL for the empty state). */
static double *
cov_state_checked(ArrayType *a, const HteMvTable **t)
{
	int			p;
	double	   *s = cov_state_shape(a, &p);
	const char *why;

	*t = NULL;
	if (cov_state_empty(a))
		return s;
	*t = cov_table(p);
	why = hte_cov_state_check(*t, s);
	if (why != NULL)
		hte_invalid_state(COV_KIND, why);
	return s;
}

/*
 * A state's elements with only the checks that guard memory (shape, and
 * pending counts below the buffer's size); its table in *t (NULL for the
 * empty state).  For values of hte_adjusted_state, checked when made.
 */
static double *
cov_state_shaped(ArrayType *a, const HteMvTable **t)
{
	int			p;
	double	   *s = cov_state_shape(a, &p);

	*t = NULL;
	if (cov_state_empty(a))
		return s;
	for (int g = 0; g < 2; g++)
		if (!(s[2 + g] >= 0.0 && s[2 + g] < hte_cov_block(p)) || s[2 + g] != floor(s[2 + g]))
			hte_invalid_state(COV_KIND, "An arm's count of buffered rows is not a whole number below the buffer's size.");
	*t = cov_table(p);
	return s;
}

/* A new state array of len doubles in the current memory context. */
static ArrayType *
cov_state_new(size_t len)
{
	Size		bytes = ARR_OVERHEAD_NONULLS(1) + len * sizeof(double);
	ArrayType  *b;

	if (!AllocSizeIsValid(bytes))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("covariate state too large")));
	b = (ArrayType *) palloc0(bytes);
	SET_VARSIZE(b, bytes);
	b->ndim = 1;
	b->dataoffset = 0;
	b->elemtype = FLOAT8OID;
	ARR_DIMS(b)[0] = (int) len;
	ARR_LBOUND(b)[0] = 1;
	return b;
}

/*
 * A row's covariates: NULL array or element -> false (the row is skipped);
 * else their number and values (NaN/Infinity is an ERROR).
 */
static bool
cov_row(ArrayType *xa, int *p, double **x)
{
	int			n;

	if (ARR_NDIM(xa) == 0)
	{
		*p = 0;
		*x = NULL;
		return true;
	}
	if (ARR_NDIM(xa) != 1 || ARR_ELEMTYPE(xa) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("covariates must be a one-dimensional float8 array"),
				 errhint("Write them as ARRAY[x1, x2, ...].")));
	n = ARR_DIMS(xa)[0];
	if (n > HTE_MV_MAX_P)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many covariates: %d", n),
				 errdetail("The one-pass moments take at most %d covariates.", HTE_MV_MAX_P),
				 errhint("Choose the covariates that predict the outcome, or combine some (a risk score).")));
	/* a NULL element skips the row (a null bitmap without one does not) */
	if (array_contains_nulls(xa))
		return false;
	*p = n;
	*x = (double *) ARR_DATA_PTR(xa);
	for (int j = 0; j < n; j++)
		(void) hte_finite((*x)[j], "covariate");
	return true;
}

/* ERROR for a row (or partial state) whose number of covariates differs. */
pg_noreturn static void
cov_length_error(int p, int xp, bool hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("covariate arrays of different lengths: %d and %d", p, xp),
			 errdetail("Every row's array must list the same covariates in the same order."),
			 hint ? errhint("Build the array the same way on every row, e.g. ARRAY[age, bmi].") : 0));
}

/* Mark s (hte_cov_state_len(t) zeroed doubles) as a state for t without rows. */
static double *
cov_state_init(const HteMvTable *t, double *s)
{
	s[0] = HTE_COV_STATE_TAG;
	s[1] = t->p;
	return s;
}

/*
 * Add one row (x: p values, y) to arm `arm` of state s (table t), folding
 * the arm's buffer when it is full.
 */
static void
cov_push(FunctionCallInfo fcinfo, const HteMvTable *t, double *s, int arm,
		 const double *x, double y)
{
	double		k = s[2 + arm];
	double	   *buf;

	if (unlikely(!(k >= 0.0 && k < hte_cov_block(t->p)) || k != floor(k)))
		hte_invalid_state(COV_KIND, "An arm's count of buffered rows is not a whole number below the buffer's size.");
	hte_arm_has_room(hte_cov_arm(t, s, arm)[0] + k, COV_KIND);
	buf = hte_cov_buffer(t, s, arm) + (size_t) k * t->nvars;
	for (int j = 0; j < t->p; j++)
		buf[j] = x[j];
	buf[t->p] = y;
	s[2 + arm] = k + 1.0;
	if (k + 1.0 >= hte_cov_block(t->p))
		hte_cov_state_flush(t, s, arm, cov_work(fcinfo, t));
}

static Datum
cov_trans(FunctionCallInfo fcinfo, int arm)
{
	double		y = hte_finite(PG_GETARG_FLOAT8(1), "outcome");
	ArrayType  *xa = PG_GETARG_ARRAYTYPE_P(3);
	ArrayType  *a = (ArrayType *) DatumGetPointer(PG_GETARG_DATUM(0));
	const HteMvTable *t;
	double	   *s,
			   *x;
	int			p,
				xp;

	if (!cov_row(xa, &xp, &x))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	/* in an aggregate the state is updated in place; elsewhere a copy */
	if (unlikely(!hte_state_in_place(fcinfo, a)))
		a = AggCheckCallContext(fcinfo, NULL) ? PG_GETARG_ARRAYTYPE_P(0) :
			PG_GETARG_ARRAYTYPE_P_COPY(0);
	s = cov_state_shape(a, &p);
	if (cov_state_empty(a))
	{
		/* the first row: p is known now */
		MemoryContext aggctx,
					old;

		if (!AggCheckCallContext(fcinfo, &aggctx))
			aggctx = CurrentMemoryContext;
		old = MemoryContextSwitchTo(aggctx);

		t = cov_table(xp);
		a = cov_state_new(hte_cov_state_len(t));
		MemoryContextSwitchTo(old);
		s = cov_state_init(t, (double *) ARR_DATA_PTR(a));
		p = xp;
	}
	else if (xp != p)
		cov_length_error(p, xp, true);
	else if (unlikely(cov_state_stored(a, p)))
	{
		/* a stored state (a merged one): a copy with room for the buffers */
		MemoryContext aggctx,
					old;
		const char *why;
		ArrayType  *b;

		t = cov_table(p);
		why = hte_cov_state_check(t, s);
		if (why != NULL)
			hte_invalid_state(COV_KIND, why);
		if (!AggCheckCallContext(fcinfo, &aggctx))
			aggctx = CurrentMemoryContext;
		old = MemoryContextSwitchTo(aggctx);
		b = cov_state_new(hte_cov_state_len(t));
		MemoryContextSwitchTo(old);
		memcpy(ARR_DATA_PTR(b), s, sizeof(double) * hte_cov_stored_len_p(p));
		a = b;
		s = (double *) ARR_DATA_PTR(a);
	}
	cov_push(fcinfo, cov_table(p), s, arm, x, y);
	PG_RETURN_ARRAYTYPE_P(a);
}

#define COV_TRANS(name, ARMEXPR) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return cov_trans(fcinfo, (ARMEXPR)); \
}

COV_TRANS(hte_cov_trans_bool, HTE_ARM_BOOL(2))
COV_TRANS(hte_cov_trans_int2, HTE_ARM_INT2(2))
COV_TRANS(hte_cov_trans_int4, HTE_ARM_INT4(2))
COV_TRANS(hte_cov_trans_int8, HTE_ARM_INT8(2))

/*
 * Both arms of a checked state with their pending rows folded, in arms[2]
 * (new memory: the state stays as it is, so that aggregates sharing it see
 * the same).  work: hte_mv_block_work doubles.
 */
static void
cov_fold(const HteMvTable *t, const double *s, double *arms[2], double *work)
{
	size_t		alen = hte_mv_arm_len(t);

	for (int g = 0; g < 2; g++)
	{
		int			k = (int) s[2 + g];

		arms[g] = palloc(sizeof(double) * alen);
		memcpy(arms[g], hte_cov_arm(t, (double *) s, g), sizeof(double) * alen);
		if (k > 0)
			hte_mv_push_block(t, arms[g], hte_cov_buffer(t, (double *) s, g), k, work);
		for (size_t i = 0; i < alen; i++)
			if (!isfinite(arms[g][i]))
				hte_overflow_error();
	}
}

/*
 * Merge state sb into sa (both checked, table t), sa's pending rows
 * folded; sb is not changed.
 */
static void
cov_merge(FunctionCallInfo fcinfo, const HteMvTable *t, double *sa, const double *sb)
{
	double	   *arms_b[2],
			   *work = cov_work(fcinfo, t);

	cov_fold(t, sb, arms_b, work);
	for (int g = 0; g < 2; g++)
	{
		double	   *arm = hte_cov_arm(t, sa, g);

		hte_cov_state_flush(t, sa, g, work);
		hte_counts_fit(arm[0], arms_b[g][0], COV_KIND);
		hte_mv_merge(t, arm, arms_b[g], work);
		for (size_t i = 0; i < hte_mv_arm_len(t); i++)
			if (!isfinite(arm[i]))
				hte_overflow_error();
		pfree(arms_b[g]);
	}
}

/*
 * The stored form of a covariate state, checked, pending rows folded in: a
 * new float8[] (hte_cov_stored_len_p, or the four numbers of the empty
 * state), the value of an hte_adjusted_state.
 */
ArrayType *
hte_cov_stored(ArrayType *a)
{
	const HteMvTable *t;
	double	   *s = cov_state_checked(a, &t),
			   *d,
			   *arms[2],
			   *work;
	ArrayType  *b;

	if (t == NULL)
	{
		b = cov_state_new(HTE_COV_EMPTY_LEN);
		memcpy(ARR_DATA_PTR(b), s, sizeof(double) * HTE_COV_EMPTY_LEN);
		return b;
	}
	b = cov_state_new(hte_cov_stored_len_p(t->p));
	d = (double *) ARR_DATA_PTR(b);
	d[0] = HTE_COV_STATE_TAG;
	d[1] = t->p;
	work = palloc(sizeof(double) * hte_mv_block_work(t));
	cov_fold(t, s, arms, work);
	for (int g = 0; g < 2; g++)
	{
		memcpy(hte_cov_arm(t, d, g), arms[g], sizeof(double) * hte_mv_arm_len(t));
		pfree(arms[g]);
	}
	pfree(work);
	return b;
}

/* NULL when s (n doubles) is a valid stored covariate state, else why not. */
const char *
hte_cov_stored_check(const double *s, size_t n)
{
	int			p;

	if (n == HTE_COV_EMPTY_LEN)
		return hte_cov_state_p(s, n) == 0 ? NULL :
			"The empty state is the four numbers {3,0,0,0}.";
	p = hte_cov_stored_p(s, n);
	if (p < 0)
		return "Its layout tag, number of covariates or length is not that of a stored covariate state, format 1.";
	return hte_cov_state_check(cov_table(p), s);
}

/*
 * Combine two states: the first (in place in an aggregate) with the
 * second merged in.  trusted: the arguments are values of
 * hte_adjusted_state (checked when made), so only their shape and pending
 * counts are checked here, not every moment.
 */
static Datum
cov_combine(FunctionCallInfo fcinfo, bool trusted)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	MemoryContext aggctx;
	const HteMvTable *ta,
			   *tb;
	double	   *sa = trusted ? cov_state_shaped(a, &ta) : cov_state_checked(a, &ta),
			   *sb = trusted ? cov_state_shaped(b, &tb) : cov_state_checked(b, &tb);

	if (!AggCheckCallContext(fcinfo, &aggctx))
		aggctx = CurrentMemoryContext;
	if (tb == NULL)
		PG_RETURN_ARRAYTYPE_P(a);
	if (ta == NULL)
	{
		/* a copy of b in the aggregate's memory */
		MemoryContext old = MemoryContextSwitchTo(aggctx);
		ArrayType  *c = (ArrayType *) palloc(VARSIZE(b));

		memcpy(c, b, VARSIZE(b));
		MemoryContextSwitchTo(old);
		PG_RETURN_ARRAYTYPE_P(c);
	}
	if (ta->p != tb->p)
		cov_length_error(ta->p, tb->p, false);
	if (!AggCheckCallContext(fcinfo, NULL))
	{
		a = PG_GETARG_ARRAYTYPE_P_COPY(0);
		sa = (double *) ARR_DATA_PTR(a);
	}
	cov_merge(fcinfo, ta, sa, sb);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(hte_cov_combine);
Datum
hte_cov_combine(PG_FUNCTION_ARGS)
{
	return cov_combine(fcinfo, false);
}

PG_FUNCTION_INFO_V1(hte_cov_stored_combine);
Datum
hte_cov_stored_combine(PG_FUNCTION_ARGS)
{
	return cov_combine(fcinfo, true);
}

/* ate() on the rows of the arms: from each arm's n, mean and M[y y]. */
static void
cov_unadjusted(const HteMvTable *t, double *const arms[2], double *est, double *se)
{
	HteArm		a[2];
	HteAteResult r;
	int			yy[2] = {t->p, t->p};
	int			m = hte_mv_index(t, yy, 2);

	for (int g = 0; g < 2; g++)
	{
		a[g].n = arms[g][0];
		a[g].mean = hte_mv_mean(t, arms[g], t->p);
		a[g].m2.hi = arms[g][1 + 2 * (m - 1)];
		a[g].m2.lo = arms[g][2 + 2 * (m - 1)];
	}
	*est = *se = NAN;
	if (hte_ate_compute(&a[0], &a[1], hte_get_confidence_level(), &r))
	{
		*est = r.estimate;
		*se = r.std_error;
	}
}

/*
 * The rows an arm keeps for HC2/HC3 (four-argument forms): count rows of
 * p + 1 doubles (x_1..x_p, y), in one growable huge allocation.
 */
typedef struct CovRows
{
	double	   *v;
	Size		count;
	Size		cap;
} CovRows;

/* Rows per chunk of the HC2/HC3 meat, between checks for interrupts. */
#define COV_ROWS_CHUNK ((Size) 1 << 20)

/*
 * The fit of a checked state s (table t) and its covariance of the given
 * type, in *f (palloc'd); the folded arms in arms[2] (new memory: the state
 * is not changed, so that aggregates sharing it see the same).  rows: each
 * arm's kept rows for HC2/HC3, NULL otherwise.  *vcov_ok false when the
 * variance is undefined (df <= 0, a leverage of 1).  Returns false when
 * there is no row.
 */
static bool
cov_fit(const HteMvTable *t, const double *s, HteSeType type, const CovRows *rows,
		double *arms[2], HteLinFit **f, bool *vcov_ok)
{
	const double *const *carms = (const double *const *) arms;
	double	   *meat = NULL;

	/* not cov_work: a final function's fn_extra holds its result type */
	cov_fold(t, s, arms, palloc(sizeof(double) * hte_mv_block_work(t)));
	*f = palloc(sizeof(HteLinFit));
	if (!hte_lin_fit(t, carms, *f))
		return false;
	if (type != HTE_SE_CLASSICAL)
		meat = palloc0(sizeof(double) * (*f)->K * (*f)->K);
	if (type == HTE_SE_HC0 || type == HTE_SE_HC1)
		hte_lin_meat_hc0(t, carms, *f, meat);
	else if (type == HTE_SE_HC2 || type == HTE_SE_HC3)
	{
		for (int g = 0; g < 2; g++)
			/* in chunks, so that cancellation is noticed promptly */
			for (Size i = 0; i < rows[g].count; i += COV_ROWS_CHUNK)
			{
				Size		chunk = Min(COV_ROWS_CHUNK, rows[g].count - i);

				CHECK_FOR_INTERRUPTS();
				if (!hte_lin_meat_rows(t, carms, *f, type, g,
									   rows[g].v + i * t->nvars, (long) chunk, meat))
				{
					/* a leverage of 1: the variance is undefined (R: NaN) */
					*vcov_ok = false;
					return true;
				}
			}
	}
	*vcov_ok = hte_lin_vcov(*f, type, meat);
	return true;
}

/* The hte_ate_adjusted row of a fit (cov_fit's answers). */
static Datum
cov_ate_result(FunctionCallInfo fcinfo, const HteMvTable *t, double *const arms[2],
			   const HteLinFit *f, bool vcov_ok, HteSeType type)
{
	double		ue,
				use;
	HteAteAdjusted r;

	cov_unadjusted(t, arms, &ue, &use);
	hte_lin_ate(f, vcov_ok, hte_get_confidence_level(), ue, use, &r);
	return adjusted_result(fcinfo, &r, hte_se_type_name(type));
}

PG_FUNCTION_INFO_V1(hte_cov_ate_final);
Datum
hte_cov_ate_final(PG_FUNCTION_ARGS)
{
	const HteMvTable *t;
	double	   *s = cov_state_checked(PG_GETARG_ARRAYTYPE_P(0), &t);
	double	   *arms[2];
	HteLinFit  *f;
	bool		vcov_ok;

	if (t == NULL || !cov_fit(t, s, HTE_SE_HC1, NULL, arms, &f, &vcov_ok))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(cov_ate_result(fcinfo, t, arms, f, vcov_ok, HTE_SE_HC1));
}

/* A float8[] of n values, NaN as NULL. */
static Datum
float8_array_nulls(const double *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * (n > 0 ? n : 1));
	bool	   *nulls = palloc(sizeof(bool) * (n > 0 ? n : 1));
	int			dims[1] = {n},
				lbs[1] = {1};

	for (int i = 0; i < n; i++)
	{
		nulls[i] = isnan(v[i]);
		d[i] = Float8GetDatum(nulls[i] ? 0.0 : v[i]);
		if (!nulls[i] && isinf(v[i]))
			hte_overflow_error();
	}
	return PointerGetDatum(construct_md_array(d, nulls, 1, dims, lbs, FLOAT8OID,
											  sizeof(float8), FLOAT8PASSBYVAL,
											  TYPALIGN_DOUBLE));
}

static Datum
joint_result(FunctionCallInfo fcinfo, const HteJointTest *r, HteSeType type)
{
	Datum		values[14];
	bool		nulls[14];
	int			p = (int) r->moderators;

	values[0] = Int32GetDatum(p);
	nulls[0] = false;
	values[1] = hte_float8_or_null(r->f_statistic, &nulls[1]);
	values[2] = hte_float8_or_null(r->df1, &nulls[2]);
	values[3] = hte_float8_or_null(r->df2, &nulls[3]);
	values[4] = hte_float8_or_null(r->p_value, &nulls[4]);
	values[5] = hte_float8_or_null(r->chisq_statistic, &nulls[5]);
	values[6] = hte_float8_or_null(r->chisq_p_value, &nulls[6]);
	values[7] = float8_array_nulls(r->interactions, p);
	values[8] = float8_array_nulls(r->std_errors, p);
	values[9] = float8_array_nulls(r->p_values, p);
	values[10] = float8_array_nulls(r->p_adjusted, p);
	nulls[7] = nulls[8] = nulls[9] = nulls[10] = false;
	values[11] = hte_count_datum(r->n_treated, &nulls[11]);
	values[12] = hte_count_datum(r->n_control, &nulls[12]);
	values[13] = CStringGetTextDatum(hte_se_type_name(type));
	nulls[13] = false;
	for (int i = 1; i <= 6; i++)
		if (!nulls[i] && isinf(DatumGetFloat8(values[i])))
			hte_overflow_error();
	return HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo), values, nulls));
}

/* The hte_interaction_joint row of a fit (cov_fit's answers). */
static Datum
cov_joint_result(FunctionCallInfo fcinfo, HteLinFit *f, bool vcov_ok, HteSeType type)
{
	HteJointTest r;

	hte_lin_joint(f, vcov_ok, &r);
	return joint_result(fcinfo, &r, type);
}

PG_FUNCTION_INFO_V1(hte_cov_joint_final);
Datum
hte_cov_joint_final(PG_FUNCTION_ARGS)
{
	const HteMvTable *t;
	double	   *s = cov_state_checked(PG_GETARG_ARRAYTYPE_P(0), &t);
	double	   *arms[2];
	HteLinFit  *f;
	bool		vcov_ok;

	if (t == NULL || !cov_fit(t, s, HTE_SE_HC1, NULL, arms, &f, &vcov_ok))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(cov_joint_result(fcinfo, f, vcov_ok, HTE_SE_HC1));
}

/* ------------------------------------------------------------------------
 * ate(y, treated, covariates, se_type) and
 * interaction_test(y, treated, moderators, se_type): one internal state,
 * shared by the two aggregates.  It holds the three-argument forms' moments
 * (the same float8 layout, updated by the same code, so that HC1 gives the
 * same numbers to the bit), the variance type and — only for HC2 and HC3,
 * whose leverages need every row — each arm's rows, 8 (p + 1) bytes a row.
 * It has serialize and deserialize functions for parallel query; the
 * serialized bytes are validated by the core (hte_state_io.h) before use.
 * ------------------------------------------------------------------------
 */

typedef struct CovState
{
	HteSeType	type;
	int			p;				/* -1 until the first row used */
	const HteMvTable *t;		/* the table for p */
	double	   *s;				/* hte_cov_state_len(t) doubles */
	CovRows		rows[2];		/* HC2, HC3 only */
} CovState;

#define COV4_WHAT "ate or interaction_test with se_type HC2 or HC3"

/* Room for `more` rows in b (an arm of st), growing geometrically in ctx. */
static void
cov_rows_reserve(MemoryContext ctx, const CovState *st, CovRows *b, Size more)
{
	Size		row_bytes = sizeof(double) * (Size) st->t->nvars;
	Size		cap;

	if (more <= b->cap - b->count)
		return;
	if (more > MaxAllocHugeSize / row_bytes - b->count)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for %s", COV4_WHAT),
				 errdetail("HC2 and HC3 keep every row, %zu bytes each, in one allocation of at most %zu bytes.",
						   row_bytes, (Size) MaxAllocHugeSize),
				 errhint("Use se_type HC1, whose memory does not grow with the rows.")));
	cap = hte_grow_capacity(b->count, b->cap, more, row_bytes, COV4_WHAT);
	if (b->v == NULL)
		b->v = MemoryContextAllocHuge(ctx, cap * row_bytes);
	else
		b->v = repalloc_huge(b->v, cap * row_bytes);
	b->cap = cap;
}

/* Append n rows (v: any alignment) to b, an arm of st (in ctx). */
static void
cov_rows_append(MemoryContext ctx, const CovState *st, CovRows *b,
				const void *v, Size n)
{
	if (n == 0)
		return;
	cov_rows_reserve(ctx, st, b, n);
	memcpy(b->v + b->count * st->t->nvars, v, n * st->t->nvars * sizeof(double));
	b->count += n;
}

/* st's moments for p covariates (its first row), in ctx: no rows yet. */
static void
cov4_start(MemoryContext ctx, CovState *st, int p)
{
	st->p = p;
	st->t = cov_table(p);
	st->s = cov_state_init(st->t, MemoryContextAllocZero(ctx, sizeof(double) *
														 hte_cov_state_len(st->t)));
}

static inline Datum
cov4_trans(FunctionCallInfo fcinfo, HteTreatKind kind)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "ate/interaction_test transition function");
	CovState   *st = PG_ARGISNULL(0) ? NULL : (CovState *) PG_GETARG_POINTER(0);
	HteSeType	type = (HteSeType) hte_row_se_type(fcinfo, 4, st ? (int) st->type : -1);
	int			arm,
				xp;
	double		y,
			   *x;

	if (st == NULL)
	{
		st = MemoryContextAllocZero(ctx, sizeof(CovState));
		st->type = type;
		st->p = -1;
	}
	else if (st->type != type)
		hte_se_type_mismatch(st->type, type, "ate(y, treated, covariates, 'HC2')");

	/* a NULL outcome, treatment, array or array element skips the row */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(st);
	arm = hte_arm_of(fcinfo, 2, kind);
	y = hte_finite(PG_GETARG_FLOAT8(1), "outcome");
	if (!cov_row(PG_GETARG_ARRAYTYPE_P(3), &xp, &x))
		PG_RETURN_POINTER(st);
	if (st->p < 0)
		cov4_start(ctx, st, xp);
	else if (xp != st->p)
		cov_length_error(st->p, xp, true);
	cov_push(fcinfo, st->t, st->s, arm, x, y);
	if (hte_cov4_keeps_rows(st->type))
	{
		CovRows    *b = &st->rows[arm];
		double	   *row;

		cov_rows_reserve(ctx, st, b, 1);
		row = b->v + b->count * st->t->nvars;
		for (int j = 0; j < xp; j++)
			row[j] = x[j];
		row[xp] = y;
		b->count++;
	}
	PG_RETURN_POINTER(st);
}

#define COV4_TRANS(name, KIND_) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return cov4_trans(fcinfo, (KIND_)); \
}

COV4_TRANS(hte_cov4_trans_bool, HTE_T_BOOL)
COV4_TRANS(hte_cov4_trans_int2, HTE_T_INT2)
COV4_TRANS(hte_cov4_trans_int4, HTE_T_INT4)
COV4_TRANS(hte_cov4_trans_int8, HTE_T_INT8)

PG_FUNCTION_INFO_V1(hte_cov4_combine);
Datum
hte_cov4_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "ate/interaction_test combine function");
	CovState   *a = PG_ARGISNULL(0) ? NULL : (CovState *) PG_GETARG_POINTER(0);
	CovState   *b = PG_ARGISNULL(1) ? NULL : (CovState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = MemoryContextAllocZero(ctx, sizeof(CovState));
		a->type = b->type;
		a->p = -1;
	}
	else if (a->type != b->type)
		hte_se_type_mismatch(a->type, b->type, "ate(y, treated, covariates, 'HC2')");
	if (b->p < 0)
		PG_RETURN_POINTER(a);
	if (a->p < 0)
	{
		/* a copy of b's moments in the aggregate's memory */
		cov4_start(ctx, a, b->p);
		memcpy(a->s, b->s, sizeof(double) * hte_cov_state_len(a->t));
	}
	else if (a->p != b->p)
		cov_length_error(a->p, b->p, false);
	else
		cov_merge(fcinfo, a->t, a->s, b->s);
	for (int g = 0; g < 2; g++)
		cov_rows_append(ctx, a, &a->rows[g], b->rows[g].v, b->rows[g].count);
	PG_RETURN_POINTER(a);
}

/*
 * Serialized form (bytea): see hte_state_io.h; the core validates it
 * completely (header, moments, row counts against the arms, length, every
 * row finite) before it is used here.
 */
static void
cov_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

PG_FUNCTION_INFO_V1(hte_cov4_serialize);
Datum
hte_cov4_serialize(PG_FUNCTION_ARGS)
{
	CovState   *st = (CovState *) PG_GETARG_POINTER(0);
	uint64_t	rows[2] = {0, 0};
	Size		size,
				off;
	bytea	   *out;
	unsigned char *p;

	(void) hte_agg_context(fcinfo, "ate/interaction_test serialize function");
	if (st->p >= 0 && hte_cov4_keeps_rows(st->type))
		for (int g = 0; g < 2; g++)
			rows[g] = st->rows[g].count;
	size = hte_cov4_size(st->t, rows[0] + rows[1], MaxAllocSize - VARHDRSZ);
	if (size == 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("ate or interaction_test state of a parallel worker exceeds 1 GB"),
				 errdetail("With se_type HC2 or HC3 a worker sends its " UINT64_FORMAT " rows, %zu bytes each, to the leader.",
						   (uint64) (rows[0] + rows[1]), sizeof(double) * (Size) st->t->nvars),
				 errhint("Run the query without parallel workers (SET max_parallel_workers_per_gather = 0), or use se_type HC1, whose memory does not grow with the rows.")));
	out = palloc(VARHDRSZ + size);
	SET_VARSIZE(out, VARHDRSZ + size);
	p = (unsigned char *) VARDATA(out);
	off = hte_cov4_write(p, st->type, st->p >= 0 ? st->t : NULL, st->s, rows);
	for (int g = 0; g < 2; g++)
		if (rows[g] > 0)
		{
			Size		bytes = (Size) rows[g] * st->t->nvars * sizeof(double);

			memcpy(p + off, st->rows[g].v, bytes);
			off += bytes;
		}
	Assert(off == size);
	PG_RETURN_BYTEA_P(out);
}

/*
 * Callable outside an aggregate too (in the current memory context), so
 * that a test can hand it forged bytes: sql/adjusted.sql declares this
 * entry point as a function of bytea alone.  A NULL argument gives NULL.
 */
PG_FUNCTION_INFO_V1(hte_cov4_deserialize);
Datum
hte_cov4_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx;
	bytea	   *in;
	const unsigned char *p;
	Size		len;
	HteCov4Parsed parsed;
	const char *why;
	CovState   *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (!AggCheckCallContext(fcinfo, &ctx))
		ctx = CurrentMemoryContext;
	in = PG_GETARG_BYTEA_PP(0);
	p = (const unsigned char *) VARDATA_ANY(in);
	len = VARSIZE_ANY_EXHDR(in);
	if ((why = hte_cov4_parse_header(p, len, &parsed)) != NULL)
		hte_invalid_state(COV_KIND, why);
	st = MemoryContextAllocZero(ctx, sizeof(CovState));
	st->type = parsed.se_type;
	st->p = -1;
	if (parsed.p < 0)
		PG_RETURN_POINTER(st);
	cov4_start(ctx, st, parsed.p);
	why = hte_cov4_parse(p, len, st->t, st->s, &parsed, cov_check_interrupts);
	if (why != NULL)
		hte_invalid_state(COV_KIND, why);
	for (int g = 0; g < 2; g++)
		cov_rows_append(ctx, st, &st->rows[g], p + parsed.rows_offset[g],
						(Size) parsed.rows[g]);
	PG_RETURN_POINTER(st);
}

/* A four-argument state for a final function; NULL when it has no rows. */
static CovState *
cov4_final_state(FunctionCallInfo fcinfo)
{
	CovState   *st = PG_ARGISNULL(0) ? NULL : (CovState *) PG_GETARG_POINTER(0);

	(void) hte_agg_context(fcinfo, "ate/interaction_test final function");
	return st != NULL && st->p >= 0 ? st : NULL;
}

PG_FUNCTION_INFO_V1(hte_cov4_ate_final);
Datum
hte_cov4_ate_final(PG_FUNCTION_ARGS)
{
	CovState   *st = cov4_final_state(fcinfo);
	double	   *arms[2];
	HteLinFit  *f;
	bool		vcov_ok;

	if (st == NULL || !cov_fit(st->t, st->s, st->type, st->rows, arms, &f, &vcov_ok))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(cov_ate_result(fcinfo, st->t, arms, f, vcov_ok, st->type));
}

PG_FUNCTION_INFO_V1(hte_cov4_joint_final);
Datum
hte_cov4_joint_final(PG_FUNCTION_ARGS)
{
	CovState   *st = cov4_final_state(fcinfo);
	double	   *arms[2];
	HteLinFit  *f;
	bool		vcov_ok;

	if (st == NULL || !cov_fit(st->t, st->s, st->type, st->rows, arms, &f, &vcov_ok))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(cov_joint_result(fcinfo, f, vcov_ok, st->type));
}
