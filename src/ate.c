/*
 * ate.c — PostgreSQL glue for ate(y, treated).
 *
 * The state is a float8[] laid out as hte_moments.h describes, updated in
 * place when called as an aggregate (as core float8_accum does), so that it
 * is a real type: parallel query needs no serialization and Citus can push
 * the aggregate down to its workers.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"

#include "hte.h"
#include "core/hte_ate.h"
#include "core/hte_moments.h"

/* Elements of a one-dimensional array without NULLs (shape checked first). */
#define STATE_DATA(a) ((double *) ((char *) (a) + ARR_OVERHEAD_NONULLS(1)))

/* The elements of a state array, after checking its shape. */
static double *
ate_state_data(ArrayType *a)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != HTE_ATE_STATE_LEN ||
		ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid ate state"),
				 errdetail("An ate state is a float8 array of %d elements without NULLs.",
						   HTE_ATE_STATE_LEN)));
	return STATE_DATA(a);
}

/*
 * The state array of argument argno, ready to be changed: in place when
 * called as an aggregate, else a copy.  Checks the shape only; the contents
 * are checked fully wherever they are read (combine, final).
 */
static ArrayType *
ate_state_arg(FunctionCallInfo fcinfo, int argno)
{
	ArrayType  *a;

	if (AggCheckCallContext(fcinfo, NULL))
		a = PG_GETARG_ARRAYTYPE_P(argno);
	else
		a = PG_GETARG_ARRAYTYPE_P_COPY(argno);
	(void) ate_state_data(a);
	return a;
}

/* ERROR unless the state's contents are valid. */
static void
ate_state_validate(const double *s)
{
	const char *why = hte_ate_state_check(s, HTE_ATE_STATE_LEN);

	if (why != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid ate state"),
				 errdetail("%s", why)));
}

static inline Datum
ate_push(FunctionCallInfo fcinfo, double y, int arm)
{
	ArrayType  *a = ate_state_arg(fcinfo, 0);
	HteArm	   *s = hte_ate_state_arm(STATE_DATA(a), arm);

	hte_arm_push(s, y);
	if (unlikely(!hte_arm_finite(s)))
		hte_overflow_error();
	PG_RETURN_ARRAYTYPE_P(a);
}

/*
 * Transition functions, one per (outcome type, treatment type); all strict,
 * so rows with a NULL argument never reach them.
 */
#define ATE_TRANS(name, YEXPR, ARMEXPR) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	double		y = (YEXPR); \
	int			arm = (ARMEXPR); \
	return ate_push(fcinfo, y, arm); \
}

#define Y_FLOAT8	(hte_check_finite(PG_GETARG_FLOAT8(1), "outcome"), PG_GETARG_FLOAT8(1))
#define Y_BOOL		(PG_GETARG_BOOL(1) ? 1.0 : 0.0)

ATE_TRANS(hte_ate_trans_f8_bool, Y_FLOAT8, PG_GETARG_BOOL(2) ? 1 : 0)
ATE_TRANS(hte_ate_trans_f8_int2, Y_FLOAT8, hte_treatment_arm(PG_GETARG_INT16(2)))
ATE_TRANS(hte_ate_trans_f8_int4, Y_FLOAT8, hte_treatment_arm(PG_GETARG_INT32(2)))
ATE_TRANS(hte_ate_trans_f8_int8, Y_FLOAT8, hte_treatment_arm(PG_GETARG_INT64(2)))
ATE_TRANS(hte_ate_trans_bool_bool, Y_BOOL, PG_GETARG_BOOL(2) ? 1 : 0)
ATE_TRANS(hte_ate_trans_bool_int2, Y_BOOL, hte_treatment_arm(PG_GETARG_INT16(2)))
ATE_TRANS(hte_ate_trans_bool_int4, Y_BOOL, hte_treatment_arm(PG_GETARG_INT32(2)))
ATE_TRANS(hte_ate_trans_bool_int8, Y_BOOL, hte_treatment_arm(PG_GETARG_INT64(2)))

/* Combine two states (parallel workers, partial aggregation). */
PG_FUNCTION_INFO_V1(hte_ate_combine);
Datum
hte_ate_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = ate_state_arg(fcinfo, 0);
	double	   *sa = STATE_DATA(a);
	double	   *sb = ate_state_data(PG_GETARG_ARRAYTYPE_P(1));

	ate_state_validate(sa);
	ate_state_validate(sb);
	for (int arm = 0; arm < 2; arm++)
	{
		HteArm	   *x = hte_ate_state_arm(sa, arm);

		hte_arm_merge(x, hte_ate_state_arm(sb, arm));
		if (!hte_arm_finite(x))
			hte_overflow_error();
	}
	PG_RETURN_ARRAYTYPE_P(a);
}

/* Final function: the hte_ate row, or NULL when no rows were aggregated. */
PG_FUNCTION_INFO_V1(hte_ate_final);
Datum
hte_ate_final(PG_FUNCTION_ARGS)
{
	double	   *s = ate_state_data(PG_GETARG_ARRAYTYPE_P(0));
	HteAteResult r;
	TupleDesc	tupdesc;
	Datum		values[12];
	bool		nulls[12];

	ate_state_validate(s);

	if (!hte_ate_compute(hte_ate_state_arm(s, 0), hte_ate_state_arm(s, 1),
						 hte_get_confidence_level(), &r))
		PG_RETURN_NULL();

	tupdesc = hte_result_tupdesc(fcinfo);
	values[0] = hte_float8_or_null(r.estimate, &nulls[0]);
	values[1] = hte_float8_or_null(r.std_error, &nulls[1]);
	values[2] = hte_float8_or_null(r.ci_lower, &nulls[2]);
	values[3] = hte_float8_or_null(r.ci_upper, &nulls[3]);
	values[4] = hte_float8_or_null(r.p_value, &nulls[4]);
	values[5] = hte_float8_or_null(r.df, &nulls[5]);
	values[6] = Int64GetDatum((int64) r.n_treated);
	nulls[6] = false;
	values[7] = Int64GetDatum((int64) r.n_control);
	nulls[7] = false;
	values[8] = hte_float8_or_null(r.mean_treated, &nulls[8]);
	values[9] = hte_float8_or_null(r.mean_control, &nulls[9]);
	values[10] = hte_float8_or_null(r.sd_treated, &nulls[10]);
	values[11] = hte_float8_or_null(r.sd_control, &nulls[11]);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
