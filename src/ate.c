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
#include "core/hte_sequential.h"

#define KIND "ate"

/*
 * Two state forms share this code: ate's (off = 0), and ate_sequential's
 * (off = HTE_SEQ_HEADER), which is ate's state after a header of the
 * layout tag HTE_SEQ_STATE_TAG and planned_n (0 until the first row).
 */
#define SEQ_KIND "ate_sequential"

static inline const char *
kind_of(int off)
{
	return off == 0 ? KIND : SEQ_KIND;
}

/*
 * The checked elements of a state argument (shape and contents) after the
 * header of its form; *len is set to the length of ate's part,
 * HTE_ATE_STATE_LEN or HTE_ATE_BUFFERED_LEN.
 */
static double *
ate_state_checked_at(ArrayType *a, int *len, int off)
{
	double	   *s = hte_state_data(a, HTE_ATE_STATE_LEN + off, HTE_ATE_BUFFERED_LEN + off,
								   kind_of(off), len);
	const char *why;

	if (off != 0 && (why = hte_seq_header_check(s)) != NULL)
		hte_invalid_state(SEQ_KIND, why);
	*len -= off;
	why = hte_ate_state_check(s + off, *len);
	if (why != NULL)
		hte_invalid_state(kind_of(off), why);
	return s + off;
}

static double *
ate_state_checked(ArrayType *a, int *len)
{
	return ate_state_checked_at(a, len, 0);
}

/*
 * Rows an aggregate's state takes one by one before it switches to the
 * buffered form: a GROUP BY with many small groups keeps 11-element states
 * (a quarter of the memory), and large groups fold their rows in blocks.
 */
#define ATE_BUFFER_AFTER 64.0

/*
 * The state argument of the transition function off its fast path, checked:
 * inside an aggregate the argument itself, or a buffered copy of a
 * stored-form state with ATE_BUFFER_AFTER rows or more, which the executor
 * keeps from then on; outside an aggregate (a direct call), a copy.
 */
static pg_noinline ArrayType *
ate_trans_state_slow(FunctionCallInfo fcinfo, int off)
{
	ArrayType  *a;
	int			len;
	double	   *s;

	if (!AggCheckCallContext(fcinfo, NULL))
	{
		a = PG_GETARG_ARRAYTYPE_P_COPY(0);
		(void) ate_state_checked_at(a, &len, off);
		return a;
	}
	a = PG_GETARG_ARRAYTYPE_P(0);
	s = ate_state_checked_at(a, &len, off);
	if (len == HTE_ATE_STATE_LEN && s[1] + s[6] >= ATE_BUFFER_AFTER)
		a = hte_state_buffered_copy(s - off, HTE_ATE_STATE_LEN + off, HTE_ATE_BUFFERED_LEN + off);
	return a;
}

/* One row into an arm of a stored-form state, directly. */
static inline void
ate_push_direct(double *s, double y, int arm)
{
	HteArm	   *x = hte_ate_state_arm(s, arm);

	hte_arm_has_room(x->n, KIND);
	hte_arm_push(x, y);
	if (unlikely(!hte_arm_finite(x)))
		hte_overflow_error();
}

/* Fold arm's buffer into the arm (a full block, or what a direct call left). */
static pg_noinline void
ate_flush(double *s, int arm)
{
	HteArm	   *a = hte_ate_state_arm(s, arm);
	double		k = s[HTE_ATE_PENDING(arm)];
	const char *why = hte_arm_check(a);

	/* an aggregate's own state was checked when buffered; this is cheap */
	if (why != NULL)
		hte_invalid_state(KIND, why);
	hte_counts_fit(a->n, k, KIND);
	hte_arm_push_block(a, s + HTE_ATE_BUFFER(arm), (int) k);
	s[HTE_ATE_PENDING(arm)] = 0.0;
	if (unlikely(!hte_arm_finite(a)))
		hte_overflow_error();
}

/*
 * Add one row.  In an aggregate, a state with fewer than ATE_BUFFER_AFTER
 * rows takes it directly, after a check of the tag and the arm (cheap, and
 * a hand-made initial value cannot slip through); a larger one is the
 * buffered form, updated in place: the outcome is stored, and a full block
 * folded into its arm.  The pending count is checked on every row, as it
 * indexes the buffer; the arm when a block is folded.  Outside an
 * aggregate, a copy takes the row, in the form it came in.
 */
static pg_attribute_always_inline ArrayType *
ate_push_at(FunctionCallInfo fcinfo, double y, int arm, int off)
{
	ArrayType  *a = (ArrayType *) DatumGetPointer(PG_GETARG_DATUM(0));
	double	   *s;
	double		k;

	if (likely(hte_state_in_place(fcinfo, a)))
	{
		s = (double *) ARR_DATA_PTR(a);
		/* ate_sequential's header is checked by its caller on every row */
		if (likely(ARR_DIMS(a)[0] == HTE_ATE_BUFFERED_LEN + off))
		{
			s += off;
			goto buffered;
		}
		if (ARR_DIMS(a)[0] == HTE_ATE_STATE_LEN + off && s[off + 1] + s[off + 6] < ATE_BUFFER_AFTER)
		{
			const char *why;

			s += off;
			why = s[0] == HTE_ATE_STATE_TAG ?
				hte_arm_check(hte_ate_state_arm(s, arm)) :
				"The state's layout tag is not that of an ate state, format 1.";
			if (unlikely(why != NULL))
				hte_invalid_state(kind_of(off), why);
			ate_push_direct(s, y, arm);
			return a;
		}
	}
	a = ate_trans_state_slow(fcinfo, off);
	s = (double *) ARR_DATA_PTR(a) + off;
	if (ARR_DIMS(a)[0] == HTE_ATE_STATE_LEN + off)
	{
		ate_push_direct(s, y, arm);
		return a;
	}
buffered:
	k = s[HTE_ATE_PENDING(arm)];
	if (unlikely(!(k >= 0.0 && k < HTE_ATE_BLOCK) || k != (double) (int) k))
		hte_invalid_state(KIND, "An arm's count of buffered rows is not a whole number between 0 and 15.");
	s[HTE_ATE_BUFFER(arm) + (int) k] = y;
	s[HTE_ATE_PENDING(arm)] = k + 1.0;
	if (unlikely(k + 1.0 >= HTE_ATE_BLOCK))
		ate_flush(s, arm);
	return a;
}

static inline Datum
ate_push(FunctionCallInfo fcinfo, double y, int arm)
{
	PG_RETURN_ARRAYTYPE_P(ate_push_at(fcinfo, y, arm, 0));
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

/*
 * Combine two states (parallel workers, partial aggregation): the first,
 * in place in an aggregate, with the second's arms merged in and both
 * states' buffered rows folded.
 */
static ArrayType *
ate_combine_at(FunctionCallInfo fcinfo, int off)
{
	ArrayType  *a = AggCheckCallContext(fcinfo, NULL) ?
		PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	int			la,
				lb;
	double	   *sa = ate_state_checked_at(a, &la, off);
	double	   *sb = ate_state_checked_at(PG_GETARG_ARRAYTYPE_P(1), &lb, off);
	HteArm		xa[2],
				xb[2];

	if (off != 0)
	{
		/* planned_n: 0 until a row set it; both set must agree */
		double		pa = sa[-1],
					pb = sb[-1];

		if (pa != 0.0 && pb != 0.0 && pa != pb)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("planned_n differs between rows: %.0f and %.0f", pa, pb),
					 errhint("Fix planned_n before the data arrive and pass it as a constant.")));
		if (pa == 0.0)
			sa[-1] = pb;
	}

	hte_ate_state_fold(sa, la, xa);
	hte_ate_state_fold(sb, lb, xb);
	for (int arm = 0; arm < 2; arm++)
	{
		hte_counts_fit(xa[arm].n, xb[arm].n, KIND);
		hte_arm_merge(&xa[arm], &xb[arm]);
		if (unlikely(!hte_arm_finite(&xa[arm])))
			hte_overflow_error();
		*hte_ate_state_arm(sa, arm) = xa[arm];
		if (la == HTE_ATE_BUFFERED_LEN)
			sa[HTE_ATE_PENDING(arm)] = 0.0;
	}
	return a;
}

PG_FUNCTION_INFO_V1(hte_ate_combine);
Datum
hte_ate_combine(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(ate_combine_at(fcinfo, 0));
}

/*
 * The stored form of a state of ate (either form), checked, pending rows
 * folded in: a new float8[HTE_ATE_STATE_LEN], the value of an
 * hte_ate_state.
 */
ArrayType *
hte_ate_stored(ArrayType *a)
{
	int			len;
	double	   *s = ate_state_checked(a, &len);
	double		out[HTE_ATE_STATE_LEN];
	HteArm		arms[2];

	hte_ate_state_fold(s, len, arms);
	out[0] = HTE_ATE_STATE_TAG;
	for (int arm = 0; arm < 2; arm++)
	{
		if (unlikely(!hte_arm_finite(&arms[arm])))
			hte_overflow_error();
		*hte_ate_state_arm(out, arm) = arms[arm];
	}
	return hte_state_buffered_copy(out, HTE_ATE_STATE_LEN, HTE_ATE_STATE_LEN);
}

/* NULL when s (n doubles) is a valid stored ate state, else why not. */
const char *
hte_ate_stored_check(const double *s, size_t n)
{
	if (n != HTE_ATE_STATE_LEN)
		return "An ate state has 11 numbers.";
	return hte_ate_state_check(s, n);
}

/* Final function: the hte_ate row, or NULL when no rows were aggregated. */
PG_FUNCTION_INFO_V1(hte_ate_final);
Datum
hte_ate_final(PG_FUNCTION_ARGS)
{
	int			len;
	double	   *s = ate_state_checked(PG_GETARG_ARRAYTYPE_P(0), &len);
	HteArm		arms[2];
	HteAteResult r;

	hte_ate_state_fold(s, len, arms);
	for (int arm = 0; arm < 2; arm++)
		if (unlikely(!hte_arm_finite(&arms[arm])))
			hte_overflow_error();
	if (!hte_ate_compute(&arms[0], &arms[1], hte_get_confidence_level(), &r))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(hte_ate_row(fcinfo, &r));
}

/* The hte_ate row of a result (also ate_blocked's and ate_clustered's). */
Datum
hte_ate_row(FunctionCallInfo fcinfo, const HteAteResult *r)
{
	Datum		values[12];
	bool		nulls[12];

	values[0] = hte_float8_or_null(r->estimate, &nulls[0]);
	values[1] = hte_float8_or_null(r->std_error, &nulls[1]);
	values[2] = hte_float8_or_null(r->ci_lower, &nulls[2]);
	values[3] = hte_float8_or_null(r->ci_upper, &nulls[3]);
	values[4] = hte_float8_or_null(r->p_value, &nulls[4]);
	values[5] = hte_float8_or_null(r->df, &nulls[5]);
	values[6] = hte_count_datum(r->n_treated, &nulls[6]);
	values[7] = hte_count_datum(r->n_control, &nulls[7]);
	values[8] = hte_float8_or_null(r->mean_treated, &nulls[8]);
	values[9] = hte_float8_or_null(r->mean_control, &nulls[9]);
	values[10] = hte_float8_or_null(r->sd_treated, &nulls[10]);
	values[11] = hte_float8_or_null(r->sd_control, &nulls[11]);
	return HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo), values, nulls));
}

/* ------------------------------------------------------------------------
 * ate_sequential(y, treated [, planned_n]): ate's state after a header
 * {HTE_SEQ_STATE_TAG, planned_n}, so that the same code updates and merges
 * it; a real type (float8[]), as ate's, for parallel query and Citus.  The
 * transition function is not strict: a NULL planned_n is an error, not a
 * skipped row.
 * ------------------------------------------------------------------------
 */

#define SEQ_DEFAULT_PLANNED_N 1000

static pg_attribute_always_inline Datum
seq_trans(FunctionCallInfo fcinfo, double y, int arm)
{
	double		planned = SEQ_DEFAULT_PLANNED_N;
	ArrayType  *a;
	double	   *s;

	if (PG_NARGS() > 3)
	{
		int64		pn;

		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("planned_n must not be NULL"),
					 errhint("Pass the planned number of analysed rows, e.g. ate_sequential(y, treated, 2000).")));
		pn = PG_GETARG_INT64(3);
		if (pn <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("planned_n must be positive, not " INT64_FORMAT, pn),
					 errhint("Pass the planned number of analysed rows, both arms together.")));
		planned = (double) pn;
	}
	a = ate_push_at(fcinfo, y, arm, HTE_SEQ_HEADER);
	s = (double *) ARR_DATA_PTR(a);
	if (unlikely(s[0] != HTE_SEQ_STATE_TAG))
		hte_invalid_state(SEQ_KIND, "The state's layout tag is not that of an ate_sequential state, format 1.");
	if (unlikely(s[1] != planned))
	{
		if (s[1] != 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("planned_n differs between rows: %.0f and %.0f", s[1], planned),
					 errhint("Fix planned_n before the data arrive and pass it as a constant.")));
		s[1] = planned;
	}
	PG_RETURN_ARRAYTYPE_P(a);
}

/*
 * A row with a NULL outcome or treatment is skipped, but its planned_n is
 * still checked; the state's planned_n is set even then.
 */
static Datum
seq_skip(FunctionCallInfo fcinfo)
{
	if (PG_NARGS() > 3 && (PG_ARGISNULL(3) || PG_GETARG_INT64(3) <= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("planned_n must be a positive number"),
				 errhint("Pass the planned number of analysed rows, e.g. ate_sequential(y, treated, 2000).")));
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

#define SEQ_TRANS(name, YEXPR, ARMEXPR) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	double		y; \
	int			arm; \
	if (PG_ARGISNULL(0)) \
		elog(ERROR, "ate_sequential state must not be NULL"); \
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2)) \
		return seq_skip(fcinfo); \
	y = (YEXPR); \
	arm = (ARMEXPR); \
	return seq_trans(fcinfo, y, arm); \
}

SEQ_TRANS(hte_seq_trans_f8_bool, Y_FLOAT8, HTE_ARM_BOOL(2))
SEQ_TRANS(hte_seq_trans_f8_int2, Y_FLOAT8, HTE_ARM_INT2(2))
SEQ_TRANS(hte_seq_trans_f8_int4, Y_FLOAT8, HTE_ARM_INT4(2))
SEQ_TRANS(hte_seq_trans_f8_int8, Y_FLOAT8, HTE_ARM_INT8(2))
SEQ_TRANS(hte_seq_trans_bool_bool, Y_BOOL, HTE_ARM_BOOL(2))
SEQ_TRANS(hte_seq_trans_bool_int2, Y_BOOL, HTE_ARM_INT2(2))
SEQ_TRANS(hte_seq_trans_bool_int4, Y_BOOL, HTE_ARM_INT4(2))
SEQ_TRANS(hte_seq_trans_bool_int8, Y_BOOL, HTE_ARM_INT8(2))

PG_FUNCTION_INFO_V1(hte_seq_combine);
Datum
hte_seq_combine(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(ate_combine_at(fcinfo, HTE_SEQ_HEADER));
}

/* Final function: the hte_ate_sequential row, or NULL when no rows were used. */
PG_FUNCTION_INFO_V1(hte_seq_final);
Datum
hte_seq_final(PG_FUNCTION_ARGS)
{
	int			len;
	double	   *s = ate_state_checked_at(PG_GETARG_ARRAYTYPE_P(0), &len, HTE_SEQ_HEADER);
	double		planned = s[-1],
				level = hte_get_confidence_level(),
				alpha = 1.0 - level,
				cs_lo = NAN,
				cs_hi = NAN,
				avp = NAN;
	HteArm		arms[2];
	HteAteResult r;
	Datum		values[11];
	bool		nulls[11];

	hte_ate_state_fold(s, len, arms);
	for (int arm = 0; arm < 2; arm++)
		if (unlikely(!hte_arm_finite(&arms[arm])))
			hte_overflow_error();
	if (!hte_ate_compute(&arms[0], &arms[1], level, &r))
		PG_RETURN_NULL();
	if (planned <= 0.0)
		planned = SEQ_DEFAULT_PLANNED_N;	/* cannot happen after a row */
	if (r.std_error == 0.0)
		cs_lo = cs_hi = r.estimate;
	else if (r.std_error > 0.0)
	{
		double		v = hte_cs_v(r.n_treated + r.n_control, planned, alpha),
					half = r.std_error * hte_cs_factor(v, alpha);

		cs_lo = r.estimate - half;
		cs_hi = r.estimate + half;
		avp = hte_cs_p_value(r.estimate / r.std_error, v);
	}
	values[0] = hte_float8_or_null(r.estimate, &nulls[0]);
	values[1] = hte_float8_or_null(r.std_error, &nulls[1]);
	values[2] = hte_float8_or_null(cs_lo, &nulls[2]);
	values[3] = hte_float8_or_null(cs_hi, &nulls[3]);
	values[4] = hte_float8_or_null(avp, &nulls[4]);
	values[5] = hte_float8_or_null(r.ci_lower, &nulls[5]);
	values[6] = hte_float8_or_null(r.ci_upper, &nulls[6]);
	values[7] = hte_float8_or_null(r.p_value, &nulls[7]);
	values[8] = hte_count_datum(r.n_treated, &nulls[8]);
	values[9] = hte_count_datum(r.n_control, &nulls[9]);
	values[10] = Int64GetDatum((int64) planned);
	nulls[10] = false;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo),
													  values, nulls)));
}
