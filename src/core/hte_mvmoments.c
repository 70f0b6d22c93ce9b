/*
 * hte_mvmoments.c — multivariate central moments up to fourth order (y-degree
 * at most 2): the monomial table, block folding and pairwise merging.  See
 * hte_mvmoments.h.
 */
#include "hte_mvmoments.h"

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
	return binom(p + 4, 4) + binom(p + 3, 3) + binom(p + 2, 2);
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
		align8(4 * (c + 1)) + 2 * align8(4 * c * MAX_DIV) + 8 * c * MAX_DIV;
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
	uint8_t		cur[4];
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
	t->div_start = (int32_t *) q;
	q += align8(4 * (c + 1));
	t->div_b = (int32_t *) q;
	q += align8(4 * c * MAX_DIV);
	t->div_g = (int32_t *) q;
	q += align8(4 * c * MAX_DIV);
	t->div_c = (double *) q;

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
					dv[4],
					e[4],
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

void
hte_mv_merge(const HteMvTable *t, double *a, const double *b, double *work)
{
	const int	nv = t->nvars;
	double		na = a[0],
				nb = b[0],
				n = na + nb;
	double	   *PA = work,
			   *PB = work + t->count;
	double		dA[HTE_MV_MAX_P + 1] = {0},
				dB[HTE_MV_MAX_P + 1] = {0},
				delta[HTE_MV_MAX_P + 1];

	if (nb == 0.0)
		return;
	if (na == 0.0)
	{
		memcpy(a, b, sizeof(double) * hte_mv_arm_len(t));
		return;
	}
	for (int j = 0; j < nv; j++)
	{
		HteDD		ma = hte_mv_mean(t, a, j),
					mb = hte_mv_mean(t, b, j);

		delta[j] = hte_dd_diff(mb, ma);
		dA[j] = -(nb / n) * delta[j];
		dB[j] = (na / n) * delta[j];
	}
	powers(t, dA, PA);
	powers(t, dB, PB);

	/* highest degree first: a moment's divisors are of lower degree */
	for (int m = t->count - 1; m > nv; m--)
	{
		double	   *ma = moment_ptr(a, m);
		const double *mb = b + 1 + 2 * (size_t) (m - 1);
		double		corr = 0.0;
		HteDD		s = {ma[0], ma[1]};

		for (int i = t->div_start[m]; i < t->div_start[m + 1]; i++)
		{
			int			bi = t->div_b[i],
						gi = t->div_g[i];
			double		xa,
						xb;

			if (t->deg[bi] == 1)
				continue;		/* central moments of degree 1 are 0 */
			if (bi == 0)
			{
				xa = na;
				xb = nb;
			}
			else
			{
				xa = a[1 + 2 * (size_t) (bi - 1)] + a[2 + 2 * (size_t) (bi - 1)];
				xb = b[1 + 2 * (size_t) (bi - 1)] + b[2 + 2 * (size_t) (bi - 1)];
			}
			corr += t->div_c[i] * (xa * PA[gi] + xb * PB[gi]);
		}
		hte_dd_add(&s, mb[0]);
		hte_dd_add(&s, mb[1]);
		hte_dd_add(&s, corr);
		if (s.hi < 0.0 && even_monomial(t, m))
			s.hi = s.lo = 0.0;	/* a sum of squares, below 0 by rounding */
		ma[0] = s.hi;
		ma[1] = s.lo;
	}
	for (int j = 0; j < nv; j++)
	{
		HteDD		m = {a[1 + 2 * j], a[2 + 2 * j]};

		hte_dd_add(&m, (nb / n) * delta[j]);
		a[1 + 2 * j] = m.hi;
		a[2 + 2 * j] = m.lo;
	}
	a[0] = n;
}

size_t
hte_mv_block_work(const HteMvTable *t)
{
	return 5 * (size_t) t->count + hte_mv_arm_len(t);
}

void
hte_mv_push_block(const HteMvTable *t, double *a, const double *rows, int k, double *work)
{
	const int	nv = t->nvars;
	double	   *val = work,
			   *R = work + t->count,
			   *P = R + t->count,
			   *blk = P + t->count,
			   *mwork = blk + hte_mv_arm_len(t);
	double		s[HTE_MV_MAX_P + 1],
				c[HTE_MV_MAX_P + 1],
				negc[HTE_MV_MAX_P + 1] = {0};

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
	val[0] = 1.0;
	for (int i = 0; i < k; i++)
	{
		const double *row = rows + (size_t) i * nv;

		for (int m = 1; m < t->count; m++)
		{
			int			last = t->vars[4 * m + t->deg[m] - 1];

			val[m] = val[t->parent[m]] * (row[last] - s[last]);
			R[m] += val[m];
		}
	}
	R[0] = k;
	/* the block's mean is s + c; its central moments by the same formula */
	for (int j = 0; j < nv; j++)
		c[j] = R[1 + j] / k;
	for (int j = 0; j < nv; j++)
		negc[j] = -c[j];
	powers(t, negc, P);			/* powers of the shift -c */
	blk[0] = k;
	for (int j = 0; j < nv; j++)
	{
		HteDD		m = {0.0, 0.0};

		hte_two_sum(s[j], c[j], &m.hi, &m.lo);
		blk[1 + 2 * j] = m.hi;
		blk[2 + 2 * j] = m.lo;
	}
	for (int m = nv + 1; m < t->count; m++)
	{
		double		v = R[m];
		double	   *o = moment_ptr(blk, m);

		for (int i = t->div_start[m]; i < t->div_start[m + 1]; i++)
			v += t->div_c[i] * R[t->div_b[i]] * P[t->div_g[i]];
		if (v < 0.0 && even_monomial(t, m))
			v = 0.0;
		o[0] = v;
		o[1] = 0.0;
	}
	hte_mv_merge(t, a, blk, mwork);
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
