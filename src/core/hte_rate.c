/*
 * hte_rate.c — the rank-weighted average treatment effect (see hte_rate.h).
 */
#include "hte_rate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHUNK 65536

int
hte_rate_target_parse(const char *s)
{
	if (strcasecmp(s, "AUTOC") == 0)
		return HTE_RATE_AUTOC;
	if (strcasecmp(s, "QINI") == 0)
		return HTE_RATE_QINI;
	return -1;
}

const char *
hte_rate_target_name(HteRateTarget t)
{
	return t == HTE_RATE_QINI ? "QINI" : "AUTOC";
}

static int
by_priority_desc(const void *a, const void *b)
{
	double		sa = ((const double *) a)[1],
				sb = ((const double *) b)[1];

	return sa > sb ? -1 : sa < sb ? 1 : 0;
}

void
hte_rate_sort(double *rows, size_t n)
{
	qsort(rows, n, 2 * sizeof(double), by_priority_desc);
}

/* n c_k for sorted position k (1-based): the estimate is Σ c_k Γ̄_k. */
static inline double
position_weight(HteRateTarget target, double k, double n, double hn_minus_hk1)
{
	if (target == HTE_RATE_AUTOC)
		return hn_minus_hk1 - 1.0;	/* H_n − H_{k−1} − 1 */
	return (n - k + 1.0) / n - (n + 1.0) / (2.0 * n);
}

/* the weight function w(u) of the estimand E[w(U) Γ] */
static inline double
weight_fn(HteRateTarget target, double u)
{
	return target == HTE_RATE_AUTOC ? -log(u) - 1.0 : 0.5 - u;
}

/* The end of the group of tied priorities that starts at lo. */
static size_t
group_end(const double *rows, size_t lo, size_t n)
{
	size_t		hi = lo + 1;

	while (hi < n && rows[2 * hi + 1] == rows[2 * lo + 1])
		hi++;
	return hi;
}

bool
hte_rate_compute(const double *rows, size_t n, HteRateTarget target,
				 HteRateInterruptFn chk, HteRateResult *out)
{
	double		dn = (double) n,
				total = 0.0,
				ate,
				est = 0.0,
				cum = 0.0,
				hn = 0.0,
				K = 0.0,
				tail,
				ss = 0.0;
	size_t		lo,
				hi,
				G = 0;

	out->n = dn;
	out->estimate = out->std_error = NAN;
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		total += rows[2 * i];
	ate = total / dn;
	/* H_n by summing from the smallest terms */
	for (size_t k = n; k >= 1; k--)
		hn += 1.0 / (double) k;

	/*
	 * Pass 1: the estimate, grf's way (cumulative sums of group-averaged
	 * scores), and K = Σ_{g<G} P_g D_g with D_g = w(P_g)(m_g − m_{g+1}).
	 */
	for (lo = 0; lo < n; lo = hi)
	{
		double		m,
					s = 0.0;

		if (chk != NULL && (G % CHUNK) == 0)
			chk();
		hi = group_end(rows, lo, n);
		for (size_t i = lo; i < hi; i++)
			s += rows[2 * i];
		m = s / (double) (hi - lo);
		for (size_t i = lo; i < hi; i++)
		{
			double		k = (double) (i + 1),
						toc;

			cum += m;
			toc = cum / k - ate;
			est += target == HTE_RATE_AUTOC ? toc : (k / dn) * toc;
		}
		if (hi < n)
		{
			size_t		hi2 = group_end(rows, hi, n);
			double		s2 = 0.0,
						P = (double) hi / dn;

			for (size_t i = hi; i < hi2; i++)
				s2 += rows[2 * i];
			K += P * weight_fn(target, P) * (m - s2 / (double) (hi2 - hi));
		}
		G++;
	}
	out->estimate = est / dn;
	if (!isfinite(out->estimate) || !isfinite(K))
		return false;
	if (n < 2)
		return true;

	/*
	 * Pass 2, from the last group up: the suffix sums Σ_{g >= h, g < G} D_g,
	 * each group's mean weight and its within-group sum of squares.
	 */
	tail = 0.0;
	{
		/* H_{k−1} for k = n + 1 .. down: start at H_n and subtract */
		double		h_prev = hn;	/* H_{hi} for the current group's end */
		size_t		end = n;

		while (end > 0)
		{
			size_t		start = end - 1;
			double		s = 0.0,
						m,
						wsum = 0.0,
						within = 0.0,
						omega,
						T;

			if (chk != NULL && (G % CHUNK) == 0)
				chk();
			G--;
			while (start > 0 && rows[2 * (start - 1) + 1] == rows[2 * end - 1])
				start--;
			for (size_t i = start; i < end; i++)
				s += rows[2 * i];
			m = s / (double) (end - start);
			for (size_t i = end; i > start; i--)
			{
				/* position k = i (1-based): H_n − H_{k−1} */
				double		d = rows[2 * (i - 1)] - m;

				within += d * d;
				h_prev -= 1.0 / (double) i;	/* now H_{i−1} */
				wsum += position_weight(target, (double) i, dn, hn - h_prev);
			}
			omega = wsum / (double) (end - start);
			if (end < n)
			{
				size_t		e2 = end + 1;
				double		s2 = 0.0,
							P = (double) end / dn;

				while (e2 < n && rows[2 * e2 + 1] == rows[2 * end + 1])
					e2++;
				for (size_t i = end; i < e2; i++)
					s2 += rows[2 * i];
				tail += weight_fn(target, P) * (m - s2 / (double) (e2 - end));
			}
			T = tail - K;
			ss += omega * omega * within + (double) (end - start) * T * T;
			end = start;
		}
	}
	out->std_error = sqrt(ss / (dn * (dn - 1.0)));
	if (!isfinite(out->std_error))
		return false;
	return true;
}
