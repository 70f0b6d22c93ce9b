/*
 * hte_comoments.c — Pébay's pairwise update of bivariate co-moments.
 */
#include "hte_comoments.h"

#include <math.h>
#include <string.h>

/* The moments as a table T[p][q], p <= 4, q <= 2 (unused cells zero). */
typedef double MomentTable[5][3];

static void
to_table(const HteArmXY *a, MomentTable T)
{
	memset(T, 0, sizeof(MomentTable));
	T[0][0] = a->n;
	T[2][0] = hte_dd_value(a->m20);
	T[1][1] = hte_dd_value(a->m11);
	T[0][2] = hte_dd_value(a->m02);
	T[3][0] = hte_dd_value(a->m30);
	T[2][1] = hte_dd_value(a->m21);
	T[1][2] = hte_dd_value(a->m12);
	T[4][0] = hte_dd_value(a->m40);
	T[3][1] = hte_dd_value(a->m31);
	T[2][2] = hte_dd_value(a->m22);
}

static const double binom[5][5] = {
	{1, 0, 0, 0, 0},
	{1, 1, 0, 0, 0},
	{1, 2, 1, 0, 0},
	{1, 3, 3, 1, 0},
	{1, 4, 6, 4, 1},
};

/*
 * sum_{(i,j) != (0,0), i<=p, j<=q} C(p,i) C(q,j) sx[i] sy[j] T[p-i][q-j]:
 * what shifting a set's deviations by (s, t) adds to its (p,q) co-moment,
 * given the powers sx[i] = s^i, sy[j] = t^j.
 */
static double
shift_terms(const MomentTable T, const double sx[5], const double sy[3], int p, int q)
{
	double		sum = 0.0;

	for (int i = 0; i <= p; i++)
		for (int j = 0; j <= q; j++)
			if (i + j > 0)
				sum += binom[p][i] * binom[q][j] * sx[i] * sy[j] * T[p - i][q - j];
	return sum;
}

static void
powers(double s, double *out, int k)
{
	out[0] = 1.0;
	for (int i = 1; i <= k; i++)
		out[i] = out[i - 1] * s;
}

/* M_pq of the merge: both sides' own sums, compensated, plus the shifts. */
static void
merge_moment(HteDD *m, HteDD mb, double shifts, bool even)
{
	hte_dd_add_dd(m, mb);
	hte_dd_add(m, shifts);
	/* an even moment is >= 0; never let rounding take it below */
	if (even && m->hi < 0.0)
		m->hi = m->lo = 0.0;
}

void
hte_armxy_merge(HteArmXY *a, const HteArmXY *b)
{
	MomentTable A,
				B;
	double		n,
				dx,
				dy,
				wa,
				wb;
	double		ax[5],
				ay[3],
				bx[5],
				by[3];

	if (b->n == 0.0)
		return;
	if (a->n == 0.0)
	{
		*a = *b;
		return;
	}
	n = a->n + b->n;
	dx = hte_dd_diff(b->mx, a->mx);
	dy = hte_dd_diff(b->my, a->my);
	wa = a->n / n;
	wb = b->n / n;
	to_table(a, A);
	to_table(b, B);
	/* A's points move by -wb * d relative to the merged mean, B's by wa * d */
	powers(-wb * dx, ax, 4);
	powers(-wb * dy, ay, 2);
	powers(wa * dx, bx, 4);
	powers(wa * dy, by, 2);

#define SHIFTS(p, q) (shift_terms(A, ax, ay, p, q) + shift_terms(B, bx, by, p, q))
	merge_moment(&a->m40, b->m40, SHIFTS(4, 0), true);
	merge_moment(&a->m31, b->m31, SHIFTS(3, 1), false);
	merge_moment(&a->m22, b->m22, SHIFTS(2, 2), true);
	merge_moment(&a->m30, b->m30, SHIFTS(3, 0), false);
	merge_moment(&a->m21, b->m21, SHIFTS(2, 1), false);
	merge_moment(&a->m12, b->m12, SHIFTS(1, 2), false);
	merge_moment(&a->m20, b->m20, SHIFTS(2, 0), true);
	merge_moment(&a->m11, b->m11, SHIFTS(1, 1), false);
	merge_moment(&a->m02, b->m02, SHIFTS(0, 2), true);
#undef SHIFTS

	hte_dd_add(&a->mx, dx * wb);
	hte_dd_add(&a->my, dy * wb);
	a->n = n;
}

/* The merge with a one-row summary, the generic way: the reference. */
static void
push_by_merge(HteArmXY *a, double x, double y)
{
	HteArmXY	one;

	memset(&one, 0, sizeof(one));
	one.n = 1.0;
	one.mx.hi = x;
	one.my.hi = y;
	hte_armxy_merge(a, &one);
}

/*
 * hte_dd_add(a, x) and hte_dd_add(b, y) at once, the two in the two lanes of
 * a 2-double vector (GCC/Clang vector extensions: SSE2 on x86-64, NEON on
 * ARM64, plain scalar code elsewhere).  Each lane performs exactly
 * hte_dd_add()'s IEEE operations, so the results are the same to the bit;
 * the push does 11 of these, and pairing them saves about a fifth of its time.
 */
typedef double HteV2 __attribute__((vector_size(2 * sizeof(double))));

static inline void
dd_add_pair(HteDD *a, HteDD *b, double x, double y)
{
	HteV2		hi = {a->hi, b->hi},
				lo = {a->lo, b->lo},
				v = {x, y};
	/* hte_two_sum(hi, v) */
	HteV2		s = hi + v;
	HteV2		bp = s - hi;
	HteV2		e = (hi - (s - bp)) + (v - bp);
	/* hte_two_sum(s, lo + e) */
	HteV2		t = lo + e;
	HteV2		s2 = s + t;
	HteV2		bp2 = s2 - s;
	HteV2		e2 = (s - (s2 - bp2)) + (t - bp2);

	a->hi = s2[0];
	a->lo = e2[0];
	b->hi = s2[1];
	b->lo = e2[1];
}

/* merge_moment()'s floor for an even moment. */
static inline void
clamp_even(HteDD *m)
{
	if (m->hi < 0.0)
		m->hi = m->lo = 0.0;
}

/*
 * Adding one row is hte_armxy_merge() with B = {n = 1, mean = (x, y), M = 0},
 * and this is that merge with the terms that are structurally zero left out:
 * B's co-moments, and A's first moments M_10 = M_01 = 0.  Every other
 * operation is the merge's own, on the same operands in the same order
 * (shift_terms() sums ((C(p,i) C(q,j) * sx^i) * sy^j) * T[p-i][q-j] from
 * 0.0, i outer, j inner; a factor 1.0 is exact), so the state is the same
 * to the bit: a left-out term is +-0 (its factors are finite, see the guard
 * below), and adding +-0 to a sum that started at +0.0 changes nothing.
 * Adding B's zero M_pq (hte_dd_add_dd of +0) could at most turn a -0 low
 * part into +0, which the hte_dd_add of the shift that follows does anyway.
 *
 * This is the transition function's hot path: about 4x faster than the
 * generic merge (no tables, no loops over zero cells, paired additions).
 */
void
hte_armxy_push(HteArmXY *a, double x, double y)
{
	double		na = a->n,
				n,
				dx,
				dy,
				wa,
				wb,
				ax1, ax2, ax3, ax4, ay1, ay2,
				bx1, bx2, bx3, bx4, by1, by2;
	double		A20, A11, A02, A30, A21, A12;	/* (M40, M31, M22 enter no shift) */
	double		s40, s31, s22, s30, s21, s12, s20, s11, s02;

	if (na == 0.0)
	{
		push_by_merge(a, x, y);
		return;
	}
	n = na + 1.0;
	dx = (x - a->mx.hi) + (0.0 - a->mx.lo);	/* hte_dd_diff((x, 0), mx) */
	dy = (y - a->my.hi) + (0.0 - a->my.lo);
	wa = na / n;
	wb = 1.0 / n;
	/* powers(), as the merge takes them */
	ax1 = 1.0 * (-wb * dx);
	ay1 = 1.0 * (-wb * dy);
	bx1 = 1.0 * (wa * dx);
	by1 = 1.0 * (wa * dy);

	/*
	 * Guard: with every first power below 1e50 in magnitude, every product
	 * of at most four x powers and two y powers times a binomial is finite,
	 * so the left-out terms are exactly +-0.  Beyond it (or for NaN) take
	 * the generic path, which is the definition.
	 */
	if (!(fabs(ax1) < 1e50 && fabs(ay1) < 1e50 && fabs(bx1) < 1e50 && fabs(by1) < 1e50))
	{
		push_by_merge(a, x, y);
		return;
	}
	ax2 = ax1 * ax1;
	ax3 = ax2 * ax1;
	ax4 = ax3 * ax1;
	ay2 = ay1 * ay1;
	bx2 = bx1 * bx1;
	bx3 = bx2 * bx1;
	bx4 = bx3 * bx1;
	by2 = by1 * by1;

	A20 = hte_dd_value(a->m20);
	A11 = hte_dd_value(a->m11);
	A02 = hte_dd_value(a->m02);
	A30 = hte_dd_value(a->m30);
	A21 = hte_dd_value(a->m21);
	A12 = hte_dd_value(a->m12);

	/* SHIFTS(p, q): A's terms in shift_terms() order, then B's one term */
	s40 = (((0.0 + (4.0 * ax1) * A30) + (6.0 * ax2) * A20) + ax4 * na)
		+ (0.0 + bx4);
	s31 = (((((0.0 + ay1 * A30) + (3.0 * ax1) * A21) + ((3.0 * ax1) * ay1) * A20)
			+ (3.0 * ax2) * A11) + (ax3 * ay1) * na)
		+ (0.0 + bx3 * by1);
	s22 = ((((((0.0 + (2.0 * ay1) * A21) + ay2 * A20) + (2.0 * ax1) * A12)
			 + ((4.0 * ax1) * ay1) * A11) + ax2 * A02) + (ax2 * ay2) * na)
		+ (0.0 + bx2 * by2);
	s30 = ((0.0 + (3.0 * ax1) * A20) + ax3 * na)
		+ (0.0 + bx3);
	s21 = (((0.0 + ay1 * A20) + (2.0 * ax1) * A11) + (ax2 * ay1) * na)
		+ (0.0 + bx2 * by1);
	s12 = (((0.0 + (2.0 * ay1) * A11) + ax1 * A02) + (ax1 * ay2) * na)
		+ (0.0 + bx1 * by2);
	s20 = (0.0 + ax2 * na) + (0.0 + bx2);
	s11 = (0.0 + (ax1 * ay1) * na) + (0.0 + bx1 * by1);
	s02 = (0.0 + ay2 * na) + (0.0 + by2);

	/* M_pq += shift (B's own M_pq are zero), even moments floored at 0 */
	dd_add_pair(&a->m40, &a->m31, s40, s31);
	dd_add_pair(&a->m22, &a->m30, s22, s30);
	dd_add_pair(&a->m21, &a->m12, s21, s12);
	dd_add_pair(&a->m20, &a->m11, s20, s11);
	hte_dd_add(&a->m02, s02);
	clamp_even(&a->m40);
	clamp_even(&a->m22);
	clamp_even(&a->m20);
	clamp_even(&a->m02);

	dd_add_pair(&a->mx, &a->my, dx * wb, dy * wb);
	a->n = n;
}

static bool
dd_finite(HteDD d)
{
	return isfinite(d.hi) && isfinite(d.lo);
}

bool
hte_armxy_finite(const HteArmXY *a)
{
	return dd_finite(a->mx) && dd_finite(a->my) &&
		dd_finite(a->m20) && dd_finite(a->m11) && dd_finite(a->m02) &&
		dd_finite(a->m30) && dd_finite(a->m21) && dd_finite(a->m12) &&
		dd_finite(a->m40) && dd_finite(a->m31) && dd_finite(a->m22);
}

const char *
hte_armxy_check(const HteArmXY *a)
{
	const HteDD *dd[11] = {&a->mx, &a->my, &a->m20, &a->m11, &a->m02, &a->m30,
	&a->m21, &a->m12, &a->m40, &a->m31, &a->m22};
	const char *why = hte_count_check(a->n);

	if (why != NULL)
		return why;
	for (int i = 0; i < 11; i++)
		if (!hte_dd_valid(*dd[i]))
			return "An arm's means or moments are not finite normalized double-doubles.";
	if (a->m20.hi < 0.0 || a->m02.hi < 0.0 || a->m40.hi < 0.0 || a->m22.hi < 0.0)
		return "An arm's even central moment is negative.";
	if (a->n == 0.0 && (a->mx.hi != 0.0 || a->my.hi != 0.0))
		return "An empty arm has a nonzero mean.";
	if (a->n <= 1.0)
		for (int i = 2; i < 11; i++)
			if (dd[i]->hi != 0.0)
				return "An arm with fewer than two rows has a nonzero central moment.";
	return NULL;
}

/*
 * The shift (mx, my) is y[0] + sum (y - y[0]) / k, within the block's range,
 * so the deviations u = x - mx, v = y - my are exact when the values are
 * close (Sterbenz) and small otherwise.  S_pq = sum u^p v^q is then central
 * but for the rounding of the shift: with du = S_10 / k, dv = S_01 / k,
 *
 *   M_pq = sum_{i <= p, j <= q} C(p,i) C(q,j) (-du)^i (-dv)^j S_{p-i,q-j}
 *
 * gives the moments about the exact block mean (mx + du, my + dv), which is
 * kept as a double-double.  Only S_pq with p + q <= 4 and q <= 2 are needed.
 */
void
hte_armxy_push_block(HteArmXY *a, const double *x, const double *y, int k)
{
	double		sx = 0.0,
				sy = 0.0,
				mx,
				my;
	double		s10 = 0.0,
				s01 = 0.0,
				s20 = 0.0,
				s11 = 0.0,
				s02 = 0.0,
				s30 = 0.0,
				s21 = 0.0,
				s12 = 0.0,
				s40 = 0.0,
				s31 = 0.0,
				s22 = 0.0;
	double		du,
				dv,
				du2,
				dv2,
				kd = (double) k;
	HteArmXY	b;

	if (k <= 0)
		return;
	for (int i = 1; i < k; i++)
	{
		sx += x[i] - x[0];
		sy += y[i] - y[0];
	}
	mx = x[0] + sx / kd;
	my = y[0] + sy / kd;
	for (int i = 0; i < k; i++)
	{
		double		u = x[i] - mx,
					v = y[i] - my,
					uu = u * u,
					uv = u * v,
					vv = v * v;

		s10 += u;
		s01 += v;
		s20 += uu;
		s11 += uv;
		s02 += vv;
		s30 += uu * u;
		s21 += uu * v;
		s12 += u * vv;
		s40 += uu * uu;
		s31 += uu * uv;
		s22 += uu * vv;
	}
	du = s10 / kd;
	dv = s01 / kd;
	du2 = du * du;
	dv2 = dv * dv;
	memset(&b, 0, sizeof(b));
	b.n = kd;
	hte_two_sum(mx, du, &b.mx.hi, &b.mx.lo);
	hte_two_sum(my, dv, &b.my.hi, &b.my.lo);
	/* S_00 = k; terms in du, dv from the binomial expansion */
	b.m20.hi = s20 - 2.0 * du * s10 + du2 * kd;
	b.m11.hi = s11 - du * s01 - dv * s10 + du * dv * kd;
	b.m02.hi = s02 - 2.0 * dv * s01 + dv2 * kd;
	b.m30.hi = s30 - 3.0 * du * s20 + 3.0 * du2 * s10 - du2 * du * kd;
	b.m21.hi = s21 - 2.0 * du * s11 - dv * s20 + du2 * s01 + 2.0 * du * dv * s10 - du2 * dv * kd;
	b.m12.hi = s12 - du * s02 - 2.0 * dv * s11 + dv2 * s10 + 2.0 * du * dv * s01 - du * dv2 * kd;
	b.m40.hi = s40 - 4.0 * du * s30 + 6.0 * du2 * s20 - 4.0 * du2 * du * s10 + du2 * du2 * kd;
	b.m31.hi = s31 - 3.0 * du * s21 - dv * s30 + 3.0 * du2 * s11 + 3.0 * du * dv * s20
		- du2 * du * s01 - 3.0 * du2 * dv * s10 + du2 * du * dv * kd;
	b.m22.hi = s22 - 2.0 * du * s12 - 2.0 * dv * s21 + du2 * s02 + dv2 * s20 + 4.0 * du * dv * s11
		- 2.0 * du2 * dv * s01 - 2.0 * du * dv2 * s10 + du2 * dv2 * kd;
	/* even moments are sums of squares: no negative rounding residue */
	if (!(b.m20.hi > 0.0))
		b.m20.hi = 0.0;
	if (!(b.m02.hi > 0.0))
		b.m02.hi = 0.0;
	if (!(b.m40.hi > 0.0))
		b.m40.hi = 0.0;
	if (!(b.m22.hi > 0.0))
		b.m22.hi = 0.0;
	if (k == 1)
		memset(&b.m20, 0, 9 * sizeof(HteDD));
	hte_armxy_merge(a, &b);
}

const char *
hte_it_state_check(const double *state, size_t len)
{
	if (len != HTE_IT_STATE_LEN && len != HTE_IT_BUFFERED_LEN)
		return "The state does not have 47 elements (or 177, with buffered rows).";
	if (state[0] != HTE_IT_STATE_TAG)
		return "The state's layout tag is not that of an interaction_test state, format 1.";
	for (int g = 0; g < 2; g++)
	{
		const HteArmXY *a = hte_it_state_arm((double *) state, g);
		const char *why = hte_armxy_check(a);
		double		k;

		if (why != NULL)
			return why;
		if (len == HTE_IT_STATE_LEN)
			continue;
		k = state[HTE_IT_PENDING(g)];
		if (!(k >= 0.0 && k < HTE_IT_BLOCK) || k != floor(k))
			return "An arm's count of buffered rows is not a whole number between 0 and 31.";
		if (a->n > HTE_MAX_COUNT - k)
			return "An arm's row count with its buffered rows exceeds 2^53.";
		for (int i = 0; i < (int) k; i++)
			if (!isfinite(state[HTE_IT_BUFX(g) + i]) || !isfinite(state[HTE_IT_BUFY(g) + i]))
				return "A buffered value is not finite.";
	}
	return NULL;
}

const char *
hte_it_state_shape(const double *state, size_t len)
{
	if (len != HTE_IT_STATE_LEN && len != HTE_IT_BUFFERED_LEN)
		return "The state does not have 47 elements (or 177, with buffered rows).";
	if (state[0] != HTE_IT_STATE_TAG)
		return "The state's layout tag is not that of an interaction_test state, format 1.";
	if (len == HTE_IT_BUFFERED_LEN)
		for (int g = 0; g < 2; g++)
		{
			double		k = state[HTE_IT_PENDING(g)];

			if (!(k >= 0.0 && k < HTE_IT_BLOCK) || k != floor(k))
				return "An arm's count of buffered rows is not a whole number between 0 and 31.";
		}
	return NULL;
}

void
hte_it_state_fold(const double *state, size_t len, HteArmXY arms[2])
{
	for (int g = 0; g < 2; g++)
	{
		arms[g] = *hte_it_state_arm((double *) state, g);
		if (len == HTE_IT_BUFFERED_LEN)
			hte_armxy_push_block(&arms[g], state + HTE_IT_BUFX(g), state + HTE_IT_BUFY(g),
								 (int) state[HTE_IT_PENDING(g)]);
	}
}
