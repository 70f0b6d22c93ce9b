/*
 * hte_comoments.h — per-arm bivariate central co-moments of (x, y) up to
 * fourth order, updated and merged with Pébay's pairwise formulas.
 *
 * Statistics core: plain C99, no PostgreSQL headers.
 *
 * For an arm with n rows, means mx, my and deviations u = x - mx,
 * v = y - my, the summary keeps M_pq = sum u^p v^q for
 *
 *   (p, q) in (2,0) (1,1) (0,2) (3,0) (2,1) (1,2) (4,0) (3,1) (2,2)
 *
 * which is exactly what the classical, HC0 and HC1 variances of a simple
 * regression of y on x need (see hte_interaction.c).  M_00 = n and
 * M_10 = M_01 = 0 by definition.
 *
 * Merging (Pébay, "Formulas for robust, one-pass parallel computation of
 * covariances and arbitrary-order statistical moments", Sandia report
 * SAND2008-6212, the bivariate case): with n = nA + nB and
 * dx = mxB - mxA, dy = myB - myA, the deviations of A's points from the
 * merged means are u - (nB/n) dx and v - (nB/n) dy, those of B's points
 * u + (nA/n) dx and v + (nA/n) dy, so by the binomial theorem
 *
 *   M_pq = MA_pq + MB_pq
 *        + sum_{(i,j) != (0,0), i<=p, j<=q} C(p,i) C(q,j)
 *            [ (-nB dx/n)^i (-nB dy/n)^j MA_{p-i,q-j} + (nA dx/n)^i (nA dy/n)^j MB_{p-i,q-j} ].
 *
 * Adding one row is the merge with B = {n = 1, mean = (x, y), M = 0}, so a
 * single code path serves the transition and the combine function.  Means
 * and moments are compensated double-doubles as in hte_moments.h, so that
 * deviations stay accurate when |mean| >> spread (x around 1e6 +- 1, y
 * around 1e9) and the sums do not drift with the number or order of rows.
 */
#ifndef HTE_COMOMENTS_H
#define HTE_COMOMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "hte_moments.h"

typedef struct HteArmXY
{
	double		n;
	HteDD		mx;				/* mean of x */
	HteDD		my;				/* mean of y */
	HteDD		m20,
				m11,
				m02;
	HteDD		m30,
				m21,
				m12;
	HteDD		m40,
				m31,
				m22;
} HteArmXY;

#define HTE_ARMXY_LEN 23
_Static_assert(sizeof(HteArmXY) == HTE_ARMXY_LEN * sizeof(double), "HteArmXY must be packed doubles");

/* Merge summary b into a. */
void		hte_armxy_merge(HteArmXY *a, const HteArmXY *b);

/* Add one (x, y) row; the caller checks both are finite. */
void		hte_armxy_push(HteArmXY *a, double x, double y);

/*
 * Fold the k >= 0 finite rows (x[i], y[i]) into a as one block: the block's
 * sums of u^p v^q about a shift (the block's mean rounded to double) by
 * plain summation, converted exactly (binomial theorem) to central
 * co-moments about the block's double-double mean, then merged.  The
 * caller checks the count and that the result is finite.
 */
void		hte_armxy_push_block(HteArmXY *a, const double *x, const double *y, int k);

/*
 * The state of the three-argument interaction_test as it is stored: a flat
 * float8[] of HTE_IT_STATE_LEN = 47 doubles, the layout tag and the two
 * arms (control, treated).  Inside an aggregate, once a state has 64 rows,
 * it takes a longer form with room for a block of rows per arm, folded in
 * HTE_IT_BLOCK at a time (hte_armxy_push_block):
 *
 *   [0..46]     as stored
 *   [47], [48]  rows pending in the control and the treated buffer, a whole
 *               number 0 <= k < HTE_IT_BLOCK
 *   then per arm HTE_IT_BLOCK x values and HTE_IT_BLOCK y values (the
 *   first k pending).
 */
#define HTE_IT_STATE_TAG	2.0
#define HTE_IT_STATE_LEN	(1 + 2 * HTE_ARMXY_LEN)
#define HTE_IT_BLOCK		32
#define HTE_IT_BUFFERED_LEN	(HTE_IT_STATE_LEN + 2 + 4 * HTE_IT_BLOCK)
#define HTE_IT_PENDING(arm)	(HTE_IT_STATE_LEN + (arm))
#define HTE_IT_BUFX(arm)	(HTE_IT_STATE_LEN + 2 + 2 * HTE_IT_BLOCK * (arm))
#define HTE_IT_BUFY(arm)	(HTE_IT_BUFX(arm) + HTE_IT_BLOCK)

static inline HteArmXY *
hte_it_state_arm(double *state, int arm)
{
	return (HteArmXY *) (state + 1 + HTE_ARMXY_LEN * arm);
}

/*
 * Check a state of either form (len 47 or 177): the tag, both arms, and
 * for the buffered form the pending counts (whole, < HTE_IT_BLOCK, the
 * count with them within 2^53) and the pending values (finite).  Returns
 * NULL when valid, else a sentence saying what is wrong.
 */
const char *hte_it_state_check(const double *state, size_t len);

/*
 * The part of that check that guards memory: the length, the tag and the
 * pending counts, not the arms' contents.  For states whose contents were
 * checked when they were made (values of hte_interaction_state, which only
 * its input functions and hte's aggregates make).
 */
const char *hte_it_state_shape(const double *state, size_t len);

/* The two arms of a checked state, with any pending rows folded in. */
void		hte_it_state_fold(const double *state, size_t len, HteArmXY arms[2]);

/* true when every number of the summary is finite. */
bool		hte_armxy_finite(const HteArmXY *a);

/*
 * Check an arm as stored: whole count in [0, 2^53], finite normalized
 * double-doubles, the even moments M20, M02, M40, M22 >= 0, an empty arm
 * all zeros, a one-row arm with all M = 0.  Returns NULL when valid, else a
 * sentence saying what is wrong.
 */
const char *hte_armxy_check(const HteArmXY *a);

#endif							/* HTE_COMOMENTS_H */
