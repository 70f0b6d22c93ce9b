/*
 * hte_quantile.h -- exact quantiles, quantile treatment effects and the
 * homogeneity tests of qte() and homogeneity_test().
 *
 * Plain C99, no PostgreSQL headers.  The caller owns every buffer: nothing
 * here allocates, so a check_interrupts callback may leave by longjmp (as
 * PostgreSQL's CHECK_FOR_INTERRUPTS does) without leaking.
 *
 * Quantiles are those of PostgreSQL's percentile_cont (R type 7): with n
 * sorted values x[0..n-1] and pos = q (n - 1), Q(q) = x[lo] + (pos - lo)
 * (x[lo+1] - x[lo]), lo = floor(pos), computed with exactly the operations
 * percentile_cont uses, so the two agree bit for bit.
 *
 * Undefined statistics are NaN; the SQL glue turns NaN into NULL.
 */
#ifndef HTE_QUANTILE_H
#define HTE_QUANTILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Called about every HTE_QUANTILE_TICK element operations; may not return. */
typedef void (*HteInterruptFn) (void);

#define HTE_QUANTILE_TICK	(1 << 20)

/*
 * Rearrange x[0..n-1] so that x[r] holds the order statistic of rank r
 * (0-based) for every r in ranks[0..nranks-1] (sorted ascending, unique,
 * each < n).  Multiple quickselect with Hoare partitions (median-of-three or
 * ninther pivots), heapsort fallback past 2 log2(n) levels: O(n log nranks)
 * expected, O(n log n) worst case.  The multiset of values is unchanged.
 */
void		hte_multiselect(double *x, size_t n, const size_t *ranks, size_t nranks,
							HteInterruptFn check_interrupts);


/*
 * The ranks that hte_quantile_at() reads for q in [0, 1]: writes 1 or 2
 * ranks to out and returns how many.
 */
int			hte_quantile_ranks(double q, size_t n, size_t out[2]);

/* Q(q) of x[0..n-1], n >= 1, after the ranks of hte_quantile_ranks() are in place. */
double		hte_quantile_at(const double *x, size_t n, double q);

/* The Hall-Sheather bandwidth h for n values at q, z = qnorm(1 - alpha/2). */
double		hte_hall_sheather(double q, double n, double z);

/* The levels q_lo = max(q - h, 0), q_hi = min(q + h, 1) of the sparsity at q. */
void		hte_sparsity_levels(double q, double n, double z, double *q_lo, double *q_hi);

/*
 * Sort ranks[0..*nranks-1] and drop duplicates (in place), for
 * hte_multiselect().
 */
void		hte_ranks_unique(size_t *ranks, size_t *nranks);

/* The quantiles, sparsities and moments qte/homogeneity_test need of one arm. */
typedef struct HteArmQuantiles
{
	double		n;				/* count */
	double		quantile;		/* Q(q) (NaN when n == 0) */
	double		sparsity;		/* (Q(q_hi) - Q(q_lo)) / (q_hi - q_lo); NaN if undefined */
} HteArmQuantiles;

/*
 * Quantile and sparsity of arm x[0..n-1] at each q[0..nq-1] (n may be 0),
 * z = qnorm(1 - alpha/2).  Rearranges x.  ranks is scratch space of at
 * least 6 nq elements.  Sparsity is NaN when n < 2 or when q is 0 or 1
 * (the bandwidth is 0 there).
 */
void		hte_arm_quantiles(double *x, size_t n, const double *q, int nq, double z,
							  size_t *ranks, HteArmQuantiles *out,
							  HteInterruptFn check_interrupts);

typedef struct HteQteResult
{
	double		quantile;
	double		estimate;
	double		quantile_treated;
	double		quantile_control;
	double		std_error;
	double		ci_lower;
	double		ci_upper;
	double		p_value;
	double		n_treated;
	double		n_control;
} HteQteResult;

/* The QTE at q from both arms' quantiles; level the confidence level. */
void		hte_qte_compute(double q, const HteArmQuantiles *treated,
							const HteArmQuantiles *control, double level,
							HteQteResult *out);

/* Sample mean and variance (n - 1) of x[0..n-1]: two passes, compensated. */
void		hte_mean_var(const double *x, size_t n, double *mean, double *var,
						 HteInterruptFn check_interrupts);

#define HTE_FLAT_K	9			/* q = 0.1, ..., 0.9 */

typedef struct HteHomogeneityResult
{
	double		variance_treated;
	double		variance_control;
	double		variance_ratio;
	double		variance_ratio_p_value;
	double		ite_sd_lower;
	double		ite_sd_upper;
	double		qte_flatness_statistic;
	double		qte_flatness_df;
	double		qte_flatness_p_value;
} HteHomogeneityResult;

/*
 * homogeneity_test from the arms' values (rearranged), level the
 * confidence level (it sets the Hall-Sheather bandwidth).
 */
void		hte_homogeneity_compute(double *treated, size_t n1, double *control, size_t n0,
									double level, HteHomogeneityResult *out,
									HteInterruptFn check_interrupts);

/*
 * The Wald statistic that the k values d[] are all equal, with covariance
 * S (k x k, row-major), through the successive-difference contrast; NaN
 * when the contrasts' covariance is singular.  k <= HTE_FLAT_K.
 */
double		hte_equality_wald(const double *d, const double *S, int k);

/* ------------------------------------------------------------------------
 * Serialized state (bytea payload), native byte order:
 *   uint32 magic HTE_QSTATE_MAGIC, uint32 version 1, uint32 kind,
 *   uint32 nq, uint64 n_control, uint64 n_treated,
 *   nq doubles q (each in [0, 1]), n_control doubles, n_treated doubles
 *   (each finite).
 */
#define HTE_QSTATE_MAGIC	0x68746551	/* "hteQ" */
#define HTE_QSTATE_VERSION	1
#define HTE_QSTATE_HEADER	32

typedef enum HteQStateKind
{
	HTE_QSTATE_QTE = 0,			/* qte(y, t, q float8): nq == 1 */
	HTE_QSTATE_QTE_ARRAY = 1,	/* qte(y, t, q float8[]): nq >= 1 */
	HTE_QSTATE_HOMOGENEITY = 2	/* homogeneity_test(y, t): nq == 0 */
} HteQStateKind;

#define HTE_QSTATE_MAX_NQ	(1u << 24)

typedef struct HteQStateHeader
{
	uint32_t	kind;
	uint32_t	nq;
	uint64_t	n[2];			/* control, treated */
	size_t		q_offset;		/* byte offsets into the payload */
	size_t		values_offset[2];
} HteQStateHeader;

/*
 * Size of the payload for the given header fields, or 0 when it would
 * exceed max_bytes (or overflow size_t).
 */
size_t		hte_qstate_size(uint32_t nq, uint64_t n0, uint64_t n1, size_t max_bytes);

/* Write the header (32 bytes) of a payload. */
void		hte_qstate_write_header(unsigned char *buf, uint32_t kind, uint32_t nq,
									uint64_t n0, uint64_t n1);

/*
 * Validate a payload of len bytes completely (header, version, kind, counts
 * against the length, every q in [0, 1], every value finite) and fill hdr.
 * Returns NULL when valid, else a sentence saying what is wrong.
 */
const char *hte_qstate_parse(const unsigned char *buf, size_t len, HteQStateHeader *hdr,
							 HteInterruptFn check_interrupts);

#endif							/* HTE_QUANTILE_H */
