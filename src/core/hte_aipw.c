/*
 * hte_aipw.c — the doubly robust estimands from given nuisances (see
 * hte_aipw.h).
 */
#include "hte_aipw.h"

#include <math.h>

static bool
sums_finite(const HteAipwSums *s, const HteAipwArm *g)
{
	return isfinite(g->aa.hi) && isfinite(g->bb.hi) && isfinite(g->ab.hi) &&
		isfinite(g->gg.hi) && isfinite(g->mg.hi) && isfinite(g->ma.hi) && isfinite(g->mb.hi) && isfinite(g->sy.hi) &&
		isfinite(s->sp.hi);
}

bool
hte_aipw_push(HteAipwSums *s, bool treated, double y, double e,
			  double mu0, double mu1)
{
	double		v[HTE_AIPW_ROW],
				A,
				B,
				P,
				Gm,
				da,
				db,
				dg,
				r,
				ea,
				eb,
				t;
	HteAipwArm *g = &s->arm[treated ? 1 : 0];

	if (!hte_aipw_terms(treated, y, e, mu0, mu1, v))
		return false;
	A = v[0];
	B = v[1];
	P = v[3];
	Gm = A + B;
	da = hte_dd_dev(A, g->ma);
	db = hte_dd_dev(B, g->mb);
	dg = hte_dd_dev(Gm, g->mg);
	g->n += 1.0;
	r = 1.0 / g->n;
	hte_dd_add(&g->ma, da * r);
	hte_dd_add(&g->mb, db * r);
	hte_dd_add(&g->mg, dg * r);
	ea = hte_dd_dev(A, g->ma);
	eb = hte_dd_dev(B, g->mb);
	/* da and ea share a sign in exact arithmetic: clamp as hte_arm_push */
	t = da * ea;
	hte_dd_add(&g->aa, isnan(t) || t > 0.0 ? t : 0.0);
	hte_dd_add(&g->ab, da * eb);
	t = db * eb;
	hte_dd_add(&g->bb, isnan(t) || t > 0.0 ? t : 0.0);
	t = dg * hte_dd_dev(Gm, g->mg);
	hte_dd_add(&g->gg, isnan(t) || t > 0.0 ? t : 0.0);
	hte_dd_add(&g->sy, y);
	hte_dd_add(&s->sp, P);
	return sums_finite(s, g);
}

static void
arm_merge(HteAipwArm *a, const HteAipwArm *b)
{
	double		n,
				da,
				db,
				dg,
				f;

	if (b->n == 0.0)
		return;
	if (a->n == 0.0)
	{
		*a = *b;
		return;
	}
	n = a->n + b->n;
	da = hte_dd_diff(b->ma, a->ma);
	db = hte_dd_diff(b->mb, a->mb);
	dg = hte_dd_diff(b->mg, a->mg);
	f = a->n * (b->n / n);
	hte_dd_add(&a->ma, da * (b->n / n));
	hte_dd_add(&a->mb, db * (b->n / n));
	hte_dd_add(&a->mg, dg * (b->n / n));
	hte_dd_add_dd(&a->aa, b->aa);
	hte_dd_add(&a->aa, da * da * f);
	hte_dd_add_dd(&a->ab, b->ab);
	hte_dd_add(&a->ab, da * db * f);
	hte_dd_add_dd(&a->bb, b->bb);
	hte_dd_add(&a->bb, db * db * f);
	hte_dd_add_dd(&a->gg, b->gg);
	hte_dd_add(&a->gg, dg * dg * f);
	hte_dd_add_dd(&a->sy, b->sy);
	a->n = n;
}

/*
 * The block's means, about a first guess m = v[0] + Σ(v − v[0])/k, are
 * m + Σ(v − m)/k kept as a double-double, and its co-moments the corrected
 * two-pass sums Σ(u − m)(w − m') − Σ(u − m)Σ(w − m')/k (as
 * hte_arm_push_block); then one merge.  Σy and ΣP are added once each.
 */
bool
hte_aipw_push_block(HteAipwSums *s, int g, const double *rows, int k)
{
	HteAipwArm	b = {0};
	double		sa = 0.0,
				sb = 0.0,
				sg = 0.0,
				sy = 0.0,
				sp = 0.0,
				ma,
				mb,
				mg,
				ta = 0.0,
				tb = 0.0,
				tg = 0.0,
				uaa = 0.0,
				uab = 0.0,
				ubb = 0.0,
				ugg = 0.0,
				x;
	const double a0 = rows[0],
				b0 = rows[1],
				g0 = rows[0] + rows[1];

	if (k <= 0)
		return true;
	for (int i = 0; i < k; i++)
	{
		const double *r = rows + i * HTE_AIPW_ROW;

		sa += r[0] - a0;
		sb += r[1] - b0;
		sg += (r[0] + r[1]) - g0;
		sy += r[2];
		sp += r[3];
	}
	ma = a0 + sa / k;
	mb = b0 + sb / k;
	mg = g0 + sg / k;
	for (int i = 0; i < k; i++)
	{
		const double *r = rows + i * HTE_AIPW_ROW;
		double		da = r[0] - ma,
					db = r[1] - mb,
					dg = (r[0] + r[1]) - mg;

		ta += da;
		tb += db;
		tg += dg;
		ugg += dg * dg;
		uaa += da * da;
		uab += da * db;
		ubb += db * db;
	}
	b.n = k;
	hte_two_sum(ma, ta / k, &b.ma.hi, &b.ma.lo);
	hte_two_sum(mb, tb / k, &b.mb.hi, &b.mb.lo);
	hte_two_sum(mg, tg / k, &b.mg.hi, &b.mg.lo);
	x = uaa - ta * (ta / k);
	b.aa.hi = isnan(x) || x > 0.0 ? x : 0.0;	/* NaN (overflow) stays NaN */
	b.ab.hi = uab - ta * (tb / k);
	x = ubb - tb * (tb / k);
	b.bb.hi = isnan(x) || x > 0.0 ? x : 0.0;	/* NaN (overflow) stays NaN */
	x = ugg - tg * (tg / k);
	b.gg.hi = isnan(x) || x > 0.0 ? x : 0.0;	/* NaN (overflow) stays NaN */
	b.sy.hi = sy;
	arm_merge(&s->arm[g], &b);
	hte_dd_add(&s->sp, sp);
	return sums_finite(s, &s->arm[g]);
}

const char *
hte_aipw_state_check(const double *state, size_t len)
{
	const char *why;

	if (len != HTE_AIPW_STATE_LEN && len != HTE_AIPW_BUFFERED_LEN)
		return "An aipw state has 37 numbers (167 with buffered rows).";
	if (state[0] != HTE_AIPW_STATE_TAG)
		return "The state's layout tag is not that of an aipw state, format 1.";
	why = hte_aipw_check((const HteAipwSums *) (state + 1));
	if (why != NULL || len == HTE_AIPW_STATE_LEN)
		return why;
	for (int g = 0; g < 2; g++)
	{
		double		k = state[HTE_AIPW_PENDING(g)];

		if (!(k >= 0.0 && k < HTE_AIPW_BLOCK) || k != floor(k))
			return "A count of pending rows is not a whole number from 0 to 15.";
		if (((const HteAipwSums *) (state + 1))->arm[g].n > 9007199254740992.0 - k)
			return "An arm's row count with its pending rows exceeds 2^53.";
		for (int i = 0; i < (int) k * HTE_AIPW_ROW; i++)
			if (!isfinite(state[HTE_AIPW_BUFFER(g) + i]))
				return "A pending row is not finite.";
	}
	return NULL;
}

bool
hte_aipw_state_fold(const double *state, size_t len, HteAipwSums *out)
{
	*out = *(const HteAipwSums *) (state + 1);
	if (len == HTE_AIPW_BUFFERED_LEN)
		for (int g = 0; g < 2; g++)
			if (!hte_aipw_push_block(out, g, state + HTE_AIPW_BUFFER(g),
									 (int) state[HTE_AIPW_PENDING(g)]))
				return false;
	return hte_aipw_finite(out);
}

void
hte_aipw_merge(HteAipwSums *a, const HteAipwSums *b)
{
	arm_merge(&a->arm[0], &b->arm[0]);
	arm_merge(&a->arm[1], &b->arm[1]);
	hte_dd_add_dd(&a->sp, b->sp);
}

bool
hte_aipw_finite(const HteAipwSums *s)
{
	const double *v = (const double *) s;

	for (int i = 0; i < HTE_AIPW_SUMS_LEN; i++)
		if (!isfinite(v[i]))
			return false;
	return true;
}

const char *
hte_aipw_check(const HteAipwSums *s)
{
	for (int g = 0; g < 2; g++)
	{
		const HteAipwArm *a = &s->arm[g];
		const HteDD *dd[8] = {&a->ma, &a->mb, &a->mg, &a->aa, &a->ab, &a->bb, &a->gg, &a->sy};

		if (!(a->n >= 0.0 && a->n <= 9007199254740992.0) || a->n != floor(a->n))
			return "An arm's row count is not a whole number between 0 and 2^53.";
		for (int i = 0; i < 8; i++)
			if (!hte_dd_valid(*dd[i]))
				return "A sum is not a finite normalized double-double.";
		if (a->aa.hi < 0.0 || a->bb.hi < 0.0 || a->gg.hi < 0.0)
			return "A sum of squares is negative.";
		if (a->n == 0.0)
		{
			for (int i = 0; i < 8; i++)
				if (dd[i]->hi != 0.0 || dd[i]->lo != 0.0)
					return "An empty arm has sums that are not zero.";
		}
		else if (a->n == 1.0 && (a->aa.hi != 0.0 || a->ab.hi != 0.0 || a->bb.hi != 0.0 ||
								 a->gg.hi != 0.0))
			return "A one-row arm has co-moments that are not zero.";
	}
	if (!hte_dd_valid(s->sp))
		return "A sum is not a finite normalized double-double.";
	if (s->arm[0].n + s->arm[1].n == 0.0 && (s->sp.hi != 0.0 || s->sp.lo != 0.0))
		return "A state without rows has sums that are not zero.";
	return NULL;
}

/*
 * Σ (α A + β B + γ)² over an arm: the central quadratic form (clamped at 0,
 * which it is in exact arithmetic) plus n times the squared mean.
 */
static double
arm_ss(const HteAipwArm *g, double alpha, double beta, double gamma)
{
	double		q = alpha * alpha * hte_dd_value(g->aa) +
		2.0 * alpha * beta * hte_dd_value(g->ab) +
		beta * beta * hte_dd_value(g->bb),
				m = alpha * hte_dd_value(g->ma) + beta * hte_dd_value(g->mb) + gamma;

	return fmax(0.0, q) + g->n * m * m;
}

bool
hte_aipw_compute(const HteAipwSums *s, HteAipwEstimand out[4])
{
	const HteAipwArm *c = &s->arm[0],
			   *t = &s->arm[1];
	double		n0 = c->n,
				n1 = t->n,
				n = n0 + n1,
				sa,
				sb,
				ate,
				att,
				atu,
				p1,
				p0,
				ss[4],
				den;

	if (n0 == 0.0 || n1 == 0.0)
		return false;
	sa = n1 * hte_dd_value(t->ma) + n0 * hte_dd_value(c->ma);
	sb = n1 * hte_dd_value(t->mb) + n0 * hte_dd_value(c->mb);
	att = sa / n1;
	atu = sb / n0;
	ate = (n1 * hte_dd_value(t->mg) + n0 * hte_dd_value(c->mg)) / n;
	p1 = n1 / n;
	p0 = n0 / n;
	ss[HTE_AIPW_ATE] = 0.0;
	for (int g = 0; g < 2; g++)
	{
		double		d = hte_dd_value(s->arm[g].mg) - ate;

		ss[HTE_AIPW_ATE] += hte_dd_value(s->arm[g].gg) + s->arm[g].n * d * d;
	}
	ss[HTE_AIPW_ATT] = arm_ss(t, 1.0 / p1, 0.0, -att / p1) + arm_ss(c, 1.0 / p1, 0.0, 0.0);
	ss[HTE_AIPW_ATU] = arm_ss(c, 0.0, 1.0 / p0, -atu / p0) + arm_ss(t, 0.0, 1.0 / p0, 0.0);
	ss[HTE_AIPW_DIFF] = arm_ss(t, 1.0 / p1, -1.0 / p0, -att / p1) +
		arm_ss(c, 1.0 / p1, -1.0 / p0, atu / p0);
	den = (n - 1.0) * n;
	for (int k = 0; k < 4; k++)
		out[k].std_error = sqrt(ss[k] / den);
	out[HTE_AIPW_ATE].estimate = ate;
	out[HTE_AIPW_ATE].po_treated = hte_dd_value(s->sp) / n;
	out[HTE_AIPW_ATE].po_control = out[HTE_AIPW_ATE].po_treated - ate;
	out[HTE_AIPW_ATT].estimate = att;
	out[HTE_AIPW_ATT].po_treated = hte_dd_value(t->sy) / n1;
	out[HTE_AIPW_ATT].po_control = out[HTE_AIPW_ATT].po_treated - att;
	out[HTE_AIPW_ATU].estimate = atu;
	out[HTE_AIPW_ATU].po_control = hte_dd_value(c->sy) / n0;
	out[HTE_AIPW_ATU].po_treated = out[HTE_AIPW_ATU].po_control + atu;
	out[HTE_AIPW_DIFF].estimate = att - atu;
	out[HTE_AIPW_DIFF].po_treated = out[HTE_AIPW_DIFF].po_control = NAN;
	return true;
}
