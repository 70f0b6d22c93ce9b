/*
 * interaction.c — PostgreSQL glue for interaction_test(y, treated, x [, se_type]).
 *
 * Three-argument form (HC1): a float8[] state {tag 2, control arm, treated
 * arm}, each arm an HteArmXY of 14 doubles (count, double-double means,
 * nine central co-moments), updated in place like ate's.  Memory does not
 * grow with the rows, and the state is a real type Citus can push down.
 *
 * Four-argument form: an internal state holding the same moments, the
 * variance type, and — only for HC2 and HC3, whose leverages need every
 * row — the (x, y) pairs of each arm, 16 bytes a row.  It has serialize and
 * deserialize functions for parallel query; the serialized bytes are
 * validated before use.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "hte.h"
#include "core/hte_comoments.h"
#include "core/hte_interaction.h"
#include "core/hte_state_io.h"

#define KIND "interaction_test"

/*
 * The checked elements of a state argument of either form; *len is set to
 * its length, HTE_IT_STATE_LEN or HTE_IT_BUFFERED_LEN.
 */
static double *
it_state_checked(ArrayType *a, int *len)
{
	double	   *s = hte_state_data(a, HTE_IT_STATE_LEN, HTE_IT_BUFFERED_LEN, KIND, len);
	const char *why = hte_it_state_check(s, *len);

	if (why != NULL)
		hte_invalid_state(KIND, why);
	return s;
}

/* Push one row into an arm, with the overflow check. */
static inline void
it_push(HteArmXY *arm, double x, double y)
{
	hte_arm_has_room(arm->n, KIND);
	hte_armxy_push(arm, x, y);
	if (unlikely(!hte_armxy_finite(arm)))
		hte_overflow_error();
}

/* Fold k buffered rows into an arm, with the count and overflow checks. */
static void
it_push_block(HteArmXY *arm, const double *x, const double *y, int k)
{
	hte_counts_fit(arm->n, k, KIND);
	hte_armxy_push_block(arm, x, y, k);
	if (unlikely(!hte_armxy_finite(arm)))
		hte_overflow_error();
}

/* Build the hte_interaction row. */
static Datum
it_result(FunctionCallInfo fcinfo, const HteInteractionResult *r, HteSeType type)
{
	Datum		values[13];
	bool		nulls[13];

	values[0] = hte_float8_or_null(r->interaction, &nulls[0]);
	values[1] = hte_float8_or_null(r->std_error, &nulls[1]);
	values[2] = hte_float8_or_null(r->ci_lower, &nulls[2]);
	values[3] = hte_float8_or_null(r->ci_upper, &nulls[3]);
	values[4] = hte_float8_or_null(r->p_value, &nulls[4]);
	values[5] = hte_float8_or_null(r->effect_at_zero, &nulls[5]);
	values[6] = hte_float8_or_null(r->effect_at_zero_se, &nulls[6]);
	values[7] = hte_float8_or_null(r->effect_at_mean, &nulls[7]);
	values[8] = hte_float8_or_null(r->effect_at_mean_se, &nulls[8]);
	values[9] = hte_float8_or_null(r->df, &nulls[9]);
	values[10] = hte_count_datum(r->n_treated, &nulls[10]);
	values[11] = hte_count_datum(r->n_control, &nulls[11]);
	values[12] = CStringGetTextDatum(hte_se_type_name(type));
	nulls[12] = false;
	return HeapTupleGetDatum(heap_form_tuple(hte_result_tupdesc(fcinfo), values, nulls));
}

/* ------------------------------------------------------------------------
 * Three-argument form: float8[] state, HC1.
 */

/* Rows a state takes one by one before it switches to the buffered form. */
#define IT_BUFFER_AFTER 64.0

/*
 * The state argument off the fast path, checked: inside an aggregate the
 * argument itself, or a buffered copy of a stored-form state with
 * IT_BUFFER_AFTER rows or more (the executor keeps it from then on);
 * outside an aggregate, a copy.
 */
static pg_noinline ArrayType *
it_trans_state_slow(FunctionCallInfo fcinfo)
{
	ArrayType  *a;
	int			len;
	double	   *s;

	if (!AggCheckCallContext(fcinfo, NULL))
	{
		a = PG_GETARG_ARRAYTYPE_P_COPY(0);
		(void) it_state_checked(a, &len);
		return a;
	}
	a = PG_GETARG_ARRAYTYPE_P(0);
	s = it_state_checked(a, &len);
	if (len == HTE_IT_STATE_LEN &&
		hte_it_state_arm(s, 0)->n + hte_it_state_arm(s, 1)->n >= IT_BUFFER_AFTER)
		a = hte_state_buffered_copy(s, HTE_IT_STATE_LEN, HTE_IT_BUFFERED_LEN);
	return a;
}

/* Fold an arm's full buffer (or what a direct call filled) into the arm. */
static pg_noinline void
it_flush(double *s, int arm)
{
	HteArmXY   *a = hte_it_state_arm(s, arm);
	double		k = s[HTE_IT_PENDING(arm)];
	const char *why = hte_armxy_check(a);

	if (why != NULL)
		hte_invalid_state(KIND, why);
	it_push_block(a, s + HTE_IT_BUFX(arm), s + HTE_IT_BUFY(arm), (int) k);
	s[HTE_IT_PENDING(arm)] = 0.0;
}

/*
 * Add one row, as ate's transition function does (see ate.c): fewer than
 * IT_BUFFER_AFTER rows take it directly after a check of the tag and the
 * arm; larger states are the buffered form, updated in place, a full block
 * folded at once.
 */
static inline Datum
it_trans(FunctionCallInfo fcinfo, int arm)
{
	double		y = hte_finite(PG_GETARG_FLOAT8(1), "outcome");
	double		x = hte_finite(PG_GETARG_FLOAT8(3), "moderator");
	ArrayType  *a = (ArrayType *) DatumGetPointer(PG_GETARG_DATUM(0));
	double	   *s;
	double		k;

	if (likely(hte_state_in_place(fcinfo, a)))
	{
		s = (double *) ARR_DATA_PTR(a);
		if (likely(ARR_DIMS(a)[0] == HTE_IT_BUFFERED_LEN))
			goto buffered;
		if (ARR_DIMS(a)[0] == HTE_IT_STATE_LEN &&
			hte_it_state_arm(s, 0)->n + hte_it_state_arm(s, 1)->n < IT_BUFFER_AFTER)
		{
			const char *why = s[0] == HTE_IT_STATE_TAG ?
				hte_armxy_check(hte_it_state_arm(s, arm)) :
				"The state's layout tag is not that of an interaction_test state, format 1.";

			if (unlikely(why != NULL))
				hte_invalid_state(KIND, why);
			it_push(hte_it_state_arm(s, arm), x, y);
			PG_RETURN_ARRAYTYPE_P(a);
		}
	}
	a = it_trans_state_slow(fcinfo);
	s = (double *) ARR_DATA_PTR(a);
	if (ARR_DIMS(a)[0] == HTE_IT_STATE_LEN)
	{
		it_push(hte_it_state_arm(s, arm), x, y);
		PG_RETURN_ARRAYTYPE_P(a);
	}
buffered:
	k = s[HTE_IT_PENDING(arm)];
	if (unlikely(!(k >= 0.0 && k < HTE_IT_BLOCK) || k != (double) (int) k))
		hte_invalid_state(KIND, "An arm's count of buffered rows is not a whole number between 0 and 31.");
	s[HTE_IT_BUFX(arm) + (int) k] = x;
	s[HTE_IT_BUFY(arm) + (int) k] = y;
	s[HTE_IT_PENDING(arm)] = k + 1.0;
	if (unlikely(k + 1.0 >= HTE_IT_BLOCK))
		it_flush(s, arm);
	PG_RETURN_ARRAYTYPE_P(a);
}

#define IT_TRANS(name, ARMEXPR) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return it_trans(fcinfo, (ARMEXPR)); \
}

IT_TRANS(hte_it_trans_bool, HTE_ARM_BOOL(2))
IT_TRANS(hte_it_trans_int2, HTE_ARM_INT2(2))
IT_TRANS(hte_it_trans_int4, HTE_ARM_INT4(2))
IT_TRANS(hte_it_trans_int8, HTE_ARM_INT8(2))

/*
 * Combine: the first state, in place in an aggregate, with the second's
 * arms merged in and both states' buffered rows folded.
 */
/*
 * Combine two states: the first, in place in an aggregate, with the
 * second's arms merged in and both states' buffered rows folded.  trusted:
 * the arguments are values of hte_interaction_state (checked when made), so
 * only their shape is checked here — merging 365 daily states is then
 * bound by the merges, not by the checks.
 */
static Datum
it_combine(FunctionCallInfo fcinfo, bool trusted)
{
	ArrayType  *a = AggCheckCallContext(fcinfo, NULL) ?
		PG_GETARG_ARRAYTYPE_P(0) : PG_GETARG_ARRAYTYPE_P_COPY(0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	int			la,
				lb;
	double	   *sa,
			   *sb;
	HteArmXY	xa[2],
				xb[2];

	if (trusted)
	{
		const char *why;

		sa = hte_state_data(a, HTE_IT_STATE_LEN, HTE_IT_BUFFERED_LEN, KIND, &la);
		if ((why = hte_it_state_shape(sa, la)) != NULL)
			hte_invalid_state(KIND, why);
		sb = hte_state_data(b, HTE_IT_STATE_LEN, HTE_IT_BUFFERED_LEN, KIND, &lb);
		if ((why = hte_it_state_shape(sb, lb)) != NULL)
			hte_invalid_state(KIND, why);
	}
	else
	{
		sa = it_state_checked(a, &la);
		sb = it_state_checked(b, &lb);
	}
	hte_it_state_fold(sa, la, xa);
	hte_it_state_fold(sb, lb, xb);
	for (int g = 0; g < 2; g++)
	{
		hte_counts_fit(xa[g].n, xb[g].n, KIND);
		hte_armxy_merge(&xa[g], &xb[g]);
		if (!hte_armxy_finite(&xa[g]))
			hte_overflow_error();
		*hte_it_state_arm(sa, g) = xa[g];
		if (la == HTE_IT_BUFFERED_LEN)
			sa[HTE_IT_PENDING(g)] = 0.0;
	}
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(hte_it_combine);
Datum
hte_it_combine(PG_FUNCTION_ARGS)
{
	return it_combine(fcinfo, false);
}

PG_FUNCTION_INFO_V1(hte_it_stored_combine);
Datum
hte_it_stored_combine(PG_FUNCTION_ARGS)
{
	return it_combine(fcinfo, true);
}

void
hte_it_state_arms(ArrayType *a, HteArmXY *arms)
{
	int			len;
	double	   *s = it_state_checked(a, &len);

	hte_it_state_fold(s, len, arms);
	for (int g = 0; g < 2; g++)
		if (!hte_armxy_finite(&arms[g]))
			hte_overflow_error();
}

/*
 * The stored form of a three-argument state (either form), checked, pending
 * rows folded in: a new float8[HTE_IT_STATE_LEN], the value of an
 * hte_interaction_state.
 */
ArrayType *
hte_it_stored(ArrayType *a)
{
	double		out[HTE_IT_STATE_LEN];
	HteArmXY	arms[2];

	hte_it_state_arms(a, arms);
	out[0] = HTE_IT_STATE_TAG;
	for (int g = 0; g < 2; g++)
		*hte_it_state_arm(out, g) = arms[g];
	return hte_state_buffered_copy(out, HTE_IT_STATE_LEN, HTE_IT_STATE_LEN);
}

/* NULL when s (n doubles) is a valid stored interaction state, else why not. */
const char *
hte_it_stored_check(const double *s, size_t n)
{
	if (n != HTE_IT_STATE_LEN)
		return "An interaction state has 47 numbers.";
	return hte_it_state_check(s, n);
}

PG_FUNCTION_INFO_V1(hte_it_final);
Datum
hte_it_final(PG_FUNCTION_ARGS)
{
	int			len;
	double	   *s = it_state_checked(PG_GETARG_ARRAYTYPE_P(0), &len);
	HteArmXY	arms[2];
	HteInteractionResult r;

	hte_it_state_fold(s, len, arms);
	for (int g = 0; g < 2; g++)
		if (!hte_armxy_finite(&arms[g]))
			hte_overflow_error();
	if (!hte_interaction_compute(&arms[0], &arms[1], HTE_SE_HC1, NULL,
								 hte_get_confidence_level(), &r))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(it_result(fcinfo, &r, HTE_SE_HC1));
}

/* ------------------------------------------------------------------------
 * Four-argument form: internal state.
 */

/* The (x, y) pairs of one arm (HC2, HC3 only). */
typedef struct PairBuf
{
	double	   *x;
	double	   *y;
	Size		count;
	Size		cap;
} PairBuf;

/*
 * The arms take rows as the three-argument form's state does (see
 * it_trans): one by one for the first IT_BUFFER_AFTER rows, then buffered
 * and folded HTE_IT_BLOCK at a time, so that the two forms give the same
 * numbers to the bit for HC1.
 */
typedef struct ItState
{
	HteSeType	type;
	HteArmXY	arm[2];
	PairBuf		pairs[2];
	bool		buffered;
	int			pending[2];
	double		bx[2][HTE_IT_BLOCK];
	double		by[2][HTE_IT_BLOCK];
} ItState;

/* The arms with any buffered rows folded in (the state is not changed). */
static void
it4_fold(const ItState *st, HteArmXY arms[2])
{
	for (int g = 0; g < 2; g++)
	{
		arms[g] = st->arm[g];
		if (st->pending[g] > 0)
			it_push_block(&arms[g], st->bx[g], st->by[g], st->pending[g]);
	}
}

static inline bool
keeps_pairs(HteSeType t)
{
	return hte_it4_keeps_pairs(t);
}

/* Room for `more` pairs, growing geometrically in the current context. */
static void
pairbuf_reserve(PairBuf *b, Size more)
{
	Size		cap;

	if (more <= b->cap - b->count)
		return;
	cap = hte_grow_capacity(b->count, b->cap, more, sizeof(double),
							"interaction_test with se_type HC2 or HC3");
	if (b->x == NULL)
	{
		b->x = MemoryContextAllocHuge(CurrentMemoryContext, cap * sizeof(double));
		b->y = MemoryContextAllocHuge(CurrentMemoryContext, cap * sizeof(double));
	}
	else
	{
		b->x = repalloc_huge(b->x, cap * sizeof(double));
		b->y = repalloc_huge(b->y, cap * sizeof(double));
	}
	b->cap = cap;
}

static inline Datum
it4_trans(FunctionCallInfo fcinfo, HteTreatKind kind)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "interaction_test transition function");
	ItState    *st = PG_ARGISNULL(0) ? NULL : (ItState *) PG_GETARG_POINTER(0);
	HteSeType	type = (HteSeType) hte_row_se_type(fcinfo, 4, st ? (int) st->type : -1);
	int			arm;
	double		x,
				y;

	if (st == NULL)
	{
		st = MemoryContextAllocZero(ctx, sizeof(ItState));
		st->type = type;
	}
	else if (st->type != type)
		hte_se_type_mismatch(st->type, type, "interaction_test(y, treated, x, 'HC2')");

	/* a NULL outcome, treatment or moderator skips the row */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(st);
	y = hte_finite(PG_GETARG_FLOAT8(1), "outcome");
	x = hte_finite(PG_GETARG_FLOAT8(3), "moderator");
	arm = hte_arm_of(fcinfo, 2, kind);

	if (!st->buffered && st->arm[0].n + st->arm[1].n < IT_BUFFER_AFTER)
		it_push(&st->arm[arm], x, y);
	else
	{
		int			k = st->pending[arm];

		st->buffered = true;
		st->bx[arm][k] = x;
		st->by[arm][k] = y;
		st->pending[arm] = ++k;
		if (k == HTE_IT_BLOCK)
		{
			it_push_block(&st->arm[arm], st->bx[arm], st->by[arm], k);
			st->pending[arm] = 0;
		}
	}
	if (keeps_pairs(st->type))
	{
		PairBuf    *b = &st->pairs[arm];
		MemoryContext old = MemoryContextSwitchTo(ctx);

		pairbuf_reserve(b, 1);
		MemoryContextSwitchTo(old);
		b->x[b->count] = x;
		b->y[b->count] = y;
		b->count++;
	}
	PG_RETURN_POINTER(st);
}

#define IT4_TRANS(name, KIND_) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return it4_trans(fcinfo, (KIND_)); \
}

IT4_TRANS(hte_it4_trans_bool, HTE_T_BOOL)
IT4_TRANS(hte_it4_trans_int2, HTE_T_INT2)
IT4_TRANS(hte_it4_trans_int4, HTE_T_INT4)
IT4_TRANS(hte_it4_trans_int8, HTE_T_INT8)

/* Append b's pairs of each arm to a's (a in the aggregate context). */
static void
pairs_append(PairBuf *a, const PairBuf *b)
{
	if (b->count == 0)
		return;
	pairbuf_reserve(a, b->count);
	memcpy(a->x + a->count, b->x, b->count * sizeof(double));
	memcpy(a->y + a->count, b->y, b->count * sizeof(double));
	a->count += b->count;
}

PG_FUNCTION_INFO_V1(hte_it4_combine);
Datum
hte_it4_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "interaction_test combine function");
	ItState    *a = PG_ARGISNULL(0) ? NULL : (ItState *) PG_GETARG_POINTER(0);
	ItState    *b = PG_ARGISNULL(1) ? NULL : (ItState *) PG_GETARG_POINTER(1);
	MemoryContext old;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	old = MemoryContextSwitchTo(ctx);
	if (a == NULL)
	{
		/* copy b into the aggregate context */
		a = palloc0(sizeof(ItState));
		a->type = b->type;
	}
	else if (a->type != b->type)
		hte_se_type_mismatch(a->type, b->type, "interaction_test(y, treated, x, 'HC2')");
	{
		HteArmXY	xa[2],
					xb[2];

		/* both states' buffered rows folded, as hte_it_combine does */
		it4_fold(a, xa);
		it4_fold(b, xb);
		for (int g = 0; g < 2; g++)
		{
			hte_counts_fit(xa[g].n, xb[g].n, KIND);
			hte_armxy_merge(&xa[g], &xb[g]);
			if (!hte_armxy_finite(&xa[g]))
				hte_overflow_error();
			a->arm[g] = xa[g];
			a->pending[g] = 0;
			pairs_append(&a->pairs[g], &b->pairs[g]);
		}
	}
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

/*
 * Serialized form (bytea): see hte_state_io.h; the core validates it
 * completely (header, arms, length against the counts, every pair finite)
 * before anything is allocated here.
 */
static void
it_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

PG_FUNCTION_INFO_V1(hte_it4_serialize);
Datum
hte_it4_serialize(PG_FUNCTION_ARGS)
{
	ItState    *st = (ItState *) PG_GETARG_POINTER(0);
	Size		rows = 0;
	Size		size;
	bytea	   *out;
	char	   *p;

	(void) hte_agg_context(fcinfo, "interaction_test serialize function");
	if (keeps_pairs(st->type))
		rows = st->pairs[0].count + st->pairs[1].count;
	size = hte_it4_size(rows, MaxAllocSize - VARHDRSZ);
	if (size == 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("interaction_test state of a parallel worker exceeds 1 GB"),
				 errdetail("With se_type HC2 or HC3 a worker sends its %zu (x, y) pairs, 16 bytes each, to the leader.",
						   rows),
				 errhint("Run the query without parallel workers (SET max_parallel_workers_per_gather = 0), or use se_type HC1, whose memory does not grow with the rows.")));
	out = palloc(VARHDRSZ + size);
	SET_VARSIZE(out, VARHDRSZ + size);
	p = VARDATA(out);
	{
		HteArmXY	arms[2];

		it4_fold(st, arms);
		hte_it4_write_fixed((unsigned char *) p, st->type, arms);
	}
	p += HTE_IT4_FIXED;
	if (keeps_pairs(st->type))
		for (int g = 0; g < 2; g++)
		{
			memcpy(p, st->pairs[g].x, st->pairs[g].count * sizeof(double));
			p += st->pairs[g].count * sizeof(double);
			memcpy(p, st->pairs[g].y, st->pairs[g].count * sizeof(double));
			p += st->pairs[g].count * sizeof(double);
		}
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(hte_it4_deserialize);
Datum
hte_it4_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "interaction_test deserialize function");
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(in);
	HteIt4Parsed parsed;
	const char *why = hte_it4_parse(p, VARSIZE_ANY_EXHDR(in), &parsed,
									it_check_interrupts);
	ItState    *st;
	MemoryContext old;

	if (why != NULL)
		hte_invalid_state(KIND, why);
	old = MemoryContextSwitchTo(ctx);
	st = palloc0(sizeof(ItState));
	st->type = parsed.se_type;
	memcpy(st->arm, parsed.arm, sizeof(st->arm));
	if (parsed.has_pairs)
		for (int g = 0; g < 2; g++)
		{
			PairBuf    *b = &st->pairs[g];
			Size		n = (Size) parsed.n[g];

			if (n == 0)
				continue;
			pairbuf_reserve(b, n);
			memcpy(b->x, p + parsed.x_offset[g], n * sizeof(double));
			memcpy(b->y, p + parsed.y_offset[g], n * sizeof(double));
			b->count = n;
		}
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(hte_it4_final);
Datum
hte_it4_final(PG_FUNCTION_ARGS)
{
	ItState    *st = PG_ARGISNULL(0) ? NULL : (ItState *) PG_GETARG_POINTER(0);
	HteInteractionResult r;
	HteMeat		meat[2];
	HteArmXY	arms[2];

	(void) hte_agg_context(fcinfo, "interaction_test final function");
	if (st == NULL)
		PG_RETURN_NULL();
	it4_fold(st, arms);
	if (keeps_pairs(st->type))
	{
		for (int g = 0; g < 2; g++)
		{
			const PairBuf *b = &st->pairs[g];
			double		slope;
			HteMeat		unused;

			meat[g].s0 = meat[g].s1 = meat[g].s2 = 0.0;
			if (!hte_armxy_fit(&arms[g], &slope, &unused))
				continue;		/* slope undefined: the result says so */
			/* in chunks, so that cancellation is noticed promptly */
			for (Size i = 0; i < b->count; i += 1 << 20)
			{
				Size		chunk = Min((Size) 1 << 20, b->count - i);

				CHECK_FOR_INTERRUPTS();
				if (!hte_meat_hc23_add(&arms[g], slope, st->type,
									   b->x + i, b->y + i, chunk, &meat[g]))
				{
					/* a leverage of 1: the variance is undefined */
					meat[g].s0 = meat[g].s1 = meat[g].s2 = NAN;
					break;
				}
			}
		}
	}
	if (!hte_interaction_compute(&arms[0], &arms[1], st->type, meat,
								 hte_get_confidence_level(), &r))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(it_result(fcinfo, &r, st->type));
}
