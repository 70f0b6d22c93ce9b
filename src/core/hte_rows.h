/*
 * hte_rows.h — the kept-row state of cate_projection, calibration_test and
 * rate: a kind, an option, a row width and n rows of doubles, with one
 * serialized form (for parallel workers) and one validation.
 *
 * Statistics core: plain C99, no PostgreSQL headers.
 *
 * cate_projection with the classical, HC0 or HC1 covariance and 1 to
 * HTE_MV_MAX_P covariates keeps no rows but one summary of central moments
 * up to degree 4 (hte_mvmoments.h: the count, then compensated means and
 * moments): one pass, memory independent of the rows.
 *
 * Serialized: a 16-byte header, then (causal_forest) its options, then
 * n·width doubles (the moment form: the
 * summary's hte_mv_arm_len doubles) in the machine's order (a serialized
 * state travels from a parallel worker to its leader):
 *   [0] HTE_ROWS_VERSION  [1] kind  [2] option  [3] 0
 *   [4..7] width (uint32)  [8..15] n (uint64)
 * Every field and every value is checked before a state is used: the kind
 * and its option, the width the kind allows, the length against n, and
 * each row's values (finite, in the ranges the kind's transition function
 * lets through).
 */
#ifndef HTE_ROWS_H
#define HTE_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTE_ROWS_VERSION	1
#define HTE_ROWS_HEADER		16

typedef enum HteRowsKind
{
	HTE_ROWS_PROJECTION = 1,	/* (Γ, a₁..a_p), option: se_type */
	HTE_ROWS_CALIBRATION = 2,	/* (y − m̂, T − ê, τ̂), option 0 */
	HTE_ROWS_RATE = 3,			/* (Γ, priority), option: target */
	HTE_ROWS_PROJECTION_MOMENTS = 4,	/* no rows: the central moments of
										 * (a₁..a_p, Γ), option: classical,
										 * HC0 or HC1 */
	HTE_ROWS_FOREST = 5			/* (y, T, x₁..x_p), option 0; the
								 * forest's options
								 * (HTE_FOREST_OPT_BYTES) between the
								 * header and the rows */
} HteRowsKind;

#define HTE_ROWS_MAX_P 100		/* covariates of cate_projection */

typedef struct HteRowsHeader
{
	int			kind;			/* an HteRowsKind */
	int			option;
	int			width;			/* 0 before the first row (projection) */
	uint64_t	n;
} HteRowsHeader;

/* The row width of a kind (projection: -1, it is 1 + p). */
int			hte_rows_kind_width(int kind);

/* Doubles of the moment form's summary for p covariates. */
size_t		hte_rows_moments_len(int p);

/* NULL when h is a valid header (n rows of h->width), else why not. */
const char *hte_rows_header_check(const HteRowsHeader *h);

/* NULL when the row's values are valid for the kind, else why not. */
const char *hte_rows_row_check(const HteRowsHeader *h, const double *row);

void		hte_rows_write_header(unsigned char *out, const HteRowsHeader *h);

typedef void (*HteRowsInterruptFn) (void);

/* Bytes between the header and the rows (the forest's options). */
size_t		hte_rows_prefix(int kind);

/*
 * Parse and check len bytes: the header into *h and, when valid, *rows
 * pointing at the first double (unaligned in general: copy before use).
 * NULL when valid, else why not.  The moment form's summary is checked by
 * the caller (hte_mv_arm_check needs the monomial table), and its count
 * against h->n.
 */
const char *hte_rows_parse(const unsigned char *in, size_t len, HteRowsHeader *h,
						   const unsigned char **rows, HteRowsInterruptFn chk);

#endif							/* HTE_ROWS_H */
