/*
 * hte_quantile.c -- exact quantiles (multiple quickselect), quantile
 * treatment effects with Hall-Sheather standard errors, the homogeneity
 * tests, and the validated serialized state of qte()/homogeneity_test().
 *
 * See hte_quantile.h.  Nothing here allocates memory.
 */
#include "hte_quantile.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "hte_dist.h"

/* 1 / sqrt(2 pi) */
#define HTE_INV_SQRT_2PI 0.398942280401432677939946059934

/* ------------------------------------------------------------------------
 * Interrupt ticks: the callback runs about every HTE_QUANTILE_TICK element
 * operations (comparisons and moves, counted per scanned element).
 */
typedef struct Tick
{
	HteInterruptFn cb;
	size_t		work;
} Tick;

static inline void
tick(Tick *t, size_t ops)
{
	t->work += ops;
	if (t->work >= HTE_QUANTILE_TICK)
	{
		t->work = 0;
		if (t->cb != NULL)
			t->cb();
	}
}

static inline void
swap_d(double *a, size_t i, size_t j)
{
	double		tmp = a[i];

	a[i] = a[j];
	a[j] = tmp;
}

/* Insertion sort of a[0..n-1] (small n). */
static void
insertion_sort(double *a, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		double		v = a[i];
		size_t		j = i;

		while (j > 0 && a[j - 1] > v)
		{
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

static void
sift_down(double *a, size_t root, size_t n)
{
	double		v = a[root];

	for (;;)
	{
		size_t		child = 2 * root + 1;

		if (child >= n)
			break;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (!(a[child] > v))
			break;
		a[root] = a[child];
		root = child;
	}
	a[root] = v;
}

/* Heapsort of a[0..n-1]: the O(n log n) fallback of both algorithms. */
static void
heap_sort(double *a, size_t n, Tick *t)
{
	size_t		logn = 1;

	if (n < 2)
		return;
	while (((size_t) 1 << logn) < n && logn < 63)
		logn++;
	for (size_t i = n / 2; i-- > 0;)
	{
		sift_down(a, i, n);
		tick(t, logn);
	}
	for (size_t end = n - 1; end > 0; end--)
	{
		swap_d(a, 0, end);
		sift_down(a, 0, end);
		tick(t, logn);
	}
}

static inline size_t
median3_index(const double *a, size_t i, size_t j, size_t k)
{
	if (a[i] < a[j])
		return a[j] < a[k] ? j : (a[i] < a[k] ? k : i);
	return a[i] < a[k] ? i : (a[j] < a[k] ? k : j);
}

/*
 * Choose a pivot of a[lo..hi] (median of three, Tukey's ninther for large
 * ranges) and move it to a[lo]; returns its value.
 */
static double
choose_pivot(double *a, size_t lo, size_t hi)
{
	size_t		len = hi - lo + 1;
	size_t		mid = lo + len / 2;
	size_t		p;

	if (len > 256)
	{
		size_t		s = len / 8;

		p = median3_index(a,
						  median3_index(a, lo, lo + s, lo + 2 * s),
						  median3_index(a, mid - s, mid, mid + s),
						  median3_index(a, hi - 2 * s, hi - s, hi));
	}
	else
		p = median3_index(a, lo, mid, hi);
	swap_d(a, lo, p);
	return a[lo];
}

/*
 * A pivot aimed at a target rank, for large ranges (Floyd & Rivest 1975,
 * CACM 18:165, simplified to one pivot): of a random sample of
 * HTE_PIVOT_SAMPLE elements, the one whose sample rank is that of the
 * middle target rank k, moved by about 2.5 standard deviations of that
 * estimate away from the range's nearer end, so that k falls, with high
 * probability, in the smaller part, just inside it: the part holding k then
 * shrinks at every step instead of halving.  The other ranks split to both
 * sides as with any pivot.  Moves the pivot to a[lo] and returns its value.
 * The sample positions come from a fixed generator seeded by the range, so
 * results never depend on a random state (they could not anyway: any pivot
 * gives the same order statistics).
 */
#define HTE_PIVOT_SAMPLE 1024
#define HTE_PIVOT_MIN_LEN 16384

static double
targeted_pivot(double *a, size_t lo, size_t hi, const size_t *r, size_t nr, Tick *t)
{
	size_t		len = hi - lo + 1;
	size_t		k = r[nr / 2];
	double		f = ((double) (k - lo) + 0.5) / (double) len;
	double		g = 2.5 * sqrt(HTE_PIVOT_SAMPLE * f * (1.0 - f)) + 1.0;
	double		s[HTE_PIVOT_SAMPLE];
	size_t		pos[HTE_PIVOT_SAMPLE];
	uint64_t	x = UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t) len ^ ((uint64_t) lo << 29);
	double		idx,
				v;

	for (int i = 0; i < HTE_PIVOT_SAMPLE; i++)
	{
		/* xorshift64 (Marsaglia 2003); the modulo bias is below 1e-12 */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		pos[i] = lo + (size_t) (x % len);
		s[i] = a[pos[i]];
	}
	heap_sort(s, HTE_PIVOT_SAMPLE, t);
	idx = floor(f * HTE_PIVOT_SAMPLE) + (f <= 0.5 ? g : -g);
	if (idx < 0.0)
		idx = 0.0;
	if (idx > HTE_PIVOT_SAMPLE - 1)
		idx = HTE_PIVOT_SAMPLE - 1;
	v = s[(int) idx];
	for (int i = 0; i < HTE_PIVOT_SAMPLE; i++)
		if (a[pos[i]] == v)
		{
			swap_d(a, lo, pos[i]);
			break;
		}
	return a[lo];
}

/*
 * Hoare partition of a[lo..hi] (hi > lo) around the pivot value p = a[lo]:
 * returns j, lo <= j < hi, with every element of a[lo..j] <= p <= every
 * element of a[j+1..hi].  Elements equal to p stop both scans, so runs of
 * ties split evenly.  The scans start at i0 + 1 and j0 - 1: a[lo..i0] <= p
 * and a[j0..hi] >= p must hold already, with i0 = lo - 1 (wrapping) and
 * j0 = hi + 1 for the whole range a[lo..hi]; see partition().
 */
static size_t
hoare(double *a, size_t i0, size_t j0, double p, Tick *t)
{
	size_t		i = i0;
	size_t		j = j0;
	size_t		reported = 0;

	for (;;)
	{
		size_t		scanned;

		do
			i++;
		while (a[i] < p);
		do
			j--;
		while (a[j] > p);
		scanned = (i - i0) + (j0 - j);
		if (i >= j)
		{
			tick(t, scanned - reported);
			return j;
		}
		swap_d(a, i, j);
		if (scanned - reported >= HTE_QUANTILE_TICK)
		{
			tick(t, scanned - reported);
			reported = scanned;
		}
	}
}

/*
 * Partition as hoare() does, first block by block without branches on the
 * data (Edelkamp & Weiss 2016, BlockQuicksort, ESA): the positions of the
 * elements misplaced on each side are collected for a block of
 * HTE_PART_BLOCK elements from each end, then swapped in pairs.  A Hoare
 * scan with branches mispredicts about once per element on random data;
 * this does not.  What is left in the middle (less than two blocks, with
 * any unfinished block) is finished by hoare(), which the invariant
 * a[lo..l-1] <= p <= a[r+1..hi] lets start where the blocks stopped; when
 * no block was finished on the right there is no element >= p to stop its
 * upward scan, and it starts over on the whole range (still correct).
 */
#define HTE_PART_BLOCK 64

static size_t
partition(double *a, size_t lo, size_t hi, double p, Tick *t)
{
	size_t		l = lo + 1,
				r = hi;
	unsigned char offl[HTE_PART_BLOCK],
				offr[HTE_PART_BLOCK];
	int			nl = 0,
				nr = 0,
				sl = 0,
				sr = 0;

	while (r >= l && r - l + 1 >= 2 * HTE_PART_BLOCK)
	{
		int			num;

		if (nl == 0)
		{
			sl = 0;
			for (int i = 0; i < HTE_PART_BLOCK; i++)
			{
				offl[nl] = (unsigned char) i;
				nl += !(a[l + i] < p);
			}
		}
		if (nr == 0)
		{
			sr = 0;
			for (int i = 0; i < HTE_PART_BLOCK; i++)
			{
				offr[nr] = (unsigned char) i;
				nr += !(a[r - i] > p);
			}
		}
		num = nl < nr ? nl : nr;
		for (int k = 0; k < num; k++)
			swap_d(a, l + offl[sl + k], r - offr[sr + k]);
		nl -= num;
		nr -= num;
		sl += num;
		sr += num;
		if (nl == 0)
			l += HTE_PART_BLOCK;
		if (nr == 0)
			r -= HTE_PART_BLOCK;
		tick(t, 2 * HTE_PART_BLOCK);
	}
	if (r < hi)
		return hoare(a, l - 1, r + 1, p, t);
	return hoare(a, lo - 1, hi + 1, p, t);
}

static int
depth_limit(size_t n)
{
	int			d = 0;

	while (n > 1)
	{
		n >>= 1;
		d++;
	}
	return 2 * d + 4;
}

/* Multiple selection in a[lo..hi] of ranks r[0..nr-1] (sorted, within lo..hi). */
static void
multiselect(double *a, size_t lo, size_t hi, const size_t *r, size_t nr,
			int depth, Tick *t)
{
	while (nr > 0)
	{
		size_t		len = hi - lo + 1;
		size_t		j,
					m,
					lo_m,
					hi_m;

		if (len <= 16)
		{
			insertion_sort(a + lo, len);
			tick(t, len * 4);
			return;
		}
		if (depth-- <= 0)
		{
			heap_sort(a + lo, len, t);
			return;
		}
		j = partition(a, lo, hi,
					  len >= HTE_PIVOT_MIN_LEN ? targeted_pivot(a, lo, hi, r, nr, t) :
					  choose_pivot(a, lo, hi), t);
		/* m = the number of ranks <= j (binary search) */
		lo_m = 0;
		hi_m = nr;
		while (lo_m < hi_m)
		{
			size_t		mid = lo_m + (hi_m - lo_m) / 2;

			if (r[mid] <= j)
				lo_m = mid + 1;
			else
				hi_m = mid;
		}
		m = lo_m;
		if (m > 0)
			multiselect(a, lo, j, r, m, depth, t);
		r += m;
		nr -= m;
		lo = j + 1;
	}
}

void
hte_multiselect(double *x, size_t n, const size_t *ranks, size_t nranks,
				HteInterruptFn check_interrupts)
{
	Tick		t = {check_interrupts, 0};

	if (n < 2 || nranks == 0)
		return;
	multiselect(x, 0, n - 1, ranks, nranks, depth_limit(n), &t);
}

/* ------------------------------------------------------------------------
 * Type 7 quantiles, computed as PostgreSQL's percentile_cont does:
 *   first_row = floor(q * (n - 1)), second_row = ceil(q * (n - 1)),
 *   Q = first + (q * (n - 1) - first_row) * (second - first).
 */
int
hte_quantile_ranks(double q, size_t n, size_t out[2])
{
	double		pos = q * (double) (n - 1);
	double		lo = floor(pos);
	double		hi = ceil(pos);

	out[0] = (size_t) lo;
	if (hi > lo)
	{
		out[1] = (size_t) hi;
		return 2;
	}
	return 1;
}

double
hte_quantile_at(const double *x, size_t n, double q)
{
	double		pos = q * (double) (n - 1);
	double		lo = floor(pos);
	double		hi = ceil(pos);
	double		first = x[(size_t) lo];

	if (hi > lo)
	{
		double		proportion = pos - lo;
		double		second = x[(size_t) hi];
		double		gap = second - first;

		/*
		 * percentile_cont's arithmetic, to the bit; but when the two order
		 * statistics are more than DBL_MAX apart (opposite signs, e.g.
		 * -1e308 and 1e308) the gap overflows where the quantile does not:
		 * then the weighted mean, which cannot overflow for opposite
		 * signs.  (percentile_cont raises an overflow error there.)
		 */
		if (isinf(gap))
			return (1.0 - proportion) * first + proportion * second;
		return first + (proportion * gap);
	}
	return first;
}

double
hte_hall_sheather(double q, double n, double z)
{
	double		x0 = hte_qnorm(q, true);
	double		f = HTE_INV_SQRT_2PI * exp(-0.5 * x0 * x0);

	if (!isfinite(x0))
		return 0.0;				/* q = 0 or 1: the density factor is 0 */
	return pow(n, -1.0 / 3.0) * pow(z, 2.0 / 3.0) *
		pow(1.5 * f * f / (2.0 * x0 * x0 + 1.0), 1.0 / 3.0);
}

void
hte_sparsity_levels(double q, double n, double z, double *q_lo, double *q_hi)
{
	double		h = hte_hall_sheather(q, n, z);

	*q_lo = q - h > 0.0 ? q - h : 0.0;
	*q_hi = q + h < 1.0 ? q + h : 1.0;
}

static int
cmp_size(size_t a, size_t b)
{
	return a < b ? -1 : (a > b);
}

void
hte_ranks_unique(size_t *r, size_t *nranks)
{
	size_t		n = *nranks,
				k = 0;

	/* insertion sort: a few dozen ranks at most per quantile */
	for (size_t i = 1; i < n; i++)
	{
		size_t		v = r[i],
					j = i;

		while (j > 0 && cmp_size(r[j - 1], v) > 0)
		{
			r[j] = r[j - 1];
			j--;
		}
		r[j] = v;
	}
	for (size_t i = 0; i < n; i++)
		if (k == 0 || r[k - 1] != r[i])
			r[k++] = r[i];
	*nranks = k;
}

/* Sorting many ranks one by one is quadratic: sort them with a heap then. */
static void
ranks_sort_large(size_t *r, size_t n)
{
	/* heapsort on size_t */
	for (size_t start = n / 2; start-- > 0;)
	{
		size_t		root = start;

		for (;;)
		{
			size_t		c = 2 * root + 1,
						tmp;

			if (c >= n)
				break;
			if (c + 1 < n && r[c + 1] > r[c])
				c++;
			if (r[c] <= r[root])
				break;
			tmp = r[c];
			r[c] = r[root];
			r[root] = tmp;
			root = c;
		}
	}
	for (size_t end = n; end-- > 1;)
	{
		size_t		tmp = r[0],
					root = 0;

		r[0] = r[end];
		r[end] = tmp;
		for (;;)
		{
			size_t		c = 2 * root + 1;

			if (c >= end)
				break;
			if (c + 1 < end && r[c + 1] > r[c])
				c++;
			if (r[c] <= r[root])
				break;
			tmp = r[c];
			r[c] = r[root];
			r[root] = tmp;
			root = c;
		}
	}
}

void
hte_arm_quantiles(double *x, size_t n, const double *q, int nq, double z,
				  size_t *ranks, HteArmQuantiles *out,
				  HteInterruptFn check_interrupts)
{
	size_t		nr = 0;
	bool		sparsity = n >= 2;

	for (int i = 0; i < nq; i++)
	{
		out[i].n = (double) n;
		out[i].quantile = NAN;
		out[i].sparsity = NAN;
	}
	if (n == 0)
		return;
	for (int i = 0; i < nq; i++)
	{
		nr += hte_quantile_ranks(q[i], n, ranks + nr);
		if (sparsity)
		{
			double		q_lo,
						q_hi;

			hte_sparsity_levels(q[i], (double) n, z, &q_lo, &q_hi);
			if (q_hi > q_lo)
			{
				nr += hte_quantile_ranks(q_lo, n, ranks + nr);
				nr += hte_quantile_ranks(q_hi, n, ranks + nr);
			}
		}
	}
	if (nr > 64)
	{
		ranks_sort_large(ranks, nr);
		{
			size_t		k = 0;

			for (size_t i = 0; i < nr; i++)
				if (k == 0 || ranks[k - 1] != ranks[i])
					ranks[k++] = ranks[i];
			nr = k;
		}
	}
	else
		hte_ranks_unique(ranks, &nr);
	hte_multiselect(x, n, ranks, nr, check_interrupts);

	for (int i = 0; i < nq; i++)
	{
		out[i].quantile = hte_quantile_at(x, n, q[i]);
		if (sparsity)
		{
			double		q_lo,
						q_hi;

			hte_sparsity_levels(q[i], (double) n, z, &q_lo, &q_hi);
			if (q_hi > q_lo)
				out[i].sparsity = (hte_quantile_at(x, n, q_hi) -
								   hte_quantile_at(x, n, q_lo)) / (q_hi - q_lo);
		}
	}
}

/* z = qnorm(1 - alpha/2) for a confidence level */
static double
z_of_level(double level)
{
	return hte_qnorm((1.0 - level) / 2.0, false);
}

void
hte_qte_compute(double q, const HteArmQuantiles *treated,
				const HteArmQuantiles *control, double level,
				HteQteResult *out)
{
	double		z = z_of_level(level);
	double		v1,
				v0;

	out->quantile = q;
	out->n_treated = treated->n;
	out->n_control = control->n;
	out->quantile_treated = treated->n > 0 ? treated->quantile : NAN;
	out->quantile_control = control->n > 0 ? control->quantile : NAN;
	out->estimate = out->quantile_treated - out->quantile_control;
	v1 = q * (1.0 - q) * treated->sparsity * treated->sparsity / treated->n;
	v0 = q * (1.0 - q) * control->sparsity * control->sparsity / control->n;
	out->std_error = sqrt(v1 + v0);
	out->ci_lower = out->estimate - z * out->std_error;
	out->ci_upper = out->estimate + z * out->std_error;
	if (out->std_error > 0.0)
		out->p_value = 2.0 * hte_pnorm(fabs(out->estimate) / out->std_error, false);
	else
		out->p_value = NAN;		/* SE 0 or undefined: NULL */
}

/* ------------------------------------------------------------------------
 * Moments and the homogeneity tests.
 */

/* Neumaier compensated summation step. */
static inline void
kahan_add(double *sum, double *comp, double v)
{
	double		t = *sum + v;

	if (fabs(*sum) >= fabs(v))
		*comp += (*sum - t) + v;
	else
		*comp += (v - t) + *sum;
	*sum = t;
}

void
hte_mean_var(const double *x, size_t n, double *mean, double *var,
			 HteInterruptFn check_interrupts)
{
	Tick		t = {check_interrupts, 0};
	double		s = 0.0,
				c = 0.0,
				m,
				d1 = 0.0,
				d1c = 0.0,
				d2 = 0.0,
				d2c = 0.0,
				amax = 0.0,
				scale = 1.0;
	int			e = 0;

	*mean = NAN;
	*var = NAN;
	if (n == 0)
		return;

	/*
	 * Values near the double range would overflow the sum (even when the
	 * mean is finite) or the squared deviations: then work with the values
	 * scaled by a power of two (exact) so that |x| <= 2^480, which keeps
	 * n |x| and n (2|x|)^2 finite for n <= 2^53, and scale back at the end,
	 * where only a variance beyond the double range becomes +Inf (the
	 * caller's overflow error), never NaN.
	 */
	for (size_t i = 0; i < n; i++)
	{
		amax = fmax(amax, fabs(x[i]));
		if ((i & 0xFFFF) == 0xFFFF)
			tick(&t, 0x10000);
	}
	if (amax > 0x1p480)
	{
		(void) frexp(amax, &e);
		e -= 480;
		scale = ldexp(1.0, -e);
	}
	for (size_t i = 0; i < n; i++)
	{
		kahan_add(&s, &c, e ? x[i] * scale : x[i]);
		if ((i & 0xFFFF) == 0xFFFF)
			tick(&t, 0x10000);
	}
	m = (s + c) / (double) n;
	*mean = e ? ldexp(m, e) : m;
	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++)
	{
		double		d = (e ? x[i] * scale : x[i]) - m;

		kahan_add(&d1, &d1c, d);
		kahan_add(&d2, &d2c, d * d);
		if ((i & 0xFFFF) == 0xFFFF)
			tick(&t, 0x10000);
	}
	d1 += d1c;
	/* the second pass's correction for the rounding of the mean */
	*var = ((d2 + d2c) - d1 * d1 / (double) n) / (double) (n - 1);
	if (*var < 0.0)
		*var = 0.0;
	if (e)
		*var = ldexp(*var, 2 * e);
}

double
hte_equality_wald(const double *d, const double *S, int k)
{
	double		M[HTE_FLAT_K - 1][HTE_FLAT_K - 1];
	double		L[HTE_FLAT_K - 1][HTE_FLAT_K - 1];
	double		e[HTE_FLAT_K - 1];
	double		w = 0.0;
	int			m = k - 1;

	if (k < 2 || k > HTE_FLAT_K)
		return NAN;
	/* contrasts e_i = d_{i+1} - d_i, their covariance C S C' */
	for (int i = 0; i < m; i++)
	{
		e[i] = d[i + 1] - d[i];
		for (int j = 0; j < m; j++)
			M[i][j] = S[(i + 1) * k + (j + 1)] - S[(i + 1) * k + j] -
				S[i * k + (j + 1)] + S[i * k + j];
	}
	/* Cholesky; a pivot lost to rounding means singular */
	for (int j = 0; j < m; j++)
	{
		double		s = M[j][j];

		for (int p = 0; p < j; p++)
			s -= L[j][p] * L[j][p];
		if (!(s > 1e-12 * M[j][j]) || !(M[j][j] > 0.0))
			return NAN;
		L[j][j] = sqrt(s);
		for (int i = j + 1; i < m; i++)
		{
			double		v = M[i][j];

			for (int p = 0; p < j; p++)
				v -= L[i][p] * L[j][p];
			L[i][j] = v / L[j][j];
		}
	}
	/* w = |L^-1 e|^2 */
	for (int i = 0; i < m; i++)
	{
		double		v = e[i];

		for (int p = 0; p < i; p++)
			v -= L[i][p] * e[p];
		e[i] = v / L[i][i];
		w += e[i] * e[i];
	}
	return w;
}

void
hte_homogeneity_compute(double *treated, size_t n1, double *control, size_t n0,
						double level, HteHomogeneityResult *out,
						HteInterruptFn check_interrupts)
{
	double		mean,
				v1,
				v0;

	hte_mean_var(treated, n1, &mean, &v1, check_interrupts);
	hte_mean_var(control, n0, &mean, &v0, check_interrupts);
	out->variance_treated = v1;
	out->variance_control = v0;
	out->variance_ratio = v0 > 0.0 ? v1 / v0 : NAN;
	if (isfinite(out->variance_ratio))
	{
		double		lower = hte_pf(out->variance_ratio, (double) (n1 - 1), (double) (n0 - 1), true);
		double		upper = hte_pf(out->variance_ratio, (double) (n1 - 1), (double) (n0 - 1), false);

		out->variance_ratio_p_value = 2.0 * (lower < upper ? lower : upper);
		if (out->variance_ratio_p_value > 1.0)
			out->variance_ratio_p_value = 1.0;
	}
	else
		out->variance_ratio_p_value = NAN;
	out->ite_sd_lower = fabs(sqrt(v1) - sqrt(v0));
	out->ite_sd_upper = sqrt(v1) + sqrt(v0);

	out->qte_flatness_df = HTE_FLAT_K - 1;
	out->qte_flatness_statistic = NAN;
	out->qte_flatness_p_value = NAN;
	if (n1 >= 2 && n0 >= 2)
	{
		double		p[HTE_FLAT_K],
					d[HTE_FLAT_K],
					S[HTE_FLAT_K * HTE_FLAT_K];
		size_t		ranks[6 * HTE_FLAT_K];
		HteArmQuantiles a1[HTE_FLAT_K],
					a0[HTE_FLAT_K];
		double		z = z_of_level(level);
		double		w;

		for (int i = 0; i < HTE_FLAT_K; i++)
			p[i] = (double) (i + 1) / 10.0;
		hte_arm_quantiles(treated, n1, p, HTE_FLAT_K, z, ranks, a1, check_interrupts);
		hte_arm_quantiles(control, n0, p, HTE_FLAT_K, z, ranks, a0, check_interrupts);
		for (int i = 0; i < HTE_FLAT_K; i++)
		{
			d[i] = a1[i].quantile - a0[i].quantile;
			for (int j = 0; j < HTE_FLAT_K; j++)
			{
				double		kij = (p[i] < p[j] ? p[i] : p[j]) - p[i] * p[j];

				S[i * HTE_FLAT_K + j] =
					kij * a1[i].sparsity * a1[j].sparsity / (double) n1 +
					kij * a0[i].sparsity * a0[j].sparsity / (double) n0;
			}
		}
		w = hte_equality_wald(d, S, HTE_FLAT_K);
		/*
		 * A quantile difference or covariance beyond the double range (data
		 * spread past about 1e154): the statistic is not undefined but not
		 * computable here; +Inf makes the caller report an overflow (whose
		 * hint is to rescale) rather than NULL.
		 */
		for (int i = 0; i < HTE_FLAT_K * HTE_FLAT_K; i++)
			if (isinf(S[i]) || (i < HTE_FLAT_K && isinf(d[i])))
				w = INFINITY;
		if (isinf(w))
			out->qte_flatness_statistic = w;
		else if (isfinite(w))
		{
			out->qte_flatness_statistic = w;
			out->qte_flatness_p_value = hte_pchisq(w, HTE_FLAT_K - 1, false);
		}
	}
}

/* ------------------------------------------------------------------------
 * Serialized state.
 */

static inline uint32_t
get_u32(const unsigned char *p)
{
	uint32_t	v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t
get_u64(const unsigned char *p)
{
	uint64_t	v;

	memcpy(&v, p, sizeof(v));
	return v;
}

size_t
hte_qstate_size(uint32_t nq, uint64_t n0, uint64_t n1, size_t max_bytes)
{
	uint64_t	room;

	if (max_bytes < HTE_QSTATE_HEADER)
		return 0;
	room = (uint64_t) (max_bytes - HTE_QSTATE_HEADER) / sizeof(double);
	if (nq > room || n0 > room - nq || n1 > room - nq - n0)
		return 0;
	return HTE_QSTATE_HEADER + (size_t) (nq + n0 + n1) * sizeof(double);
}

void
hte_qstate_write_header(unsigned char *buf, uint32_t kind, uint32_t nq,
						uint64_t n0, uint64_t n1)
{
	uint32_t	h[4] = {HTE_QSTATE_MAGIC, HTE_QSTATE_VERSION, kind, nq};

	memcpy(buf, h, sizeof(h));
	memcpy(buf + 16, &n0, sizeof(n0));
	memcpy(buf + 24, &n1, sizeof(n1));
}

/* true unless the 8 bytes at p are an Inf or NaN double */
static inline bool
finite_bits(const unsigned char *p)
{
	const uint64_t exp_mask = UINT64_C(0x7ff0000000000000);

	return (get_u64(p) & exp_mask) != exp_mask;
}

const char *
hte_qstate_parse(const unsigned char *buf, size_t len, HteQStateHeader *hdr,
				 HteInterruptFn check_interrupts)
{
	Tick		t = {check_interrupts, 0};
	size_t		total;
	size_t		off;

	if (buf == NULL || len < HTE_QSTATE_HEADER)
		return "The serialized state is truncated.";
	if (get_u32(buf) != HTE_QSTATE_MAGIC)
		return "The serialized state has an unknown header.";
	if (get_u32(buf + 4) != HTE_QSTATE_VERSION)
		return "The serialized state has an unknown format version.";
	hdr->kind = get_u32(buf + 8);
	hdr->nq = get_u32(buf + 12);
	hdr->n[0] = get_u64(buf + 16);
	hdr->n[1] = get_u64(buf + 24);
	switch (hdr->kind)
	{
		case HTE_QSTATE_QTE:
			if (hdr->nq != 1)
				return "The serialized state of qte with one quantile lists a number of quantiles other than 1.";
			break;
		case HTE_QSTATE_QTE_ARRAY:
			if (hdr->nq < 1 || hdr->nq > HTE_QSTATE_MAX_NQ)
				return "The serialized state of qte lists an invalid number of quantiles.";
			break;
		case HTE_QSTATE_HOMOGENEITY:
			if (hdr->nq != 0)
				return "The serialized state of homogeneity_test lists quantiles.";
			break;
		default:
			return "The serialized state is of an unknown kind.";
	}
	total = hte_qstate_size(hdr->nq, hdr->n[0], hdr->n[1], len);
	if (total == 0 || total != len)
		return "The serialized state's length does not match its counts.";
	off = HTE_QSTATE_HEADER;
	hdr->q_offset = off;
	for (uint32_t i = 0; i < hdr->nq; i++, off += sizeof(double))
	{
		double		q;

		memcpy(&q, buf + off, sizeof(q));
		if (!(q >= 0.0 && q <= 1.0))
			return "The serialized state holds a quantile level outside [0, 1].";
	}
	for (int g = 0; g < 2; g++)
	{
		hdr->values_offset[g] = off;
		for (uint64_t i = 0; i < hdr->n[g]; i++, off += sizeof(double))
		{
			if (!finite_bits(buf + off))
				return "The serialized state holds a value that is not finite.";
			if ((i & 0xFFFFF) == 0xFFFFF)
				tick(&t, HTE_QUANTILE_TICK);
		}
	}
	return NULL;
}
