/*
 * trial.c — PostgreSQL glue of the trial measures (issue 17):
 * risk_effects(y boolean, treated), late(y, assigned, received [,
 * se_type]), allocation_check(treated, expected_share) and
 * sample_size_interaction().  The statistics are in src/core/hte_trial.c.
 *
 * The aggregates' states are float8[] (hte_trial.h gives their layouts),
 * so parallel plans and Citus need no serialization; a state is updated in
 * place when an aggregate calls the transition function (it is then the
 * aggregate's own copy), and every state a function is given is checked
 * before it is used.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "hte.h"
#include "core/hte_comoments.h"
#include "core/hte_trial.h"

/* ------------------------------------------------------------------------
 * float8[] states
 * ------------------------------------------------------------------------
 */
typedef const char *(*StateCheck) (const double *s, size_t len);

static ArrayType *
new_state(int len, double tag)
{
	Datum	   *d = palloc(len * sizeof(Datum));
	ArrayType  *a;

	for (int i = 0; i < len; i++)
		d[i] = Float8GetDatum(i == 0 ? tag : 0.0);
	a = construct_array(d, len, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	pfree(d);
	return a;
}

/* The state's doubles, after checking its shape. */
static double *
state_shaped(ArrayType *a, int len, const char *kind)
{
	if (ARR_NDIM(a) != 1 || ARR_ELEMTYPE(a) != FLOAT8OID || ARR_HASNULL(a) || ARR_DIMS(a)[0] != len)
		hte_invalid_state(kind, "The state is not a one-dimensional float8 array of the right length without NULLs.");
	return (double *) ARR_DATA_PTR(a);
}

/* The state's doubles, after checking its shape and content. */
static double *
state_doubles(ArrayType *a, int len, StateCheck check, const char *kind)
{
	const char *why;
	double	   *s = state_shaped(a, len, kind);

	if ((why = check(s, (size_t) len)) != NULL)
		hte_invalid_state(kind, why);
	return s;
}

/*
 * The state to update for this row: in an aggregate, the aggregate's own
 * (made on the first row, then updated in place; these aggregates have no
 * initial value, so it can only come from this function or the combine
 * function, which checks its inputs: only its shape is checked per row);
 * called directly, a checked copy.
 */
static ArrayType *
trans_state(FunctionCallInfo fcinfo, int len, double tag, StateCheck check, const char *kind)
{
	MemoryContext aggctx;

	if (PG_ARGISNULL(0))
	{
		MemoryContext old = AggCheckCallContext(fcinfo, &aggctx) ?
			MemoryContextSwitchTo(aggctx) : CurrentMemoryContext;
		ArrayType  *a = new_state(len, tag);

		MemoryContextSwitchTo(old);
		return a;
	}
	if (AggCheckCallContext(fcinfo, NULL))
	{
		ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);

		(void) state_shaped(a, len, kind);
		return a;
	}
	{
		ArrayType  *a = PG_GETARG_ARRAYTYPE_P_COPY(0);

		(void) state_doubles(a, len, check, kind);
		return a;
	}
}

/* ------------------------------------------------------------------------
 * risk_effects(y boolean, treated)
 * ------------------------------------------------------------------------
 */
#define RISK "risk_effects"

static Datum
risk_trans(FunctionCallInfo fcinfo, HteTreatKind kind)
{
	ArrayType  *a;
	double	   *s;
	int			arm;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	arm = hte_arm_of(fcinfo, 2, kind);
	a = trans_state(fcinfo, HTE_RISK_STATE_LEN, HTE_RISK_STATE_TAG, hte_risk_state_check, RISK);
	s = (double *) ARR_DATA_PTR(a);
	hte_arm_has_room(s[2 + 2 * arm], RISK);
	s[2 + 2 * arm] += 1;
	if (PG_GETARG_BOOL(1))
		s[1 + 2 * arm] += 1;
	PG_RETURN_ARRAYTYPE_P(a);
}

#define RISK_TRANS(name, kind) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return risk_trans(fcinfo, kind); \
}
RISK_TRANS(hte_risk_trans_bool, HTE_T_BOOL)
RISK_TRANS(hte_risk_trans_int2, HTE_T_INT2)
RISK_TRANS(hte_risk_trans_int4, HTE_T_INT4)
RISK_TRANS(hte_risk_trans_int8, HTE_T_INT8)

/* combine the count states of risk_effects and allocation_check */
static Datum
counts_combine(FunctionCallInfo fcinfo, int len, StateCheck check, const char *kind, int nsame)
{
	ArrayType  *a,
			   *b,
			   *out;
	double	   *sa,
			   *sb,
			   *so;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
		PG_RETURN_DATUM(PG_GETARG_DATUM(1));
	a = PG_GETARG_ARRAYTYPE_P(0);
	b = PG_GETARG_ARRAYTYPE_P(1);
	sa = state_doubles(a, len, check, kind);
	sb = state_doubles(b, len, check, kind);
	out = new_state(len, sa[0]);
	so = (double *) ARR_DATA_PTR(out);
	/* the last nsame numbers are settings (allocation_check's share) */
	for (int i = 1; i < len - nsame; i++)
	{
		if (sa[i] > HTE_MAX_COUNT - sb[i])
			hte_count_error(kind);
		so[i] = sa[i] + sb[i];
	}
	for (int i = len - nsame; i < len; i++)
	{
		if (sa[i] != sb[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s's expected share must be the same on every row", kind)));
		so[i] = sa[i];
	}
	PG_RETURN_ARRAYTYPE_P(out);
}

PG_FUNCTION_INFO_V1(hte_risk_combine);
Datum
hte_risk_combine(PG_FUNCTION_ARGS)
{
	return counts_combine(fcinfo, HTE_RISK_STATE_LEN, hte_risk_state_check, RISK, 0);
}

PG_FUNCTION_INFO_V1(hte_risk_final);
Datum
hte_risk_final(PG_FUNCTION_ARGS)
{
	double	   *s;
	HteRiskResult r;
	Datum		v[20];
	bool		nl[20];
	double		f[16];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = state_doubles(PG_GETARG_ARRAYTYPE_P(0), HTE_RISK_STATE_LEN, hte_risk_state_check, RISK);
	if (!hte_risk_compute(s[3], s[4], s[1], s[2], hte_get_confidence_level(), &r))
		PG_RETURN_NULL();
	v[0] = hte_count_datum(r.events_treated, &nl[0]);
	v[1] = hte_count_datum(r.events_control, &nl[1]);
	v[2] = hte_count_datum(r.n_treated, &nl[2]);
	v[3] = hte_count_datum(r.n_control, &nl[3]);
	f[0] = r.risk_treated;
	f[1] = r.risk_control;
	f[2] = r.risk_difference;
	f[3] = r.rd_ci_lower;
	f[4] = r.rd_ci_upper;
	f[5] = r.risk_ratio;
	f[6] = r.rr_ci_lower;
	f[7] = r.rr_ci_upper;
	f[8] = r.odds_ratio;
	f[9] = r.or_ci_lower;
	f[10] = r.or_ci_upper;
	f[11] = r.nnt;
	f[12] = r.nnt_ci_lower;
	f[13] = r.nnt_ci_upper;
	f[14] = r.p_value;
	for (int i = 0; i < 15; i++)
		v[4 + i] = hte_float8_or_null(f[i], &nl[4 + i]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo), v, nl)));
}

/* ------------------------------------------------------------------------
 * late(y, assigned, received boolean [, se_type])
 * ------------------------------------------------------------------------
 */
#define LATE "late"
#define LATE_EXAMPLE "late(y, assigned, received, 'HC2')"

static Datum
late_trans(FunctionCallInfo fcinfo, HteTreatKind kind, bool has_se)
{
	ArrayType  *a;
	double	   *s;
	double		y;
	int			arm,
				se;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (has_se)				/* a NULL se_type is an error even on a skipped row */
			(void) hte_row_se_type(fcinfo, 4, -1);
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	y = hte_finite(PG_GETARG_FLOAT8(1), "outcome");
	arm = hte_arm_of(fcinfo, 2, kind);
	a = trans_state(fcinfo, HTE_LATE_STATE_LEN, HTE_LATE_STATE_TAG, hte_late_state_check, LATE);
	s = (double *) ARR_DATA_PTR(a);
	if (PG_ARGISNULL(0))
		s[1] = has_se ? hte_row_se_type(fcinfo, 4, -1) : HTE_SE_HC1;
	else if (has_se && (se = hte_row_se_type(fcinfo, 4, (int) s[1])) != (int) s[1])
		hte_se_type_mismatch((int) s[1], se, LATE_EXAMPLE);
	hte_arm_has_room(hte_late_state_arm(s, arm)->n, LATE);
	hte_armxy_push(hte_late_state_arm(s, arm), PG_GETARG_BOOL(3) ? 1.0 : 0.0, y);
	if (!hte_armxy_finite(hte_late_state_arm(s, arm)))
		hte_overflow_error();
	PG_RETURN_ARRAYTYPE_P(a);
}

#define LATE_TRANS(name, kind, has_se) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return late_trans(fcinfo, kind, has_se); \
}
LATE_TRANS(hte_late_trans_bool, HTE_T_BOOL, false)
LATE_TRANS(hte_late_trans_int2, HTE_T_INT2, false)
LATE_TRANS(hte_late_trans_int4, HTE_T_INT4, false)
LATE_TRANS(hte_late_trans_int8, HTE_T_INT8, false)
LATE_TRANS(hte_late_trans_se_bool, HTE_T_BOOL, true)
LATE_TRANS(hte_late_trans_se_int2, HTE_T_INT2, true)
LATE_TRANS(hte_late_trans_se_int4, HTE_T_INT4, true)
LATE_TRANS(hte_late_trans_se_int8, HTE_T_INT8, true)

PG_FUNCTION_INFO_V1(hte_late_combine);
Datum
hte_late_combine(PG_FUNCTION_ARGS)
{
	double	   *sa,
			   *sb,
			   *so;
	ArrayType  *out;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(0))
		PG_RETURN_DATUM(PG_GETARG_DATUM(1));
	sa = state_doubles(PG_GETARG_ARRAYTYPE_P(0), HTE_LATE_STATE_LEN, hte_late_state_check, LATE);
	sb = state_doubles(PG_GETARG_ARRAYTYPE_P(1), HTE_LATE_STATE_LEN, hte_late_state_check, LATE);
	if (sa[1] != sb[1])
		hte_se_type_mismatch((int) sa[1], (int) sb[1], LATE_EXAMPLE);
	out = new_state(HTE_LATE_STATE_LEN, HTE_LATE_STATE_TAG);
	so = (double *) ARR_DATA_PTR(out);
	memcpy(so, sa, HTE_LATE_STATE_LEN * sizeof(double));
	for (int g = 0; g < 2; g++)
	{
		hte_counts_fit(hte_late_state_arm(so, g)->n, hte_late_state_arm(sb, g)->n, LATE);
		hte_armxy_merge(hte_late_state_arm(so, g), hte_late_state_arm(sb, g));
		if (!hte_armxy_finite(hte_late_state_arm(so, g)))
			hte_overflow_error();
	}
	PG_RETURN_ARRAYTYPE_P(out);
}

PG_FUNCTION_INFO_V1(hte_late_final);
Datum
hte_late_final(PG_FUNCTION_ARGS)
{
	double	   *s;
	HteLateResult r;
	Datum		v[13];
	bool		nl[13];
	double		f[10];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = state_doubles(PG_GETARG_ARRAYTYPE_P(0), HTE_LATE_STATE_LEN, hte_late_state_check, LATE);
	if (!hte_late_compute(hte_late_state_arm(s, 0), hte_late_state_arm(s, 1), (HteSeType) (int) s[1],
						  hte_get_confidence_level(), &r))
		PG_RETURN_NULL();
	f[0] = r.estimate;
	f[1] = r.std_error;
	f[2] = r.ci_lower;
	f[3] = r.ci_upper;
	f[4] = r.p_value;
	f[5] = r.df;
	f[6] = r.itt;
	f[7] = r.itt_std_error;
	f[8] = r.first_stage;
	f[9] = r.first_stage_f;
	for (int i = 0; i < 10; i++)
		v[i] = hte_float8_or_null(f[i], &nl[i]);
	v[10] = hte_count_datum(r.n_assigned, &nl[10]);
	v[11] = hte_count_datum(r.n_control, &nl[11]);
	v[12] = CStringGetTextDatum(hte_se_type_name((HteSeType) (int) s[1]));
	nl[12] = false;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo), v, nl)));
}

/* ------------------------------------------------------------------------
 * allocation_check(treated, expected_share)
 * ------------------------------------------------------------------------
 */
#define ALLOC "allocation_check"

static Datum
alloc_trans(FunctionCallInfo fcinfo, HteTreatKind kind)
{
	ArrayType  *a;
	double	   *s;
	double		share;
	int			arm;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("allocation_check's expected share must not be NULL"),
				 errhint("Pass the planned share of treated rows, e.g. 0.5 for 1:1.")));
	share = PG_GETARG_FLOAT8(2);
	if (!(share > 0 && share < 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("allocation_check's expected share %g is not strictly between 0 and 1", share),
				 errhint("Pass the planned share of treated rows, e.g. 0.5 for 1:1 or 2/3.0 for 2:1.")));
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	arm = hte_arm_of(fcinfo, 1, kind);
	a = trans_state(fcinfo, HTE_ALLOC_STATE_LEN, HTE_ALLOC_STATE_TAG, hte_alloc_state_check, ALLOC);
	s = (double *) ARR_DATA_PTR(a);
	if (PG_ARGISNULL(0))
		s[3] = share;
	else if (s[3] != share)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("allocation_check's expected share must be the same on every row"),
				 errdetail("Rows gave %g and %g.", s[3], share),
				 errhint("Pass a constant, e.g. allocation_check(treated, 0.5).")));
	hte_arm_has_room(s[1 + arm], ALLOC);
	s[1 + arm] += 1;
	PG_RETURN_ARRAYTYPE_P(a);
}

#define ALLOC_TRANS(name, kind) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return alloc_trans(fcinfo, kind); \
}
ALLOC_TRANS(hte_alloc_trans_bool, HTE_T_BOOL)
ALLOC_TRANS(hte_alloc_trans_int2, HTE_T_INT2)
ALLOC_TRANS(hte_alloc_trans_int4, HTE_T_INT4)
ALLOC_TRANS(hte_alloc_trans_int8, HTE_T_INT8)

PG_FUNCTION_INFO_V1(hte_alloc_combine);
Datum
hte_alloc_combine(PG_FUNCTION_ARGS)
{
	return counts_combine(fcinfo, HTE_ALLOC_STATE_LEN, hte_alloc_state_check, ALLOC, 1);
}

PG_FUNCTION_INFO_V1(hte_alloc_final);
Datum
hte_alloc_final(PG_FUNCTION_ARGS)
{
	double	   *s;
	HteAllocResult r;
	Datum		v[4];
	bool		nl[4];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = state_doubles(PG_GETARG_ARRAYTYPE_P(0), HTE_ALLOC_STATE_LEN, hte_alloc_state_check, ALLOC);
	if (!hte_alloc_compute(s[2], s[1], s[3], &r))
		PG_RETURN_NULL();
	v[0] = hte_count_datum(r.n_treated, &nl[0]);
	v[1] = hte_count_datum(r.n_control, &nl[1]);
	v[2] = hte_float8_or_null(r.chisq, &nl[2]);
	v[3] = hte_float8_or_null(r.p_value, &nl[3]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo), v, nl)));
}

/* ------------------------------------------------------------------------
 * sample_size_interaction(gamma, sd, sd_x, alpha, power)
 * ------------------------------------------------------------------------
 */
static void
planning_check(bool ok, const char *what, double v, const char *range)
{
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is out of range", what, v),
				 errdetail("It must be %s.", range)));
}

PG_FUNCTION_INFO_V1(hte_sample_size_interaction_sql);
Datum
hte_sample_size_interaction_sql(PG_FUNCTION_ARGS)
{
	double		gamma = PG_GETARG_FLOAT8(0),
				sd = PG_GETARG_FLOAT8(1),
				sd_x = PG_GETARG_FLOAT8(2),
				alpha = PG_GETARG_FLOAT8(3),
				power = PG_GETARG_FLOAT8(4);
	double		n;

	planning_check(isfinite(gamma), "gamma", gamma, "finite");
	planning_check(sd > 0 && isfinite(sd), "sd", sd, "positive and finite");
	planning_check(sd_x > 0 && isfinite(sd_x), "sd_x", sd_x, "positive and finite");
	planning_check(alpha > 0 && alpha < 1, "alpha", alpha, "strictly between 0 and 1");
	planning_check(power > 0 && power < 1, "power", power, "strictly between 0 and 1");
	n = hte_sample_size_interaction(gamma, sd, sd_x, alpha, power);
	if (isnan(n))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(n);
}

/* ------------------------------------------------------------------------
 * power_ate(n_per_arm, delta, sd, alpha), sample_size_ate(delta, sd, alpha, power)
 * ------------------------------------------------------------------------
 */
static void
power_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

PG_FUNCTION_INFO_V1(hte_power_ate_sql);
Datum
hte_power_ate_sql(PG_FUNCTION_ARGS)
{
	double		n = PG_GETARG_FLOAT8(0),
				delta = PG_GETARG_FLOAT8(1),
				sd = PG_GETARG_FLOAT8(2),
				alpha = PG_GETARG_FLOAT8(3);
	double		p;

	planning_check(n >= 2 && isfinite(n), "n_per_arm", n, "at least 2 and finite");
	planning_check(isfinite(delta), "delta", delta, "finite");
	planning_check(sd > 0 && isfinite(sd), "sd", sd, "positive and finite");
	planning_check(alpha > 0 && alpha < 1, "alpha", alpha, "strictly between 0 and 1");
	p = hte_power_ate(n, delta, sd, alpha);
	if (isnan(p))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(p);
}

PG_FUNCTION_INFO_V1(hte_sample_size_ate_sql);
Datum
hte_sample_size_ate_sql(PG_FUNCTION_ARGS)
{
	double		delta = PG_GETARG_FLOAT8(0),
				sd = PG_GETARG_FLOAT8(1),
				alpha = PG_GETARG_FLOAT8(2),
				power = PG_GETARG_FLOAT8(3);
	double		n;

	planning_check(isfinite(delta), "delta", delta, "finite");
	planning_check(sd > 0 && isfinite(sd), "sd", sd, "positive and finite");
	planning_check(alpha > 0 && alpha < 1, "alpha", alpha, "strictly between 0 and 1");
	planning_check(power > 0 && power < 1, "power", power, "strictly between 0 and 1");
	n = hte_sample_size_ate(delta, sd, alpha, power, power_interrupts);
	if (isnan(n) || isinf(n))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(n);
}
