/*
 * test_forest.c — the causal forest core (src/core/hte_forest.c) without
 * PostgreSQL: the stored form round-trips byte for byte; the same rows in
 * another order, or with -0.0 for 0.0, give the identical model; doubling a
 * covariate doubles its thresholds and nothing else; a different seed gives
 * another forest; the validator rejects truncated, altered and structurally
 * broken models (the hash recomputed, so the structure checks are reached);
 * the options are checked; one arm and a model past max_model_mb are
 * refused; and on a simulated trial the forest finds the effect
 * (correlation with the true τ(x)).  The exact checks of trees against a
 * brute-force reference are in test/r/check_forest_tree.R.
 * Prints "forest: N passed, M failed".
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hte_forest.h"
#include "hte_rng.h"

static int	passed,
			failed;

static void
check(int ok, const char *what)
{
	if (ok)
		passed++;
	else
	{
		failed++;
		printf("FAIL %s\n", what);
	}
}

static void *
xalloc(void *ctx, size_t bytes)
{
	void	   *p = malloc(bytes ? bytes : 1);

	(void) ctx;
	if (p == NULL)
		abort();
	return p;
}

static void
xfree(void *ctx, void *p)
{
	(void) ctx;
	free(p);
}

static void
no_interrupts(void)
{
}

static const HteForestEnv env = {xalloc, xfree, NULL, no_interrupts};

#define P 4

static double
sig(double u)
{
	return 1.0 + 1.0 / (1.0 + exp(-20.0 * (u - 1.0 / 3.0)));
}

static double
true_tau(const double *x)
{
	return sig(x[0]) * sig(x[1]);
}

/* n rows (y, w, x_1..x_P) of a trial with τ(x) = ς(x1) ς(x2) */
static double *
simulate(size_t n, uint64_t seed)
{
	HteRng		r;
	double	   *rows = xalloc(NULL, sizeof(double) * n * (2 + P));

	hte_rng_seed(&r, seed);
	for (size_t i = 0; i < n; i++)
	{
		double	   *q = rows + i * (2 + P),
					u1,
					u2,
					z;

		for (int j = 0; j < P; j++)
			q[2 + j] = hte_rng_double(&r);
		q[5] = floor(q[5] * 4.0);	/* a covariate with ties */
		q[1] = hte_rng_double(&r) < 0.4 ? 1.0 : 0.0;
		u1 = hte_rng_double(&r);
		u2 = hte_rng_double(&r);
		z = sqrt(-2.0 * log(1.0 - u1)) * cos(6.283185307179586 * u2);
		q[0] = q[3] + q[1] * true_tau(q + 2) + z;
	}
	return rows;
}

static unsigned char *
train_bytes(const double *rows, size_t n, const HteForestOptions *o, size_t *len, HteForest *f)
{
	double		need;
	unsigned char *b;

	if (hte_forest_train(&env, rows, n, P, o, f, &need, NULL) != HTE_FOREST_OK)
	{
		*len = 0;
		return NULL;
	}
	*len = hte_forest_serialized_size(f);
	b = xalloc(NULL, *len);
	hte_forest_serialize(f, b);
	return b;
}

static void
put_u64(unsigned char *o, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		o[i] = (unsigned char) (v >> (8 * i));
}

/* the FNV-1a hash of the stored form, recomputed after an edit */
static void
rehash(unsigned char *b, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i;

	for (i = 0; i + 8 <= len - 8; i += 8)
	{
		uint64_t	v = 0;

		for (int k = 7; k >= 0; k--)
			v = (v << 8) | b[i + k];
		h = (h ^ v) * 0x100000001b3ULL;
	}
	put_u64(b + len - 8, h);
}

static int
rejects(const unsigned char *b, size_t len)
{
	return hte_forest_deserialize(&env, b, len, NULL) != NULL;
}

int
main(void)
{
	size_t		n = 800,
				len,
				len2;
	double	   *rows = simulate(n, 7);
	HteForestOptions o;
	HteForest	f,
				g;
	unsigned char *b,
			   *b2;
	uint32_t   *work;
	char		what[128];

	hte_forest_defaults(&o);
	o.num_trees = 300;
	b = train_bytes(rows, n, &o, &len, &f);
	check(b != NULL, "training succeeds");
	if (b == NULL)
		return 1;
	check(f.num_trees == 300 && f.ci_group_size == 2 && f.opts.mtry == P, "trees and mtry as asked");

	/* round trip */
	check(hte_forest_deserialize(&env, b, len, &g) == NULL, "the stored form is valid");
	b2 = xalloc(NULL, len);
	hte_forest_serialize(&g, b2);
	check(memcmp(b, b2, len) == 0, "deserialize + serialize gives the same bytes");
	free(b2);

	/* the same rows in another order, and -0.0 */
	{
		double	   *q = xalloc(NULL, sizeof(double) * n * (2 + P));
		HteRng		r;
		HteForest	h;

		hte_rng_seed(&r, 99);
		memcpy(q, rows, sizeof(double) * n * (2 + P));
		for (size_t i = n - 1; i > 0; i--)
		{
			size_t		j = (size_t) hte_rng_below(&r, i + 1);

			for (int c = 0; c < 2 + P; c++)
			{
				double		t = q[i * (2 + P) + c];

				q[i * (2 + P) + c] = q[j * (2 + P) + c];
				q[j * (2 + P) + c] = t;
			}
		}
		for (size_t i = 0; i < n; i++)
			if (q[i * (2 + P) + 5] == 0.0)
				q[i * (2 + P) + 5] = -0.0;
		b2 = train_bytes(q, n, &o, &len2, &h);
		check(b2 != NULL && len2 == len && memcmp(b, b2, len) == 0,
			  "permuted rows with -0.0 give the identical model");
		free(b2);
		hte_forest_free(&env, &h);

		/* doubling covariate 1 (exact) doubles its thresholds only */
		memcpy(q, rows, sizeof(double) * n * (2 + P));
		for (size_t i = 0; i < n; i++)
			q[i * (2 + P) + 3] *= 2.0;
		b2 = train_bytes(q, n, &o, &len2, &h);
		if (b2 != NULL && len2 == len)
		{
			int			same = 1;

			for (uint64_t i = 0; i < f.node_off[f.num_trees]; i++)
			{
				double		t = f.nodes[i].var == 1 ? 2.0 * f.nodes[i].threshold : f.nodes[i].threshold;

				if (h.nodes[i].var != f.nodes[i].var || h.nodes[i].right != f.nodes[i].right ||
					h.nodes[i].threshold != t)
					same = 0;
			}
			check(same, "doubling a covariate doubles its thresholds and nothing else");
		}
		else
			check(0, "doubling a covariate doubles its thresholds and nothing else");
		free(b2);
		hte_forest_free(&env, &h);

		/* another seed, another forest */
		o.seed = 1;
		b2 = train_bytes(rows, n, &o, &len2, &h);
		check(b2 != NULL && (len2 != len || memcmp(b, b2, len) != 0), "another seed, another forest");
		o.seed = 0;
		free(b2);
		hte_forest_free(&env, &h);
		free(q);
	}

	/* the forest finds the effect */
	{
		HteRng		r;
		double		sx = 0,
					sy = 0,
					sxx = 0,
					syy = 0,
					sxy = 0,
					minse = INFINITY,
					corr;
		int			m = 400,
					finite = 1;

		work = xalloc(NULL, sizeof(uint32_t) * f.num_trees);
		hte_rng_seed(&r, 5);
		for (int k = 0; k < m; k++)
		{
			double		x[P],
						est,
						se,
						t;

			for (int j = 0; j < P; j++)
				x[j] = hte_rng_double(&r);
			t = true_tau(x);
			hte_forest_predict(&g, x, &est, &se, work);
			if (!isfinite(est) || !isfinite(se))
				finite = 0;
			if (se < minse)
				minse = se;
			sx += est;
			sy += t;
			sxx += est * est;
			syy += t * t;
			sxy += est * t;
		}
		corr = (sxy - sx * sy / m) / sqrt((sxx - sx * sx / m) * (syy - sy * sy / m));
		check(finite && minse > 0.0, "estimates and standard errors are finite and positive");
		snprintf(what, sizeof(what), "estimates follow the true effect (correlation %.3f > 0.7)", corr);
		check(corr > 0.7, what);
		/* E ς(U) = 1 + ∫ logistic(20 (u - 1/3)) du = 1 + (log(1 + e^{40/3}) - log(1 + e^{-20/3})) / 20 */
		{
			double		es = 1.0 + (log1p(exp(40.0 / 3.0)) - log1p(exp(-20.0 / 3.0))) / 20.0;

			snprintf(what, sizeof(what), "the ATE %.3f (SE %.3f) is within 3 SE of %.3f",
					 f.summary.ate, f.summary.ate_se, es * es);
			check(fabs(f.summary.ate - es * es) < 3.0 * f.summary.ate_se && f.summary.ate_se > 0.0, what);
		}
		check(f.importance[0] > 0.2 && f.importance[1] > 0.2 && f.importance[2] < 0.2,
			  "the effect's covariates are the most important");
		free(work);
	}

	/* the validator */
	{
		int			all = 1;

		check(rejects(b, len - 1) && rejects(b, 10) && rejects(b, 0), "truncated models are refused");
		for (size_t i = 0; i < len; i += (i < 400 ? 1 : 997))
		{
			b[i] ^= 0x10;
			if (!rejects(b, len))
				all = 0;
			b[i] ^= 0x10;
		}
		check(all, "any altered byte is refused (the hash)");
		check(!rejects(b, len), "the model is valid again");

		/* structure, hash recomputed */
		{
			size_t		nodes = 224 + 8 * P + 16 * ((size_t) f.num_trees + 1);
			unsigned char *c = xalloc(NULL, len);
			size_t		leaves = nodes + 16 * f.node_off[f.num_trees];

			memcpy(c, b, len);
			rehash(c, len);
			check(!rejects(c, len), "rehash reproduces the hash");
			/* root's covariate out of range */
			memcpy(c, b, len);
			c[nodes + 8] = P;
			rehash(c, len);
			check(rejects(c, len), "a covariate out of range is refused");
			/* root's right child pointing at itself */
			memcpy(c, b, len);
			memset(c + nodes + 12, 0, 4);
			rehash(c, len);
			check(rejects(c, len), "a misplaced right child is refused");
			/* a NaN threshold */
			memcpy(c, b, len);
			memset(c + nodes, 0xff, 8);
			rehash(c, len);
			check(rejects(c, len), "a NaN threshold is refused");
			/* a leaf's mean of W~^2 negative */
			memcpy(c, b, len);
			c[leaves + 31] ^= 0x80;
			rehash(c, len);
			check(rejects(c, len), "an impossible leaf is refused");
			/* a version from the future */
			memcpy(c, b, len);
			c[4] = 2;
			rehash(c, len);
			check(rejects(c, len), "another version is refused");
			/* an option out of range (alpha 0.3) */
			{
				double		a = 0.3;
				uint64_t	v;

				memcpy(c, b, len);
				memcpy(&v, &a, 8);
				put_u64(c + 72, v);
				rehash(c, len);
				check(rejects(c, len), "an option out of range is refused");
			}
			/* an infinite ATE */
			{
				double		a = INFINITY;
				uint64_t	v;

				memcpy(c, b, len);
				memcpy(&v, &a, 8);
				put_u64(c + 104, v);
				rehash(c, len);
				check(rejects(c, len), "an infinite summary value is refused");
			}
			free(c);
		}
	}

	/* options and refusals */
	{
		HteForestOptions q;
		double		need;
		HteForest	h;

		hte_forest_defaults(&q);
		check(hte_forest_options_check(&q, P, n) == NULL, "the defaults are valid");
		check(hte_forest_mtry(&q, 10) == 10 && hte_forest_mtry(&q, 100) == 30, "grf's default mtry");
		q.sample_fraction = 0.6;
		check(hte_forest_options_check(&q, P, n) != NULL, "sample_fraction > 0.5 with groups is refused");
		q.ci_group_size = 1;
		check(hte_forest_options_check(&q, P, n) == NULL, "sample_fraction 0.6 without groups is valid");
		hte_forest_defaults(&q);
		q.alpha = 0.25;
		check(hte_forest_options_check(&q, P, n) != NULL, "alpha 0.25 is refused");
		hte_forest_defaults(&q);
		check(hte_forest_options_check(&q, P, 3) != NULL, "3 rows are too few for honest halves");
		q.num_trees = 0;
		check(hte_forest_options_check(&q, P, n) != NULL, "0 trees are refused");

		hte_forest_defaults(&q);
		q.num_trees = 50;
		for (size_t i = 0; i < n; i++)
			rows[i * (2 + P) + 1] = 1.0;
		check(hte_forest_train(&env, rows, n, P, &q, &h, &need, NULL) == HTE_FOREST_ONE_ARM, "one arm is refused");
		free(rows);
		rows = simulate(n, 7);
		q.max_model_mb = 0.01;
		check(hte_forest_train(&env, rows, n, P, &q, &h, &need, NULL) == HTE_FOREST_TOO_LARGE && need > 0.01,
			  "a model past max_model_mb is refused, with its projected size");

		/* many trees and sample_fraction below 0.5: still valid, OOB defined */
		hte_forest_defaults(&q);
		q.num_trees = 21;		/* rounded up to 22 */
		q.sample_fraction = 0.3;
		q.honesty_prune_leaves = false;
		q.ci_group_size = 2;
		check(hte_forest_train(&env, rows, n, P, &q, &h, &need, NULL) == HTE_FOREST_OK && h.num_trees == 22,
			  "odd num_trees is rounded up to whole groups");
		hte_forest_free(&env, &h);
	}
	free(rows);
	free(b);
	hte_forest_free(&env, &f);
	hte_forest_free(&env, &g);
	printf("forest: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
