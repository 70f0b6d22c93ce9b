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
	T[2][0] = a->m20;
	T[1][1] = a->m11;
	T[0][2] = a->m02;
	T[3][0] = a->m30;
	T[2][1] = a->m21;
	T[1][2] = a->m12;
	T[4][0] = a->m40;
	T[3][1] = a->m31;
	T[2][2] = a->m22;
}

static const double binom[5][5] = {
	{1, 0, 0, 0, 0},
	{1, 1, 0, 0, 0},
	{1, 2, 1, 0, 0},
	{1, 3, 3, 1, 0},
	{1, 4, 6, 4, 1},
};

/*
 * sum_{i<=p, j<=q} C(p,i) C(q,j) sx[i] sy[j] T[p-i][q-j]: the (p,q)
 * co-moment of a set about a point shifted by (s, t) from its means, given
 * the powers sx[i] = s^i, sy[j] = t^j.
 */
static double
shifted(const MomentTable T, const double sx[5], const double sy[3], int p, int q)
{
	double		sum = 0.0;

	for (int i = 0; i <= p; i++)
		for (int j = 0; j <= q; j++)
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
	dx = (b->mx_hi - a->mx_hi) + (b->mx_lo - a->mx_lo);
	dy = (b->my_hi - a->my_hi) + (b->my_lo - a->my_lo);
	wa = a->n / n;
	wb = b->n / n;
	to_table(a, A);
	to_table(b, B);
	/* A's points move by -wb * d relative to the merged mean, B's by wa * d */
	powers(-wb * dx, ax, 4);
	powers(-wb * dy, ay, 2);
	powers(wa * dx, bx, 4);
	powers(wa * dy, by, 2);

#define MERGE(p, q) (shifted(A, ax, ay, p, q) + shifted(B, bx, by, p, q))
	a->m40 = MERGE(4, 0);
	a->m31 = MERGE(3, 1);
	a->m22 = MERGE(2, 2);
	a->m30 = MERGE(3, 0);
	a->m21 = MERGE(2, 1);
	a->m12 = MERGE(1, 2);
	a->m20 = MERGE(2, 0);
	a->m11 = MERGE(1, 1);
	a->m02 = MERGE(0, 2);
#undef MERGE

	hte_dd_add(&a->mx_hi, &a->mx_lo, dx * wb);
	hte_dd_add(&a->my_hi, &a->my_lo, dy * wb);
	a->n = n;
}

void
hte_armxy_push(HteArmXY *a, double x, double y)
{
	HteArmXY	one;

	memset(&one, 0, sizeof(one));
	one.n = 1.0;
	one.mx_hi = x;
	one.my_hi = y;
	hte_armxy_merge(a, &one);
}

bool
hte_armxy_finite(const HteArmXY *a)
{
	return isfinite(a->n) && isfinite(a->mx_hi) && isfinite(a->mx_lo) &&
		isfinite(a->my_hi) && isfinite(a->my_lo) &&
		isfinite(a->m20) && isfinite(a->m11) && isfinite(a->m02) &&
		isfinite(a->m30) && isfinite(a->m21) && isfinite(a->m12) &&
		isfinite(a->m40) && isfinite(a->m31) && isfinite(a->m22);
}

const char *
hte_armxy_check(const HteArmXY *a)
{
	if (!(a->n >= 0.0 && a->n <= 9007199254740992.0) || a->n != floor(a->n))
		return "An arm's row count is not a whole number between 0 and 2^53.";
	if (!hte_armxy_finite(a))
		return "An arm's means or moments are not finite.";
	if (fabs(a->mx_lo) > ldexp(fabs(a->mx_hi), -52) ||
		fabs(a->my_lo) > ldexp(fabs(a->my_hi), -52))
		return "An arm's mean is not a normalized double-double.";
	if (a->m20 < 0.0 || a->m02 < 0.0 || a->m40 < 0.0 || a->m22 < 0.0)
		return "An arm's even central moment is negative.";
	if (a->n <= 1.0)
	{
		if (a->n == 0.0 && (a->mx_hi != 0.0 || a->mx_lo != 0.0 ||
							a->my_hi != 0.0 || a->my_lo != 0.0))
			return "An empty arm has a nonzero mean.";
		if (a->m20 != 0.0 || a->m11 != 0.0 || a->m02 != 0.0 ||
			a->m30 != 0.0 || a->m21 != 0.0 || a->m12 != 0.0 ||
			a->m40 != 0.0 || a->m31 != 0.0 || a->m22 != 0.0)
			return "An arm with fewer than two rows has a nonzero central moment.";
	}
	return NULL;
}
