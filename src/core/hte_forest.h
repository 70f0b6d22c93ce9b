/*
 * hte_forest.h — the causal forest (issue 15): generalized random forests
 * for the conditional average treatment effect (Wager & Athey 2018; Athey,
 * Tibshirani & Wager 2019), written from the papers and grf's algorithm
 * reference.
 *
 * Statistics core: plain C99, no PostgreSQL headers.  Memory comes from the
 * caller's allocator and every long loop calls its interrupt callback,
 * which may leave by longjmp (as PostgreSQL's ereport does): the caller's
 * allocator must then own what was allocated (a memory context).
 *
 * Training (hte_forest_train):
 *  1. the rows are put in a canonical order (by covariates, treatment,
 *     outcome), so the same rows in any order give the identical forest;
 *  2. two honest regression forests (max(50, num_trees / 4) trees, nodes of
 *     at most 5 rows are leaves, honesty fraction 0.5, grf's fixed choices)
 *     give the out-of-bag E[y|x] and E[T|x], which centre y and T;
 *  3. causal trees, in groups of ci_group_size sharing a half-sample, each
 *     on its own subsample, honest (one part chooses the splits, the other
 *     fills the leaves), split on the gradient pseudo-outcome
 *     ρ = (W̃ − W̄)((Ỹ − Ȳ) − τ_P (W̃ − W̄)) with Poisson(mtry) candidate
 *     covariates per node, thresholds at observed values ("x <= t goes
 *     left"), min_node_size treated-like and control-like rows (W̃ about its
 *     node mean) on each side, alpha and imbalance_penalty in W̃'s sums of
 *     squares;
 *  4. each leaf keeps the means of Ỹ, W̃, ỸW̃ and W̃², enough for the
 *     estimate and the little-bags variance at any x;
 *  5. out-of-bag CATEs of the training rows give the stored summary: ATE,
 *     ATT and ATU by AIPW (grf's average_treatment_effect), the
 *     calibration test (grf's test_calibration) and the split-frequency
 *     variable importance.
 *
 * Random numbers: hte_rng.h, one stream per (seed, forest, unit).
 */
#ifndef HTE_FOREST_H
#define HTE_FOREST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTE_FOREST_VERSION	1
#define HTE_FOREST_MAX_P	1000	/* covariates */
#define HTE_FOREST_MAX_TREES 100000
#define HTE_FOREST_MAX_ROWS	((size_t) 1 << 31)	/* row indices are uint32 */

/* Caller's memory and interrupts. */
typedef struct HteForestEnv
{
	void	   *(*alloc) (void *ctx, size_t bytes); /* never NULL: fails by
													 * itself */
	void		(*release) (void *ctx, void *ptr);
	void	   *ctx;
	void		(*check_interrupts) (void);
} HteForestEnv;

/* Options: grf's causal_forest and their defaults (hte_forest_defaults). */
typedef struct HteForestOptions
{
	int64_t		num_trees;		/* 2000 */
	double		sample_fraction;	/* 0.5 */
	int64_t		mtry;			/* 0: min(ceil(sqrt(p) + 20), p) */
	int64_t		min_node_size;	/* 5 */
	bool		honesty;		/* true */
	double		honesty_fraction;	/* 0.5 */
	bool		honesty_prune_leaves;	/* true */
	double		alpha;			/* 0.05 */
	double		imbalance_penalty;	/* 0 */
	int64_t		ci_group_size;	/* 2 */
	int64_t		seed;			/* 0 */
	double		max_model_mb;	/* 700 (the text form stays under 1 GB) */
} HteForestOptions;

#define HTE_FOREST_MAX_MODEL_MB 700.0

void		hte_forest_defaults(HteForestOptions *o);

/* mtry for p covariates after the default (0) is resolved. */
int64_t		hte_forest_mtry(const HteForestOptions *o, int p);

/*
 * NULL when the options are valid for n rows of p covariates, else why not
 * (a fragment for an error message).  p = 0 or n = 0: not yet known, not
 * checked.
 */
const char *hte_forest_options_check(const HteForestOptions *o, int p, size_t n);

/* The options as HTE_FOREST_OPT_BYTES little-endian bytes, and back (checked). */
#define HTE_FOREST_OPT_BYTES 96
void		hte_forest_options_pack(const HteForestOptions *o, unsigned char *out);
const char *hte_forest_options_unpack(const unsigned char *in, HteForestOptions *o);

/*
 * A node of a stored tree, in depth-first preorder: an internal node's left
 * child is the next node, its right child node `right` of the same tree.
 * A leaf has var = -1 and right = its leaf's index in the tree's leaf
 * statistics, or HTE_FOREST_EMPTY when no estimation row reached it
 * (possible only with honesty_prune_leaves off).
 */
typedef struct HteForestNode
{
	double		threshold;		/* left iff x[var] <= threshold */
	int32_t		var;
	uint32_t	right;
} HteForestNode;

#define HTE_FOREST_EMPTY UINT32_MAX
#define HTE_FOREST_LEAF_STATS 4 /* means of Ỹ, W̃, ỸW̃, W̃² */

/* The out-of-bag summary stored in the model (NaN: undefined). */
typedef struct HteForestSummary
{
	double		ate,
				ate_se,
				att,
				att_se,
				atu,
				atu_se;
	double		cal_mean,
				cal_mean_se,
				cal_mean_p,
				cal_diff,
				cal_diff_se,
				cal_diff_p;
	double		w_hat_min,
				w_hat_max;		/* range of the out-of-bag propensities */
	double		n_treated;
} HteForestSummary;

#define HTE_FOREST_SUMMARY_LEN 15

typedef struct HteForest
{
	uint64_t	n;				/* training rows */
	int			p;
	int			num_trees;
	int			ci_group_size;
	HteForestOptions opts;		/* as used (mtry resolved, num_trees rounded) */
	HteForestSummary summary;
	double	   *importance;		/* p */
	uint64_t   *node_off;		/* num_trees + 1: tree b's nodes */
	uint64_t   *leaf_off;		/* num_trees + 1: tree b's leaves */
	HteForestNode *nodes;
	double	   *leaves;			/* HTE_FOREST_LEAF_STATS per leaf */
} HteForest;

typedef enum HteForestStatus
{
	HTE_FOREST_OK = 0,
	HTE_FOREST_ONE_ARM,			/* every row treated, or none */
	HTE_FOREST_TOO_FEW,			/* a (sub)sample size below 1 */
	HTE_FOREST_TOO_LARGE,		/* the model would pass max_model_mb */
	HTE_FOREST_NO_OOB,			/* a row is in every tree's sample */
	HTE_FOREST_OVERFLOW			/* a sum overflowed */
} HteForestStatus;

/*
 * The out-of-bag vectors of a training, in canonical row order (order[i]:
 * the input row of canonical row i): the nuisance predictions and the CATE
 * (NaN where no tree was out of bag).  n entries each, the caller's.
 */
typedef struct HteForestOob
{
	uint32_t   *order;
	double	   *y_hat;
	double	   *w_hat;
	double	   *tau;
} HteForestOob;

/*
 * Train on n rows of 2 + p doubles (y, treated 0/1, x_1..x_p), all finite,
 * in any order (rows is not changed).  On HTE_FOREST_TOO_LARGE, *need_mb is
 * the projected model size.  oob: NULL, or where to copy the out-of-bag
 * vectors.
 */
HteForestStatus hte_forest_train(const HteForestEnv *env, const double *rows, size_t n, int p,
								 const HteForestOptions *o, HteForest *out, double *need_mb,
								 HteForestOob *oob);

/*
 * The CATE at x (p doubles) and its standard error (little bags); NaN when
 * undefined.  work: num_trees uint32 of scratch.
 */
void		hte_forest_predict(const HteForest *f, const double *x, double *estimate,
							   double *std_error, uint32_t *work);

/* The leaf of tree b that x reaches: an index into the tree's leaves or HTE_FOREST_EMPTY. */
uint32_t	hte_forest_route(const HteForest *f, int b, const double *x);

/* Bytes of the serialized model. */
size_t		hte_forest_serialized_size(const HteForest *f);

/* Write the serialized model (little-endian, with a hash) into out. */
void		hte_forest_serialize(const HteForest *f, unsigned char *out);

/*
 * Check len bytes of a serialized model completely and, when valid and f is
 * not NULL, read it into *f (arrays from env).  NULL when valid, else why
 * not.
 */
const char *hte_forest_deserialize(const HteForestEnv *env, const unsigned char *in, size_t len,
								   HteForest *f);

/* Release a forest's arrays (trained, grown or deserialized with env). */
void		hte_forest_free(const HteForestEnv *env, HteForest *f);

/* The header fields without checking the rest (for a cheap cache key). */
bool		hte_forest_peek(const unsigned char *in, size_t len, uint64_t *hash, uint64_t *n,
							int *p, int *num_trees);

/* ------------------------------------------------------------------------
 * Test entry points (the exact check against a brute-force R reference):
 * trees grown on given index sets with every covariate tried at every node.
 * ------------------------------------------------------------------------
 */
typedef struct HteTreeParams
{
	bool		causal;			/* else a regression tree on y */
	int64_t		min_node_size;
	double		alpha;
	double		imbalance_penalty;
	bool		prune;
} HteTreeParams;

/*
 * Grow num_trees trees (groups of ci_group_size consecutive trees) on rows
 * x (n × p, row-major) with responses y (and w, causal), tree b on the
 * split set split[b] (split_n[b] rows) and estimation set est[b]; fill
 * out's trees (a regression leaf keeps its mean first and zeros) and, when
 * oob is not NULL, each row's out-of-bag estimate (τ̂, or the mean).
 * Importance into out->importance.
 */
void		hte_forest_grow_given(const HteForestEnv *env, const HteTreeParams *tp,
								  const double *x, const double *y, const double *w,
								  size_t n, int p, int num_trees, int ci_group_size,
								  uint32_t *const *split, const size_t *split_n,
								  uint32_t *const *est, const size_t *est_n,
								  HteForest *out, double *oob);

/* A regression forest's prediction: the mean of the non-empty leaves' means. */
double		hte_forest_predict_mean(const HteForest *f, const double *x);

#endif							/* HTE_FOREST_H */
