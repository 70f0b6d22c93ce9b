/*
 * hte_mvmoments.h — per-arm multivariate central moments of (x_1..x_p, y)
 * up to fourth order, merged pairwise (Pébay's formulas in any dimension).
 *
 * Statistics core: plain C99, no PostgreSQL headers.
 *
 * The fully interacted regression y ~ T * (x_1 + ... + x_p) splits into one
 * regression per arm, and every number its fit, its classical variance and
 * its HC0/HC1 sandwich need is a polynomial in the arm's central moments
 *
 *     M_a = sum_i prod_j (z_ij - mean_j)^a_j,   z = (x_1, ..., x_p, y),
 *
 * over the exponent vectors a of total degree |a| <= 4 whose y-degree is at
 * most 2 (the sandwich's meat sums e^2 z z': degree 2 in y and 2 in x for
 * the residual's square, 2 more in x for z z').  This set of "monomials"
 * is closed under taking divisors, which is what merging needs.  Of its
 * C(p+4,4) + C(p+3,3) + C(p+2,2) members, degree 0 is the count, degree 1
 * the means (central moments of degree 1 are 0), and degrees 2 to 4 the
 * stored moments.
 *
 * Merging two summaries A and B (n = nA + nB, delta = mean_B - mean_A): the
 * deviations of A's rows from the merged mean are those from A's mean plus
 * dA = -(nB/n) delta, B's plus dB = (nA/n) delta, so by the multinomial
 * theorem
 *
 *     M_a = sum_{b <= a} C(a, b) (MA_b dA^(a-b) + MB_b dB^(a-b)),
 *
 * C(a, b) = prod_j C(a_j, b_j), M_0 = n, M_{e_j} = 0 (Pébay, "Formulas
 * for robust, one-pass parallel computation of covariances and
 * arbitrary-order statistical moments", SAND2008-6212; the bivariate case
 * is hte_comoments.h).  Rows are folded in blocks: a block's sums of
 * products of deviations from a shift (the block's mean rounded to double),
 * computed as dot products of columns, enter the same formula with the
 * shift in place of b's mean (its degree-1 sums are then not 0).  Means
 * and moments are compensated double-doubles, as in hte_moments.h.
 */
#ifndef HTE_MVMOMENTS_H
#define HTE_MVMOMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hte_moments.h"

/* The most covariates the moment state takes (see the README: size). */
#define HTE_MV_MAX_P 20

/*
 * The monomial table for p covariates: the variables are x_1..x_p (0..p-1)
 * and y (p).  Monomials are numbered by degree, then lexicographically by
 * their nondecreasing list of variables: 0 is the constant, 1..p+1 the
 * variables, then degrees 2, 3, 4.  Built once per p by hte_mv_table_init
 * into memory the caller provides (hte_mv_table_size bytes).
 */
typedef struct HteMvTable
{
	int			p;
	int			nvars;			/* p + 1 */
	int			count;			/* monomials, degrees 0..4 */
	int			deg_start[6];	/* monomials of degree d: deg_start[d] .. deg_start[d + 1] - 1 */
	uint8_t    *deg;			/* [count] total degree */
	uint8_t    *vars;			/* [count][4] the variables, nondecreasing */
	int32_t    *parent;			/* [count] the monomial without its last var */
	int32_t    *mul;			/* [count][nvars] index of m * var, or -1 */
	/*
	 * For block folding by dot products: a monomial of degree 2 is pair
	 * number m - deg_start[2]; of degree 3 and 4, head is the pair of its
	 * first two variables and tail its last variable (degree 3) or the pair
	 * of its last two (degree 4).
	 */
	int32_t    *head;			/* [count] */
	int32_t    *tail;			/* [count] */
	/* the divisors b of each monomial a with |b| != 1, b != a, for merges */
	int32_t    *div_start;		/* [count + 1] */
	int32_t    *div_b;			/* divisor b */
	int32_t    *div_g;			/* a - b */
	double	   *div_c;			/* C(a, b) */
} HteMvTable;

/* Number of monomials for p covariates: C(p+4,4) + C(p+3,3) + C(p+2,2). */
int			hte_mv_count(int p);

/* Bytes hte_mv_table_init needs for p covariates (1 <= p <= HTE_MV_MAX_P). */
size_t		hte_mv_table_size(int p);

/* Build the table into mem (hte_mv_table_size(p) bytes, 8-byte aligned). */
void		hte_mv_table_init(HteMvTable *t, int p, void *mem);

/* Index of the monomial with the given variables (any order), or -1. */
int			hte_mv_index(const HteMvTable *t, const int *vars, int deg);

/*
 * An arm summary is a flat array of doubles (part of a float8[] state):
 *
 *   [0]                      n, a whole number <= 2^53
 *   [1 .. 2 (p+1)]           means of x_1..x_p, y, each a double-double
 *   then 2 per monomial of degree 2..4, in table order (hi, lo)
 */
static inline size_t
hte_mv_arm_len(const HteMvTable *t)
{
	return 1 + 2 * (size_t) (t->count - 1);
}

/* The double-double mean of variable j. */
static inline HteDD
hte_mv_mean(const HteMvTable *t, const double *arm, int j)
{
	HteDD		m = {arm[1 + 2 * j], arm[2 + 2 * j]};

	(void) t;
	return m;
}

/* The central moment of monomial m (degree >= 2), rounded to double. */
static inline double
hte_mv_moment(const HteMvTable *t, const double *arm, int m)
{
	size_t		o = 1 + 2 * (size_t) (m - 1);

	(void) t;
	return arm[o] + arm[o + 1];
}

/*
 * Merge summary b into a.  work has room for hte_mv_block_work(t) doubles.  The
 * caller checks that the counts fit (hte_counts_fit) and that the result
 * is finite.
 */
void		hte_mv_merge(const HteMvTable *t, double *a, const double *b, double *work);

/*
 * Fold k >= 1 finite rows into a as one block: rows[i * nvars + j] is
 * variable j of row i (x_1..x_p, then y).  work has room for
 * hte_mv_block_work(t) doubles.
 */
void		hte_mv_push_block(const HteMvTable *t, double *a, const double *rows, int k,
							  double *work);
size_t		hte_mv_block_work(const HteMvTable *t);

/*
 * Check an arm as stored: whole count in [0, 2^53], finite normalized
 * double-doubles, even-power moments (all exponents even) >= 0, an empty
 * arm all zeros, a one-row arm with every moment 0.  NULL when valid, else
 * a sentence saying what is wrong.
 */
const char *hte_mv_arm_check(const HteMvTable *t, const double *a);

#endif							/* HTE_MVMOMENTS_H */
