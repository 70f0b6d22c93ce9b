/*
 * hte_dml.c — the partially linear model from residualized rows (see
 * hte_dml.h).
 */
#include "hte_dml.h"

#include <math.h>

#include "hte_dist.h"

/* a += x * (hi + lo), each product rounded once */
static inline void
dd_add_scaled(HteDD *a, double x, HteDD b)
{
	hte_dd_add(a, x * b.hi);
	hte_dd_add(a, x * b.lo);
}

/* Move the sums about θ_ref to θ_ref + delta. */
static void
shift(HteDmlSums *s, double delta)
{
	if (delta == 0.0)
		return;
	dd_add_scaled(&s->r, -2.0 * delta, s->c);
	dd_add_scaled(&s->r, delta * delta, s->v4);
	dd_add_scaled(&s->c, -delta, s->v4);
	s->theta += delta;
}

/* The estimate of the sums' rows: Σṽỹ / Σṽ², or 0 while Σṽ² = 0. */
static double
estimate(const HteDmlSums *s)
{
	double		vv = hte_dd_value(s->vv);

	return vv > 0.0 ? hte_dd_value(s->vy) / vv : 0.0;
}

void
hte_dml_push(HteDmlSums *s, double ytil, double vtil)
{
	double		vv = vtil * vtil,
				e;

	s->n += 1.0;
	hte_dd_add(&s->vv, vv);
	hte_dd_add(&s->vy, vtil * ytil);
	shift(s, estimate(s) - s->theta);
	e = ytil - s->theta * vtil;
	hte_dd_add(&s->r, vv * (e * e));
	hte_dd_add(&s->c, vv * (vtil * e));
	hte_dd_add(&s->v4, vv * vv);
}

void
hte_dml_merge(HteDmlSums *a, const HteDmlSums *b)
{
	HteDmlSums	bb = *b;
	double		theta;

	if (b->n == 0.0)
		return;
	if (a->n == 0.0)
	{
		*a = *b;
		return;
	}
	hte_dd_add_dd(&a->vv, b->vv);
	hte_dd_add_dd(&a->vy, b->vy);
	theta = estimate(a);
	shift(a, theta - a->theta);
	shift(&bb, theta - bb.theta);
	a->n += b->n;
	hte_dd_add_dd(&a->r, bb.r);
	hte_dd_add_dd(&a->c, bb.c);
	hte_dd_add_dd(&a->v4, bb.v4);
}

const char *
hte_dml_check(const HteDmlSums *s)
{
	const HteDD *sums[5] = {&s->vv, &s->vy, &s->r, &s->c, &s->v4};

	if (!(s->n >= 0.0 && s->n <= 9007199254740992.0) || s->n != floor(s->n))
		return "The row count is not a whole number between 0 and 2^53.";
	if (!isfinite(s->theta))
		return "The running estimate is not finite.";
	for (int i = 0; i < 5; i++)
		if (!hte_dd_valid(*sums[i]))
			return "A sum is not a finite normalized double-double.";
	if (s->vv.hi < 0.0 || s->v4.hi < 0.0)
		return "A sum of squares is negative.";
	if (s->n == 0.0)
	{
		if (s->theta != 0.0)
			return "A state without rows has a running estimate that is not zero.";
		for (int i = 0; i < 5; i++)
			if (sums[i]->hi != 0.0 || sums[i]->lo != 0.0)
				return "A state without rows has sums that are not zero.";
	}
	return NULL;
}

void
hte_dml_compute(const HteDmlSums *s, double conf_level, HteDmlResult *out)
{
	double		vv = hte_dd_value(s->vv),
				theta,
				z;
	HteDmlSums	at = *s;

	out->n = s->n;
	out->estimate = out->std_error = out->ci_lower = out->ci_upper = out->p_value = NAN;
	if (s->n == 0.0 || !(vv > 0.0))
		return;
	theta = hte_dd_value(s->vy) / vv;
	out->estimate = theta;
	/* the sums about the final estimate (a rounding away from θ_ref) */
	shift(&at, theta - at.theta);
	out->std_error = sqrt(fmax(0.0, hte_dd_value(at.r))) / vv;
	if (!(out->std_error > 0.0))
		return;
	z = hte_qnorm((1.0 - conf_level) / 2.0, false);
	out->ci_lower = theta - z * out->std_error;
	out->ci_upper = theta + z * out->std_error;
	out->p_value = 2.0 * hte_pnorm(-fabs(theta / out->std_error), true);
}
