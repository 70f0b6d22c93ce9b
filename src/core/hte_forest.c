/*
 * hte_forest.c — the causal forest: training, prediction, the stored form.
 * See hte_forest.h for the algorithm and its sources.
 *
 * Tree growing keeps, per tree, one list of its split rows per covariate,
 * each sorted by that covariate (filtered from a sort of all rows made once
 * per forest) and partitioned stably at every split, so a node's candidate
 * thresholds come in order without sorting: O(p · rows) per tree level.
 * Ties are told apart by dense ranks, so thresholds are observed values and
 * equal values never part.
 */
#include "hte_forest.h"

#include <math.h>
#include <string.h>

#include "hte_dist.h"
#include "hte_interaction.h"
#include "hte_ols.h"
#include "hte_rng.h"

/* ------------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------------
 */
void
hte_forest_defaults(HteForestOptions *o)
{
	o->num_trees = 2000;
	o->sample_fraction = 0.5;
	o->mtry = 0;
	o->min_node_size = 5;
	o->honesty = true;
	o->honesty_fraction = 0.5;
	o->honesty_prune_leaves = true;
	o->alpha = 0.05;
	o->imbalance_penalty = 0.0;
	o->ci_group_size = 2;
	o->seed = 0;
	o->max_model_mb = HTE_FOREST_MAX_MODEL_MB;
}

int64_t
hte_forest_mtry(const HteForestOptions *o, int p)
{
	int64_t		m;

	if (o->mtry > 0)
		return o->mtry;
	m = (int64_t) ceil(sqrt((double) p) + 20.0);
	return m < p ? m : p;
}

const char *
hte_forest_options_check(const HteForestOptions *o, int p, size_t n)
{
	double		dn = (double) n;

	if (o->num_trees < 1 || o->num_trees > HTE_FOREST_MAX_TREES)
		return "num_trees must be between 1 and 100000";
	if (!(o->sample_fraction > 0.0 && o->sample_fraction <= 1.0))
		return "sample_fraction must be greater than 0 and at most 1";
	if (o->mtry < 0 || o->mtry > 1000000)
		return "mtry must be between 1 and 1000000";
	if (o->min_node_size < 0 || o->min_node_size > 1000000000)
		return "min_node_size must be between 0 and 1000000000";
	if (!(o->honesty_fraction > 0.0 && o->honesty_fraction < 1.0))
		return "honesty_fraction must be greater than 0 and less than 1";
	if (!(o->alpha >= 0.0 && o->alpha < 0.25))
		return "alpha must be at least 0 and less than 0.25";
	if (!(o->imbalance_penalty >= 0.0 && isfinite(o->imbalance_penalty)))
		return "imbalance_penalty must be a finite number of at least 0";
	if (o->ci_group_size < 1 || o->ci_group_size > 1000)
		return "ci_group_size must be between 1 and 1000";
	if (o->ci_group_size > 1 && o->sample_fraction > 0.5)
		return "sample_fraction must be at most 0.5 when ci_group_size is greater than 1";
	if (!(o->max_model_mb > 0.0 && o->max_model_mb <= HTE_FOREST_MAX_MODEL_MB))
		return "max_model_mb must be greater than 0 and at most 700";
	if (p != 0 && (p < 1 || p > HTE_FOREST_MAX_P))
		return "the forest needs between 1 and 1000 covariates";
	if (n == 0)
		return NULL;
	if (n < 2)
		return "the forest needs at least 2 rows";
	if (dn * o->sample_fraction < 1.0)
		return "sample_fraction times the number of rows must be at least 1";
	if (o->honesty && (dn * o->sample_fraction * o->honesty_fraction < 1.0 ||
					   dn * o->sample_fraction * (1.0 - o->honesty_fraction) < 1.0))
		return "with honesty, both parts of the subsample must have at least 1 row";
	/* the nuisance forests are honest with fraction 0.5 */
	if (dn * o->sample_fraction * 0.5 < 1.0)
		return "the nuisance forests' honest halves must have at least 1 row";
	return NULL;
}

static void put_u64(unsigned char *o, uint64_t v);
static void put_f64(unsigned char *o, double d);
static uint64_t get_u64(const unsigned char *o);
static double get_f64(const unsigned char *o);

void
hte_forest_options_pack(const HteForestOptions *o, unsigned char *out)
{
	put_u64(out, (uint64_t) o->num_trees);
	put_f64(out + 8, o->sample_fraction);
	put_u64(out + 16, (uint64_t) o->mtry);
	put_u64(out + 24, (uint64_t) o->min_node_size);
	put_u64(out + 32, o->honesty ? 1 : 0);
	put_f64(out + 40, o->honesty_fraction);
	put_u64(out + 48, o->honesty_prune_leaves ? 1 : 0);
	put_f64(out + 56, o->alpha);
	put_f64(out + 64, o->imbalance_penalty);
	put_u64(out + 72, (uint64_t) o->ci_group_size);
	put_u64(out + 80, (uint64_t) o->seed);
	put_f64(out + 88, o->max_model_mb);
}

const char *
hte_forest_options_unpack(const unsigned char *in, HteForestOptions *o)
{
	uint64_t	h = get_u64(in + 32),
				pr = get_u64(in + 48);

	if (h > 1 || pr > 1)
		return "a boolean option is neither true nor false";
	o->num_trees = (int64_t) get_u64(in);
	o->sample_fraction = get_f64(in + 8);
	o->mtry = (int64_t) get_u64(in + 16);
	o->min_node_size = (int64_t) get_u64(in + 24);
	o->honesty = h == 1;
	o->honesty_fraction = get_f64(in + 40);
	o->honesty_prune_leaves = pr == 1;
	o->alpha = get_f64(in + 56);
	o->imbalance_penalty = get_f64(in + 64);
	o->ci_group_size = (int64_t) get_u64(in + 72);
	o->seed = (int64_t) get_u64(in + 80);
	o->max_model_mb = get_f64(in + 88);
	return hte_forest_options_check(o, 0, 0);
}

/* ------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------
 */
static void *
env_alloc(const HteForestEnv *env, size_t count, size_t size)
{
	if (count == 0)
		count = 1;
	return env->alloc(env->ctx, count * size);
}

static void
env_free(const HteForestEnv *env, void *p)
{
	if (p != NULL)
		env->release(env->ctx, p);
}

/* Grow *arr (elements of size) to hold at least need, doubling. */
static void
env_grow(const HteForestEnv *env, void **arr, size_t *cap, size_t need, size_t size)
{
	size_t		c = *cap ? *cap : 64;
	void	   *a;

	if (need <= *cap)
		return;
	while (c < need)
		c *= 2;
	a = env_alloc(env, c, size);
	if (*arr != NULL)
	{
		memcpy(a, *arr, *cap * size);
		env_free(env, *arr);
	}
	*arr = a;
	*cap = c;
}

/* ------------------------------------------------------------------------
 * The shared, read-only data of a forest and the per-tree workspace
 * ------------------------------------------------------------------------
 */
typedef struct BuildNode
{
	uint32_t	start,
				end;			/* range in the ordered lists */
	int32_t		var;			/* -1: leaf */
	double		threshold;
	uint32_t	left,
				right;
	uint32_t	count;			/* estimation rows (leaves) */
	double		stat[HTE_FOREST_LEAF_STATS];
} BuildNode;

typedef struct Grower
{
	const HteForestEnv *env;
	size_t		n;
	int			p;
	const double *x;			/* n × p, row-major */
	const uint32_t *rank;		/* p × n: dense rank of x[·][v], in sorted order */
	const uint32_t *sorted;		/* p × n: rows in order of x[·][v] */
	HteTreeParams tp;
	int64_t		mtry;
	HtePoisson	pois;
	double	   *pois_cdf;

	/* per tree */
	int32_t    *loc;			/* n: local index of a split row, else -1 */
	uint32_t   *gidx;			/* local → row */
	uint32_t   *ord;			/* p × smax lists of local indices */
	uint32_t   *ordrank;		/* p × smax: their dense ranks */
	uint32_t   *tmp,
			   *tmprank;
	unsigned char *side;		/* smax: goes left */
	double	   *ly,
			   *lw,
			   *rho;
	size_t		smax;
	int		   *vars;			/* p */
	uint32_t   *vperm;			/* p, identity between uses */
	BuildNode  *nodes;
	size_t		nodes_cap;
	size_t		nnodes;
	bool		overflow;		/* a leaf's sums overflowed */
	uint32_t   *stack;
	size_t		stack_cap;
} Grower;

/*
 * Draw the candidate covariates of a node into g->vars in draw order; the
 * number drawn.  Without a generator (the exact test entry point), every
 * covariate in ascending order.
 */
static int
draw_vars(Grower *g, HteRng *rng)
{
	int			p = g->p,
				m,
				k = 0;

	if (rng == NULL)
	{
		for (int v = 0; v < p; v++)
			g->vars[v] = v;
		return p;
	}
	if (g->mtry <= HTE_POISSON_MAX_LAMBDA)
		m = hte_poisson_draw(&g->pois, rng);
	else if (2 * (int64_t) p <= g->mtry)
		m = p;					/* P(K < p) < e^{-76}: every covariate */
	else
	{
		/* a sum of independent Poissons of at most 500 each is Poisson */
		int64_t		left = g->mtry;

		m = 0;
		while (left > 0 && m < p)
		{
			int			lam = left > HTE_POISSON_MAX_LAMBDA ? HTE_POISSON_MAX_LAMBDA : (int) left;
			HtePoisson	q;

			(void) hte_poisson_init(&q, lam, p, g->pois_cdf);
			m += hte_poisson_draw(&q, rng);
			left -= lam;
		}
		/* the cached table was overwritten: rebuild for the next node */
		(void) hte_poisson_init(&g->pois, HTE_POISSON_MAX_LAMBDA, p, g->pois_cdf);
	}
	if (m > p)
		m = p;
	if (m < 1)
		m = 1;
	/*
	 * In draw order, as grf: an exact tie between covariates (frequent with
	 * a 0/1 response, whose split scores depend on counts only) goes to the
	 * one drawn first, a random one, not always the lowest index.
	 */
	hte_rng_sample(rng, g->vperm, (size_t) p, (size_t) m);
	for (int i = 0; i < m; i++)
		g->vars[k++] = (int) g->vperm[i];
	/* restore the identity (values >= m moved only into the first m slots) */
	for (int i = 0; i < m; i++)
		if (g->vperm[i] >= (uint32_t) m)
			g->vperm[g->vperm[i]] = g->vperm[i];
	for (int i = 0; i < m; i++)
		g->vperm[i] = (uint32_t) i;
	return k;
}

static uint32_t
new_node(Grower *g, uint32_t start, uint32_t end)
{
	BuildNode  *nd;

	env_grow(g->env, (void **) &g->nodes, &g->nodes_cap, g->nnodes + 1, sizeof(BuildNode));
	nd = &g->nodes[g->nnodes];
	memset(nd, 0, sizeof(*nd));
	nd->start = start;
	nd->end = end;
	nd->var = -1;
	return (uint32_t) g->nnodes++;
}

typedef struct Best
{
	double		score;
	int			var;
	uint32_t	rank;			/* dense rank of the threshold */
	double		threshold;
} Best;

/*
 * Scan covariate v of a causal node: the best admissible split by ρ
 * (strictly better than best->score).
 */
static void
scan_causal(Grower *g, uint32_t a, uint32_t b, int v, double mP, double sP, double sum_rho,
			double sw_P, double sww_P, uint32_t low_P, Best *best)
{
	const uint32_t *L = g->ord + (size_t) v * g->smax + a;
	const uint32_t *R = g->ordrank + (size_t) v * g->smax + a;
	uint32_t	m = b - a,
				nl = 0,
				low_l = 0,
				high_P = m - low_P;
	double		sl = 0.0,
				swl = 0.0,
				swwl = 0.0,
				mns = (double) g->tp.min_node_size,
				alpha = g->tp.alpha,
				lambda = g->tp.imbalance_penalty;

	for (uint32_t t = 0; t + 1 < m; t++)
	{
		uint32_t	k = L[t];
		double		wk = g->lw[k];
		uint32_t	r = R[t],
					low_r,
					high_l,
					high_r,
					nr;
		double		SL,
					SR,
					sr,
					score;

		nl++;
		sl += g->rho[k];
		swl += wk;
		swwl += wk * wk;
		if (wk < mP)
			low_l++;
		if (r == R[t + 1])
			continue;
		nr = m - nl;
		high_l = nl - low_l;
		low_r = low_P - low_l;
		high_r = high_P - high_l;
		if ((double) low_r < mns || (double) high_r < mns)
			break;				/* only worse further right */
		if ((double) low_l < mns || (double) high_l < mns)
			continue;
		SL = swwl - swl * swl / (double) nl;
		SR = (sww_P - swwl) - (sw_P - swl) * (sw_P - swl) / (double) nr;
		if (SL < alpha * sP || SR < alpha * sP)
			continue;
		if (lambda > 0.0 && (SL <= 0.0 || SR <= 0.0))
			continue;
		sr = sum_rho - sl;
		score = sl * sl / (double) nl + sr * sr / (double) nr;
		if (lambda > 0.0)
			score -= lambda * (1.0 / SL + 1.0 / SR);
		if (score > best->score)
		{
			best->score = score;
			best->var = v;
			best->rank = r;
			best->threshold = g->x[(size_t) g->gidx[k] * g->p + v];
		}
	}
}

/* Scan covariate v of a regression node (responses ly). */
static void
scan_regression(Grower *g, uint32_t a, uint32_t b, int v, double sum_y, Best *best)
{
	const uint32_t *L = g->ord + (size_t) v * g->smax + a;
	const uint32_t *R = g->ordrank + (size_t) v * g->smax + a;
	uint32_t	m = b - a,
				nl = 0;
	double		kmin = ceil(g->tp.alpha * (double) m),
				sl = 0.0,
				lambda = g->tp.imbalance_penalty;

	if (kmin < 1.0)
		kmin = 1.0;
	for (uint32_t t = 0; t + 1 < m; t++)
	{
		uint32_t	k = L[t];
		uint32_t	r = R[t],
					nr;
		double		sr,
					score;

		nl++;
		sl += g->ly[k];
		if (r == R[t + 1])
			continue;
		nr = m - nl;
		if ((double) nr < kmin)
			break;
		if ((double) nl < kmin)
			continue;
		sr = sum_y - sl;
		score = sl * sl / (double) nl + sr * sr / (double) nr;
		if (lambda > 0.0)
			score -= lambda * (1.0 / (double) nl + 1.0 / (double) nr);
		if (score > best->score)
		{
			best->score = score;
			best->var = v;
			best->rank = r;
			best->threshold = g->x[(size_t) g->gidx[k] * g->p + v];
		}
	}
}

/* Split node i if it should be; its children are appended. */
static void
split_node(Grower *g, uint32_t i, HteRng *rng)
{
	uint32_t	a = g->nodes[i].start,
				b = g->nodes[i].end,
				m = b - a,
				nl;
	const uint32_t *L0 = g->ord + a;
	Best		best = {0.0, -1, 0, 0.0};
	int			nv;

	if ((double) m <= (double) g->tp.min_node_size || m < 2)
		return;
	if (g->tp.causal)
	{
		double		sy = 0.0,
					sw = 0.0,
					ybar,
					wbar,
					N = 0.0,
					D = 0.0,
					tau,
					sww = 0.0,
					sP,
					srho = 0.0;
		uint32_t	low = 0;

		for (uint32_t t = 0; t < m; t++)
		{
			sy += g->ly[L0[t]];
			sw += g->lw[L0[t]];
		}
		ybar = sy / (double) m;
		wbar = sw / (double) m;
		for (uint32_t t = 0; t < m; t++)
		{
			double		dw = g->lw[L0[t]] - wbar;

			N += dw * (g->ly[L0[t]] - ybar);
			D += dw * dw;
		}
		if (!(fabs(D) >= 1e-10))
			return;
		tau = N / D;
		for (uint32_t t = 0; t < m; t++)
		{
			uint32_t	k = L0[t];
			double		wk = g->lw[k],
						dw = wk - wbar;

			g->rho[k] = dw * ((g->ly[k] - ybar) - tau * dw);
			srho += g->rho[k];
			sww += wk * wk;
			if (wk < wbar)
				low++;
		}
		sP = sww - sw * sw / (double) m;
		nv = draw_vars(g, rng);
		for (int j = 0; j < nv; j++)
			scan_causal(g, a, b, g->vars[j], wbar, sP, srho, sw, sww, low, &best);
	}
	else
	{
		double		sy = 0.0;

		for (uint32_t t = 0; t < m; t++)
			sy += g->ly[L0[t]];
		nv = draw_vars(g, rng);
		for (int j = 0; j < nv; j++)
			scan_regression(g, a, b, g->vars[j], sy, &best);
	}
	if (best.var < 0)
		return;

	/* partition every list stably: rows with rank <= best.rank go left */
	{
		const uint32_t *Lb = g->ord + (size_t) best.var * g->smax + a,
				   *Rb = g->ordrank + (size_t) best.var * g->smax + a;
		uint32_t	l,
					c,
					left,
					right;

		for (uint32_t t = 0; t < m; t++)
			g->side[Lb[t]] = Rb[t] <= best.rank;
		nl = 0;
		for (int v = 0; v < g->p; v++)
		{
			uint32_t   *Lv = g->ord + (size_t) v * g->smax + a,
					   *Rv = g->ordrank + (size_t) v * g->smax + a;

			l = 0;
			c = 0;
			for (uint32_t t = 0; t < m; t++)
			{
				uint32_t	k = Lv[t],
							rr = Rv[t];

				if (g->side[k])
				{
					Lv[l] = k;
					Rv[l++] = rr;
				}
				else
				{
					g->tmp[c] = k;
					g->tmprank[c++] = rr;
				}
			}
			memcpy(Lv + l, g->tmp, sizeof(uint32_t) * c);
			memcpy(Rv + l, g->tmprank, sizeof(uint32_t) * c);
			nl = l;
		}
		left = new_node(g, a, a + nl);
		right = new_node(g, a + nl, b);
		g->nodes[i].var = best.var;
		g->nodes[i].threshold = best.threshold;
		g->nodes[i].left = left;
		g->nodes[i].right = right;
	}
}

/* The build node a row reaches. */
static uint32_t
route_build(const Grower *g, const double *xr)
{
	uint32_t	i = 0;

	while (g->nodes[i].var >= 0)
		i = xr[g->nodes[i].var] <= g->nodes[i].threshold ? g->nodes[i].left : g->nodes[i].right;
	return i;
}

/*
 * Grow a tree on the split rows split[0..s1-1] with responses y (and w),
 * fill its leaves from est[0..s2-1], prune empty leaves when asked.  The
 * tree is left in g->nodes (BFS order).
 */
static void
grow_tree(Grower *g, const double *y, const double *w, const uint32_t *split, size_t s1,
		  const uint32_t *est, size_t s2, HteRng *rng)
{
	size_t		n = g->n;

	for (size_t k = 0; k < s1; k++)
	{
		g->gidx[k] = split[k];
		g->loc[split[k]] = (int32_t) k;
		g->ly[k] = y[split[k]];
		g->lw[k] = w != NULL ? w[split[k]] : 0.0;
	}
	for (int v = 0; v < g->p; v++)
	{
		const uint32_t *s = g->sorted + (size_t) v * n,
				   *sr = g->rank + (size_t) v * n;
		uint32_t   *o = g->ord + (size_t) v * g->smax,
				   *orr = g->ordrank + (size_t) v * g->smax;
		size_t		c = 0;

		for (size_t t = 0; t < n; t++)
		{
			int32_t		lk = g->loc[s[t]];

			if (lk >= 0)
			{
				o[c] = (uint32_t) lk;
				orr[c++] = sr[t];
			}
		}
	}
	for (size_t k = 0; k < s1; k++)
		g->loc[split[k]] = -1;

	g->nnodes = 0;
	(void) new_node(g, 0, (uint32_t) s1);
	for (uint32_t i = 0; i < g->nnodes; i++)
	{
		split_node(g, i, rng);
		if ((i & 1023) == 1023)
			g->env->check_interrupts();
	}

	/* repopulate */
	for (size_t t = 0; t < s2; t++)
	{
		uint32_t	r = est[t];
		BuildNode  *lf = &g->nodes[route_build(g, g->x + (size_t) r * g->p)];

		lf->count++;
		lf->stat[0] += y[r];
		if (g->tp.causal && w != NULL)
		{
			lf->stat[1] += w[r];
			lf->stat[2] += y[r] * w[r];
			lf->stat[3] += w[r] * w[r];
		}
	}
	for (size_t i = 0; i < g->nnodes; i++)
	{
		BuildNode  *nd = &g->nodes[i];

		if (nd->var < 0 && nd->count > 0)
			for (int s = 0; s < HTE_FOREST_LEAF_STATS; s++)
			{
				nd->stat[s] /= (double) nd->count;
				if (!isfinite(nd->stat[s]))
					g->overflow = true;
			}
	}

	/* prune empty leaves bottom-up: a node takes its non-empty child's place */
	if (g->tp.prune)
		for (size_t i = g->nnodes; i-- > 0;)
		{
			BuildNode  *nd = &g->nodes[i];
			BuildNode  *l,
					   *r;
			bool		le,
						re;

			if (nd->var < 0)
				continue;
			l = &g->nodes[nd->left];
			r = &g->nodes[nd->right];
			le = l->var < 0 && l->count == 0;
			re = r->var < 0 && r->count == 0;
			if (le && re)
			{
				nd->var = -1;
				nd->count = 0;
			}
			else if (le)
				*nd = *r;
			else if (re)
				*nd = *l;
		}
}

/*
 * Append g's tree (from its root, in preorder) to the forest's arrays:
 * nodes, leaves, with capacities.  Returns false when it would pass
 * max_bytes (total serialized bytes of nodes and leaves so far).
 */
typedef struct ForestArrays
{
	HteForestNode *nodes;
	size_t		nodes_cap,
				nnodes;
	double	   *leaves;
	size_t		leaves_cap,
				nleaves;			/* leaves (4 doubles each) */
} ForestArrays;

static void
emit_tree(Grower *g, ForestArrays *fa)
{
	size_t		base = fa->nnodes,
				leaf0 = fa->nleaves,
				sp = 0;

	env_grow(g->env, (void **) &g->stack, &g->stack_cap, g->nnodes + 1, sizeof(uint32_t));
	env_grow(g->env, (void **) &fa->nodes, &fa->nodes_cap, fa->nnodes + g->nnodes, sizeof(HteForestNode));
	env_grow(g->env, (void **) &fa->leaves, &fa->leaves_cap,
			 HTE_FOREST_LEAF_STATS * (fa->nleaves + g->nnodes), sizeof(double));

	/*
	 * Preorder with an explicit stack.  A pushed entry is a build node
	 * index; an internal node's right-child link is patched when the right
	 * child is emitted: the stack holds (build index, parent slot) pairs
	 * packed as two entries.
	 */
	g->stack[sp++] = 0;
	g->stack[sp++] = UINT32_MAX;	/* no parent */
	while (sp > 0)
	{
		uint32_t	parent = g->stack[--sp];
		uint32_t	i = g->stack[--sp];
		const BuildNode *nd = &g->nodes[i];
		size_t		slot = fa->nnodes++;
		HteForestNode *out = &fa->nodes[slot];

		if (parent != UINT32_MAX)
			fa->nodes[base + parent].right = (uint32_t) (slot - base);
		if (nd->var >= 0)
		{
			out->var = nd->var;
			out->threshold = nd->threshold;
			out->right = 0;
			/* right first on the stack, so left comes next */
			env_grow(g->env, (void **) &g->stack, &g->stack_cap, sp + 4, sizeof(uint32_t));
			g->stack[sp++] = nd->right;
			g->stack[sp++] = (uint32_t) (slot - base);
			g->stack[sp++] = nd->left;
			g->stack[sp++] = UINT32_MAX;
		}
		else
		{
			out->var = -1;
			out->threshold = 0.0;
			if (nd->count == 0)
				out->right = HTE_FOREST_EMPTY;
			else
			{
				out->right = (uint32_t) (fa->nleaves - leaf0);
				memcpy(fa->leaves + HTE_FOREST_LEAF_STATS * fa->nleaves, nd->stat,
					   sizeof(double) * HTE_FOREST_LEAF_STATS);
				fa->nleaves++;
			}
		}
	}
}

static void
grower_init(Grower *g, const HteForestEnv *env, const double *x, size_t n, int p,
			const uint32_t *rank, const uint32_t *sorted, const HteTreeParams *tp,
			int64_t mtry, size_t smax)
{
	memset(g, 0, sizeof(*g));
	g->env = env;
	g->n = n;
	g->p = p;
	g->x = x;
	g->rank = rank;
	g->sorted = sorted;
	g->tp = *tp;
	g->mtry = mtry;
	g->smax = smax;
	g->loc = env_alloc(env, n, sizeof(int32_t));
	for (size_t i = 0; i < n; i++)
		g->loc[i] = -1;
	g->gidx = env_alloc(env, smax, sizeof(uint32_t));
	g->ord = env_alloc(env, smax * (size_t) p, sizeof(uint32_t));
	g->ordrank = env_alloc(env, smax * (size_t) p, sizeof(uint32_t));
	g->tmp = env_alloc(env, smax, sizeof(uint32_t));
	g->tmprank = env_alloc(env, smax, sizeof(uint32_t));
	g->side = env_alloc(env, smax, 1);
	g->ly = env_alloc(env, smax, sizeof(double));
	g->lw = env_alloc(env, smax, sizeof(double));
	g->rho = env_alloc(env, smax, sizeof(double));
	g->vars = env_alloc(env, (size_t) p, sizeof(int));
	g->vperm = env_alloc(env, (size_t) p, sizeof(uint32_t));
	for (int v = 0; v < p; v++)
		g->vperm[v] = (uint32_t) v;
	g->pois_cdf = env_alloc(env, (size_t) p + 1, sizeof(double));
	if (mtry >= 1)
		(void) hte_poisson_init(&g->pois, mtry > HTE_POISSON_MAX_LAMBDA ?
								HTE_POISSON_MAX_LAMBDA : (int) mtry, p, g->pois_cdf);
}

static void
grower_free(Grower *g)
{
	const HteForestEnv *env = g->env;

	env_free(env, g->loc);
	env_free(env, g->gidx);
	env_free(env, g->ord);
	env_free(env, g->ordrank);
	env_free(env, g->tmp);
	env_free(env, g->tmprank);
	env_free(env, g->side);
	env_free(env, g->ly);
	env_free(env, g->lw);
	env_free(env, g->rho);
	env_free(env, g->vars);
	env_free(env, g->vperm);
	env_free(env, g->pois_cdf);
	env_free(env, g->nodes);
	env_free(env, g->stack);
}

/* ------------------------------------------------------------------------
 * Sorting (merge sort of row indices; interrupts between passes)
 * ------------------------------------------------------------------------
 */
typedef int (*CmpFn) (const void *ctx, uint32_t a, uint32_t b);

static void
merge_sort(const HteForestEnv *env, uint32_t *a, size_t n, CmpFn cmp, const void *ctx)
{
	uint32_t   *buf,
			   *src = a,
			   *dst;

	if (n < 2)
		return;
	buf = env_alloc(env, n, sizeof(uint32_t));
	dst = buf;
	/* insertion sort runs of 16 */
	for (size_t s = 0; s < n; s += 16)
	{
		size_t		e = s + 16 < n ? s + 16 : n;

		for (size_t i = s + 1; i < e; i++)
		{
			uint32_t	v = a[i];
			size_t		j = i;

			while (j > s && cmp(ctx, a[j - 1], v) > 0)
			{
				a[j] = a[j - 1];
				j--;
			}
			a[j] = v;
		}
	}
	for (size_t width = 16; width < n; width *= 2)
	{
		uint32_t   *t;

		for (size_t lo = 0; lo < n; lo += 2 * width)
		{
			size_t		mid = lo + width < n ? lo + width : n,
						hi = lo + 2 * width < n ? lo + 2 * width : n,
						i = lo,
						j = mid,
						k = lo;

			while (i < mid && j < hi)
				dst[k++] = cmp(ctx, src[j], src[i]) < 0 ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		t = src;
		src = dst;
		dst = t;
		env->check_interrupts();
	}
	if (src != a)
		memcpy(a, src, n * sizeof(uint32_t));
	env_free(env, buf);
}

typedef struct ColCtx
{
	const double *x;
	int			p;
	int			v;
} ColCtx;

static int
cmp_col(const void *ctx, uint32_t a, uint32_t b)
{
	const ColCtx *c = ctx;
	double		xa = c->x[(size_t) a * c->p + c->v],
				xb = c->x[(size_t) b * c->p + c->v];

	if (xa < xb)
		return -1;
	if (xa > xb)
		return 1;
	return a < b ? -1 : a > b;
}

typedef struct RowCtx
{
	const double *rows;
	int			width;
	int			p;
} RowCtx;

/* canonical order: x_1..x_p, then treated, then y */
static int
cmp_row(const void *ctx, uint32_t a, uint32_t b)
{
	const RowCtx *c = ctx;
	const double *ra = c->rows + (size_t) a * c->width,
			   *rb = c->rows + (size_t) b * c->width;

	for (int j = 0; j < c->p; j++)
	{
		if (ra[2 + j] < rb[2 + j])
			return -1;
		if (ra[2 + j] > rb[2 + j])
			return 1;
	}
	for (int j = 1; j >= 0; j--)
	{
		if (ra[j] < rb[j])
			return -1;
		if (ra[j] > rb[j])
			return 1;
	}
	return 0;
}

/* Per covariate: rows sorted by it (ties by row index) and their dense ranks in that order. */
static void
presort(const HteForestEnv *env, const double *x, size_t n, int p, uint32_t *sorted, uint32_t *rank)
{
	for (int v = 0; v < p; v++)
	{
		uint32_t   *s = sorted + (size_t) v * n,
				   *rk = rank + (size_t) v * n;
		ColCtx		c = {x, p, v};
		uint32_t	r = 0;

		for (size_t i = 0; i < n; i++)
			s[i] = (uint32_t) i;
		merge_sort(env, s, n, cmp_col, &c);
		for (size_t t = 0; t < n; t++)
		{
			if (t > 0 && x[(size_t) s[t] * p + v] != x[(size_t) s[t - 1] * p + v])
				r++;
			rk[t] = r;
		}
	}
}

/* ------------------------------------------------------------------------
 * Prediction
 * ------------------------------------------------------------------------
 */
static uint32_t
route_tree(const HteForestNode *nd, const double *x)
{
	uint32_t	i = 0;

	while (nd[i].var >= 0)
		i = x[nd[i].var] <= nd[i].threshold ? i + 1 : nd[i].right;
	return nd[i].right;
}

uint32_t
hte_forest_route(const HteForest *f, int b, const double *x)
{
	return route_tree(f->nodes + f->node_off[b], x);
}

/*
 * The leaf of every tree for x into leaf[0..num_trees-1]: LANES trees at a
 * time, one level per step, with branch-free steps (a leaf stays put), so
 * that the lanes' memory reads overlap instead of waiting one after the
 * other: 1.6 times faster than tree after tree on a 13 MB model, more when
 * the model does not fit in the cache.
 */
#define LANES 16

static void
route_all(const HteForest *f, const double *x, uint32_t *leaf)
{
	int			T = f->num_trees;

	for (int b0 = 0; b0 < T; b0 += LANES)
	{
		const HteForestNode *base[LANES];
		uint32_t	cur[LANES];
		int			nl = T - b0 < LANES ? T - b0 : LANES;
		bool		moving = true;

		for (int l = 0; l < nl; l++)
		{
			base[l] = f->nodes + f->node_off[b0 + l];
			cur[l] = 0;
		}
		while (moving)
		{
			moving = false;
			for (int l = 0; l < nl; l++)
			{
				const HteForestNode *nd = base[l] + cur[l];
				int32_t		v = nd->var;
				bool		internal = v >= 0;
				uint32_t	next = x[internal ? v : 0] <= nd->threshold ? cur[l] + 1 : nd->right;

				cur[l] = internal ? next : cur[l];
				moving |= internal;
			}
		}
		for (int l = 0; l < nl; l++)
			leaf[b0 + l] = base[l][cur[l]].right;
	}
}

/* φ(r) / Φ(r), also far in the lower tail. */
static double
mills(double r)
{
	if (r > -35.0)
		return exp(-0.5 * r * r) / (2.5066282746310002 * hte_pnorm(r, true));
	else
	{
		double		q = 1.0 / (r * r);

		/* Φ(r) = φ(r)/|r| (1 − q + 3q² − 15q³ + 105q⁴ − …) */
		return -r / (1.0 - q + 3.0 * q * q - 15.0 * q * q * q + 105.0 * q * q * q * q);
	}
}

void
hte_forest_predict(const HteForest *f, const double *x, double *estimate, double *std_error,
				   uint32_t *work)
{
	int			T = f->num_trees,
				ell = f->ci_group_size;
	double		A[4] = {0.0, 0.0, 0.0, 0.0},
				D,
				tau,
				mu;
	int			bx = 0;

	*estimate = NAN;
	*std_error = NAN;
	route_all(f, x, work);
	for (int b = 0; b < T; b++)
	{
		uint32_t	lf = work[b];

		if (lf != HTE_FOREST_EMPTY)
		{
			const double *s = f->leaves + HTE_FOREST_LEAF_STATS * (f->leaf_off[b] + lf);

			for (int k = 0; k < 4; k++)
				A[k] += s[k];
			bx++;
		}
	}
	if (bx == 0)
		return;
	for (int k = 0; k < 4; k++)
		A[k] /= (double) bx;
	D = A[3] - A[1] * A[1];
	if (!(D > 0.0))
		return;
	tau = (A[2] - A[0] * A[1]) / D;
	mu = A[0] - A[1] * tau;
	if (!isfinite(tau))
		return;
	*estimate = tau;
	if (ell < 2)
		return;
	{
		double		vb = 0.0,
					vt = 0.0,
					nb,
					v0,
					s0,
					var;
		int			good = 0;

		for (int g0 = 0; g0 + ell <= T; g0 += ell)
		{
			double		sum = 0.0,
						sum2 = 0.0;
			bool		ok = true;

			for (int j = 0; j < ell; j++)
				if (work[g0 + j] == HTE_FOREST_EMPTY)
					ok = false;
			if (!ok)
				continue;
			for (int j = 0; j < ell; j++)
			{
				int			b = g0 + j;
				const double *s = f->leaves + HTE_FOREST_LEAF_STATS * (f->leaf_off[b] + work[b]);
				double		psi1 = s[2] - tau * s[3] - mu * s[1],
							psi2 = s[0] - tau * s[1] - mu,
							rho = (psi1 - A[1] * psi2) / D;

				sum += rho;
				sum2 += rho * rho;
			}
			sum /= (double) ell;
			vb += sum * sum;
			vt += sum2;
			good++;
		}
		if (good == 0)
			return;
		vb /= (double) good;
		vt /= (double) good * (double) ell;
		nb = (vt - vb) / (double) (ell - 1);
		v0 = vb - nb;
		s0 = (vb > nb ? vb : nb) * sqrt(2.0 / (double) good);
		if (fabs(s0) < 1e-10)
			var = 0.0;
		else
			var = v0 + s0 * mills(v0 / s0);
		if (isfinite(var) && var >= 0.0)
			*std_error = sqrt(var);
	}
}

double
hte_forest_predict_mean(const HteForest *f, const double *x)
{
	double		s = 0.0;
	int			c = 0;

	for (int b = 0; b < f->num_trees; b++)
	{
		uint32_t	lf = route_tree(f->nodes + f->node_off[b], x);

		if (lf != HTE_FOREST_EMPTY)
		{
			s += f->leaves[HTE_FOREST_LEAF_STATS * (f->leaf_off[b] + lf)];
			c++;
		}
	}
	return c > 0 ? s / (double) c : NAN;
}

/* Split frequencies at depths 1..4, weights d^-2 (grf's variable_importance). */
static void
importance(const HteForest *f, const HteForestEnv *env)
{
	double	   *c = env_alloc(env, 4 * (size_t) f->p, sizeof(double));
	uint32_t   *depth;
	size_t		maxn = 0;
	double		wsum = 0.0;

	for (int b = 0; b < f->num_trees; b++)
	{
		size_t		nn = f->node_off[b + 1] - f->node_off[b];

		if (nn > maxn)
			maxn = nn;
	}
	depth = env_alloc(env, maxn, sizeof(uint32_t));
	memset(c, 0, sizeof(double) * 4 * (size_t) f->p);
	for (int b = 0; b < f->num_trees; b++)
	{
		const HteForestNode *nd = f->nodes + f->node_off[b];
		size_t		nn = f->node_off[b + 1] - f->node_off[b];

		depth[0] = 1;
		for (size_t i = 0; i < nn; i++)
			if (nd[i].var >= 0)
			{
				if (depth[i] <= 4)
					c[(depth[i] - 1) * (size_t) f->p + (size_t) nd[i].var] += 1.0;
				depth[i + 1] = depth[i] + 1;
				depth[nd[i].right] = depth[i] + 1;
			}
	}
	for (int d = 1; d <= 4; d++)
		wsum += 1.0 / ((double) d * d);
	for (int v = 0; v < f->p; v++)
		f->importance[v] = 0.0;
	for (int d = 0; d < 4; d++)
	{
		double		tot = 0.0;

		for (int v = 0; v < f->p; v++)
			tot += c[(size_t) d * f->p + v];
		if (tot < 1.0)
			tot = 1.0;
		for (int v = 0; v < f->p; v++)
			f->importance[v] += c[(size_t) d * f->p + v] / tot / ((double) (d + 1) * (d + 1));
	}
	for (int v = 0; v < f->p; v++)
		f->importance[v] /= wsum;
	env_free(env, depth);
	env_free(env, c);
}

/* ------------------------------------------------------------------------
 * Test entry point: trees on given index sets
 * ------------------------------------------------------------------------
 */
static void
forest_from_arrays(HteForest *out, const ForestArrays *fa)
{
	out->nodes = fa->nodes;
	out->leaves = fa->leaves;
}

void
hte_forest_grow_given(const HteForestEnv *env, const HteTreeParams *tp,
					  const double *x, const double *y, const double *w,
					  size_t n, int p, int num_trees, int ci_group_size,
					  uint32_t *const *split, const size_t *split_n,
					  uint32_t *const *est, const size_t *est_n,
					  HteForest *out, double *oob)
{
	uint32_t   *sorted = env_alloc(env, n * (size_t) p, sizeof(uint32_t));
	uint32_t   *rank = env_alloc(env, n * (size_t) p, sizeof(uint32_t));
	unsigned char *drawn = env_alloc(env, n, 1);
	double	   *acc = env_alloc(env, n * 4, sizeof(double));
	uint32_t   *cnt = env_alloc(env, n, sizeof(uint32_t));
	size_t		smax = 1;
	Grower		g;
	ForestArrays fa;

	memset(&fa, 0, sizeof(fa));
	memset(out, 0, sizeof(*out));
	out->n = n;
	out->p = p;
	out->num_trees = num_trees;
	out->ci_group_size = ci_group_size;
	out->node_off = env_alloc(env, (size_t) num_trees + 1, sizeof(uint64_t));
	out->leaf_off = env_alloc(env, (size_t) num_trees + 1, sizeof(uint64_t));
	out->importance = env_alloc(env, (size_t) p, sizeof(double));
	for (int b = 0; b < num_trees; b++)
		if (split_n[b] > smax)
			smax = split_n[b];
	presort(env, x, n, p, sorted, rank);
	grower_init(&g, env, x, n, p, rank, sorted, tp, p, smax);
	memset(drawn, 0, n);
	memset(acc, 0, sizeof(double) * n * 4);
	memset(cnt, 0, sizeof(uint32_t) * n);
	for (int b = 0; b < num_trees; b++)
	{
		out->node_off[b] = fa.nnodes;
		out->leaf_off[b] = fa.nleaves;
		grow_tree(&g, y, w, split[b], split_n[b], est[b], est_n[b], NULL);
		emit_tree(&g, &fa);
		forest_from_arrays(out, &fa);
		out->node_off[b + 1] = fa.nnodes;
		out->leaf_off[b + 1] = fa.nleaves;
		if (oob != NULL)
		{
			for (size_t t = 0; t < split_n[b]; t++)
				drawn[split[b][t]] = 1;
			for (size_t t = 0; t < est_n[b]; t++)
				drawn[est[b][t]] = 1;
			for (size_t i = 0; i < n; i++)
			{
				uint32_t	lf;

				if (drawn[i])
					continue;
				lf = hte_forest_route(out, b, x + i * (size_t) p);
				if (lf == HTE_FOREST_EMPTY)
					continue;
				for (int k = 0; k < 4; k++)
					acc[i * 4 + k] += fa.leaves[HTE_FOREST_LEAF_STATS * (out->leaf_off[b] + lf) + k];
				cnt[i]++;
			}
			memset(drawn, 0, n);
		}
	}
	forest_from_arrays(out, &fa);
	out->node_off[num_trees] = fa.nnodes;
	out->leaf_off[num_trees] = fa.nleaves;
	importance(out, env);
	if (oob != NULL)
		for (size_t i = 0; i < n; i++)
		{
			double	   *a = acc + i * 4;

			if (cnt[i] == 0)
				oob[i] = NAN;
			else if (!tp->causal)
				oob[i] = a[0] / cnt[i];
			else
			{
				double		D;

				for (int k = 0; k < 4; k++)
					a[k] /= cnt[i];
				D = a[3] - a[1] * a[1];
				oob[i] = D > 0.0 ? (a[2] - a[0] * a[1]) / D : NAN;
			}
		}
	grower_free(&g);
	env_free(env, sorted);
	env_free(env, rank);
	env_free(env, drawn);
	env_free(env, acc);
	env_free(env, cnt);
}

/* ------------------------------------------------------------------------
 * Training
 * ------------------------------------------------------------------------
 */

/* Bytes of the serialized model before its trees and after. */
#define FOREST_HEADER 224
#define FOREST_TRAILER 8

static double
model_bytes(int p, int T, size_t nnodes, size_t nleaves)
{
	return (double) FOREST_HEADER + 8.0 * p + 16.0 * ((double) T + 1.0) +
		16.0 * (double) nnodes + 8.0 * HTE_FOREST_LEAF_STATS * (double) nleaves +
		FOREST_TRAILER;
}

/* Take k of the n identity-ordered indices in perm into out, restore perm. */
static void
draw_subsample(HteRng *rng, uint32_t *perm, size_t n, size_t k, uint32_t *out)
{
	hte_rng_sample(rng, perm, n, k);
	memcpy(out, perm, k * sizeof(uint32_t));
	for (size_t i = 0; i < k; i++)
		if (perm[i] >= k)
			perm[perm[i]] = perm[i];
	for (size_t i = 0; i < k; i++)
		perm[i] = (uint32_t) i;
}

/* Stream tags: the first subsample of unit g is the same in every forest (grf's coupling). */
#define TAG_SUBSAMPLE 0
#define TAG_Y 1
#define TAG_W 2
#define TAG_TAU 3

/*
 * An honest regression forest's out-of-bag predictions (the nuisance
 * forests): grf's fixed choices, trees not kept.  False when some row has
 * no out-of-bag tree.
 */
static bool
nuisance_forest(Grower *g, const HteForestOptions *o, unsigned tag, int trees,
				const double *resp, uint32_t *perm, uint32_t *S, unsigned char *drawn,
				double *acc, uint32_t *cnt, double *out)
{
	size_t		n = g->n,
				s = (size_t) floor((double) n * o->sample_fraction),
				s1 = (size_t) ceil((double) s * 0.5);

	memset(acc, 0, n * sizeof(double));
	memset(cnt, 0, n * sizeof(uint32_t));
	for (int b = 0; b < trees; b++)
	{
		HteRng		r0,
					rng;

		hte_rng_init(&r0, (uint64_t) o->seed, TAG_SUBSAMPLE, (uint64_t) b);
		hte_rng_init(&rng, (uint64_t) o->seed, tag, (uint64_t) b);
		draw_subsample(&r0, perm, n, s, S);
		hte_rng_sample(&rng, S, s, s1);
		grow_tree(g, resp, NULL, S, s1, S + s1, s - s1, &rng);
		for (size_t t = 0; t < s; t++)
			drawn[S[t]] = 1;
		for (size_t i = 0; i < n; i++)
		{
			const BuildNode *lf;

			if (drawn[i])
				continue;
			lf = &g->nodes[route_build(g, g->x + i * (size_t) g->p)];
			if (lf->count > 0)
			{
				acc[i] += lf->stat[0];
				cnt[i]++;
			}
		}
		for (size_t t = 0; t < s; t++)
			drawn[S[t]] = 0;
		g->env->check_interrupts();
	}
	for (size_t i = 0; i < n; i++)
	{
		if (cnt[i] == 0)
			return false;
		out[i] = acc[i] / (double) cnt[i];
	}
	return true;
}

typedef struct CalCtx
{
	const double *y,
			   *w,
			   *yhat,
			   *what,
			   *tau;
	double		tau_bar;
} CalCtx;

/* grf's test_calibration: y − m̂ on ((W − ê) τ̄, (W − ê)(τ̂ − τ̄)), no intercept */
static void
cal_row(const void *ctx, size_t i, double *z, double *y)
{
	const CalCtx *c = ctx;
	double		wt = c->w[i] - c->what[i];

	*y = c->y[i] - c->yhat[i];
	z[0] = wt * c->tau_bar;
	z[1] = wt * (c->tau[i] - c->tau_bar);
}

static double
fin(double v)
{
	return isfinite(v) ? v : NAN;
}

/* P(T > t) with df (grf's one-sided calibration p-value). */
static double
upper_p(double t, double df)
{
	return isnan(t) || !(df > 0.0) ? NAN : hte_pt(t, df, false);
}

/* The stored summary from the out-of-bag vectors. */
static void
summarise(const HteForestEnv *env, size_t n, const double *y, const double *w,
		  const double *yhat, const double *what, const double *tau, HteForestSummary *s)
{
	double		dn = (double) n,
				sum = 0.0,
				ate,
				ss = 0.0,
				nt = 0.0,
				nc,
				sumT = 0.0,
				sumC = 0.0,
				odT = 0.0,
				odC = 0.0,
				wmin = 1.0,
				wmax = 0.0;
	bool		tau_ok = true;

	for (size_t i = 0; i < n; i++)
	{
		if (isnan(tau[i]))
			tau_ok = false;
		nt += w[i];
		if (what[i] < wmin)
			wmin = what[i];
		if (what[i] > wmax)
			wmax = what[i];
	}
	nc = dn - nt;
	s->w_hat_min = wmin;
	s->w_hat_max = wmax;
	s->n_treated = nt;
	s->ate = s->ate_se = s->att = s->att_se = s->atu = s->atu_se = NAN;
	s->cal_mean = s->cal_mean_se = s->cal_mean_p = NAN;
	s->cal_diff = s->cal_diff_se = s->cal_diff_p = NAN;
	if (!tau_ok)
		return;

	/* all: the doubly robust scores */
	for (size_t i = 0; i < n; i++)
	{
		double		wt = w[i] - what[i];

		sum += tau[i] + wt / (what[i] * (1.0 - what[i])) * (y[i] - yhat[i] - tau[i] * wt);
	}
	ate = sum / dn;
	for (size_t i = 0; i < n; i++)
	{
		double		wt = w[i] - what[i],
					gm = tau[i] + wt / (what[i] * (1.0 - what[i])) * (y[i] - yhat[i] - tau[i] * wt) - ate;

		ss += gm * gm;
	}
	s->ate = fin(ate);
	s->ate_se = fin(sqrt(ss / (dn * (dn - 1.0))));
	if (isnan(s->ate))
		s->ate_se = NAN;

	/* treated and control: grf's target.sample weights */
	for (size_t i = 0; i < n; i++)
	{
		if (w[i] == 1.0)
		{
			sumT += tau[i];
			odC += (1.0 - what[i]) / what[i];
		}
		else
		{
			sumC += tau[i];
			odT += what[i] / (1.0 - what[i]);
		}
	}
	for (int target = 0; target < 2; target++)
	{
		/* target 0: treated (ATT), 1: control (ATU) */
		double		nk = target == 0 ? nt : nc,
					mk = (target == 0 ? sumT : sumC) / nk,
					v = 0.0,
					sd = 0.0,
					sd2 = 0.0,
					est,
					se;

		for (size_t i = 0; i < n; i++)
		{
			bool		tr = w[i] == 1.0,
						in = target == 0 ? tr : !tr;
			double		gam,
						res,
						d;

			if (in)
			{
				v += (tau[i] - mk) * (tau[i] - mk);
				gam = dn / nk;
			}
			else if (target == 0)
				gam = dn * (what[i] / (1.0 - what[i])) / odT;
			else
				gam = dn * ((1.0 - what[i]) / what[i]) / odC;
			if (tr)
				res = y[i] - (yhat[i] + (1.0 - what[i]) * tau[i]);
			else
				res = -(y[i] - (yhat[i] - what[i] * tau[i]));
			d = gam * res;
			sd += d;
			sd2 += d * d;
		}
		est = fin(mk + sd / dn);
		se = fin(sqrt(v / (nk * nk) + sd2 / (dn * (dn - 1.0))));
		if (isnan(est))
			se = NAN;
		if (target == 0)
		{
			s->att = est;
			s->att_se = se;
		}
		else
		{
			s->atu = est;
			s->atu_se = se;
		}
	}

	/* calibration */
	{
		CalCtx		c = {y, w, yhat, what, tau, 0.0};
		HteOlsResult r;
		double	   *work = env_alloc(env, hte_ols_work_size(2), sizeof(double));
		double		st = 0.0;

		for (size_t i = 0; i < n; i++)
			st += tau[i];
		c.tau_bar = st / dn;
		if (hte_ols_fit(&c, cal_row, n, 2, false, HTE_SE_HC3, work, env->check_interrupts, &r))
		{
			s->cal_mean = fin(r.estimate[0]);
			s->cal_mean_se = fin(r.std_error[0]);
			s->cal_mean_p = fin(upper_p(r.t_statistic[0], r.df));
			s->cal_diff = fin(r.estimate[1]);
			s->cal_diff_se = fin(r.std_error[1]);
			s->cal_diff_p = fin(upper_p(r.t_statistic[1], r.df));
		}
		env_free(env, work);
	}
}

HteForestStatus
hte_forest_train(const HteForestEnv *env, const double *rows, size_t n, int p,
				 const HteForestOptions *o, HteForest *out, double *need_mb, HteForestOob *oob)
{
	int			width = 2 + p,
				ell = (int) o->ci_group_size,
				G = (int) ((o->num_trees + ell - 1) / ell),
				T = G * ell,
				Tn = (int) (o->num_trees / 4 > 50 ? o->num_trees / 4 : 50);
	int64_t		mtry = hte_forest_mtry(o, p);
	uint32_t   *idx,
			   *sorted,
			   *rank,
			   *perm,
			   *S,
			   *H,
			   *cnt;
	double	   *x,
			   *y,
			   *w,
			   *yhat,
			   *what,
			   *yt = NULL,
			   *wt = NULL,
			   *acc,
			   *tau,
			   limit = o->max_model_mb * 1e6;
	unsigned char *drawn;
	size_t		nt = 0;
	Grower		g;
	HteTreeParams tp;
	ForestArrays fa;
	HteForestStatus st = HTE_FOREST_OK;

	memset(out, 0, sizeof(*out));
	memset(&fa, 0, sizeof(fa));
	*need_mb = 0.0;
	for (size_t i = 0; i < n; i++)
		if (rows[i * width + 1] != 0.0)
			nt++;
	if (nt == 0 || nt == n)
		return HTE_FOREST_ONE_ARM;

	/* canonical order; -0.0 becomes +0.0 */
	idx = env_alloc(env, n, sizeof(uint32_t));
	for (size_t i = 0; i < n; i++)
		idx[i] = (uint32_t) i;
	{
		RowCtx		c = {rows, width, p};

		merge_sort(env, idx, n, cmp_row, &c);
	}
	x = env_alloc(env, n * (size_t) p, sizeof(double));
	y = env_alloc(env, n, sizeof(double));
	w = env_alloc(env, n, sizeof(double));
	for (size_t i = 0; i < n; i++)
	{
		const double *r = rows + (size_t) idx[i] * width;

		y[i] = r[0] + 0.0;
		w[i] = r[1] != 0.0 ? 1.0 : 0.0;
		for (int j = 0; j < p; j++)
			x[i * p + j] = r[2 + j] + 0.0;
	}
	if (oob != NULL)
		memcpy(oob->order, idx, n * sizeof(uint32_t));
	env_free(env, idx);
	sorted = env_alloc(env, n * (size_t) p, sizeof(uint32_t));
	rank = env_alloc(env, n * (size_t) p, sizeof(uint32_t));
	presort(env, x, n, p, sorted, rank);

	perm = env_alloc(env, n, sizeof(uint32_t));
	for (size_t i = 0; i < n; i++)
		perm[i] = (uint32_t) i;
	S = env_alloc(env, n, sizeof(uint32_t));
	H = env_alloc(env, n, sizeof(uint32_t));
	drawn = env_alloc(env, n, 1);
	memset(drawn, 0, n);
	cnt = env_alloc(env, n, sizeof(uint32_t));
	acc = env_alloc(env, 4 * n, sizeof(double));
	yhat = env_alloc(env, n, sizeof(double));
	what = env_alloc(env, n, sizeof(double));

	/* the nuisance forests */
	tp.causal = false;
	tp.min_node_size = 5;
	tp.alpha = o->alpha;
	tp.imbalance_penalty = o->imbalance_penalty;
	tp.prune = o->honesty_prune_leaves;
	grower_init(&g, env, x, n, p, rank, sorted, &tp, mtry, n);
	if (!nuisance_forest(&g, o, TAG_Y, Tn, y, perm, S, drawn, acc, cnt, yhat) ||
		!nuisance_forest(&g, o, TAG_W, Tn, w, perm, S, drawn, acc, cnt, what))
	{
		st = HTE_FOREST_NO_OOB;
		goto done;
	}

	/* centre */
	yt = env_alloc(env, n, sizeof(double));
	wt = env_alloc(env, n, sizeof(double));
	for (size_t i = 0; i < n; i++)
	{
		yt[i] = y[i] - yhat[i];
		wt[i] = w[i] - what[i];
		if (!isfinite(yt[i]))
		{
			st = HTE_FOREST_OVERFLOW;
			goto done;
		}
	}

	/* the causal trees */
	g.tp.causal = true;
	g.tp.min_node_size = o->min_node_size;
	out->n = n;
	out->p = p;
	out->num_trees = T;
	out->ci_group_size = ell;
	out->opts = *o;
	out->opts.mtry = mtry;
	out->node_off = env_alloc(env, (size_t) T + 1, sizeof(uint64_t));
	out->leaf_off = env_alloc(env, (size_t) T + 1, sizeof(uint64_t));
	out->importance = env_alloc(env, (size_t) p, sizeof(double));
	memset(acc, 0, 4 * n * sizeof(double));
	memset(cnt, 0, n * sizeof(uint32_t));
	for (int gi = 0; gi < G; gi++)
	{
		HteRng		r0,
					rng;
		size_t		hn;

		hte_rng_init(&r0, (uint64_t) o->seed, TAG_SUBSAMPLE, (uint64_t) gi);
		hte_rng_init(&rng, (uint64_t) o->seed, TAG_TAU, (uint64_t) gi);
		if (ell == 1)
			hn = (size_t) floor((double) n * o->sample_fraction);
		else
			hn = n / 2;
		draw_subsample(&r0, perm, n, hn, H);
		for (int j = 0; j < ell; j++)
		{
			int			b = gi * ell + j;
			size_t		s = hn,
						s1;

			if (ell > 1)
			{
				s = (size_t) ceil((double) hn * 2.0 * o->sample_fraction);
				if (s > hn)
					s = hn;
			}
			memcpy(S, H, hn * sizeof(uint32_t));
			if (ell > 1)
				hte_rng_sample(&rng, S, hn, s);
			if (o->honesty)
			{
				s1 = (size_t) ceil((double) s * o->honesty_fraction);
				hte_rng_sample(&rng, S, s, s1);
				grow_tree(&g, yt, wt, S, s1, S + s1, s - s1, &rng);
			}
			else
				grow_tree(&g, yt, wt, S, s, S, s, &rng);
			if (g.overflow)
			{
				st = HTE_FOREST_OVERFLOW;
				goto done;
			}
			out->node_off[b] = fa.nnodes;
			out->leaf_off[b] = fa.nleaves;
			emit_tree(&g, &fa);
			out->nodes = fa.nodes;
			out->leaves = fa.leaves;
			out->node_off[b + 1] = fa.nnodes;
			out->leaf_off[b + 1] = fa.nleaves;

			/* out-of-bag sums, tree by tree in order */
			for (size_t t = 0; t < s; t++)
				drawn[S[t]] = 1;
			for (size_t i = 0; i < n; i++)
			{
				uint32_t	lf;
				const double *ls;

				if (drawn[i])
					continue;
				lf = hte_forest_route(out, b, x + i * (size_t) p);
				if (lf == HTE_FOREST_EMPTY)
					continue;
				ls = fa.leaves + HTE_FOREST_LEAF_STATS * (out->leaf_off[b] + lf);
				for (int k = 0; k < 4; k++)
					acc[i * 4 + k] += ls[k];
				cnt[i]++;
			}
			for (size_t t = 0; t < s; t++)
				drawn[S[t]] = 0;

			/* the size, as it grows and as projected */
			{
				double		bytes = model_bytes(p, T, fa.nnodes, fa.nleaves),
							proj = model_bytes(p, T, (size_t) ((double) fa.nnodes * T / (b + 1)),
											   (size_t) ((double) fa.nleaves * T / (b + 1)));

				if (bytes > limit || (b >= 19 && proj > 1.2 * limit))
				{
					*need_mb = proj / 1e6;
					st = HTE_FOREST_TOO_LARGE;
					goto done;
				}
			}
		}
		env->check_interrupts();
	}
	tau = env_alloc(env, n, sizeof(double));
	for (size_t i = 0; i < n; i++)
	{
		double	   *a = acc + i * 4,
					D;

		if (cnt[i] == 0)
		{
			tau[i] = NAN;
			continue;
		}
		for (int k = 0; k < 4; k++)
			a[k] /= (double) cnt[i];
		D = a[3] - a[1] * a[1];
		tau[i] = D > 0.0 ? (a[2] - a[0] * a[1]) / D : NAN;
		if (!isfinite(tau[i]))
			tau[i] = NAN;
	}
	importance(out, env);
	summarise(env, n, y, w, yhat, what, tau, &out->summary);
	if (oob != NULL)
	{
		memcpy(oob->y_hat, yhat, n * sizeof(double));
		memcpy(oob->w_hat, what, n * sizeof(double));
		memcpy(oob->tau, tau, n * sizeof(double));
	}
	env_free(env, tau);

done:
	if (st != HTE_FOREST_OK)
	{
		env_free(env, fa.nodes);
		env_free(env, fa.leaves);
		env_free(env, out->node_off);
		env_free(env, out->leaf_off);
		env_free(env, out->importance);
		memset(out, 0, sizeof(*out));
	}
	env_free(env, yt);
	env_free(env, wt);
	grower_free(&g);
	env_free(env, x);
	env_free(env, y);
	env_free(env, w);
	env_free(env, sorted);
	env_free(env, rank);
	env_free(env, perm);
	env_free(env, S);
	env_free(env, H);
	env_free(env, drawn);
	env_free(env, cnt);
	env_free(env, acc);
	env_free(env, yhat);
	env_free(env, what);
	return st;
}

/* ------------------------------------------------------------------------
 * The stored form: little-endian, fixed widths, a 64-bit hash at the end
 *
 *   0  "HTEF"  4 version (u32)  8 n (u64)  16 p, num_trees, ci_group_size,
 *   flags (u32: 1 honesty, 2 prune)  32 options: num_trees (i64),
 *   sample_fraction, mtry (i64), min_node_size (i64), honesty_fraction,
 *   alpha, imbalance_penalty, seed (i64), max_model_mb  104 summary (15
 *   doubles)  224 importance (p doubles), node_off and leaf_off (2 ×
 *   (num_trees + 1) u64), nodes (threshold f64, var i32, right u32), leaves
 *   (4 doubles each), hash (u64: FNV-1a over the 64-bit words before it,
 *   the tail zero-padded).
 * ------------------------------------------------------------------------
 */
static bool
host_little(void)
{
	const uint16_t one = 1;
	unsigned char c;

	memcpy(&c, &one, 1);
	return c == 1;
}

static void
put_u64(unsigned char *o, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		o[i] = (unsigned char) (v >> (8 * i));
}

static void
put_u32(unsigned char *o, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		o[i] = (unsigned char) (v >> (8 * i));
}

static void
put_f64(unsigned char *o, double d)
{
	uint64_t	v;

	memcpy(&v, &d, 8);
	put_u64(o, v);
}

static uint64_t
get_u64(const unsigned char *o)
{
	uint64_t	v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | o[i];
	return v;
}

static uint32_t
get_u32(const unsigned char *o)
{
	return (uint32_t) o[0] | ((uint32_t) o[1] << 8) | ((uint32_t) o[2] << 16) | ((uint32_t) o[3] << 24);
}

static double
get_f64(const unsigned char *o)
{
	uint64_t	v = get_u64(o);
	double		d;

	memcpy(&d, &v, 8);
	return d;
}

static uint64_t
fnv1a64(const unsigned char *p, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i = 0;

	if (host_little())
		for (; i + 8 <= len; i += 8)
		{
			uint64_t	v;

			memcpy(&v, p + i, 8);
			h = (h ^ v) * 0x100000001b3ULL;
		}
	else
		for (; i + 8 <= len; i += 8)
			h = (h ^ get_u64(p + i)) * 0x100000001b3ULL;
	if (i < len)
	{
		unsigned char tail[8] = {0};

		memcpy(tail, p + i, len - i);
		h = (h ^ get_u64(tail)) * 0x100000001b3ULL;
	}
	return h;
}

static size_t
serialized_size(int p, int T, uint64_t nnodes, uint64_t nleaves)
{
	return FOREST_HEADER + 8 * (size_t) p + 16 * ((size_t) T + 1) + 16 * (size_t) nnodes +
		8 * HTE_FOREST_LEAF_STATS * (size_t) nleaves + FOREST_TRAILER;
}

size_t
hte_forest_serialized_size(const HteForest *f)
{
	return serialized_size(f->p, f->num_trees, f->node_off[f->num_trees], f->leaf_off[f->num_trees]);
}

static void
summary_to_array(const HteForestSummary *s, double *a)
{
	double		v[HTE_FOREST_SUMMARY_LEN] = {s->ate, s->ate_se, s->att, s->att_se, s->atu,
		s->atu_se, s->cal_mean, s->cal_mean_se, s->cal_mean_p, s->cal_diff, s->cal_diff_se,
	s->cal_diff_p, s->w_hat_min, s->w_hat_max, s->n_treated};

	memcpy(a, v, sizeof(v));
}

static void
summary_from_array(HteForestSummary *s, const double *a)
{
	s->ate = a[0];
	s->ate_se = a[1];
	s->att = a[2];
	s->att_se = a[3];
	s->atu = a[4];
	s->atu_se = a[5];
	s->cal_mean = a[6];
	s->cal_mean_se = a[7];
	s->cal_mean_p = a[8];
	s->cal_diff = a[9];
	s->cal_diff_se = a[10];
	s->cal_diff_p = a[11];
	s->w_hat_min = a[12];
	s->w_hat_max = a[13];
	s->n_treated = a[14];
}

void
hte_forest_serialize(const HteForest *f, unsigned char *out)
{
	size_t		len = hte_forest_serialized_size(f),
				o;
	uint64_t	nn = f->node_off[f->num_trees],
				nl = f->leaf_off[f->num_trees];
	double		sa[HTE_FOREST_SUMMARY_LEN];

	memcpy(out, "HTEF", 4);
	put_u32(out + 4, HTE_FOREST_VERSION);
	put_u64(out + 8, f->n);
	put_u32(out + 16, (uint32_t) f->p);
	put_u32(out + 20, (uint32_t) f->num_trees);
	put_u32(out + 24, (uint32_t) f->ci_group_size);
	put_u32(out + 28, (f->opts.honesty ? 1u : 0u) | (f->opts.honesty_prune_leaves ? 2u : 0u));
	put_u64(out + 32, (uint64_t) f->opts.num_trees);
	put_f64(out + 40, f->opts.sample_fraction);
	put_u64(out + 48, (uint64_t) f->opts.mtry);
	put_u64(out + 56, (uint64_t) f->opts.min_node_size);
	put_f64(out + 64, f->opts.honesty_fraction);
	put_f64(out + 72, f->opts.alpha);
	put_f64(out + 80, f->opts.imbalance_penalty);
	put_u64(out + 88, (uint64_t) f->opts.seed);
	put_f64(out + 96, f->opts.max_model_mb);
	summary_to_array(&f->summary, sa);
	for (int k = 0; k < HTE_FOREST_SUMMARY_LEN; k++)
		put_f64(out + 104 + 8 * k, sa[k]);
	o = FOREST_HEADER;
	for (int j = 0; j < f->p; j++, o += 8)
		put_f64(out + o, f->importance[j]);
	for (int b = 0; b <= f->num_trees; b++, o += 8)
		put_u64(out + o, f->node_off[b]);
	for (int b = 0; b <= f->num_trees; b++, o += 8)
		put_u64(out + o, f->leaf_off[b]);
	for (uint64_t i = 0; i < nn; i++, o += 16)
	{
		put_f64(out + o, f->nodes[i].threshold);
		put_u32(out + o + 8, (uint32_t) f->nodes[i].var);
		put_u32(out + o + 12, f->nodes[i].right);
	}
	for (uint64_t i = 0; i < HTE_FOREST_LEAF_STATS * nl; i++, o += 8)
		put_f64(out + o, f->leaves[i]);
	put_u64(out + o, fnv1a64(out, o));
	(void) len;
}

bool
hte_forest_peek(const unsigned char *in, size_t len, uint64_t *hash, uint64_t *n, int *p,
				int *num_trees)
{
	if (len < FOREST_HEADER + FOREST_TRAILER || memcmp(in, "HTEF", 4) != 0)
		return false;
	*hash = get_u64(in + len - 8);
	*n = get_u64(in + 8);
	*p = (int) get_u32(in + 16);
	*num_trees = (int) get_u32(in + 20);
	return true;
}

/* Check one tree's nodes in preorder; the number of non-empty leaves into *nl. */
static const char *
check_tree(const unsigned char *nodes, uint64_t nn, int p, bool prune, uint32_t *stack,
		   uint64_t *nl)
{
	uint64_t	pos = 0,
				sp = 0,
				leaves = 0;

	for (;;)
	{
		const unsigned char *nd;
		int32_t		var;
		uint32_t	right;

		if (pos >= nn)
			return "a tree's nodes end early";
		nd = nodes + 16 * pos;
		var = (int32_t) get_u32(nd + 8);
		right = get_u32(nd + 12);
		if (var >= 0)
		{
			double		t = get_f64(nd);

			if (var >= p)
				return "a split covariate is out of range";
			if (!isfinite(t))
				return "a threshold is not finite";
			if (right <= pos + 1 || right >= nn)
				return "a right child is out of place";
			if (sp >= nn)
				return "a tree is malformed";
			stack[sp++] = right;
			pos++;
			continue;
		}
		if (var != -1 || get_f64(nd) != 0.0)
			return "a leaf is malformed";
		if (right == HTE_FOREST_EMPTY)
		{
			if (prune)
				return "an empty leaf in a pruned forest";
		}
		else if (right != leaves++)
			return "leaves are out of order";
		pos++;
		if (sp == 0)
			break;
		if (stack[--sp] != pos)
			return "a right child is out of place";
	}
	if (pos != nn)
		return "a tree has nodes past its end";
	*nl = leaves;
	return NULL;
}

const char *
hte_forest_deserialize(const HteForestEnv *env, const unsigned char *in, size_t len, HteForest *f)
{
	uint64_t	n,
				nn,
				nl;
	uint32_t	p,
				T,
				ell,
				flags;
	HteForestOptions o;
	double		sa[HTE_FOREST_SUMMARY_LEN],
				isum = 0.0;
	size_t		off_pos,
				node_pos,
				leaf_pos;
	const char *why;
	uint32_t   *stack;

	if (len < FOREST_HEADER + FOREST_TRAILER)
		return "too short";
	if (memcmp(in, "HTEF", 4) != 0)
		return "not a forest";
	if (get_u32(in + 4) != HTE_FOREST_VERSION)
		return "unknown version";
	n = get_u64(in + 8);
	p = get_u32(in + 16);
	T = get_u32(in + 20);
	ell = get_u32(in + 24);
	flags = get_u32(in + 28);
	if (p < 1 || p > HTE_FOREST_MAX_P)
		return "the number of covariates is out of range";
	if (T < 1 || T > HTE_FOREST_MAX_TREES + 1000 || ell < 1 || ell > 1000 || T % ell != 0)
		return "the number of trees is out of range";
	if (n < 2 || n > HTE_FOREST_MAX_ROWS)
		return "the number of rows is out of range";
	if (flags > 3)
		return "unknown flags";
	o.honesty = (flags & 1) != 0;
	o.honesty_prune_leaves = (flags & 2) != 0;
	o.num_trees = (int64_t) get_u64(in + 32);
	o.sample_fraction = get_f64(in + 40);
	o.mtry = (int64_t) get_u64(in + 48);
	o.min_node_size = (int64_t) get_u64(in + 56);
	o.honesty_fraction = get_f64(in + 64);
	o.alpha = get_f64(in + 72);
	o.imbalance_penalty = get_f64(in + 80);
	o.seed = (int64_t) get_u64(in + 88);
	o.max_model_mb = get_f64(in + 96);
	o.ci_group_size = ell;
	if (hte_forest_options_check(&o, (int) p, (size_t) n) != NULL)
		return "an option is out of range";
	if (o.mtry < 1 || (o.num_trees + ell - 1) / ell * ell != (int64_t) T)
		return "the options do not match the trees";
	for (int k = 0; k < HTE_FOREST_SUMMARY_LEN; k++)
	{
		sa[k] = get_f64(in + 104 + 8 * k);
		if (isinf(sa[k]))
			return "a summary value is infinite";
	}
	{
		static const int se_at[] = {1, 3, 5, 7, 10};

		for (int k = 0; k < 5; k++)
			if (sa[se_at[k]] < 0.0)
				return "a standard error is negative";
	}
	if (sa[8] < 0.0 || sa[8] > 1.0 || sa[11] < 0.0 || sa[11] > 1.0)
		return "a p-value is out of range";
	if (!(sa[12] >= 0.0 && sa[12] <= sa[13] && sa[13] <= 1.0))
		return "the propensity range is invalid";
	if (!(sa[14] >= 1.0 && sa[14] <= (double) n - 1.0 && sa[14] == floor(sa[14])))
		return "the number of treated rows is invalid";
	off_pos = FOREST_HEADER + 8 * (size_t) p;
	if (len < off_pos + 16 * ((size_t) T + 1) + FOREST_TRAILER)
		return "too short";
	for (uint32_t j = 0; j < p; j++)
	{
		double		v = get_f64(in + FOREST_HEADER + 8 * j);

		if (!(v >= 0.0 && v <= 1.0))
			return "a variable importance is out of range";
		isum += v;
	}
	if (isum > 1.0 + 1e-9)
		return "the variable importances sum past 1";
	if (get_u64(in + off_pos) != 0 || get_u64(in + off_pos + 8 * ((size_t) T + 1)) != 0)
		return "a tree offset is out of place";
	for (uint32_t b = 0; b < T; b++)
	{
		uint64_t	a0 = get_u64(in + off_pos + 8 * b),
					a1 = get_u64(in + off_pos + 8 * (b + 1)),
					l0 = get_u64(in + off_pos + 8 * ((size_t) T + 1 + b)),
					l1 = get_u64(in + off_pos + 8 * ((size_t) T + 2 + b));

		if (a1 <= a0 || l1 < l0 || a1 - a0 > ((uint64_t) 1 << 32) || l1 - l0 > a1 - a0)
			return "a tree offset is out of place";
	}
	nn = get_u64(in + off_pos + 8 * (size_t) T);
	nl = get_u64(in + off_pos + 8 * (2 * (size_t) T + 1));
	if (nn > len / 16 || nl > len / 32 || serialized_size((int) p, (int) T, nn, nl) != len)
		return "the length does not match the trees";
	if (get_u64(in + len - 8) != fnv1a64(in, len - 8))
		return "the hash does not match";
	node_pos = off_pos + 16 * ((size_t) T + 1);
	leaf_pos = node_pos + 16 * (size_t) nn;

	/* every tree, then every leaf */
	{
		uint64_t	maxn = 0;

		for (uint32_t b = 0; b < T; b++)
		{
			uint64_t	d = get_u64(in + off_pos + 8 * (b + 1)) - get_u64(in + off_pos + 8 * b);

			if (d > maxn)
				maxn = d;
		}
		stack = env_alloc(env, (size_t) maxn, sizeof(uint32_t));
	}
	for (uint32_t b = 0; b < T; b++)
	{
		uint64_t	a0 = get_u64(in + off_pos + 8 * b),
					a1 = get_u64(in + off_pos + 8 * (b + 1)),
					l0 = get_u64(in + off_pos + 8 * ((size_t) T + 1 + b)),
					l1 = get_u64(in + off_pos + 8 * ((size_t) T + 2 + b)),
					got;

		why = check_tree(in + node_pos + 16 * a0, a1 - a0, (int) p, o.honesty_prune_leaves, stack, &got);
		if (why == NULL && got != l1 - l0)
			why = "a tree's leaves do not match its offsets";
		if (why != NULL)
		{
			env_free(env, stack);
			return why;
		}
		if ((b & 255) == 255)
			env->check_interrupts();
	}
	env_free(env, stack);
	for (uint64_t i = 0; i < nl; i++)
	{
		const unsigned char *s = in + leaf_pos + 32 * i;
		double		ay = get_f64(s),
					aw = get_f64(s + 8),
					ayw = get_f64(s + 16),
					aww = get_f64(s + 24);

		if (!isfinite(ay) || !isfinite(ayw) || !(fabs(aw) <= 1.0) || !(aww >= 0.0 && aww <= 1.0) ||
			aww - aw * aw < -1e-9)
			return "a leaf's statistics are invalid";
	}
	if (f == NULL)
		return NULL;

	memset(f, 0, sizeof(*f));
	f->n = n;
	f->p = (int) p;
	f->num_trees = (int) T;
	f->ci_group_size = (int) ell;
	f->opts = o;
	summary_from_array(&f->summary, sa);
	f->importance = env_alloc(env, p, sizeof(double));
	for (uint32_t j = 0; j < p; j++)
		f->importance[j] = get_f64(in + FOREST_HEADER + 8 * j);
	f->node_off = env_alloc(env, (size_t) T + 1, sizeof(uint64_t));
	f->leaf_off = env_alloc(env, (size_t) T + 1, sizeof(uint64_t));
	for (uint32_t b = 0; b <= T; b++)
	{
		f->node_off[b] = get_u64(in + off_pos + 8 * b);
		f->leaf_off[b] = get_u64(in + off_pos + 8 * ((size_t) T + 1 + b));
	}
	f->nodes = env_alloc(env, (size_t) nn, sizeof(HteForestNode));
	f->leaves = env_alloc(env, HTE_FOREST_LEAF_STATS * (size_t) nl, sizeof(double));
	if (host_little() && sizeof(HteForestNode) == 16)
	{
		memcpy(f->nodes, in + node_pos, 16 * (size_t) nn);
		memcpy(f->leaves, in + leaf_pos, 32 * (size_t) nl);
	}
	else
	{
		for (uint64_t i = 0; i < nn; i++)
		{
			f->nodes[i].threshold = get_f64(in + node_pos + 16 * i);
			f->nodes[i].var = (int32_t) get_u32(in + node_pos + 16 * i + 8);
			f->nodes[i].right = get_u32(in + node_pos + 16 * i + 12);
		}
		for (uint64_t i = 0; i < HTE_FOREST_LEAF_STATS * nl; i++)
			f->leaves[i] = get_f64(in + leaf_pos + 8 * i);
	}
	return NULL;
}

void
hte_forest_free(const HteForestEnv *env, HteForest *f)
{
	env_free(env, f->importance);
	env_free(env, f->node_off);
	env_free(env, f->leaf_off);
	env_free(env, f->nodes);
	env_free(env, f->leaves);
	memset(f, 0, sizeof(*f));
}
