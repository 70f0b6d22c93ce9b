/*
 * hte_mvmoments.c — multivariate central moments up to fourth order (y-degree
 * at most 2): the monomial table, block folding and pairwise merging.  See
 * hte_mvmoments.h.
 */
#include "hte_mvmoments.h"

#include "hte_linalg.h"

#include <math.h>
#include <string.h>

static int
binom(int n, int k)
{
	long		r = 1;

	if (k < 0 || k > n)
		return 0;
	for (int i = 1; i <= k; i++)
		r = r * (n - k + i) / i;
	return (int) r;
}

int
hte_mv_count(int p)
{
	/* closed form: the transition function checks a state's length by it */
	int			a = (p + 1) * (p + 2) / 2,	/* C(p+2,2) */
				b = a * (p + 3) / 3,	/* C(p+3,3) */
				c = b * (p + 4) / 4;	/* C(p+4,4) */

	return a + b + c;
}

/* proper divisors of a degree-d monomial: at most 2^d - 1 <= 15 */
#define MAX_DIV 15

static size_t
align8(size_t n)
{
	return (n + 7) & ~(size_t) 7;
}

size_t
hte_mv_table_size(int p)
{
	size_t		c = (size_t) hte_mv_count(p),
				nv = (size_t) p + 1;

	return align8(c) + align8(4 * c) + align8(4 * c) + align8(4 * c * nv) +
		2 * align8(4 * c) + align8(4 * (c + 1)) + 2 * align8(4 * c * MAX_DIV) + 8 * c * MAX_DIV;
}

/* lexicographic comparison of two nondecreasing lists of the same degree */
static int
cmp_vars(const uint8_t *a, const uint8_t *b, int d)
{
	for (int i = 0; i < d; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

int
hte_mv_index(const HteMvTable *t, const int *vars, int deg)
{
	uint8_t		key[4] = {0, 0, 0, 0};
	int			lo,
				hi,
				ny = 0;

	if (deg < 0 || deg > 4)
		return -1;
	for (int i = 0; i < deg; i++)
	{
		int			v = vars[i],
					j = i;

		if (v < 0 || v >= t->nvars)
			return -1;
		ny += v == t->p;
		/* insertion sort */
		while (j > 0 && key[j - 1] > v)
		{
			key[j] = key[j - 1];
			j--;
		}
		key[j] = (uint8_t) v;
	}
	if (ny > 2)
		return -1;
	/* monomials of one degree are contiguous and sorted */
	lo = t->deg_start[deg];
	hi = t->deg_start[deg + 1] - 1;
	while (lo <= hi)
	{
		int			mid = (lo + hi) / 2,
					c = cmp_vars(t->vars + 4 * mid, key, deg);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* append every nondecreasing list of length d starting at var >= from */
static void
enumerate(HteMvTable *t, uint8_t *cur, int pos, int d, int from, int ny)
{
	if (pos == d)
	{
		int			m = t->count++;

		t->deg[m] = (uint8_t) d;
		memset(t->vars + 4 * m, 0, 4);
		memcpy(t->vars + 4 * m, cur, (size_t) d);
		return;
	}
	for (int v = from; v < t->nvars; v++)
	{
		if (v == t->p && ny == 2)
			break;
		cur[pos] = (uint8_t) v;
		enumerate(t, cur, pos + 1, d, v, ny + (v == t->p));
	}
}

void
hte_mv_table_init(HteMvTable *t, int p, void *mem)
{
	char	   *q = mem;
	size_t		c = (size_t) hte_mv_count(p),
				nv = (size_t) p + 1;
	uint8_t		cur[4] = {0, 0, 0, 0};
	int			ndiv = 0;

	t->p = p;
	t->nvars = p + 1;
	t->deg = (uint8_t *) q;
	q += align8(c);
	t->vars = (uint8_t *) q;
	q += align8(4 * c);
	t->parent = (int32_t *) q;
	q += align8(4 * c);
	t->mul = (int32_t *) q;
	q += align8(4 * c * nv);
	t->head = (int32_t *) q;
	q += align8(4 * c);
	t->tail = (int32_t *) q;
	q += align8(4 * c);
	t->div_start = (int32_t *) q;
	q += align8(4 * (c + 1));
	t->div_b = (int32_t *) q;
	q += align8(4 * c * MAX_DIV);
	t->div_g = (int32_t *) q;
	q += align8(4 * c * MAX_DIV);
	t->div_c = (double *) (void *) q;

	t->count = 0;
	for (int d = 0; d <= 4; d++)
	{
		t->deg_start[d] = t->count;
		enumerate(t, cur, 0, d, 0, 0);
	}
	t->deg_start[5] = t->count;

	for (int m = 0; m < t->count; m++)
	{
		int			d = t->deg[m],
					vars[5];

		for (int i = 0; i < d; i++)
			vars[i] = t->vars[4 * m + i];
		t->parent[m] = d == 0 ? -1 : hte_mv_index(t, vars, d - 1);
		for (int v = 0; v < t->nvars; v++)
		{
			vars[d] = v;
			t->mul[(size_t) m * nv + v] = d == 4 ? -1 : hte_mv_index(t, vars, d + 1);
		}
		t->head[m] = t->tail[m] = -1;
		if (d == 2)
			t->head[m] = m - t->deg_start[2];
		else if (d >= 3)
		{
			t->head[m] = hte_mv_index(t, vars, 2) - t->deg_start[2];
			t->tail[m] = d == 3 ? vars[2] :
				hte_mv_index(t, vars + 2, 2) - t->deg_start[2];
		}
	}

	/*
	 * Proper divisors b of a: exponent vectors b <= a, b != a.  With a's
	 * distinct variables v_1..v_r of multiplicities e_1..e_r, b runs over
	 * (f_1..f_r), 0 <= f_i <= e_i; C(a, b) = prod C(e_i, f_i).
	 */
	for (int m = 0; m < t->count; m++)
	{
		int			d = t->deg[m],
					r = 0,
					dv[4] = {0, 0, 0, 0},
					e[4] = {0, 0, 0, 0},
					f[4] = {0, 0, 0, 0};

		t->div_start[m] = ndiv;
		for (int i = 0; i < d; i++)
		{
			int			v = t->vars[4 * m + i];

			if (r > 0 && dv[r - 1] == v)
				e[r - 1]++;
			else
			{
				dv[r] = v;
				e[r] = 1;
				r++;
			}
		}
		for (;;)
		{
			int			bv[4],
						gv[4],
						nb = 0,
						ng = 0;
			double		coef = 1.0;
			bool		whole = true;

			for (int i = 0; i < r; i++)
			{
				for (int j = 0; j < f[i]; j++)
					bv[nb++] = dv[i];
				for (int j = f[i]; j < e[i]; j++)
					gv[ng++] = dv[i];
				coef *= binom(e[i], f[i]);
				whole = whole && f[i] == e[i];
			}
			if (!whole)
			{
				t->div_b[ndiv] = hte_mv_index(t, bv, nb);
				t->div_g[ndiv] = hte_mv_index(t, gv, ng);
				t->div_c[ndiv] = coef;
				ndiv++;
			}
			/* next f, odometer style */
			{
				int			i = 0;

				while (i < r && f[i] == e[i])
					f[i++] = 0;
				if (i == r)
					break;
				f[i]++;
			}
		}
	}
	t->div_start[t->count] = ndiv;
}

/* powers P[m] = prod_j d_j^m_j of every monomial */
static void
powers(const HteMvTable *t, const double *d, double *P)
{
	P[0] = 1.0;
	for (int m = 1; m < t->count; m++)
		P[m] = P[t->parent[m]] * d[t->vars[4 * m + t->deg[m] - 1]];
}

static inline double *
moment_ptr(double *arm, int m)
{
	return arm + 1 + 2 * (size_t) (m - 1);
}

/* is every exponent of monomial m even? */
static bool
even_monomial(const HteMvTable *t, int m)
{
	const uint8_t *v = t->vars + 4 * m;
	int			d = t->deg[m];

	for (int i = 0; i < d; i += 2)
		if (i + 1 >= d || v[i] != v[i + 1])
			return false;
	return true;
}

/*
 * Merge into arm a the rows summarized by sums XB about the point sB (a
 * double-double per variable): XB[0] is their count nb > 0, XB[1..nvars]
 * their sums of deviations from sB, XB[m] for degree >= 2 their sums of
 * products of deviations (the high parts of double-doubles whose low
 * parts, if any, are in lo[m]).  A stored arm is such sums about its own
 * mean (degree 1 zero); a block of rows about its shift.  Expanding
 * (z - new mean) = (z - mean_a) + dA for a's rows and (z - sB) + dB for
 * the others gives every merged central moment from the divisors' sums.
 * work: 4 * count doubles.
 */
static void
merge_sums(const HteMvTable *t, double *a, const HteDD *sB, const double *XB,
		   const double *lo, double *work)
{
	const int	nv = t->nvars;
	double		na = a[0],
				nb = XB[0],
				n = na + nb;
	double	   *PA = work,
			   *PB = work + t->count,
			   *XA = PB + t->count,
			   *CR = XA + t->count;
	double		dA[HTE_MV_MAX_P + 1] = {0},
				dB[HTE_MV_MAX_P + 1] = {0};
	HteDD		meanB[HTE_MV_MAX_P + 1];

	for (int j = 0; j < nv; j++)
	{
		/* b's mean: sB + XB_j / nb, a double-double */
		double		c = XB[1 + j] / nb;
		double		delta;

		meanB[j] = sB[j];
		hte_dd_add(&meanB[j], c);
		delta = na == 0.0 ? 0.0 : hte_dd_diff(meanB[j], hte_mv_mean(t, a, j));
		dA[j] = -(nb / n) * delta;
		dB[j] = -c + (na / n) * delta;
	}
	powers(t, dA, PA);
	powers(t, dB, PB);
	XA[0] = na;
	for (int j = 1; j <= nv; j++)
		XA[j] = 0.0;			/* central moments of degree 1 */
	for (int m = nv + 1; m < t->count; m++)
		XA[m] = hte_mv_moment(t, a, m);

	/*
	 * The corrections first (they read only XA, XB and the powers), then
	 * the compensated additions, which are independent across monomials.
	 */
	for (int m = nv + 1; m < t->count; m++)
	{
		double		c0 = 0.0,
					c1 = 0.0;
		int			i = t->div_start[m],
					end = t->div_start[m + 1];

		/* two chains of additions: the loop is bound by their latency */
		for (; i + 1 < end; i += 2)
		{
			c0 += t->div_c[i] * (XA[t->div_b[i]] * PA[t->div_g[i]] +
								 XB[t->div_b[i]] * PB[t->div_g[i]]);
			c1 += t->div_c[i + 1] * (XA[t->div_b[i + 1]] * PA[t->div_g[i + 1]] +
									 XB[t->div_b[i + 1]] * PB[t->div_g[i + 1]]);
		}
		if (i < end)
			c0 += t->div_c[i] * (XA[t->div_b[i]] * PA[t->div_g[i]] +
								 XB[t->div_b[i]] * PB[t->div_g[i]]);
		CR[m] = c0 + c1;
	}
	for (int m = nv + 1; m < t->count; m++)
	{
		double	   *ma = moment_ptr(a, m);
		HteDD		s = {ma[0], ma[1]};

		hte_dd_add(&s, XB[m]);
		if (lo != NULL)
			hte_dd_add(&s, lo[m]);
		hte_dd_add(&s, CR[m]);
		if (s.hi < 0.0 && even_monomial(t, m))
			s.hi = s.lo = 0.0;	/* a sum of squares, below 0 by rounding */
		ma[0] = s.hi;
		ma[1] = s.lo;
	}
	for (int j = 0; j < nv; j++)
	{
		/* the merged mean: a's moved by -dA, or b's when a is empty */
		HteDD		m = meanB[j];

		if (na != 0.0)
		{
			m = hte_mv_mean(t, a, j);
			hte_dd_add(&m, -dA[j]);
		}
		a[1 + 2 * j] = m.hi;
		a[2 + 2 * j] = m.lo;
	}
	a[0] = n;
}

void
hte_mv_merge(const HteMvTable *t, double *a, const double *b, double *work)
{
	const int	nv = t->nvars;
	double	   *XB = work + 4 * (size_t) t->count,
			   *lo = XB + t->count;
	HteDD		mb[HTE_MV_MAX_P + 1];

	if (b[0] == 0.0)
		return;
	if (a[0] == 0.0)
	{
		memcpy(a, b, sizeof(double) * hte_mv_arm_len(t));
		return;
	}
	XB[0] = b[0];
	for (int j = 0; j < nv; j++)
	{
		mb[j] = hte_mv_mean(t, b, j);
		XB[1 + j] = 0.0;
	}
	for (int m = nv + 1; m < t->count; m++)
	{
		XB[m] = b[1 + 2 * (size_t) (m - 1)];
		lo[m] = b[2 + 2 * (size_t) (m - 1)];
	}
	merge_sums(t, a, mb, XB, lo, work);
}

/*
 * Rows are folded CHUNK at a time as dot products of columns: D holds the
 * chunk's deviations from the shift by variable, Q the products of every
 * pair of them; a raw sum of degree 3 is Q_uv . D_w, of degree 4
 * Q_uv . Q_wz.  The columns are padded with zeros to a multiple of 4.
 */
#define CHUNK 64

static inline int
npairs(const HteMvTable *t)
{
	return t->deg_start[3] - t->deg_start[2];
}

size_t
hte_mv_block_work(const HteMvTable *t)
{
	return 6 * (size_t) t->count + (size_t) CHUNK * (size_t) (t->nvars + npairs(t));
}

void
hte_mv_push_block(const HteMvTable *t, double *a, const double *rows, int k, double *work)
{
	const int	nv = t->nvars,
				np = npairs(t),
				d2 = t->deg_start[2],
				d3 = t->deg_start[3],
				d4 = t->deg_start[4];
	double	   *R = work + 4 * (size_t) t->count,
			   *D = work + 6 * (size_t) t->count,
			   *Q = D + (size_t) CHUNK * nv;
	double		s[HTE_MV_MAX_P + 1];

	/* the shift: the block's mean, rounded */
	for (int j = 0; j < nv; j++)
	{
		double		sum = 0.0;

		for (int i = 0; i < k; i++)
			sum += rows[(size_t) i * nv + j];
		s[j] = sum / k;
	}
	/* raw sums of products of deviations from the shift */
	memset(R, 0, sizeof(double) * t->count);
	for (int c0 = 0; c0 < k; c0 += CHUNK)
	{
		int			kc = k - c0 < CHUNK ? k - c0 : CHUNK,
					k4 = (kc + 3) & ~3;
		const double *r = rows + (size_t) c0 * nv;

		for (int j = 0; j < nv; j++)
		{
			double	   *dj = D + (size_t) j * CHUNK;

			for (int i = 0; i < kc; i++)
				dj[i] = r[(size_t) i * nv + j] - s[j];
			for (int i = kc; i < k4; i++)
				dj[i] = 0.0;
			for (int i = 0; i < kc; i++)
				R[1 + j] += dj[i];
		}
		for (int q = 0; q < np; q++)
		{
			const double *du = D + (size_t) t->vars[4 * (d2 + q)] * CHUNK,
					   *dv = D + (size_t) t->vars[4 * (d2 + q) + 1] * CHUNK;
			double	   *qq = Q + (size_t) q * CHUNK,
						sum = 0.0;

			for (int i = 0; i < k4; i++)
			{
				qq[i] = du[i] * dv[i];
				sum += qq[i];
			}
			R[d2 + q] += sum;
		}
		for (int m = d3; m < d4; m++)
			R[m] += hte_dot4(Q + (size_t) t->head[m] * CHUNK, D + (size_t) t->tail[m] * CHUNK, k4);
		for (int m = d4; m < t->count; m++)
			R[m] += hte_dot4(Q + (size_t) t->head[m] * CHUNK, Q + (size_t) t->tail[m] * CHUNK, k4);
	}
	R[0] = k;
	{
		HteDD		sB[HTE_MV_MAX_P + 1];

		for (int j = 0; j < nv; j++)
		{
			sB[j].hi = s[j];
			sB[j].lo = 0.0;
		}
		merge_sums(t, a, sB, R, NULL, work);
	}
}

const char *
hte_mv_arm_check(const HteMvTable *t, const double *a)
{
	double		n = a[0];
	size_t		len = hte_mv_arm_len(t);

	if (!(n >= 0.0 && n <= HTE_MAX_COUNT && n == floor(n)))
		return "The row count of an arm is not a whole number between 0 and 2^53.";
	for (size_t i = 1; i < len; i += 2)
	{
		HteDD		d = {a[i], a[i + 1]};

		if (!hte_dd_valid(d))
			return "A mean or moment is not a finite normalized double-double.";
		if (n == 0.0 && (d.hi != 0.0 || d.lo != 0.0))
			return "An empty arm has a nonzero mean or moment.";
		if (n == 1.0 && i > (size_t) 2 * t->nvars && (d.hi != 0.0 || d.lo != 0.0))
			return "A one-row arm has a nonzero moment.";
	}
	for (int m = t->nvars + 1; m < t->count; m++)
		if (even_monomial(t, m) && hte_mv_moment(t, a, m) < 0.0)
			return "A sum of squares is negative.";
	return NULL;
}
