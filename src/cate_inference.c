/*
 * cate_inference.c — PostgreSQL glue for inference from nuisance and CATE
 * predictions made elsewhere (a model fitted in a notebook, PostgresML,
 * ...): dml_plr(y, d, y_hat, d_hat), the partially linear model, and
 * aipw(y, treated, e_hat, mu0_hat, mu1_hat), the doubly robust ATE, ATT and
 * ATU.  Each is one pass with a float8[] state (src/core/hte_dml.h,
 * hte_aipw.h), so it runs in parallel and Citus pushes it down.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "hte.h"
#include "core/hte_aipw.h"
#include "core/hte_dist.h"
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

/* ------------------------------------------------------------------------
 * aipw(y, treated, e_hat, mu0_hat, mu1_hat)
 * ------------------------------------------------------------------------
 */

#define AIPW_KIND "aipw"

/* The elements of a state of either form, checked; *len its length. */
static double *
aipw_state_checked(ArrayType *a, int *len)
{
	double	   *s = hte_state_data(a, HTE_AIPW_STATE_LEN, HTE_AIPW_BUFFERED_LEN, AIPW_KIND, len);
	const char *why = hte_aipw_state_check(s, *len);

	if (why != NULL)
		hte_invalid_state(AIPW_KIND, why);
	return s;
}

/* The sums of a checked state, pending rows folded in; ERROR on overflow. */
static void
aipw_fold(ArrayType *a, HteAipwSums *out)
{
	int			len;
	double	   *s = aipw_state_checked(a, &len);

	if (unlikely(!hte_aipw_state_fold(s, len, out)))
		hte_overflow_error();
}

/*
 * Transition: strict, so a row with a NULL argument is skipped.  In a plain
 * aggregate the state takes the buffered form (after a full check) and is
 * updated in place; each later row checks the shape and the tag only (the
 * final and combine functions check everything: a state that only this
 * function has updated is valid).  Called otherwise, a copy is checked and
 * the row added directly.
 */
static Datum
aipw_trans(FunctionCallInfo fcinfo, HteTreatKind kind)
{
	ArrayType  *a = (ArrayType *) DatumGetPointer(PG_GETARG_DATUM(0));
	int			arm = hte_arm_of(fcinfo, 2, kind),
				len;
	double		y = hte_finite(PG_GETARG_FLOAT8(1), "outcome"),
				e = hte_propensity_arg(PG_GETARG_FLOAT8(3)),
				mu0 = hte_finite(PG_GETARG_FLOAT8(4), "mu0_hat"),
				mu1 = hte_finite(PG_GETARG_FLOAT8(5), "mu1_hat");
	double	   *s,
			   *k;

	if (likely(hte_state_in_place(fcinfo, a) &&
			   ARR_DIMS(a)[0] == HTE_AIPW_BUFFERED_LEN &&
			   ((double *) ARR_DATA_PTR(a))[0] == HTE_AIPW_STATE_TAG))
		s = (double *) ARR_DATA_PTR(a);
	else if (AggCheckCallContext(fcinfo, NULL))
	{
		s = aipw_state_checked(PG_GETARG_ARRAYTYPE_P(0), &len);
		if (len != HTE_AIPW_BUFFERED_LEN)
			a = hte_state_buffered_copy(s, HTE_AIPW_STATE_LEN, HTE_AIPW_BUFFERED_LEN);
		else
			a = PG_GETARG_ARRAYTYPE_P(0);
		s = (double *) ARR_DATA_PTR(a);
	}
	else
	{
		HteAipwSums *sums;

		a = PG_GETARG_ARRAYTYPE_P_COPY(0);
		s = aipw_state_checked(a, &len);
		sums = (HteAipwSums *) (s + 1);
		hte_arm_has_room(sums->arm[arm].n + (len == HTE_AIPW_BUFFERED_LEN ? s[HTE_AIPW_PENDING(arm)] : 0.0),
						 AIPW_KIND);
		if (unlikely(!hte_aipw_push(sums, arm == 1, y, e, mu0, mu1)))
			hte_overflow_error();
		PG_RETURN_ARRAYTYPE_P(a);
	}
	k = s + HTE_AIPW_PENDING(arm);
	hte_arm_has_room(((HteAipwSums *) (s + 1))->arm[arm].n + *k, AIPW_KIND);
	if (unlikely(!hte_aipw_terms(arm == 1, y, e, mu0, mu1,
								 s + HTE_AIPW_BUFFER(arm) + (int) *k * HTE_AIPW_ROW)))
		hte_overflow_error();
	if (++*k == HTE_AIPW_BLOCK)
	{
		*k = 0.0;
		if (unlikely(!hte_aipw_push_block((HteAipwSums *) (s + 1), arm,
										  s + HTE_AIPW_BUFFER(arm), HTE_AIPW_BLOCK)))
			hte_overflow_error();
	}
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(hte_aipw_trans_bool);
Datum
hte_aipw_trans_bool(PG_FUNCTION_ARGS)
{
	return aipw_trans(fcinfo, HTE_T_BOOL);
}

PG_FUNCTION_INFO_V1(hte_aipw_trans_int2);
Datum
hte_aipw_trans_int2(PG_FUNCTION_ARGS)
{
	return aipw_trans(fcinfo, HTE_T_INT2);
}

PG_FUNCTION_INFO_V1(hte_aipw_trans_int4);
Datum
hte_aipw_trans_int4(PG_FUNCTION_ARGS)
{
	return aipw_trans(fcinfo, HTE_T_INT4);
}

PG_FUNCTION_INFO_V1(hte_aipw_trans_int8);
Datum
hte_aipw_trans_int8(PG_FUNCTION_ARGS)
{
	return aipw_trans(fcinfo, HTE_T_INT8);
}

/* Combine: the stored form of the two states merged (a new array). */
PG_FUNCTION_INFO_V1(hte_aipw_combine);
Datum
hte_aipw_combine(PG_FUNCTION_ARGS)
{
	HteAipwSums sa,
				sb;
	double		out[HTE_AIPW_STATE_LEN];

	aipw_fold(PG_GETARG_ARRAYTYPE_P(0), &sa);
	aipw_fold(PG_GETARG_ARRAYTYPE_P(1), &sb);
	hte_counts_fit(sa.arm[0].n, sb.arm[0].n, AIPW_KIND);
	hte_counts_fit(sa.arm[1].n, sb.arm[1].n, AIPW_KIND);
	hte_aipw_merge(&sa, &sb);
	if (unlikely(!hte_aipw_finite(&sa)))
		hte_overflow_error();
	out[0] = HTE_AIPW_STATE_TAG;
	memcpy(out + 1, &sa, sizeof(sa));
	PG_RETURN_ARRAYTYPE_P(hte_state_buffered_copy(out, HTE_AIPW_STATE_LEN, HTE_AIPW_STATE_LEN));
}

/* Final function: hte_estimand[] (ATE, ATT, ATU, ATT-ATU), NULL with an empty arm. */
PG_FUNCTION_INFO_V1(hte_aipw_final);
Datum
hte_aipw_final(PG_FUNCTION_ARGS)
{
	static const char *const names[4] = {"ATE", "ATT", "ATU", "ATT-ATU"};
	HteAipwSums sums,
			   *s = &sums;
	HteAipwEstimand e[4];
	HteArrayResult *c;
	Datum		elems[4];
	double		zcrit;

	aipw_fold(PG_GETARG_ARRAYTYPE_P(0), s);
	if (!hte_aipw_compute(s, e))
		PG_RETURN_NULL();
	zcrit = hte_qnorm((1.0 + hte_get_confidence_level()) / 2.0, true);
	c = hte_array_result(fcinfo);
	for (int k = 0; k < 4; k++)
		elems[k] = hte_estimand_datum(c, names[k], e[k].estimate, e[k].std_error, zcrit,
									  e[k].po_treated, e[k].po_control,
									  s->arm[1].n, s->arm[0].n, "aipw", NULL);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, 4, c->elemtype, c->elemlen,
										  c->elembyval, c->elemalign));
}
