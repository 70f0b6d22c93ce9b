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
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"

#include "hte.h"
#include "core/hte_ate.h"
#include "core/hte_moments.h"

#define KIND "ate"

/* The checked elements of a state argument (shape and contents). */
static double *
ate_state_checked(ArrayType *a)
{
	double	   *s = hte_state_data(a, HTE_ATE_STATE_LEN, KIND);
	const char *why = hte_ate_state_check(s, HTE_ATE_STATE_LEN);

	if (why != NULL)
		hte_invalid_state(KIND, why);
	return s;
}

static inline Datum
ate_push(FunctionCallInfo fcinfo, double y, int arm)
{
	ArrayType  *a;
	HteArm	   *s = hte_ate_state_arm(hte_state_arg_fast(fcinfo, 0, HTE_ATE_STATE_LEN, KIND, &a), arm);

	hte_arm_has_room(s->n, KIND);
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

#define Y_FLOAT8	hte_finite(PG_GETARG_FLOAT8(1), "outcome")
#define Y_BOOL		(PG_GETARG_BOOL(1) ? 1.0 : 0.0)

ATE_TRANS(hte_ate_trans_f8_bool, Y_FLOAT8, HTE_ARM_BOOL(2))
ATE_TRANS(hte_ate_trans_f8_int2, Y_FLOAT8, HTE_ARM_INT2(2))
ATE_TRANS(hte_ate_trans_f8_int4, Y_FLOAT8, HTE_ARM_INT4(2))
ATE_TRANS(hte_ate_trans_f8_int8, Y_FLOAT8, HTE_ARM_INT8(2))
ATE_TRANS(hte_ate_trans_bool_bool, Y_BOOL, HTE_ARM_BOOL(2))
ATE_TRANS(hte_ate_trans_bool_int2, Y_BOOL, HTE_ARM_INT2(2))
ATE_TRANS(hte_ate_trans_bool_int4, Y_BOOL, HTE_ARM_INT4(2))
ATE_TRANS(hte_ate_trans_bool_int8, Y_BOOL, HTE_ARM_INT8(2))

/* Combine two states (parallel workers, partial aggregation). */
PG_FUNCTION_INFO_V1(hte_ate_combine);
Datum
hte_ate_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	double	   *sa = hte_state_arg(fcinfo, 0, HTE_ATE_STATE_LEN, KIND, &a);
	double	   *sb = ate_state_checked(PG_GETARG_ARRAYTYPE_P(1));

	ate_state_checked(a);
	for (int arm = 0; arm < 2; arm++)
	{
		HteArm	   *x = hte_ate_state_arm(sa, arm);

		hte_arm_merge(x, hte_ate_state_arm(sb, arm));
		hte_arm_updated_ok(x->n, hte_arm_finite(x), KIND);
	}
	PG_RETURN_ARRAYTYPE_P(a);
}

/* Final function: the hte_ate row, or NULL when no rows were aggregated. */
PG_FUNCTION_INFO_V1(hte_ate_final);
Datum
hte_ate_final(PG_FUNCTION_ARGS)
{
	double	   *s = ate_state_checked(PG_GETARG_ARRAYTYPE_P(0));
	HteAteResult r;
	Datum		values[12];
	bool		nulls[12];

	if (!hte_ate_compute(hte_ate_state_arm(s, 0), hte_ate_state_arm(s, 1),
						 hte_get_confidence_level(), &r))
		PG_RETURN_NULL();

	values[0] = hte_float8_or_null(r.estimate, &nulls[0]);
	values[1] = hte_float8_or_null(r.std_error, &nulls[1]);
	values[2] = hte_float8_or_null(r.ci_lower, &nulls[2]);
	values[3] = hte_float8_or_null(r.ci_upper, &nulls[3]);
	values[4] = hte_float8_or_null(r.p_value, &nulls[4]);
	values[5] = hte_float8_or_null(r.df, &nulls[5]);
	values[6] = hte_count_datum(r.n_treated, &nulls[6]);
	values[7] = hte_count_datum(r.n_control, &nulls[7]);
	values[8] = hte_float8_or_null(r.mean_treated, &nulls[8]);
	values[9] = hte_float8_or_null(r.mean_control, &nulls[9]);
	values[10] = hte_float8_or_null(r.sd_treated, &nulls[10]);
	values[11] = hte_float8_or_null(r.sd_control, &nulls[11]);

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo),
													  values, nulls)));
}
