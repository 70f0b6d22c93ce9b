/*
 * adjusted.c — PostgreSQL glue for the covariate-adjusted treatment effects:
 * ate_cuped(y, treated, pre), and (below) ate(y, treated, covariates) and
 * interaction_test(y, treated, moderators).
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
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "hte.h"
#include "core/hte_ate.h"
#include "core/hte_comoments.h"
#include "core/hte_lin.h"

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
		hte_invalid_state(COV_KIND, "Its layout tag, number of covariates or length is not that of a covariate state, format 1.");
	return s;
}

static bool
cov_state_empty(ArrayType *a)
{
	return ARR_DIMS(a)[0] == HTE_COV_EMPTY_LEN;
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
	if (ARR_HASNULL(xa))
		return false;
	*p = n;
	*x = (double *) ARR_DATA_PTR(xa);
	for (int j = 0; j < n; j++)
		(void) hte_finite((*x)[j], "covariate");
	return true;
}

static Datum
cov_trans(FunctionCallInfo fcinfo, int arm)
{
	double		y = hte_finite(PG_GETARG_FLOAT8(1), "outcome");
	ArrayType  *xa = PG_GETARG_ARRAYTYPE_P(3);
	ArrayType  *a;
	MemoryContext aggctx;
	const HteMvTable *t;
	double	   *s,
			   *x,
			   *buf;
	int			p,
				xp;
	double		k;

	if (!cov_row(xa, &xp, &x))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	if (AggCheckCallContext(fcinfo, &aggctx))
		a = PG_GETARG_ARRAYTYPE_P(0);
	else
	{
		aggctx = CurrentMemoryContext;
		a = PG_GETARG_ARRAYTYPE_P_COPY(0);
	}
	s = cov_state_shape(a, &p);
	if (cov_state_empty(a))
	{
		/* the first row: p is known now */
		MemoryContext old = MemoryContextSwitchTo(aggctx);

		t = cov_table(xp);
		a = cov_state_new(hte_cov_state_len(t));
		MemoryContextSwitchTo(old);
		s = (double *) ARR_DATA_PTR(a);
		s[0] = HTE_COV_STATE_TAG;
		s[1] = xp;
		p = xp;
	}
	else if (xp != p)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("covariate arrays of different lengths: %d and %d", p, xp),
				 errdetail("Every row's array must list the same covariates in the same order."),
				 errhint("Build the array the same way on every row, e.g. ARRAY[age, bmi].")));
	t = cov_table(p);
	k = s[2 + arm];
	if (unlikely(!(k >= 0.0 && k < HTE_COV_BLOCK) || k != floor(k)))
		hte_invalid_state(COV_KIND, "An arm's count of buffered rows is not a whole number between 0 and 31.");
	hte_arm_has_room(hte_cov_arm(t, s, arm)[0] + k, COV_KIND);
	buf = hte_cov_buffer(t, s, arm) + (size_t) k * t->nvars;
	for (int j = 0; j < p; j++)
		buf[j] = x[j];
	buf[p] = y;
	s[2 + arm] = k + 1.0;
	if (k + 1.0 >= HTE_COV_BLOCK)
		hte_cov_state_flush(t, s, arm, cov_work(fcinfo, t));
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

PG_FUNCTION_INFO_V1(hte_cov_combine);
Datum
hte_cov_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	MemoryContext aggctx;
	const HteMvTable *ta,
			   *tb;
	double	   *sa = cov_state_checked(a, &ta),
			   *sb = cov_state_checked(b, &tb),
			   *arms_b[2],
			   *work;

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
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("covariate arrays of different lengths: %d and %d", ta->p, tb->p),
				 errdetail("Every row's array must list the same covariates in the same order.")));
	if (!AggCheckCallContext(fcinfo, NULL))
	{
		a = PG_GETARG_ARRAYTYPE_P_COPY(0);
		sa = (double *) ARR_DATA_PTR(a);
	}
	work = cov_work(fcinfo, ta);
	cov_fold(tb, sb, arms_b, work);
	for (int g = 0; g < 2; g++)
	{
		double	   *arm = hte_cov_arm(ta, sa, g);

		hte_cov_state_flush(ta, sa, g, work);
		hte_counts_fit(arm[0], arms_b[g][0], COV_KIND);
		hte_mv_merge(ta, arm, arms_b[g], work);
		for (size_t i = 0; i < hte_mv_arm_len(ta); i++)
			if (!isfinite(arm[i]))
				hte_overflow_error();
	}
	PG_RETURN_ARRAYTYPE_P(a);
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

/* The fit and its HC1 covariance from a state; false when it has no rows. */
static bool
cov_fit_hc1(ArrayType *a, const HteMvTable **t,
			double *arms[2], HteLinFit **f, bool *vcov_ok)
{
	double	   *s = cov_state_checked(a, t);
	double	   *meat;

	if (*t == NULL)
		return false;
	/* not cov_work: a final function's fn_extra holds its result type */
	cov_fold(*t, s, arms, palloc(sizeof(double) * hte_mv_block_work(*t)));
	*f = palloc(sizeof(HteLinFit));
	if (!hte_lin_fit(*t, (const double *const *) arms, *f))
		return false;
	meat = palloc(sizeof(double) * (*f)->K * (*f)->K);
	hte_lin_meat_hc0(*t, (const double *const *) arms, *f, meat);
	*vcov_ok = hte_lin_vcov(*f, HTE_SE_HC1, meat);
	return true;
}

PG_FUNCTION_INFO_V1(hte_cov_ate_final);
Datum
hte_cov_ate_final(PG_FUNCTION_ARGS)
{
	const HteMvTable *t;
	double	   *arms[2];
	HteLinFit  *f;
	bool		vcov_ok;
	double		ue,
				use;
	HteAteAdjusted r;

	if (!cov_fit_hc1(PG_GETARG_ARRAYTYPE_P(0), &t, arms, &f, &vcov_ok))
		PG_RETURN_NULL();
	cov_unadjusted(t, arms, &ue, &use);
	hte_lin_ate(f, vcov_ok, hte_get_confidence_level(), ue, use, &r);
	PG_RETURN_DATUM(adjusted_result(fcinfo, &r, hte_se_type_name(HTE_SE_HC1)));
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

PG_FUNCTION_INFO_V1(hte_cov_joint_final);
Datum
hte_cov_joint_final(PG_FUNCTION_ARGS)
{
	const HteMvTable *t;
	double	   *arms[2];
	HteLinFit  *f;
	bool		vcov_ok;
	HteJointTest r;

	if (!cov_fit_hc1(PG_GETARG_ARRAYTYPE_P(0), &t, arms, &f, &vcov_ok))
		PG_RETURN_NULL();
	hte_lin_joint(f, vcov_ok, &r);
	PG_RETURN_DATUM(joint_result(fcinfo, &r, HTE_SE_HC1));
}
