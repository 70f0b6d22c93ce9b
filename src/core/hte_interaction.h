/*
 * hte_interaction.h — effect modification by a continuous moderator:
 * the fully interacted OLS  y = a + tau T + beta x + gamma T x + e,
 * fitted as the equivalent per-arm simple regressions.
 *
 * Statistics core: no PostgreSQL headers.
 */
#ifndef HTE_INTERACTION_H
#define HTE_INTERACTION_H

#include <stdbool.h>
#include <stddef.h>

#include "hte_comoments.h"

typedef enum HteSeType
{
	HTE_SE_CLASSICAL = 0,
	HTE_SE_HC0,
	HTE_SE_HC1,
	HTE_SE_HC2,
	HTE_SE_HC3
} HteSeType;

#define HTE_SE_NTYPES 5

/* The name of a variance type as SQL shows it ("classical", "HC0", ...). */
const char *hte_se_type_name(HteSeType t);

/* Parse a name (exact, as listed above); false if unknown. */
bool		hte_se_type_parse(const char *name, HteSeType *out);

/*
 * The "meat" of one arm's sandwich, in the arm's centred parametrization
 * (intercept at x = mean x, slope): with u = x - mean x and weights w_i,
 *   s0 = sum w,  s1 = sum u w,  s2 = sum u^2 w,
 * where w = e^2 (HC0, HC1), e^2 / (1 - h) (HC2), e^2 / (1 - h)^2 (HC3).
 */
typedef struct HteMeat
{
	double		s0,
				s1,
				s2;
} HteMeat;

/*
 * The per-arm fit: slope b = M11/M20 and the HC0 meat from the co-moments,
 * expanding e = v - b u:
 *   sum e^2     = M02 - 2b M11 + b^2 M20
 *   sum u e^2   = M12 - 2b M21 + b^2 M30
 *   sum u^2 e^2 = M22 - 2b M31 + b^2 M40
 * Returns false when the slope is undefined (n < 2 or M20 = 0).
 */
bool		hte_armxy_fit(const HteArmXY *a, double *slope, HteMeat *hc0);

/*
 * Add to *meat the HC2 or HC3 weights of `count` rows (x[i], y[i]) of an
 * arm whose full summary is `a` (slope b).  Leverage h = 1/n + u^2 / M20.
 * Returns false if some h >= 1 (the variance is undefined).
 */
bool		hte_meat_hc23_add(const HteArmXY *a, double slope, HteSeType type,
							  const double *x, const double *y, size_t count,
							  HteMeat *meat);

typedef struct HteInteractionResult
{
	double		interaction;	/* gamma = slope_treated - slope_control */
	double		std_error;
	double		ci_lower;
	double		ci_upper;
	double		p_value;
	double		effect_at_zero;	/* tau */
	double		effect_at_zero_se;
	double		effect_at_mean; /* tau + gamma * mean x (all rows) */
	double		effect_at_mean_se;
	double		df;				/* n - 4 */
	double		n_treated;
	double		n_control;
} HteInteractionResult;

/*
 * The result for arms `control` and `treated` (index 0 and 1 of meat).
 * meat holds the arms' meats for HC2/HC3 and is ignored (may be NULL) for
 * the others, which come from the moments.  NaN marks an undefined field
 * (SQL NULL).  Returns false when there are no rows at all.
 */
bool		hte_interaction_compute(const HteArmXY *control, const HteArmXY *treated,
									HteSeType type, const HteMeat *meat,
									double conf_level, HteInteractionResult *out);

#endif							/* HTE_INTERACTION_H */
