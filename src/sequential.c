/*
 * sequential.c — SQL glue of sequential_bounds (the statistics in
 * core/hte_sequential.c).  ate_sequential lives in ate.c, whose state and
 * code it shares.
 */
#include "hte.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "core/hte_dist.h"
#include "core/hte_sequential.h"

static void
seq_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

pg_noreturn static void
fractions_error(const char *msg, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s", msg),
			 detail ? errdetail("%s", detail) : 0,
			 errhint("Pass the information fractions of the looks so far, strictly increasing in (0, 1], e.g. ARRAY[0.25, 0.5, 0.75, 1].")));
}

typedef struct BoundsCtx
{
	int			K;
	double	   *t,
			   *crit,
				alpha;
	HteSpending f;
} BoundsCtx;

/*
 * sequential_bounds(information_fractions float8[], alpha float8,
 * spending text): one row per look (look, information_fraction,
 * critical_z, nominal_p, alpha_spent).
 */
PG_FUNCTION_INFO_V1(hte_sequential_bounds);
Datum
hte_sequential_bounds(PG_FUNCTION_ARGS)
{
	FuncCallContext *fc;
	BoundsCtx  *b;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
		double		alpha = PG_GETARG_FLOAT8(1);
		char	   *sp = text_to_cstring(PG_GETARG_TEXT_PP(2));
		int			f = hte_spending_parse(sp),
					K;
		Datum	   *d;
		bool	   *nulls;
		TupleDesc	td;

		fc = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(fc->multi_call_memory_ctx);
		if (f < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown spending function \"%s\"", sp),
					 errhint("Use 'obrien_fleming' (the default) or 'pocock'.")));
		if (!(alpha > 0.0 && alpha < 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("alpha must be between 0 and 1, not %g", alpha),
					 errhint("Pass the two-sided significance level, e.g. 0.05.")));
		if (ARR_NDIM(a) > 1 || ARR_ELEMTYPE(a) != FLOAT8OID)
			fractions_error("information fractions must be a one-dimensional float8 array", NULL);
		deconstruct_array(a, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
						  &d, &nulls, &K);
		if (K == 0)
			fractions_error("no information fractions", NULL);
		if (K > HTE_SEQ_MAX_LOOKS)
			fractions_error("too many information fractions",
							"At most 100 looks are supported.");
		b = palloc0(sizeof(BoundsCtx));
		b->K = K;
		b->t = palloc(sizeof(double) * K);
		b->crit = palloc(sizeof(double) * K);
		b->alpha = alpha;
		b->f = (HteSpending) f;
		for (int k = 0; k < K; k++)
		{
			if (nulls[k])
				fractions_error("an information fraction is NULL", NULL);
			b->t[k] = DatumGetFloat8(d[k]);
			if (!(b->t[k] > 0.0 && b->t[k] <= 1.0))
				fractions_error("information fractions must be in (0, 1]", NULL);
			if (k > 0 && !(b->t[k] > b->t[k - 1]))
				fractions_error("information fractions must be strictly increasing", NULL);
		}
		hte_seq_bounds(b->t, K, alpha, b->f, HTE_SEQ_GRID, b->crit,
					   palloc_extended(sizeof(double) * hte_seq_bounds_work(b->t, K, HTE_SEQ_GRID),
									   MCXT_ALLOC_HUGE),
					   seq_check_interrupts);
		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		fc->tuple_desc = BlessTupleDesc(td);
		fc->user_fctx = b;
		fc->max_calls = K;
		MemoryContextSwitchTo(old);
	}
	fc = SRF_PERCALL_SETUP();
	b = (BoundsCtx *) fc->user_fctx;
	if (fc->call_cntr < fc->max_calls)
	{
		int			k = (int) fc->call_cntr;
		Datum		values[5];
		bool		nulls[5] = {0};
		double		c = b->crit[k];

		values[0] = Int32GetDatum(k + 1);
		values[1] = Float8GetDatum(b->t[k]);
		values[2] = Float8GetDatum(c);
		values[3] = Float8GetDatum(isinf(c) ? 0.0 : 2.0 * hte_pnorm(c, false));
		values[4] = Float8GetDatum(hte_alpha_spent(b->f, b->alpha, b->t[k]));
		SRF_RETURN_NEXT(fc, HeapTupleGetDatum(heap_form_tuple(fc->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(fc);
}
