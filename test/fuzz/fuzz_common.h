/*
 * fuzz_common.h — shared helpers of the libFuzzer harnesses (test/fuzz).
 *
 * A harness aborts (a failure libFuzzer reports with its reproducer) when
 * a parser accepts bytes that break an invariant the SQL glue relies on,
 * or when what it computes from an accepted state is neither a finite
 * number nor NaN ("undefined", SQL NULL) where the glue would not catch
 * it.  ASan and UBSan catch every read outside the input.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/* a result field: NaN (SQL NULL), finite, or ±Inf (the glue's overflow ERROR) */
#define FUZZ_FIELD_OK(x) (isnan(x) || isfinite(x) || isinf(x))

#endif
