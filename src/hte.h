/*
 * hte.h — PostgreSQL glue shared by the hte aggregates.
 */
#ifndef HTE_PG_H
#define HTE_PG_H

#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "access/tupdesc.h"
#include "catalog/pg_type.h"
#include "nodes/execnodes.h"
#include "utils/array.h"

#include "core/hte_moments.h"

/*
 * PostgreSQL 18 replaced pg_attribute_noreturn(), written after a
 * declaration, by pg_noreturn, written before it; older majors get
 * pg_noreturn from the old macro (a GNU attribute, valid in either place).
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/* The confidence level for intervals, validated; ERROR if it is not usable. */
extern double hte_get_confidence_level(void);

/* y, after an ERROR unless it is finite; what names it ("outcome", "moderator"). */
static inline double
hte_finite(double y, const char *what)
{
	if (unlikely(isinf(y) || isnan(y)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s value %s is not finite", what,
						isnan(y) ? "NaN" : (y > 0 ? "Infinity" : "-Infinity")),
				 errdetail("hte statistics are defined for finite values only."),
				 errhint("Exclude such rows, e.g. WHERE y NOT IN ('NaN', 'Infinity', '-Infinity') for a float8 column y.")));
	return y;
}

/* ERROR unless an integer-coded treatment is 0 or 1; returns the arm. */
static inline int
hte_treatment_arm(int64 t)
{
	if (unlikely(t != 0 && t != 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("treatment value " INT64_FORMAT " is not 0 or 1", t),
				 errdetail("An integer treatment must be coded 1 for treated and 0 for control."),
				 errhint("Recode the column, e.g. (dose > 0), or pass a boolean treatment.")));
	return (int) t;
}

/* The arm (0 control, 1 treated) of treatment argument n, by its SQL type. */
#define HTE_ARM_BOOL(n)	(PG_GETARG_BOOL(n) ? 1 : 0)
#define HTE_ARM_INT2(n)	hte_treatment_arm(PG_GETARG_INT16(n))
#define HTE_ARM_INT4(n)	hte_treatment_arm(PG_GETARG_INT32(n))
#define HTE_ARM_INT8(n)	hte_treatment_arm(PG_GETARG_INT64(n))

/*
 * The treatment argument's SQL type, for the transition functions whose
 * entry points differ only in it (one C entry point per SQL overload).
 */
typedef enum HteTreatKind
{
	HTE_T_BOOL, HTE_T_INT2, HTE_T_INT4, HTE_T_INT8
} HteTreatKind;

/* The arm of treatment argument argno of the given kind (not NULL). */
static inline int
hte_arm_of(FunctionCallInfo fcinfo, int argno, HteTreatKind kind)
{
	return kind == HTE_T_BOOL ? HTE_ARM_BOOL(argno) :
		kind == HTE_T_INT2 ? HTE_ARM_INT2(argno) :
		kind == HTE_T_INT4 ? HTE_ARM_INT4(argno) : HTE_ARM_INT8(argno);
}

/* ERROR for a result that overflowed although its inputs were finite. */
pg_noreturn extern void hte_overflow_error(void);

/*
 * ERROR for an arm that would hold more than 2^53 rows (HTE_MAX_COUNT), the
 * largest count a double holds exactly: merging two valid partial states
 * can get there, and so can one more row pushed into a hand-made state.
 */
pg_noreturn extern void hte_count_error(const char *kind);

/*
 * Check, before merging arms of na and nb rows (each within 2^53), that the
 * merged count stays within 2^53; tested as na > 2^53 - nb, which is exact
 * where na + nb may round back to 2^53.
 */
static inline void
hte_counts_fit(double na, double nb, const char *kind)
{
	if (unlikely(na > HTE_MAX_COUNT - nb))
		hte_count_error(kind);
}

/*
 * Check, before pushing one row, that an arm of n rows has room for it (n
 * + 1 would round back to 2^53 in double precision, so this is checked
 * first).
 */
static inline void
hte_arm_has_room(double n, const char *kind)
{
	if (unlikely(!(n < HTE_MAX_COUNT)))
		hte_count_error(kind);
}

/*
 * The elements of a float8[] aggregate state, after checking its shape: one
 * dimension of `len` elements (the stored form) or `buffered_len` (the form
 * with a buffer of pending rows), no NULLs; *got is set to the length.
 * `kind` names the state in the error ("ate", "interaction_test").
 */
extern double *hte_state_data(ArrayType *a, int len, int buffered_len,
							  const char *kind, int *got);

/*
 * A new float8[] of buffered_len elements, in the current memory context:
 * the `len` elements of s, then zeros (no rows pending).
 */
extern ArrayType *hte_state_buffered_copy(const double *s, int len, int buffered_len);

/*
 * Whether a transition function may update state array a in place without
 * further ado: called by a plain aggregate (Agg node), the array stored
 * plainly (not toasted, which it never is there), one dimension, float8,
 * no NULLs; the caller checks the length.  Skipping AggCheckCallContext and
 * pg_detoast_datum on every row saved 5-7% of ate's time on 10M rows.
 * Anything else (a window aggregate, a direct call, a bad shape) takes the
 * caller's slow path.
 */
static inline bool
hte_state_in_place(FunctionCallInfo fcinfo, ArrayType *a)
{
	return fcinfo->context != NULL && IsA(fcinfo->context, AggState) &&
		!VARATT_IS_EXTENDED(a) && ARR_NDIM(a) == 1 &&
		!ARR_HASNULL(a) && ARR_ELEMTYPE(a) == FLOAT8OID;
}

/*
 * The aggregate memory context of an internal-state support function;
 * elog(ERROR) naming `what` when not called as part of an aggregate.
 */
extern MemoryContext hte_agg_context(FunctionCallInfo fcinfo, const char *what);

/*
 * The new capacity, in rows, of a growable array of `count` rows and
 * capacity `cap` that must take `more` rows of `bytes_per_row` bytes each:
 * doubling (so appending n rows copies O(n) in all), at least 1024, capped
 * so one allocation stays within MaxAllocHugeSize; ERROR "too many rows for
 * <what>" beyond that.
 */
extern Size hte_grow_capacity(Size count, Size cap, Size more, Size bytes_per_row,
							  const char *what);

/* ERROR "invalid <kind> state" with the sentence why as detail. */
pg_noreturn extern void hte_invalid_state(const char *kind, const char *why);

/*
 * The two arms of a float8[] state of interaction_test(y, treated, x)
 * (either form), checked, with pending rows folded in; ERROR if invalid or
 * overflowed.  ate_cuped shares the state.
 */
struct HteArmXY;
extern void hte_it_state_arms(ArrayType *a, struct HteArmXY *arms);

/*
 * The p-value adjustment named by a text (an HtePAdjust); ERROR 22023
 * listing the valid names for an unknown one.
 */
extern int	hte_parse_padjust(text *t);

/*
 * The hte_heterogeneity row (tupdesc) of a result of hte_heterogeneity.h;
 * subgroup.c, shared with heterogeneity_test(estimate, std_error).
 */
struct HteHeterogeneityResult;
extern Datum hte_heterogeneity_row(TupleDesc tupdesc, const struct HteHeterogeneityResult *h);

/*
 * Stored states (stored.c): the stored form of a state of ate, of the
 * three-argument interaction_test and of the covariate moments, checked,
 * pending rows folded in (a new float8[]); and the check of a stored
 * form's n values (NULL when valid, else the sentence why not).
 */
extern ArrayType *hte_ate_stored(ArrayType *a);
extern const char *hte_ate_stored_check(const double *s, size_t n);
extern ArrayType *hte_it_stored(ArrayType *a);
extern const char *hte_it_stored_check(const double *s, size_t n);
extern ArrayType *hte_cov_stored(ArrayType *a);
extern const char *hte_cov_stored_check(const double *s, size_t n);

/*
 * The se_type (an HteSeType) of this row from text argument argno: a cheap
 * comparison with `current` (the state's, or -1 before the first row) when
 * they agree, else a full, case-insensitive parse; ERROR for NULL (22004)
 * or an unknown name (22023, listing the valid ones).
 */
extern int	hte_row_se_type(FunctionCallInfo fcinfo, int argno, int current);

/* ERROR: rows asked for se_types a and b; example: a call with a constant. */
pg_noreturn extern void hte_se_type_mismatch(int a, int b, const char *example);

/* The hte_ate row of a result (ate.c), for the functions that return hte_ate. */
struct HteAteResult;
extern Datum hte_ate_row(FunctionCallInfo fcinfo, const struct HteAteResult *r);

/* The composite result type of the calling function, blessed and cached. */
extern TupleDesc hte_result_tupdesc(FunctionCallInfo fcinfo);

/* Datum of a float8 result field: SQL NULL for NaN (undefined). */
static inline Datum
hte_float8_or_null(double v, bool *isnull)
{
	if (isnan(v))
	{
		*isnull = true;
		return (Datum) 0;
	}
	if (isinf(v))
		hte_overflow_error();
	*isnull = false;
	return Float8GetDatum(v);
}

/* bigint Datum of a row count held in a double (never NULL). */
static inline Datum
hte_count_datum(double n, bool *isnull)
{
	*isnull = false;
	return Int64GetDatum((int64) n);
}

/*
 * The element type of an array-of-composite result (the calling function's
 * declared return type, from pg_proc), its blessed tuple descriptor and
 * storage, cached in fn_extra.
 */
typedef struct HteArrayResult
{
	Oid			elemtype;
	TupleDesc	tupdesc;
	int16		elemlen;
	bool		elembyval;
	char		elemalign;
} HteArrayResult;

extern HteArrayResult *hte_array_result(FunctionCallInfo fcinfo);

/*
 * An hte_estimand row (c: hte_array_result of an hte_estimand[] function):
 * the normal interval with critical value zcrit, z and its two-sided
 * p-value (all three NULL when se is not positive, as ate's), NaN as NULL;
 * link NULL for NULL.
 */
extern Datum hte_estimand_datum(const HteArrayResult *c, const char *name, double estimate,
								double se, double zcrit, double po_treated, double po_control,
								double n_treated, double n_control, const char *method,
								const char *link);

/* ê after an ERROR (22023) unless 0 < ê < 1: the doubly robust score divides by ê and 1 − ê. */
extern double hte_propensity_arg(double e);

/* ERROR (22023): an option (what) that must be constant differs between rows. */
pg_noreturn extern void hte_option_mismatch(const char *what);

/* forest.c: the causal forest's glue (j: a detoasted jsonb) */
struct HteForestOptions;
extern void hte_forest_options_from_jsonb(struct varlena *j, struct HteForestOptions *o);
extern struct varlena *hte_forest_build(const double *rows, uint64 n, int p,
										const struct HteForestOptions *o);

#endif							/* HTE_PG_H */
