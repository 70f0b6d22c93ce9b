/*
 * cate_inference.c — PostgreSQL glue for inference from nuisance and CATE
 * predictions made elsewhere (a model fitted in a notebook, PostgresML,
 * ...): dml_plr(y, d, y_hat, d_hat), the partially linear model.  One
 * pass, a float8[] state (src/core/hte_dml.h), so it runs in parallel and
 * Citus pushes it down.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/float.h"

#include "hte.h"
#include "core/hte_dml.h"

#define DML_KIND "dml_plr"
#define DML_TINY 1e-70

/* The sums of a state, checked: float8[HTE_DML_STATE_LEN], the tag first. */
static HteDmlSums *
dml_state_checked(ArrayType *a)
{
	int			len;
	double	   *s = hte_state_data(a, HTE_DML_STATE_LEN, HTE_DML_STATE_LEN, DML_KIND, &len);
	const char *why;

	if (s[0] != HTE_DML_STATE_TAG)
		hte_invalid_state(DML_KIND, "The state's layout tag is not that of a dml_plr state, format 1.");
	why = hte_dml_check((HteDmlSums *) (s + 1));
	if (why != NULL)
		hte_invalid_state(DML_KIND, why);
	return (HteDmlSums *) (s + 1);
}

static bool
dml_finite(const HteDmlSums *s)
{
	const double *v = (const double *) s;

	for (int i = 0; i < HTE_DML_SUMS_LEN; i++)
		if (!isfinite(v[i]))
			return false;
	return true;
}

/*
 * Transition: strict, so a row with a NULL argument is skipped; NaN and
 * infinity are errors.  In an aggregate the state is updated in place.
 */
PG_FUNCTION_INFO_V1(hte_dml_trans);
Datum
hte_dml_trans(PG_FUNCTION_ARGS)
{
	ArrayType  *a = AggCheckCallContext(fcinfo, NULL) ?
		PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	double		y = hte_finite(PG_GETARG_FLOAT8(1), "outcome"),
				d = hte_finite(PG_GETARG_FLOAT8(2), "treatment"),
				yh = hte_finite(PG_GETARG_FLOAT8(3), "y_hat"),
				dh = hte_finite(PG_GETARG_FLOAT8(4), "d_hat");
	HteDmlSums *s = dml_state_checked(a);

	double		ytil = y - yh,
				vtil = d - dh;

	/* fourth powers of residuals this small underflow: rescale instead */
	if ((ytil != 0.0 && fabs(ytil) < DML_TINY) || (vtil != 0.0 && fabs(vtil) < DML_TINY))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("dml_plr residual %s is too small", float8out_internal(fabs(ytil) < DML_TINY && ytil != 0.0 ? ytil : vtil)),
				 errdetail("Residuals y − y_hat and d − d_hat below 1e-70 in magnitude underflow in the sums of fourth powers."),
				 errhint("Rescale y and d (and their predictions) to other units.")));
	hte_arm_has_room(s->n, DML_KIND);
	hte_dml_push(s, ytil, vtil);
	if (unlikely(!dml_finite(s)))
		hte_overflow_error();
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(hte_dml_combine);
Datum
hte_dml_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = AggCheckCallContext(fcinfo, NULL) ?
		PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	HteDmlSums *sa = dml_state_checked(a);
	HteDmlSums *sb = dml_state_checked(PG_GETARG_ARRAYTYPE_P(1));

	hte_counts_fit(sa->n, sb->n, DML_KIND);
	hte_dml_merge(sa, sb);
	if (unlikely(!dml_finite(sa)))
		hte_overflow_error();
	PG_RETURN_ARRAYTYPE_P(a);
}

/* Final function: the hte_dml row, or NULL without rows. */
PG_FUNCTION_INFO_V1(hte_dml_final);
Datum
hte_dml_final(PG_FUNCTION_ARGS)
{
	HteDmlSums *s = dml_state_checked(PG_GETARG_ARRAYTYPE_P(0));
	HteDmlResult r;
	Datum		values[6];
	bool		nulls[6];

	if (s->n == 0.0)
		PG_RETURN_NULL();
	hte_dml_compute(s, hte_get_confidence_level(), &r);
	values[0] = hte_float8_or_null(r.estimate, &nulls[0]);
	values[1] = hte_float8_or_null(r.std_error, &nulls[1]);
	values[2] = hte_float8_or_null(r.ci_lower, &nulls[2]);
	values[3] = hte_float8_or_null(r.ci_upper, &nulls[3]);
	values[4] = hte_float8_or_null(r.p_value, &nulls[4]);
	values[5] = hte_count_datum(r.n, &nulls[5]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo),
													  values, nulls)));
}
