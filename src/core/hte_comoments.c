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

void
hte_armxy_push(HteArmXY *a, double x, double y)
{
	HteArmXY	one;

	memset(&one, 0, sizeof(one));
	one.n = 1.0;
	one.mx.hi = x;
	one.my.hi = y;
	hte_armxy_merge(a, &one);
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
