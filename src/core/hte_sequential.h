/*
 * hte_sequential.h — repeated looks at accumulating data: the asymptotic
 * Gaussian-mixture confidence sequence for a difference in means
 * (Waudby-Smith, Arbour, Sinha, Kennedy & Ramdas 2024) and two-sided
 * group-sequential bounds with Lan–DeMets alpha spending (Lan & DeMets 1983)
 * by recursive numerical integration (Armitage, McPherson & Rowe 1969;
 * Jennison & Turnbull 2000, ch. 19).
 *
 * Statistics core: plain C99, no PostgreSQL headers, no allocation.
 */
#ifndef HTE_SEQUENTIAL_H
#define HTE_SEQUENTIAL_H

#include <stdbool.h>
#include <stddef.h>

#include "hte_quantile.h"		/* HteInterruptFn */

/* ------------------------------------------------------------------------
 * Confidence sequence.  With alpha = 1 - level, rho^2 = (-2 ln alpha +
 * ln(1 - 2 ln alpha)) / planned_n and v = n rho^2, the sequence is
 * estimate -/+ se * sqrt((v + 1)/v * ln((v + 1)/alpha^2)) and the
 * always-valid p-value min(1, sqrt(v + 1) exp(-v z^2 / (2 (v + 1)))).
 * ------------------------------------------------------------------------
 */

/* v = n rho^2 for n rows and planned_n (both > 0), at alpha. */
double		hte_cs_v(double n, double planned_n, double alpha);

/* The half-width factor sqrt((v + 1)/v * ln((v + 1)/alpha^2)). */
double		hte_cs_factor(double v, double alpha);

/* The always-valid p-value for z at v. */
double		hte_cs_p_value(double z, double v);

/*
 * The float8[] state of ate_sequential is ate's state (hte_moments.h) after
 * a header {HTE_SEQ_STATE_TAG, planned_n}, planned_n 0 until the first row.
 */
#define HTE_SEQ_STATE_TAG	4.0
#define HTE_SEQ_HEADER		2

/* Check the header; NULL when valid, else a sentence saying what is wrong. */
const char *hte_seq_header_check(const double *s);

/* Check a whole state of len doubles (header and ate's part). */
const char *hte_seq_state_check(const double *s, size_t len);

/* ------------------------------------------------------------------------
 * Group-sequential bounds
 * ------------------------------------------------------------------------
 */

typedef enum HteSpending
{
	HTE_SPEND_OBRIEN_FLEMING = 0,
	HTE_SPEND_POCOCK = 1
} HteSpending;

#define HTE_SEQ_MAX_LOOKS 100

/* "obrien_fleming" / "pocock" (exact); -1 if unknown. */
int			hte_spending_parse(const char *s);

/* Cumulative two-sided alpha spent at information fraction t in (0, 1]. */
double		hte_alpha_spent(HteSpending f, double alpha, double t);

/*
 * Doubles of scratch memory hte_seq_bounds needs for fractions t[0..K-1]
 * (checked: strictly increasing, in (0, 1]), with grid refinement m.
 */
size_t		hte_seq_bounds_work(const double *t, int K, int m);

/* The default grid refinement: points per standard deviation of an increment. */
#define HTE_SEQ_GRID 40

/*
 * Two-sided symmetric critical values crit[k] for looks at fractions
 * t[0..K-1]: crit[0] from the spending of the first look alone, then each
 * crit[k] such that the probability under no effect of crossing first at
 * look k is the alpha spent between looks k-1 and k.  The densities of the
 * score B(t_k) on the continuation region are carried on a grid of m points
 * per standard deviation of the next increment (Simpson's rule), so the grid
 * scales with sqrt(t_k - t_{k-1}).  An increment of spent alpha that is 0
 * in double precision gives crit = +Infinity.
 */
void		hte_seq_bounds(const double *t, int K, double alpha, HteSpending f, int m,
						   double *crit, double *work, HteInterruptFn check_interrupts);

#endif							/* HTE_SEQUENTIAL_H */
