/*
 * hte_rate.c — the rank-weighted average treatment effect (see hte_rate.h).
 */
#include "hte_rate.h"

#include <math.h>
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

/*
 * Sorting (Γ, S) pairs by S, highest first: an introsort (quicksort with a
 * median-of-three pivot and a three-way partition, so heavy ties such as
 * deciles cost one pass; heapsort past 2 log2 n levels; insertion sort
 * below 16 rows), in place, calling chk about every million rows moved
 * through a partition so that a long sort can be cancelled.
 */
#define PRIO(a, i)	((a)[2 * (i) + 1])

static inline void
swap_rows(double *a, size_t i, size_t j)
{
	double		g = a[2 * i],
				s = a[2 * i + 1];

	a[2 * i] = a[2 * j];
	a[2 * i + 1] = a[2 * j + 1];
	a[2 * j] = g;
	a[2 * j + 1] = s;
}

/* heapsort of a[0..n-1] by S descending (a min-heap on S) */
static void
sift_down(double *a, size_t root, size_t n)
{
	for (;;)
	{
		size_t		c = 2 * root + 1;

		if (c >= n)
			return;
		if (c + 1 < n && PRIO(a, c + 1) < PRIO(a, c))
			c++;
		if (!(PRIO(a, c) < PRIO(a, root)))
			return;
		swap_rows(a, root, c);
		root = c;
	}
}

static void
heap_sort(double *a, size_t n)
{
	for (size_t i = n / 2; i > 0; i--)
		sift_down(a, i - 1, n);
	for (size_t end = n; end > 1; end--)
	{
		swap_rows(a, 0, end - 1);
		sift_down(a, 0, end - 1);
	}
}

static void
insertion_sort(double *a, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && PRIO(a, j - 1) < PRIO(a, j); j--)
			swap_rows(a, j - 1, j);
}

static void
intro_sort(double *a, size_t n, int depth, HteRateInterruptFn chk, size_t *moved)
{
	while (n > 16)
	{
		double		x = PRIO(a, 0),
					y = PRIO(a, n / 2),
					z = PRIO(a, n - 1),
					pivot;
		size_t		lt = 0,
					i = 0,
					gt = n;

		if (depth-- == 0)
		{
			heap_sort(a, n);
			return;
		}
		/* the median of three */
		pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		/* [0, lt) > pivot, [lt, i) == pivot, [gt, n) < pivot */
		while (i < gt)
		{
			double		v = PRIO(a, i);

			if (v > pivot)
				swap_rows(a, lt++, i++);
			else if (v < pivot)
				swap_rows(a, i, --gt);
			else
				i++;
		}
		*moved += n;
		if (chk != NULL && *moved >= ((size_t) 1 << 20))
		{
			*moved = 0;
			chk();
		}
		/* recurse into the smaller side, loop on the larger */
		if (lt < n - gt)
		{
			intro_sort(a, lt, depth, chk, moved);
			a += 2 * gt;
			n -= gt;
		}
		else
		{
			intro_sort(a + 2 * gt, n - gt, depth, chk, moved);
			n = lt;
		}
	}
	insertion_sort(a, n);
}

void
hte_rate_sort(double *rows, size_t n, HteRateInterruptFn chk)
{
	int			depth = 0;
	size_t		moved = 0;

	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	intro_sort(rows, n, depth, chk, &moved);
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
