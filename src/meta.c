/*
 * meta.c — PostgreSQL glue for analyses over rows that hold results:
 * heterogeneity_test(estimate, std_error), the tests of
 * heterogeneity_test(y, treated, subgroup) over estimates made elsewhere
 * (GROUP BY results, rollups, published studies); and the window function
 * p_adjusted(p, method), p_adjust over a window partition.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"
#include "windowapi.h"

#include "hte.h"
#include "core/hte_heterogeneity.h"
#include "core/hte_padjust.h"

#define META_KIND "heterogeneity_test"

/*
 * The sums of a state, checked: a float8[HTE_META_STATE_LEN] whose first
 * element is the layout tag.
 */
static HteHetSums *
meta_state_checked(ArrayType *a)
{
	int			len;
	double	   *s = hte_state_data(a, HTE_META_STATE_LEN, HTE_META_STATE_LEN, META_KIND, &len);
	const char *why;

	if (s[0] != HTE_META_STATE_TAG)
		hte_invalid_state(META_KIND, "The state's layout tag is not that of a heterogeneity_test(estimate, std_error) state, format 1.");
	why = hte_het_check((HteHetSums *) (s + 1));
	if (why != NULL)
		hte_invalid_state(META_KIND, why);
	return (HteHetSums *) (s + 1);
}

static bool
sums_finite(const HteHetSums *s)
{
	const double *v = (const double *) s;

	for (int i = 0; i < 7; i++)
		if (!isfinite(v[i]))
			return false;
	return true;
}

/*
 * Transition: strict, so a NULL estimate or standard error skips the row;
 * so does a standard error that is not positive (no weight).  NaN and
 * infinity are errors.
 */
PG_FUNCTION_INFO_V1(hte_meta_trans);
Datum
hte_meta_trans(PG_FUNCTION_ARGS)
{
	ArrayType  *a = AggCheckCallContext(fcinfo, NULL) ?
		PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	double		d = hte_finite(PG_GETARG_FLOAT8(1), "estimate"),
				se = hte_finite(PG_GETARG_FLOAT8(2), "std_error");
	HteHetSums *s = meta_state_checked(a);
	HteHetSums	next;

	if (!(se > 0.0))
		PG_RETURN_ARRAYTYPE_P(a);
	hte_arm_has_room(s->k, META_KIND);
	next = *s;
	hte_het_push(&next, d, se);
	if (!sums_finite(&next))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the weights of heterogeneity_test overflow at std_error %s (estimate %s)",
						float8out_internal(se), float8out_internal(d)),
				 errdetail("A sum of the weights 1/std_error², of their products or of (estimate/std_error)² exceeds the float8 range."),
				 errhint("Rescale the estimates and standard errors together, e.g. to other units.")));
	*s = next;
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(hte_meta_combine);
Datum
hte_meta_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = AggCheckCallContext(fcinfo, NULL) ?
		PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	HteHetSums *sa = meta_state_checked(a);
	HteHetSums *sb = meta_state_checked(PG_GETARG_ARRAYTYPE_P(1));

	hte_counts_fit(sa->k, sb->k, META_KIND);
	hte_het_merge(sa, sb);
	if (unlikely(!sums_finite(sa)))
		hte_overflow_error();
	PG_RETURN_ARRAYTYPE_P(a);
}

static void
meta_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

/* Final function: the hte_heterogeneity row, or NULL without estimates. */
PG_FUNCTION_INFO_V1(hte_meta_final);
Datum
hte_meta_final(PG_FUNCTION_ARGS)
{
	HteHetSums *s = meta_state_checked(PG_GETARG_ARRAYTYPE_P(0));
	HteHeterogeneityResult h;

	if (s->k == 0.0)
		PG_RETURN_NULL();
	if (s->k > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many estimates for heterogeneity_test: %.0f", s->k),
				 errdetail("The subgroups column is an integer.")));
	hte_het_finish(s, &h, meta_interrupts);
	PG_RETURN_DATUM(hte_heterogeneity_row(hte_result_tupdesc(fcinfo), &h));
}

/* ------------------------------------------------------------------------
 * p_adjusted(p float8, method text) OVER (...): every p-value of the
 * partition is read once, at its first row, and adjusted together; each
 * row then returns its own.  The frame and ORDER BY do not matter.
 */
typedef struct PadjPartition
{
	bool		done;
	int			method;
	int64		n;
	double	   *adjusted;		/* n values; NaN for a NULL p */
} PadjPartition;

static int
padj_method(WindowObject w)
{
	bool		isnull;
	Datum		m = WinGetFuncArgCurrent(w, 1, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("method of p_adjusted must not be NULL"),
				 errhint("Valid values are %s.", hte_padjust_valid_list())));
	return hte_parse_padjust(DatumGetTextPP(m));
}

static void
padj_compute(WindowObject w, PadjPartition *c)
{
	MemoryContext ctx = GetMemoryChunkContext(c);
	int64		n = WinGetPartitionRowCount(w);
	double	   *p,
			   *padj;
	size_t	   *idx;
	int64		nvalid = 0;

	bool	   *missing;

	if (n > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows in a window partition for p_adjusted: " INT64_FORMAT, n)));
	c->adjusted = MemoryContextAllocHuge(ctx, sizeof(double) * Max(n, 1));
	p = palloc_extended(sizeof(double) * Max(n, 1), MCXT_ALLOC_HUGE);
	padj = palloc_extended(sizeof(double) * Max(n, 1), MCXT_ALLOC_HUGE);
	idx = palloc_extended(sizeof(size_t) * Max(n, 1), MCXT_ALLOC_HUGE);
	missing = palloc_extended(sizeof(bool) * Max(n, 1), MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < n; i++)
	{
		bool		isnull,
					isout;
		Datum		d;
		double		v;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		d = WinGetFuncArgInPartition(w, 0, (int) i, WINDOW_SEEK_HEAD, false, &isnull, &isout);
		missing[i] = isnull || isout;
		if (missing[i])
			continue;
		v = DatumGetFloat8(d);
		if (!(v >= 0.0 && v <= 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("p-value %s is not between 0 and 1", float8out_internal(v)),
					 errhint("NULL p-values are allowed: they stay NULL and do not count.")));
		p[nvalid++] = v;
	}
	hte_padjust(p, (size_t) nvalid, (HtePAdjust) c->method, padj, idx);
	for (int64 i = 0, j = 0; i < n; i++)
		c->adjusted[i] = missing[i] ? NAN : padj[j++];
	c->n = n;
	pfree(p);
	pfree(padj);
	pfree(idx);
	pfree(missing);
	c->done = true;
}

PG_FUNCTION_INFO_V1(hte_p_adjusted);
Datum
hte_p_adjusted(PG_FUNCTION_ARGS)
{
	WindowObject w = PG_WINDOW_OBJECT();
	PadjPartition *c = WinGetPartitionLocalMemory(w, sizeof(PadjPartition));
	int			method = padj_method(w);
	int64		cur = WinGetCurrentPosition(w);

	if (!c->done)
	{
		c->method = method;
		padj_compute(w, c);
	}
	else if (method != c->method)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("method of p_adjusted must be the same on every row of a partition"),
				 errdetail("Rows asked for both \"%s\" and \"%s\".",
						   hte_padjust_name((HtePAdjust) c->method),
						   hte_padjust_name((HtePAdjust) method)),
				 errhint("Pass the method as a constant.")));
	if (cur < 0 || cur >= c->n || isnan(c->adjusted[cur]))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(c->adjusted[cur]);
}
