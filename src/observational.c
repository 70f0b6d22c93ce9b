/*
 * observational.c — SQL glue of estimands, propensity_model,
 * propensity_score, overlap_check and balance_table (statistics in
 * core/hte_obs.c).
 *
 * The aggregates keep their rows (8 (p + 2) bytes each) in an internal
 * state that grows geometrically in huge allocations; for parallel query
 * it is serialized to a bytea whose bytes the core validates completely
 * (hte_obs_parse) before use.
 */
#include "hte.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "core/hte_dist.h"
#include "core/hte_obs.h"
#include "core/hte_state_io.h"

typedef struct ObsState
{
	HteObsHeader h;				/* h.n is the row count */
	int			width;			/* doubles per row, once p is known */
	Size		cap;
	double	   *rows;
} ObsState;

static void
obs_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

static const char *
kind_name(HteObsKind k)
{
	return k == HTE_OBS_KIND_ESTIMANDS ? "estimands" :
		k == HTE_OBS_KIND_BALANCE ? "balance_table" : "propensity_model or overlap_check";
}

/* ------------------------------------------------------------------------
 * Arguments
 * ------------------------------------------------------------------------
 */

/* A text option argument, lower-cased; ERROR 22004 when NULL. */
static char *
option_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	char	   *s;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", what)));
	s = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	for (char *c = s; *c; c++)
		*c = pg_tolower((unsigned char) *c);
	return s;
}

/*
 * The options of a transition function's call site, parsed once: each row
 * compares its argument's bytes with the last ones seen (a constant, in
 * practice) before parsing again.
 */
typedef struct OptionCache
{
	struct
	{
		int			argno;
		int			value;
		Size		len;
		char	   *bytes;
	}			slot[3];
} OptionCache;

static int
cached_option(FunctionCallInfo fcinfo, int argno, int (*parse) (FunctionCallInfo, int))
{
	OptionCache *c = (OptionCache *) fcinfo->flinfo->fn_extra;
	text	   *t;
	Size		len;
	int			i,
				free_slot = -1;

	if (PG_ARGISNULL(argno))
		return parse(fcinfo, argno);	/* its ERROR */
	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(OptionCache));
		fcinfo->flinfo->fn_extra = c;
	}
	t = PG_GETARG_TEXT_PP(argno);
	len = VARSIZE_ANY_EXHDR(t);
	for (i = 0; i < 3; i++)
	{
		if (c->slot[i].bytes == NULL)
		{
			if (free_slot < 0)
				free_slot = i;
			continue;
		}
		if (c->slot[i].argno == argno)
		{
			if (c->slot[i].len == len && memcmp(c->slot[i].bytes, VARDATA_ANY(t), len) == 0)
				return c->slot[i].value;
			free_slot = i;
			break;
		}
	}
	{
		int			v = parse(fcinfo, argno);

		if (free_slot >= 0)
		{
			if (c->slot[free_slot].bytes != NULL)
				pfree(c->slot[free_slot].bytes);
			c->slot[free_slot].argno = argno;
			c->slot[free_slot].value = v;
			c->slot[free_slot].len = len;
			c->slot[free_slot].bytes = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len + 1);
			memcpy(c->slot[free_slot].bytes, VARDATA_ANY(t), len);
		}
		return v;
	}
}

static int
method_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *s = option_arg(fcinfo, argno, "method");
	int			m = hte_obs_method_parse(s);

	if (m < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown method \"%s\"", text_to_cstring(PG_GETARG_TEXT_PP(argno))),
				 errhint("Use 'aipw' (augmented inverse probability weighting, the default), 'ipw' or 'ra' (regression adjustment).")));
	return m;
}

static int
link_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *s = option_arg(fcinfo, argno, "link");
	int			l = hte_link_parse(s);

	if (l < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown link \"%s\"", text_to_cstring(PG_GETARG_TEXT_PP(argno))),
				 errhint("Use 'logit' (the default) or 'probit'.")));
	return l;
}

static int
estimand_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *s = option_arg(fcinfo, argno, "estimand");

	if (strcmp(s, "ate") == 0)
		return HTE_OBS_ATE;
	if (strcmp(s, "att") == 0)
		return HTE_OBS_ATT;
	if (strcmp(s, "atu") == 0)
		return HTE_OBS_ATU;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown estimand \"%s\"", text_to_cstring(PG_GETARG_TEXT_PP(argno))),
			 errhint("Use 'ATE' (the default), 'ATT' or 'ATU'.")));
	return -1;					/* not reached */
}

/*
 * A row's covariate array: false when NULL or with a NULL element (the row
 * is skipped); else its length and values (NaN/Infinity is an ERROR).
 */
static bool
covariate_arg(FunctionCallInfo fcinfo, int argno, int *p, const double **x)
{
	ArrayType  *a;
	int			n;

	if (PG_ARGISNULL(argno))
		return false;
	a = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(a) == 0)
	{
		*p = 0;
		*x = NULL;
		return true;
	}
	if (ARR_NDIM(a) != 1 || ARR_ELEMTYPE(a) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("covariates must be a one-dimensional float8 array"),
				 errhint("Write them as ARRAY[x1, x2, ...].")));
	/* a NULL element skips the row (a null bitmap without one does not) */
	if (array_contains_nulls(a))
		return false;
	n = ARR_DIMS(a)[0];
	if (n > HTE_OBS_MAX_P)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many covariates: %d", n),
				 errdetail("A propensity or outcome model takes at most %d covariates.", HTE_OBS_MAX_P)));
	*p = n;
	*x = (const double *) ARR_DATA_PTR(a);
	for (int j = 0; j < n; j++)
		(void) hte_finite((*x)[j], "covariate");
	return true;
}

pg_noreturn static void
length_error(int p, int xp)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("covariate arrays of different lengths: %d and %d", p, xp),
			 errdetail("Every row's array must list the same covariates in the same order."),
			 errhint("Build the array the same way on every row, e.g. ARRAY[age, bmi].")));
}

/* ------------------------------------------------------------------------
 * The state
 * ------------------------------------------------------------------------
 */

static ObsState *
obs_new(MemoryContext ctx, HteObsKind kind, int method, int link, int estimand)
{
	ObsState   *st = MemoryContextAllocZero(ctx, sizeof(ObsState));

	st->h.kind = kind;
	st->h.po = st->h.pt = -1;
	st->h.method = method;
	st->h.link = link;
	st->h.estimand = estimand;
	return st;
}

/* Room for `more` rows, growing geometrically in ctx. */
static void
obs_reserve(MemoryContext ctx, ObsState *st, Size more)
{
	Size		row_bytes = sizeof(double) * (Size) st->width;
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

/* Fix the shape at the first row, or check it. */
static void
obs_shape(ObsState *st, int po, int pt, bool shared)
{
	if (st->h.po < 0)
	{
		st->h.po = po;
		st->h.pt = pt;
		st->h.shared = shared;
		st->width = hte_obs_row_width(&st->h);
		return;
	}
	if (po != st->h.po)
		length_error(st->h.po, po);
	if (pt != st->h.pt)
		length_error(st->h.pt, pt);
}

static void
obs_append(MemoryContext ctx, ObsState *st, const double *y, int t,
		   const double *xo, int po, const double *xt, int pt)
{
	double	   *row;
	int			c = 0;

	obs_reserve(ctx, st, 1);
	row = st->rows + st->h.n * st->width;
	if (y != NULL)
		row[c++] = *y;
	row[c++] = t;
	for (int j = 0; j < po; j++)
		row[c++] = xo[j];
	if (!st->h.shared)
		for (int j = 0; j < pt; j++)
			row[c++] = xt[j];
	st->h.n++;
}

static HteObsRows
obs_rows(const ObsState *st)
{
	HteObsRows	r;
	bool		has_y = st->h.kind == HTE_OBS_KIND_ESTIMANDS;

	r.v = st->rows;
	r.n = st->h.n;
	r.width = st->width;
	r.y_col = has_y ? 0 : -1;
	r.t_col = has_y ? 1 : 0;
	r.xo_col = r.t_col + 1;
	r.po = st->h.po;
	r.xt_col = st->h.shared ? r.xo_col : r.xo_col + st->h.po;
	r.pt = st->h.pt;
	return r;
}

/* ------------------------------------------------------------------------
 * Transition functions
 * ------------------------------------------------------------------------
 */

/*
 * estimands(y, treated, covariates [, method [, link]]) (nargs 4..6) and
 * estimands(y, treated, outcome_covariates, treatment_covariates, method,
 * link) (nargs 7), the state first.
 */
static Datum
est_trans(FunctionCallInfo fcinfo, HteTreatKind kind)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "estimands transition function");
	ObsState   *st = PG_ARGISNULL(0) ? NULL : (ObsState *) PG_GETARG_POINTER(0);
	int			nargs = PG_NARGS();
	bool		two = nargs == 7;
	int			method = HTE_OBS_AIPW,
				link = HTE_LINK_LOGIT,
				po,
				pt,
				t;
	const double *xo,
			   *xt;
	double		y;

	if (two)
	{
		method = cached_option(fcinfo, 5, method_arg);
		link = cached_option(fcinfo, 6, link_arg);
	}
	else
	{
		if (nargs >= 5)
			method = cached_option(fcinfo, 4, method_arg);
		if (nargs >= 6)
			link = cached_option(fcinfo, 5, link_arg);
	}
	if (st == NULL)
		st = obs_new(ctx, HTE_OBS_KIND_ESTIMANDS, method, link, 0);
	else if (st->h.method != method)
		hte_option_mismatch("method");
	else if (st->h.link != link)
		hte_option_mismatch("link");

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	y = hte_finite(PG_GETARG_FLOAT8(1), "outcome");
	t = hte_arm_of(fcinfo, 2, kind);
	if (!covariate_arg(fcinfo, 3, &po, &xo))
		PG_RETURN_POINTER(st);
	if (two)
	{
		if (!covariate_arg(fcinfo, 4, &pt, &xt))
			PG_RETURN_POINTER(st);
	}
	else
	{
		pt = po;
		xt = xo;
	}
	obs_shape(st, po, pt, !two);
	obs_append(ctx, st, &y, t, xo, po, xt, pt);
	PG_RETURN_POINTER(st);
}

/*
 * propensity_model / overlap_check (treated, covariates [, link]) (nargs
 * 3, 4) and balance_table(treated, covariates [, estimand [, link]])
 * (nargs 3..5).
 */
static Datum
ps_trans(FunctionCallInfo fcinfo, HteTreatKind kind, HteObsKind okind)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "propensity transition function");
	ObsState   *st = PG_ARGISNULL(0) ? NULL : (ObsState *) PG_GETARG_POINTER(0);
	int			nargs = PG_NARGS();
	int			link = HTE_LINK_LOGIT,
				estimand = HTE_OBS_ATE,
				p,
				t;
	const double *x;

	if (okind == HTE_OBS_KIND_BALANCE)
	{
		if (nargs >= 4)
			estimand = cached_option(fcinfo, 3, estimand_arg);
		if (nargs >= 5)
			link = cached_option(fcinfo, 4, link_arg);
	}
	else if (nargs >= 4)
		link = cached_option(fcinfo, 3, link_arg);
	if (st == NULL)
		st = obs_new(ctx, okind, 0, link, estimand);
	else if (st->h.link != link)
		hte_option_mismatch("link");
	else if (st->h.estimand != estimand)
		hte_option_mismatch("estimand");

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	t = hte_arm_of(fcinfo, 1, kind);
	if (!covariate_arg(fcinfo, 2, &p, &x))
		PG_RETURN_POINTER(st);
	obs_shape(st, 0, p, false);
	obs_append(ctx, st, NULL, t, NULL, 0, x, p);
	PG_RETURN_POINTER(st);
}

#define OBS_TRANS(suffix, KIND_) \
PG_FUNCTION_INFO_V1(hte_est_trans_##suffix); \
Datum hte_est_trans_##suffix(PG_FUNCTION_ARGS) { return est_trans(fcinfo, KIND_); } \
PG_FUNCTION_INFO_V1(hte_ps_trans_##suffix); \
Datum hte_ps_trans_##suffix(PG_FUNCTION_ARGS) { return ps_trans(fcinfo, KIND_, HTE_OBS_KIND_PROPENSITY); } \
PG_FUNCTION_INFO_V1(hte_bal_trans_##suffix); \
Datum hte_bal_trans_##suffix(PG_FUNCTION_ARGS) { return ps_trans(fcinfo, KIND_, HTE_OBS_KIND_BALANCE); }

OBS_TRANS(bool, HTE_T_BOOL)
OBS_TRANS(int2, HTE_T_INT2)
OBS_TRANS(int4, HTE_T_INT4)
OBS_TRANS(int8, HTE_T_INT8)

/* ------------------------------------------------------------------------
 * Combine, serialize, deserialize
 * ------------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(hte_obs_combine);
Datum
hte_obs_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "observational combine function");
	ObsState   *a = PG_ARGISNULL(0) ? NULL : (ObsState *) PG_GETARG_POINTER(0);
	ObsState   *b = PG_ARGISNULL(1) ? NULL : (ObsState *) PG_GETARG_POINTER(1);

	if (b == NULL)
		PG_RETURN_POINTER(a);
	if (a == NULL)
	{
		/* copy b into the aggregate context */
		a = obs_new(ctx, b->h.kind, b->h.method, b->h.link, b->h.estimand);
		a->h.po = b->h.po;
		a->h.pt = b->h.pt;
		a->h.shared = b->h.shared;
		a->width = b->width;
	}
	else
	{
		if (a->h.method != b->h.method)
			hte_option_mismatch("method");
		if (a->h.link != b->h.link)
			hte_option_mismatch("link");
		if (a->h.estimand != b->h.estimand)
			hte_option_mismatch("estimand");
	}
	if (b->h.n == 0)
		PG_RETURN_POINTER(a);
	if (a->h.po < 0)
	{
		a->h.po = b->h.po;
		a->h.pt = b->h.pt;
		a->h.shared = b->h.shared;
		a->width = b->width;
	}
	else if (a->h.po != b->h.po || a->h.pt != b->h.pt || a->h.shared != b->h.shared)
		length_error(a->h.po != b->h.po ? a->h.po : a->h.pt,
					 a->h.po != b->h.po ? b->h.po : b->h.pt);
	obs_reserve(ctx, a, b->h.n);
	memcpy(a->rows + a->h.n * a->width, b->rows, b->h.n * a->width * sizeof(double));
	a->h.n += b->h.n;
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(hte_obs_serialize);
Datum
hte_obs_serialize(PG_FUNCTION_ARGS)
{
	ObsState   *st = (ObsState *) PG_GETARG_POINTER(0);
	Size		row_bytes,
				size = HTE_OBS_HEADER;
	bytea	   *out;

	(void) hte_agg_context(fcinfo, "observational serialize function");
	if (st->h.po >= 0)
	{
		row_bytes = sizeof(double) * (Size) st->width;
		if (st->h.n > (MaxAllocSize - VARHDRSZ - HTE_OBS_HEADER) / row_bytes)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s state of a parallel worker exceeds 1 GB", kind_name(st->h.kind)),
					 errdetail("A parallel worker sends its " UINT64_FORMAT " rows, %zu bytes each, to the leader, and at most 1 GB can be sent.",
							   st->h.n, row_bytes),
					 errhint("Run the query without parallel workers: SET max_parallel_workers_per_gather = 0.")));
		size += st->h.n * row_bytes;
	}
	out = palloc(VARHDRSZ + size);
	SET_VARSIZE(out, VARHDRSZ + size);
	hte_obs_write_header((unsigned char *) VARDATA(out), &st->h);
	if (st->h.n > 0)
		memcpy((unsigned char *) VARDATA(out) + HTE_OBS_HEADER, st->rows, size - HTE_OBS_HEADER);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(hte_obs_deserialize);
Datum
hte_obs_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "observational deserialize function");
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	HteObsHeader h;
	const char *why = hte_obs_parse(p, len, &h, obs_check_interrupts);
	ObsState   *st;

	if (why != NULL)
		hte_invalid_state("observational", why);
	st = obs_new(ctx, h.kind, h.method, h.link, h.estimand);
	st->h = h;
	st->h.n = 0;
	if (h.po >= 0)
	{
		st->width = hte_obs_row_width(&h);
		if (h.n > 0)
		{
			obs_reserve(ctx, st, h.n);
			memcpy(st->rows, p + HTE_OBS_HEADER, h.n * st->width * sizeof(double));
		}
	}
	st->h.n = h.n;
	PG_RETURN_POINTER(st);
}

/* ------------------------------------------------------------------------
 * Final functions
 * ------------------------------------------------------------------------
 */

/* ERROR for a propensity model that failed (status not OK nor ONE_ARM). */
static void
glm_error(const HteGlmFit *fit)
{
	if (fit->status == HTE_GLM_OVERFLOW)
		hte_overflow_error();
	if (fit->status == HTE_GLM_NO_CONVERGENCE)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("propensity model did not converge"),
				 errdetail("The %s model was not fitted after %d iterations.",
						   hte_link_name(fit->link), fit->iterations),
				 errhint("A covariate, or a combination of covariates, may predict the treatment perfectly (separation): drop it, or keep only rows where both treatments occur.")));
	if (fit->status == HTE_GLM_BOUNDARY)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("estimated propensity of exactly 0 or 1"),
				 errdetail("Some rows are certain to be treated, or certain not to be, under the fitted %s model: their weights are infinite.",
						   hte_link_name(fit->link)),
				 errhint("A covariate may predict the treatment perfectly (separation): drop it, or trim the rows, e.g. WHERE propensity_score(model, covariates) BETWEEN 0.01 AND 0.99.")));
}

/* The state's rows and a fitted propensity model, or false (no rows, one arm). */
static bool
final_fit(FunctionCallInfo fcinfo, ObsState **stp, HteObsRows *r, HteGlmFit *fit)
{
	ObsState   *st = PG_ARGISNULL(0) ? NULL : (ObsState *) PG_GETARG_POINTER(0);

	if (st == NULL || st->h.n == 0 || st->h.po < 0)
		return false;
	*stp = st;
	*r = obs_rows(st);
	hte_glm_fit(r, (HteLink) st->h.link, fit,
				palloc(sizeof(double) * hte_glm_work_size(st->h.pt + 1)), obs_check_interrupts);
	if (fit->status == HTE_GLM_ONE_ARM)
		return false;
	glm_error(fit);
	return true;
}

static Datum
float8_array(const double *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * (n > 0 ? n : 1));
	bool	   *nulls = palloc(sizeof(bool) * (n > 0 ? n : 1));
	int			dims[1] = {n},
				lbs[1] = {1};

	for (int i = 0; i < n; i++)
		d[i] = hte_float8_or_null(v[i], &nulls[i]);
	return PointerGetDatum(construct_md_array(d, nulls, 1, dims, lbs, FLOAT8OID,
											  sizeof(float8), FLOAT8PASSBYVAL,
											  TYPALIGN_DOUBLE));
}

PG_FUNCTION_INFO_V1(hte_propensity_final);
Datum
hte_propensity_final(PG_FUNCTION_ARGS)
{
	ObsState   *st;
	HteObsRows	r;
	HteGlmFit	fit;
	Datum		values[10];
	bool		nulls[10] = {0};
	double	   *z,
			   *pv;

	if (!final_fit(fcinfo, &st, &r, &fit))
		PG_RETURN_NULL();
	z = palloc(sizeof(double) * fit.k);
	pv = palloc(sizeof(double) * fit.k);
	for (int j = 0; j < fit.k; j++)
	{
		z[j] = fit.coef[j] / fit.se[j];
		pv[j] = isnan(z[j]) ? NAN : 2.0 * hte_pnorm(fabs(z[j]), false);
	}
	values[0] = float8_array(fit.coef, fit.k);
	values[1] = float8_array(fit.se, fit.k);
	values[2] = float8_array(z, fit.k);
	values[3] = float8_array(pv, fit.k);
	values[4] = hte_float8_or_null(fit.loglik, &nulls[4]);
	values[5] = Int32GetDatum(fit.iterations);
	values[6] = BoolGetDatum(fit.converged);
	values[7] = Int64GetDatum((int64) fit.n1);
	values[8] = Int64GetDatum((int64) fit.n0);
	values[9] = CStringGetTextDatum(hte_link_name(fit.link));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo), values, nulls)));
}

PG_FUNCTION_INFO_V1(hte_overlap_final);
Datum
hte_overlap_final(PG_FUNCTION_ARGS)
{
	ObsState   *st;
	HteObsRows	r;
	HteGlmFit	fit;
	HteOverlap	o;
	Datum		values[13];
	bool		nulls[13] = {0};

	if (!final_fit(fcinfo, &st, &r, &fit))
		PG_RETURN_NULL();
	hte_obs_overlap(&r, &fit, palloc_extended(sizeof(double) * r.n, MCXT_ALLOC_HUGE), &o,
					obs_check_interrupts);
	values[0] = hte_float8_or_null(o.ps_min[1], &nulls[0]);
	values[1] = hte_float8_or_null(o.ps_max[1], &nulls[1]);
	values[2] = hte_float8_or_null(o.ps_min[0], &nulls[2]);
	values[3] = hte_float8_or_null(o.ps_max[0], &nulls[3]);
	values[4] = Int64GetDatum((int64) o.n_below);
	values[5] = Int64GetDatum((int64) o.n_above);
	values[6] = hte_float8_or_null(o.crump_alpha, &nulls[6]);
	values[7] = Int64GetDatum((int64) o.n_outside_crump);
	values[8] = hte_float8_or_null(o.ess[1], &nulls[8]);
	values[9] = hte_float8_or_null(o.ess[0], &nulls[9]);
	values[10] = hte_float8_or_null(o.max_weight, &nulls[10]);
	values[11] = BoolGetDatum(fit.converged);
	values[12] = Int32GetDatum(fit.iterations);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo), values, nulls)));
}

PG_FUNCTION_INFO_V1(hte_balance_final);
Datum
hte_balance_final(PG_FUNCTION_ARGS)
{
	ObsState   *st;
	HteObsRows	r;
	HteGlmFit	fit;
	HteBalance *b;
	HteArrayResult *c;
	Datum	   *elems;

	if (!final_fit(fcinfo, &st, &r, &fit))
		PG_RETURN_NULL();
	c = hte_array_result(fcinfo);
	b = palloc(sizeof(HteBalance) * (r.pt > 0 ? r.pt : 1));
	hte_obs_balance(&r, &fit, st->h.estimand, palloc_extended(sizeof(double) * r.n, MCXT_ALLOC_HUGE),
					b, obs_check_interrupts);
	elems = palloc(sizeof(Datum) * (r.pt > 0 ? r.pt : 1));
	for (int j = 0; j < r.pt; j++)
	{
		Datum		values[7];
		bool		nulls[7] = {0};

		values[0] = Int32GetDatum(j + 1);
		values[1] = hte_float8_or_null(b[j].mean[1], &nulls[1]);
		values[2] = hte_float8_or_null(b[j].mean[0], &nulls[2]);
		values[3] = hte_float8_or_null(b[j].smd, &nulls[3]);
		values[4] = hte_float8_or_null(b[j].smd_weighted, &nulls[4]);
		values[5] = hte_float8_or_null(b[j].variance_ratio, &nulls[5]);
		values[6] = hte_float8_or_null(b[j].variance_ratio_weighted, &nulls[6]);
		elems[j] = HeapTupleGetDatum(heap_form_tuple(c->tupdesc, values, nulls));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, r.pt, c->elemtype, c->elemlen,
										  c->elembyval, c->elemalign));
}

PG_FUNCTION_INFO_V1(hte_estimands_final);
Datum
hte_estimands_final(PG_FUNCTION_ARGS)
{
	static const char *const names[4] = {"ATE", "ATT", "ATU", "ATT-ATU"};
	ObsState   *st = PG_ARGISNULL(0) ? NULL : (ObsState *) PG_GETARG_POINTER(0);
	HteObsRows	r;
	HteGlmFit	fit;
	HteEstimand e[4];
	HteObsStatus status;
	HteArrayResult *c;
	Datum		elems[4];
	double		level,
				zcrit;

	if (st == NULL || st->h.n == 0 || st->h.po < 0)
		PG_RETURN_NULL();
	level = hte_get_confidence_level();
	zcrit = hte_qnorm((1.0 + level) / 2.0, true);
	r = obs_rows(st);
	status = hte_obs_estimands(&r, (HteObsMethod) st->h.method, (HteLink) st->h.link, e, &fit,
							   palloc(sizeof(double) * hte_obs_work_size(r.po, r.pt)),
							   obs_check_interrupts);
	if (status == HTE_OBS_EMPTY_ARM)
		PG_RETURN_NULL();
	if (status == HTE_OBS_OVERFLOW)
		hte_overflow_error();
	if (status == HTE_OBS_GLM_FAILED)
	{
		if (fit.status == HTE_GLM_ONE_ARM)
			PG_RETURN_NULL();
		glm_error(&fit);
	}
	c = hte_array_result(fcinfo);
	for (int k = 0; k < 4; k++)
		elems[k] = hte_estimand_datum(c, names[k], e[k].estimate, e[k].std_error, zcrit,
									  k == HTE_OBS_DIFF ? NAN : e[k].po_treated,
									  k == HTE_OBS_DIFF ? NAN : e[k].po_control,
									  fit.n1, fit.n0,
									  hte_obs_method_name((HteObsMethod) st->h.method),
									  hte_link_name((HteLink) st->h.link));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, 4, c->elemtype, c->elemlen,
										  c->elembyval, c->elemalign));
}

/*
 * propensity_score(model hte_propensity, covariates float8[]): the fitted
 * probability; an aliased (NULL) coefficient counts as 0, as R's predict.
 */
PG_FUNCTION_INFO_V1(hte_propensity_score);
Datum
hte_propensity_score(PG_FUNCTION_ARGS)
{
	HeapTupleHeader model = PG_GETARG_HEAPTUPLEHEADER(0);
	TupleDesc	td;
	HeapTupleData tuple;
	bool		isnull;
	Datum		d;
	ArrayType  *coef;
	Datum	   *cv;
	bool	   *cn;
	int			nc,
				p,
				link;
	const double *x;
	double		eta,
				pr,
				q;

	td = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(model), HeapTupleHeaderGetTypMod(model));
	tuple.t_len = HeapTupleHeaderGetDatumLength(model);
	ItemPointerSetInvalid(&(tuple.t_self));
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = model;
	d = heap_getattr(&tuple, 1, td, &isnull);
	if (isnull)
	{
		ReleaseTupleDesc(td);
		PG_RETURN_NULL();
	}
	coef = DatumGetArrayTypeP(d);
	d = heap_getattr(&tuple, 10, td, &isnull);
	link = isnull ? -1 : hte_link_parse(TextDatumGetCString(d));
	ReleaseTupleDesc(td);
	if (link < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("propensity model has no valid link"),
				 errhint("Pass a value made by propensity_model().")));
	if (ARR_NDIM(coef) != 1 || ARR_ELEMTYPE(coef) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("propensity model coefficients must be a one-dimensional float8 array")));
	deconstruct_array(coef, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &cv, &cn, &nc);
	if (!covariate_arg(fcinfo, 1, &p, &x))
		PG_RETURN_NULL();
	if (p + 1 != nc)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("propensity model takes %d covariates, not %d", nc - 1, p),
				 errhint("Pass the covariates in the same array as to propensity_model().")));
	eta = cn[0] ? 0.0 : hte_finite(DatumGetFloat8(cv[0]), "coefficient");
	for (int j = 0; j < p; j++)
		if (!cn[j + 1])
			eta += hte_finite(DatumGetFloat8(cv[j + 1]), "coefficient") * x[j];
	if (isnan(eta))
		hte_overflow_error();	/* Infinity - Infinity */
	hte_link_prob((HteLink) link, eta, &pr, &q);
	PG_RETURN_FLOAT8(pr);
}
