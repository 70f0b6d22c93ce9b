/*
 * hte_linalg.c — in-order pivoted Cholesky (R's lm aliasing rule), solves,
 * inverse and sandwich products for small dense matrices.  See
 * hte_linalg.h.
 */
#include "hte_linalg.h"

#include <math.h>
#include <stddef.h>

int
hte_chol(const double *A, int k, double tol, double *L, bool *kept)
{
	return hte_chol_ref(A, k, tol, NULL, L, kept);
}

int
hte_chol_ref(const double *A, int k, double tol, const double *ref, double *L, bool *kept)
{
	int			rank = 0;
	bool		finite = true;

	for (int i = 0; i < k && finite; i++)
		for (int j = 0; j <= i; j++)
			if (!isfinite(A[i * k + j]))
			{
				finite = false;
				break;
			}
	for (int j = 0; j < k; j++)
	{
		double		ajj = ref != NULL ? ref[j] : A[j * k + j],
					d = A[j * k + j],
					ljj;

		if (finite)
			for (int m = 0; m < j; m++)
				if (kept[m])
					d -= L[j * k + m] * L[j * k + m];
		/* also catches NaN: a comparison with NaN is false */
		if (!finite || !(ajj > 0.0) || !(A[j * k + j] > 0.0) || !(d > tol * tol * ajj))
		{
			kept[j] = false;
			for (int i = j; i < k; i++)
				L[i * k + j] = 0.0;
			continue;
		}
		kept[j] = true;
		rank++;
		ljj = sqrt(d);
		L[j * k + j] = ljj;
		for (int i = j + 1; i < k; i++)
		{
			double		s = A[i * k + j];

			for (int m = 0; m < j; m++)
				if (kept[m])
					s -= L[i * k + m] * L[j * k + m];
			L[i * k + j] = s / ljj;
		}
	}
	/* the upper triangle is not part of the factor */
	for (int i = 0; i < k; i++)
		for (int j = i + 1; j < k; j++)
			L[i * k + j] = 0.0;
	return rank;
}

void
hte_chol_solve(const double *L, const bool *kept, int k, const double *b, double *x)
{
	/* forward: L z = b over the kept rows (z stored in x) */
	for (int i = 0; i < k; i++)
	{
		double		s;

		if (!kept[i])
			continue;
		s = b[i];
		for (int m = 0; m < i; m++)
			if (kept[m])
				s -= L[i * k + m] * x[m];
		x[i] = s / L[i * k + i];
	}
	/* backward: L' x = z */
	for (int i = k - 1; i >= 0; i--)
	{
		double		s;

		if (!kept[i])
		{
			x[i] = 0.0;
			continue;
		}
		s = x[i];
		for (int m = i + 1; m < k; m++)
			if (kept[m])
				s -= L[m * k + i] * x[m];
		x[i] = s / L[i * k + i];
	}
}

void
hte_chol_inverse(const double *L, const bool *kept, int k, double *Ainv, double *e)
{
	for (int j = 0; j < k; j++)
	{
		if (!kept[j])
		{
			for (int i = 0; i < k; i++)
				Ainv[i * k + j] = Ainv[j * k + i] = 0.0;
			continue;
		}
		for (int i = 0; i < k; i++)
			e[i] = i == j ? 1.0 : 0.0;
		hte_chol_solve(L, kept, k, e, e);
		for (int i = 0; i < k; i++)
			Ainv[i * k + j] = e[i];
	}
	/* symmetric by construction up to rounding: make it exactly so */
	for (int i = 0; i < k; i++)
		for (int j = 0; j < i; j++)
			if (kept[i] && kept[j])
				Ainv[i * k + j] = Ainv[j * k + i] = 0.5 * (Ainv[i * k + j] + Ainv[j * k + i]);
}

void
hte_matvec(const double *M, int k, const double *x, double *y)
{
	for (int i = 0; i < k; i++)
	{
		double		s = 0.0;

		for (int j = 0; j < k; j++)
			s += M[i * k + j] * x[j];
		y[i] = s;
	}
}

void
hte_sandwich(const double *A, const double *B, int k, double *C, double *T)
{
	/* T = A B */
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++)
		{
			double		s = 0.0;

			for (int m = 0; m < k; m++)
				s += A[i * k + m] * B[m * k + j];
			T[i * k + j] = s;
		}
	/* C = T A' */
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++)
		{
			double		s = 0.0;

			for (int m = 0; m < k; m++)
				s += T[i * k + m] * A[j * k + m];
			C[i * k + j] = s;
		}
	for (int i = 0; i < k; i++)
		for (int j = 0; j < i; j++)
			C[i * k + j] = C[j * k + i] = 0.5 * (C[i * k + j] + C[j * k + i]);
}
