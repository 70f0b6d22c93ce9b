/*
 * hte.h — PostgreSQL glue shared by the hte aggregates.
 */
#ifndef HTE_PG_H
#define HTE_PG_H

#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "access/tupdesc.h"

/* The confidence level for intervals, validated; ERROR if it is not usable. */
extern double hte_get_confidence_level(void);

/* ERROR unless y is finite; what names the argument ("outcome", "moderator"). */
static inline void
hte_check_finite(double y, const char *what)
{
	if (unlikely(isinf(y) || isnan(y)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s value %s is not finite", what,
						isnan(y) ? "NaN" : (y > 0 ? "Infinity" : "-Infinity")),
				 errdetail("hte statistics are defined for finite values only."),
				 errhint("Exclude such rows, e.g. WHERE y NOT IN ('NaN', 'Infinity', '-Infinity') for a float8 column y.")));
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

/* ERROR for a result that overflowed although its inputs were finite. */
extern void hte_overflow_error(void) pg_attribute_noreturn();

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

#endif							/* HTE_PG_H */
