/*
 * hte_rate.c — the rank-weighted average treatment effect (see hte_rate.h).
 */
#include "hte_rate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hte_moments.h"

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
				K = 0.0,
				tail = 0.0,
				wtot = 0.0,
				ss = 0.0;
	HteDD		hsuf = {0.0, 0.0};	/* H_n − H_{k−1} = Σ_{i=k..n} 1/i */
	size_t		lo,
				hi,
				end,
				count = 0;

	out->n = dn;
	out->estimate = out->std_error = NAN;
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		total += rows[2 * i];
	ate = total / dn;

	/* pass 1: K = Σ_{g<G} P_g D_g, D_g = w(P_g)(m_g − m_{g+1}) */
	for (lo = 0; lo < n; lo = hi)
	{
		double		s = 0.0;

		if (chk != NULL && (++count % CHUNK) == 0)
			chk();
		hi = group_end(rows, lo, n);
		for (size_t i = lo; i < hi; i++)
			s += rows[2 * i];
		if (hi < n)
		{
			size_t		hi2 = group_end(rows, hi, n);
			double		s2 = 0.0,
						P = (double) hi / dn;

			for (size_t i = hi; i < hi2; i++)
				s2 += rows[2 * i];
			K += P * weight_fn(target, P) * (s / (double) (hi - lo) - s2 / (double) (hi2 - hi));
		}
	}
	if (!isfinite(K))
		return false;

	/*
	 * Pass 2, from the last group up: each group's weight Σ n c_k over its
	 * positions (the harmonic tails summed from the smallest term), the
	 * estimate Σ_g (m_g − mean Γ) Σ_{k∈g} c_k (Σ c_k = 0, so subtracting the
	 * mean changes nothing but the rounding: one group gives exactly 0), the
	 * suffix sums Σ_{g >= h, g < G} D_g and the sum of squared influences.
	 */
	for (end = n; end > 0;)
	{
		size_t		start = end - 1;
		double		s = 0.0,
					m,
					wsum = 0.0,
					within = 0.0,
					omega,
					T,
					cnt;

		if (chk != NULL && (++count % CHUNK) == 0)
			chk();
		while (start > 0 && rows[2 * (start - 1) + 1] == rows[2 * end - 1])
			start--;
		cnt = (double) (end - start);
		for (size_t i = start; i < end; i++)
			s += rows[2 * i];
		m = s / cnt;
		for (size_t i = end; i > start; i--)
		{
			double		d = rows[2 * (i - 1)] - m;

			within += d * d;
			hte_dd_add(&hsuf, 1.0 / (double) i);	/* now H_n − H_{i−1} */
			wsum += target == HTE_RATE_AUTOC ? hte_dd_value(hsuf) - 1.0 :
				(dn - (double) i + 1.0) / dn - (dn + 1.0) / (2.0 * dn);
		}
		/* Σ_k n c_k = 0: the first group's weight is minus the others' */
		if (start == 0)
			wsum = -wtot;
		wtot += wsum;
		est += (m - ate) * wsum;
		omega = wsum / cnt;
		if (end < n)
		{
			size_t		e2 = group_end(rows, end, n);
			double		s2 = 0.0,
						P = (double) end / dn;

			for (size_t i = end; i < e2; i++)
				s2 += rows[2 * i];
			tail += weight_fn(target, P) * (m - s2 / (double) (e2 - end));
		}
		T = tail - K;
		ss += omega * omega * within + cnt * T * T;
		end = start;
	}
	out->estimate = est / dn;
	if (!isfinite(out->estimate))
		return false;
	if (n < 2)
		return true;
	out->std_error = sqrt(ss / (dn * (dn - 1.0)));
	return isfinite(out->std_error);
}
