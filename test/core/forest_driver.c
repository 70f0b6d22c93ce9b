/*
 * forest_driver.c — trees of the causal forest core (src/core/hte_forest.c)
 * on given index sets, for the exact check against the brute-force R
 * reference (test/r/ref_forest.R, test/r/check_forest_tree.R).  Text in,
 * text out; the format is described at the top of test/r/check_forest_tree.R.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hte_forest.h"

static void *
xalloc(void *ctx, size_t bytes)
{
	void	   *p = malloc(bytes ? bytes : 1);

	(void) ctx;
	if (p == NULL)
	{
		fprintf(stderr, "forest_driver: out of memory\n");
		exit(2);
	}
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

static void
bad(const char *what)
{
	fprintf(stderr, "forest_driver: bad input: %s\n", what);
	exit(1);
}

static double
rd(void)
{
	double		v;

	if (scanf("%lf", &v) != 1)
		bad("a number");
	return v;
}

static long
ri(void)
{
	long		v;

	if (scanf("%ld", &v) != 1)
		bad("an integer");
	return v;
}

static void
pr(double v)
{
	if (isnan(v))
		printf(" NA");
	else
		printf(" %.17g", v);
}

/*
 * "train": the whole training (src/core/hte_forest.c's hte_forest_train) on
 * given rows and options; prints the out-of-bag vectors in canonical order,
 * the stored summary, the importance and predictions at test points.
 */
static int
train_mode(const HteForestEnv *env)
{
	HteForestOptions o;
	long		n,
				p,
				m;
	double	   *rows,
			   *xt,
				need = 0.0;
	HteForestOob oob;
	HteForest	f;
	HteForestStatus st;
	uint32_t   *work;
	const char *why;

	n = ri();
	p = ri();
	if (n < 1 || p < 1 || p > HTE_FOREST_MAX_P)
		bad("n or p");
	hte_forest_defaults(&o);
	o.num_trees = ri();
	o.sample_fraction = rd();
	o.mtry = ri();
	o.min_node_size = ri();
	o.honesty = ri() != 0;
	o.honesty_fraction = rd();
	o.honesty_prune_leaves = ri() != 0;
	o.alpha = rd();
	o.imbalance_penalty = rd();
	o.ci_group_size = ri();
	o.seed = ri();
	why = hte_forest_options_check(&o, (int) p, (size_t) n);
	if (why != NULL)
	{
		printf("status options %s\n", why);
		return 0;
	}
	rows = xalloc(NULL, sizeof(double) * n * (2 + p));
	for (long i = 0; i < n * (2 + p); i++)
		rows[i] = rd();
	oob.order = xalloc(NULL, sizeof(uint32_t) * n);
	oob.y_hat = xalloc(NULL, sizeof(double) * n);
	oob.w_hat = xalloc(NULL, sizeof(double) * n);
	oob.tau = xalloc(NULL, sizeof(double) * n);
	st = hte_forest_train(env, rows, (size_t) n, (int) p, &o, &f, &need, &oob);
	printf("status %d\n", (int) st);
	if (st != HTE_FOREST_OK)
		return 0;
	for (long i = 0; i < n; i++)
	{
		printf("row %ld %u", i, oob.order[i]);
		pr(oob.y_hat[i]);
		pr(oob.w_hat[i]);
		pr(oob.tau[i]);
		printf("\n");
	}
	printf("summary");
	pr(f.summary.ate);
	pr(f.summary.ate_se);
	pr(f.summary.att);
	pr(f.summary.att_se);
	pr(f.summary.atu);
	pr(f.summary.atu_se);
	pr(f.summary.cal_mean);
	pr(f.summary.cal_mean_se);
	pr(f.summary.cal_mean_p);
	pr(f.summary.cal_diff);
	pr(f.summary.cal_diff_se);
	pr(f.summary.cal_diff_p);
	printf("\n");
	printf("vi");
	for (long j = 0; j < p; j++)
		pr(f.importance[j]);
	printf("\n");
	m = ri();
	xt = xalloc(NULL, sizeof(double) * (m > 0 ? m : 1) * p);
	work = xalloc(NULL, sizeof(uint32_t) * f.num_trees);
	for (long k = 0; k < m * p; k++)
		xt[k] = rd();
	for (long k = 0; k < m; k++)
	{
		double		e,
					se;

		hte_forest_predict(&f, xt + k * p, &e, &se, work);
		printf("pred %ld", k);
		pr(e);
		pr(se);
		printf("\n");
	}
	return 0;
}

int
main(void)
{
	HteForestEnv env = {xalloc, xfree, NULL, no_interrupts};
	HteTreeParams tp;
	char		mode[32];
	long		n,
				p,
				T,
				ell,
				m;
	double	   *x,
			   *y,
			   *w,
			   *oob,
			   *xt;
	uint32_t  **split,
			  **est,
			   *work;
	size_t	   *sn,
			   *en;
	HteForest	f;

	if (scanf("%31s", mode) != 1)
		bad("the mode");
	if (strcmp(mode, "train") == 0)
		return train_mode(&env);
	tp.causal = strcmp(mode, "causal") == 0;
	if (!tp.causal && strcmp(mode, "regression") != 0)
		bad("the mode must be causal or regression");
	n = ri();
	p = ri();
	if (n < 1 || p < 1 || p > HTE_FOREST_MAX_P)
		bad("n or p");
	tp.min_node_size = ri();
	tp.alpha = rd();
	tp.imbalance_penalty = rd();
	tp.prune = ri() != 0;
	ell = ri();
	x = xalloc(NULL, sizeof(double) * n * p);
	y = xalloc(NULL, sizeof(double) * n);
	w = xalloc(NULL, sizeof(double) * n);
	for (long i = 0; i < n; i++)
	{
		y[i] = rd();
		w[i] = rd();
		for (long j = 0; j < p; j++)
			x[i * p + j] = rd();
	}
	T = ri();
	if (T < 1 || ell < 1 || T % ell != 0)
		bad("the number of trees must be a positive multiple of ci_group_size");
	split = xalloc(NULL, sizeof(uint32_t *) * T);
	est = xalloc(NULL, sizeof(uint32_t *) * T);
	sn = xalloc(NULL, sizeof(size_t) * T);
	en = xalloc(NULL, sizeof(size_t) * T);
	for (long b = 0; b < T; b++)
	{
		for (int s = 0; s < 2; s++)
		{
			long		k = ri();
			uint32_t   *idx;

			if (k < 1 || k > n)
				bad("a set size");
			idx = xalloc(NULL, sizeof(uint32_t) * k);
			for (long t = 0; t < k; t++)
			{
				long		v = ri();

				if (v < 0 || v >= n)
					bad("a row index");
				idx[t] = (uint32_t) v;
			}
			if (s == 0)
			{
				split[b] = idx;
				sn[b] = (size_t) k;
			}
			else
			{
				est[b] = idx;
				en[b] = (size_t) k;
			}
		}
	}
	oob = xalloc(NULL, sizeof(double) * n);
	hte_forest_grow_given(&env, &tp, x, y, tp.causal ? w : NULL, (size_t) n, (int) p, (int) T,
						  (int) ell, split, sn, est, en, &f, oob);

	for (long b = 0; b < T; b++)
	{
		const HteForestNode *nd = f.nodes + f.node_off[b];
		size_t		nn = f.node_off[b + 1] - f.node_off[b];

		printf("tree %ld\n", b);
		for (size_t i = 0; i < nn; i++)
		{
			if (nd[i].var >= 0)
			{
				printf("N %d", nd[i].var);
				pr(nd[i].threshold);
				printf("\n");
			}
			else if (nd[i].right == HTE_FOREST_EMPTY)
				printf(tp.causal ? "L 0 NA NA NA NA\n" : "L 0 NA\n");
			else
			{
				const double *s = f.leaves + HTE_FOREST_LEAF_STATS * (f.leaf_off[b] + nd[i].right);

				/* the model keeps no counts: 1 marks a non-empty leaf */
				printf("L 1");
				for (int k = 0; k < (tp.causal ? 4 : 1); k++)
					pr(s[k]);
				printf("\n");
			}
		}
		printf("end\n");
	}
	m = ri();
	xt = xalloc(NULL, sizeof(double) * (m > 0 ? m : 1) * p);
	work = xalloc(NULL, sizeof(uint32_t) * T);
	for (long k = 0; k < m; k++)
		for (long j = 0; j < p; j++)
			xt[k * p + j] = rd();
	for (long k = 0; k < m; k++)
	{
		double		est_v,
					se;

		if (tp.causal)
			hte_forest_predict(&f, xt + k * p, &est_v, &se, work);
		else
		{
			est_v = hte_forest_predict_mean(&f, xt + k * p);
			se = NAN;
		}
		printf("pred %ld", k);
		pr(est_v);
		pr(se);
		printf("\n");
	}
	for (long i = 0; i < n; i++)
	{
		printf("oob %ld", i);
		pr(oob[i]);
		printf("\n");
	}
	printf("vi");
	for (long j = 0; j < p; j++)
		pr(f.importance[j]);
	printf("\n");
	return 0;
}
