/*
 * fuzz_forest.c — libFuzzer harness for the causal forest's stored model
 * (hte_forest_deserialize, src/core/hte_forest.c: the validator behind the
 * hte_forest type's input, receive and cate/forest_summary) and for the
 * kept rows of causal_forest (hte_rows_parse on kind HTE_ROWS_FOREST with
 * the options packed between header and rows, hte_forest_options_unpack).
 *
 * Input: a selector byte (its low 3 bits; the others are ignored but in
 * mode 7), then:
 *   0-1  a byte picking one of the models trained at startup (small data,
 *        honesty on/off, pruning off so empty leaves exist, ci_group_size
 *        1/2/4, p = 1..5), then a recipe of edits (below); the model is
 *        written back and its hash recomputed, so the structure checks,
 *        not the hash, are what is fuzzed;
 *   2    a recipe for rows and options (fuzz_generated), trained on;
 *   3    the bytes of a model, the hash (its last 8 bytes) recomputed;
 *   4    the bytes of a model as they are;
 *   5    96 bytes of packed forest options (zero-padded);
 *   6    a kept-row state as it is;
 *   7    a kept-row state with its first 4 header bytes forced to
 *        version 1, kind 5 (causal_forest), option 0, reserved 0, and,
 *        when the selector's bits 3-7 hold k > 0, the outcomes (the first
 *        double of each whole row) scaled by a power of 2 that puts the
 *        largest |y| in [2^(992 + k), 2^(993 + k)): outcomes near the top of
 *        the doubles, whose sums the training must handle or refuse.
 *
 * A model the validator accepts: the verdict is the same without f; the
 * header, options, summary and importances are in range; every tree is a
 * binary tree in preorder (checked here independently, with bounded walks,
 * before anything routes through it) whose leaves are numbered in order
 * (empty ones only without pruning) and match the leaf offsets; every
 * leaf's statistics are valid; hte_forest_peek agrees; hte_forest_route
 * lands on a leaf of its tree, and hte_forest_predict gives an estimate
 * that is NaN or finite and a standard error >= 0 or NaN, at covariate
 * vectors from the input (zeros, the thresholds and their neighbours,
 * input doubles, ±DBL_MAX); and it serializes back to the input bit for
 * bit.  A recipe of only validity-preserving edits must be accepted.
 *
 * Options: unpack accepts only what hte_forest_options_check(o, 0, 0)
 * accepts, and packs back bit for bit.  Kept rows of causal_forest: the
 * lengths agree with the header, the options unpack, every row is finite
 * with treatment 0 or 1.  Those rows (up to 40, of up to 6 covariates) and
 * the generated ones of mode 2 are trained on as the final function does
 * (options checked for p and n first; here with at most 8 trees and
 * ci_group_size at most 4): a model trained without error must pass the
 * validator (causal_forest stores it, cate() reads it back), pass the
 * checks above, and predict at the rows exactly as its stored form does.
 *
 * Recipe: opcode bytes, each with its arguments (missing bytes read as 0),
 * up to 48 of them or a 0 byte: header fields, importances, tree offsets,
 * a node's var/right/threshold, leaf statistics, raw node/leaf insertions
 * and deletions with or without the offsets fixed, the length cut or
 * extended, the hash left stale, 8 raw bytes at an offset, the counts in
 * the header resynced with the arrays; and edits that keep the model
 * valid: split a leaf, collapse a subtree into a leaf, swap a node's
 * subtrees, empty or fill a leaf, add or drop a group of trees (header
 * fixed).
 */
#include <float.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "hte_forest.h"
#include "hte_rows.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ------------------------------------------------------------------------
 * Environment: malloc/free, no interrupts
 * ------------------------------------------------------------------------
 */
static void *
xalloc(void *ctx, size_t bytes)
{
	void	   *p = malloc(bytes ? bytes : 1);

	(void) ctx;
	FUZZ_ASSERT(p != NULL);
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

/* ------------------------------------------------------------------------
 * Little-endian bytes and the hash (as hte_forest.c)
 * ------------------------------------------------------------------------
 */
#define HDR 224					/* FOREST_HEADER */

static uint64_t
rd64(const unsigned char *o)
{
	uint64_t	v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | o[i];
	return v;
}

static uint32_t
rd32(const unsigned char *o)
{
	return (uint32_t) o[0] | ((uint32_t) o[1] << 8) | ((uint32_t) o[2] << 16) |
		((uint32_t) o[3] << 24);
}

static double
rdf(const unsigned char *o)
{
	uint64_t	v = rd64(o);
	double		d;

	memcpy(&d, &v, 8);
	return d;
}

static void
wr64(unsigned char *o, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		o[i] = (unsigned char) (v >> (8 * i));
}

static void
wr32(unsigned char *o, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		o[i] = (unsigned char) (v >> (8 * i));
}

static void
wrf(unsigned char *o, double d)
{
	uint64_t	v;

	memcpy(&v, &d, 8);
	wr64(o, v);
}

/* FNV-1a 64 over the little-endian 64-bit words of p, the tail zero-padded */
static uint64_t
fnv(const unsigned char *p, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i = 0;

	for (; i + 8 <= len; i += 8)
		h = (h ^ rd64(p + i)) * 0x100000001b3ULL;
	if (i < len)
	{
		unsigned char tail[8] = {0};

		memcpy(tail, p + i, len - i);
		h = (h ^ rd64(tail)) * 0x100000001b3ULL;
	}
	return h;
}

/* ------------------------------------------------------------------------
 * The models trained at startup
 * ------------------------------------------------------------------------
 */
typedef struct Config
{
	int			n,
				p,
				trees,
				ell,
				honesty,
				prune,
				min_node;
	double		sample_fraction,
				imbalance_penalty;
} Config;

/* the same table as gen_seeds.c's seeds_forest */
static const Config configs[] = {
	{40, 1, 4, 1, 1, 0, 1, 0.5, 0.0},
	{30, 2, 4, 2, 1, 1, 2, 0.5, 0.0},
	{60, 3, 8, 4, 1, 0, 1, 0.5, 0.0},
	{50, 5, 6, 2, 0, 0, 1, 0.5, 0.5},
	{24, 4, 3, 1, 0, 1, 3, 0.8, 0.0},
	{80, 2, 8, 2, 1, 0, 0, 0.5, 0.0},
	{20, 1, 4, 4, 1, 0, 1, 0.5, 1.0},
	{36, 3, 2, 1, 1, 0, 2, 0.7, 0.0},
};

#define NMODELS ((int) (sizeof(configs) / sizeof(configs[0])))

static unsigned char *model_bytes[NMODELS];
static size_t model_len[NMODELS];
static bool initialized;

static uint64_t rng_state;

static double
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double) (rng_state >> 11) / 9007199254740992.0;
}

static void
init_models(void)
{
	bool		empty = false;

	for (int m = 0; m < NMODELS; m++)
	{
		const Config *c = &configs[m];
		int			w = 2 + c->p;
		double	   *rows = xalloc(NULL, sizeof(double) * (size_t) (c->n * w)),
					need;
		HteForestOptions o;
		HteForest	f;

		rng_state = 88172645463325252ULL + (uint64_t) m;
		for (int i = 0; i < c->n; i++)
		{
			double	   *r = rows + i * w;

			for (int j = 0; j < c->p; j++)
				r[2 + j] = j == 0 ? floor(rnd() * 8.0) / 4.0 : rnd() * 10.0 - 5.0;
			r[1] = i % 2 == 0 ? 1.0 : (rnd() < 0.3 ? 1.0 : 0.0);
			r[0] = r[2] + r[1] * (r[2] > 1.0 ? 2.0 : 0.5) + rnd() - 0.5;
		}
		hte_forest_defaults(&o);
		o.num_trees = c->trees;
		o.ci_group_size = c->ell;
		o.honesty = c->honesty != 0;
		o.honesty_prune_leaves = c->prune != 0;
		o.min_node_size = c->min_node;
		o.sample_fraction = c->sample_fraction;
		o.imbalance_penalty = c->imbalance_penalty;
		o.seed = m;
		FUZZ_ASSERT(hte_forest_train(&env, rows, (size_t) c->n, c->p, &o, &f, &need, NULL) ==
					HTE_FOREST_OK);
		model_len[m] = hte_forest_serialized_size(&f);
		model_bytes[m] = xalloc(NULL, model_len[m]);
		hte_forest_serialize(&f, model_bytes[m]);
		FUZZ_ASSERT(hte_forest_deserialize(&env, model_bytes[m], model_len[m], NULL) == NULL);
		for (uint64_t i = 0; i < f.node_off[f.num_trees]; i++)
			if (f.nodes[i].var < 0 && f.nodes[i].right == HTE_FOREST_EMPTY)
				empty = true;
		hte_forest_free(&env, &f);
		free(rows);
	}
	/* pruning off in some of them: empty leaves to fuzz */
	FUZZ_ASSERT(empty);
	initialized = true;
}

/* ------------------------------------------------------------------------
 * A model as editable arrays
 * ------------------------------------------------------------------------
 */
#define MAX_IMP 1100
#define MAX_OFF 600
#define MAX_NODES 3000
#define MAX_LEAVES 1500
#define MAX_PATCH 8

typedef struct Node
{
	double		t;
	uint32_t	var;			/* as stored: int32 bits */
	uint32_t	right;
} Node;

typedef struct Model
{
	unsigned char hdr[HDR];
	size_t		nimp,
				noff,
				nloff,
				nn,
				nl;
	double		imp[MAX_IMP];
	uint64_t	off[MAX_OFF],
				loff[MAX_OFF];
	Node		nodes[MAX_NODES];
	double		leaf[MAX_LEAVES][4];
	long		extra;			/* bytes appended (> 0) or cut (< 0) */
	unsigned char fill;
	int			hash_mode;		/* 0 recomputed, 1 stale, 2 off by a bit */
	uint64_t	stale;
	int			npatch;
	struct
	{
		uint16_t	at;
		uint64_t	v;
	}			patch[MAX_PATCH];
	bool		valid;			/* only validity-preserving edits so far */
} Model;

static Model M;

static void
model_load(Model *m, const unsigned char *b, size_t len)
{
	uint32_t	p = rd32(b + 16),
				T = rd32(b + 20);
	size_t		o = HDR;

	memcpy(m->hdr, b, HDR);
	m->nimp = p;
	for (size_t j = 0; j < p; j++, o += 8)
		m->imp[j] = rdf(b + o);
	m->noff = m->nloff = T + 1;
	for (size_t j = 0; j <= T; j++, o += 8)
		m->off[j] = rd64(b + o);
	for (size_t j = 0; j <= T; j++, o += 8)
		m->loff[j] = rd64(b + o);
	m->nn = m->off[T];
	m->nl = m->loff[T];
	FUZZ_ASSERT(p < MAX_IMP && T + 1 < MAX_OFF && m->nn < MAX_NODES && m->nl < MAX_LEAVES);
	for (size_t i = 0; i < m->nn; i++, o += 16)
	{
		m->nodes[i].t = rdf(b + o);
		m->nodes[i].var = rd32(b + o + 8);
		m->nodes[i].right = rd32(b + o + 12);
	}
	for (size_t i = 0; i < m->nl; i++)
		for (int k = 0; k < 4; k++, o += 8)
			m->leaf[i][k] = rdf(b + o);
	FUZZ_ASSERT(o + 8 == len);
	m->stale = rd64(b + o);
	m->extra = 0;
	m->fill = 0;
	m->hash_mode = 0;
	m->npatch = 0;
	m->valid = true;
}

/* Bytes of the model; out must hold model_size(m). */
static size_t
model_size(const Model *m)
{
	size_t		body = HDR + 8 * (m->nimp + m->noff + m->nloff) + 16 * m->nn + 32 * m->nl;

	if (m->extra < 0)
		body = (size_t) -m->extra >= body ? 0 : body - (size_t) -m->extra;
	else
		body += (size_t) m->extra;
	return body + 8;
}

static size_t
model_emit(const Model *m, unsigned char *out)
{
	size_t		o = HDR,
				len = model_size(m),
				body = len - 8,
				full = HDR + 8 * (m->nimp + m->noff + m->nloff) + 16 * m->nn + 32 * m->nl;
	unsigned char *b = xalloc(NULL, full + (m->extra > 0 ? (size_t) m->extra : 0));
	uint64_t	h;

	memcpy(b, m->hdr, HDR);
	for (size_t j = 0; j < m->nimp; j++, o += 8)
		wrf(b + o, m->imp[j]);
	for (size_t j = 0; j < m->noff; j++, o += 8)
		wr64(b + o, m->off[j]);
	for (size_t j = 0; j < m->nloff; j++, o += 8)
		wr64(b + o, m->loff[j]);
	for (size_t i = 0; i < m->nn; i++, o += 16)
	{
		wrf(b + o, m->nodes[i].t);
		wr32(b + o + 8, m->nodes[i].var);
		wr32(b + o + 12, m->nodes[i].right);
	}
	for (size_t i = 0; i < m->nl; i++)
		for (int k = 0; k < 4; k++, o += 8)
			wrf(b + o, m->leaf[i][k]);
	if (m->extra > 0)
		memset(b + o, m->fill, (size_t) m->extra);
	memcpy(out, b, body);
	free(b);
	for (int k = 0; k < m->npatch && body > 0; k++)
	{
		size_t		at = m->patch[k].at % body;

		for (int i = 0; i < 8 && at + i < body; i++)
			out[at + i] = (unsigned char) (m->patch[k].v >> (8 * i));
	}
	h = m->hash_mode == 1 ? m->stale : fnv(out, body);
	if (m->hash_mode == 2)
		h ^= 1;
	wr64(out + body, h);
	return len;
}

/* ------------------------------------------------------------------------
 * The recipe
 * ------------------------------------------------------------------------
 */
typedef struct Rd
{
	const uint8_t *p;
	size_t		n,
				i;
} Rd;

static uint8_t
r8(Rd *r)
{
	return r->i < r->n ? r->p[r->i++] : 0;
}

static uint16_t
r16(Rd *r)
{
	uint16_t	lo = r8(r);

	return (uint16_t) (lo | (uint16_t) r8(r) << 8);
}

static uint64_t
r64(Rd *r)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t) r8(r) << (8 * i);
	return v;
}

/* a double: special values, neighbours of the option and statistic bounds, or raw */
static double
dval(Rd *r, double cur)
{
	uint8_t		k = r8(r) % 32;
	uint64_t	v;
	double		d;

	switch (k)
	{
		case 0:
			return 0.0;
		case 1:
			return -0.0;
		case 2:
			return 1.0;
		case 3:
			return -1.0;
		case 4:
			return 0.5;
		case 5:
			return -0.5;
		case 6:
			return NAN;
		case 7:
			return -NAN;
		case 8:
			return INFINITY;
		case 9:
			return -INFINITY;
		case 10:
			return DBL_MAX;
		case 11:
			return -DBL_MAX;
		case 12:
			return DBL_MIN;
		case 13:
			return 4.9406564584124654e-324;
		case 14:
			return 1e-9;
		case 15:
			return -1e-9;
		case 16:
			return nextafter(1.0, 2.0);
		case 17:
			return nextafter(1.0, 0.0);
		case 18:
			return 0.25;
		case 19:
			return nextafter(0.25, 0.0);
		case 20:
			return 2.0;
		case 21:
			return 700.0;
		case 22:
			return nextafter(700.0, 800.0);
		case 23:
			return 1e300;
		case 24:
			return -1e300;
		case 25:
			return cur * 2.0;
		case 26:
			return nextafter(cur, INFINITY);
		case 27:
			return nextafter(cur, -INFINITY);
		case 28:
			return -cur;
		case 29:
			return cur + 1.0;
		case 30:
			v = r64(r);
			memcpy(&d, &v, 8);
			return d;
		default:
			return (double) (int16_t) r16(r) / 8.0;
	}
}

/* an integer: small, the limits the validator knows and their neighbours, or raw */
static uint64_t
uval(Rd *r, uint64_t cur)
{
	static const uint64_t tab[] = {0, 1, 2, 3, 4, 5, 1000, 1001, 100000, 100001, 101000, 101001,
		1000000, 1000001, 1000000000, 1000000001, (uint64_t) 1 << 31, ((uint64_t) 1 << 31) + 1,
		(uint64_t) 1 << 32, ((uint64_t) 1 << 32) + 1, (uint64_t) 1 << 53, INT64_MAX, UINT64_MAX,
	(uint64_t) 1 << 63, UINT32_MAX, INT32_MAX};
	uint8_t		k = r8(r) % 32;

	if (k < sizeof(tab) / sizeof(tab[0]))
		return tab[k];
	switch (k)
	{
		case 26:
			return cur - 1;
		case 27:
			return cur + 1;
		case 28:
			return cur * 2;
		case 29:
			return r64(r);
		case 30:
			return r16(r);
		default:
			return cur - r8(r);
	}
}

/* tree offsets consistent with the arrays: strictly/weakly increasing, 0 to the ends */
static bool
offsets_ok(const Model *m)
{
	if (m->noff < 2 || m->noff != m->nloff || m->off[0] != 0 || m->loff[0] != 0 ||
		m->off[m->noff - 1] != m->nn || m->loff[m->nloff - 1] != m->nl)
		return false;
	for (size_t b = 0; b + 1 < m->noff; b++)
		if (m->off[b + 1] <= m->off[b] || m->loff[b + 1] < m->loff[b])
			return false;
	return true;
}

/* the tree b of global node g (offsets_ok) */
static size_t
tree_of(const Model *m, size_t g)
{
	size_t		b = 0;

	while (m->off[b + 1] <= g)
		b++;
	return b;
}

/* A tree decoded into linked nodes, edited, then written in preorder. */
typedef struct TNode
{
	double		t;
	int32_t		var;
	int			left,
				right;
	bool		empty;
	double		st[4];
} TNode;

static TNode tn[MAX_NODES + 8];
static int	tcount;

/*
 * End (local) of the subtree at local i of a tree of nn nodes, -1 when
 * malformed; leaves numbered from *next in order, out of nl.
 */
static long
sub_end(const Node *nd, long nn, long i, bool prune, uint64_t *next, uint64_t nl, int depth)
{
	for (;;)
	{
		int32_t		var;
		long		e;

		if (i < 0 || i >= nn || depth > nn)
			return -1;
		var = (int32_t) nd[i].var;
		if (var < 0)
		{
			if (var != -1 || nd[i].t != 0.0)
				return -1;
			if (nd[i].right == HTE_FOREST_EMPTY)
			{
				if (prune)
					return -1;
			}
			else if (nd[i].right != *next || *next >= nl)
				return -1;
			else
				(*next)++;
			return i + 1;
		}
		if (!isfinite(nd[i].t))
			return -1;
		e = sub_end(nd, nn, i + 1, prune, next, nl, depth + 1);
		if (e < 0 || (long) nd[i].right != e)
			return -1;
		i = e;
		depth++;
	}
}

/* tree b of m (offsets_ok) is valid for p covariates: decode it into tn */
static bool
tree_decode(const Model *m, size_t b, int p, bool prune)
{
	const Node *nd = m->nodes + m->off[b];
	long		nn = (long) (m->off[b + 1] - m->off[b]);
	uint64_t	nl = m->loff[b + 1] - m->loff[b],
				next = 0;

	if (sub_end(nd, nn, 0, prune, &next, nl, 0) != nn || next != nl)
		return false;
	for (long i = 0; i < nn; i++)
	{
		TNode	   *t = &tn[i];

		t->t = nd[i].t;
		t->var = (int32_t) nd[i].var;
		for (int k = 0; k < 4; k++)
			t->st[k] = 0.0;
		if (t->var >= 0)
		{
			t->left = (int) i + 1;
			t->right = (int) nd[i].right;
			if (t->var >= p)
				return false;
		}
		else
		{
			t->left = t->right = -1;
			t->empty = nd[i].right == HTE_FOREST_EMPTY;
			if (!t->empty)
				memcpy(t->st, m->leaf[m->loff[b] + nd[i].right], sizeof(t->st));
		}
	}
	tcount = (int) nn;
	return true;
}

/* tn (root 0) in preorder into tree b of m, the offsets after it moved */
static bool
tree_encode(Model *m, size_t b)
{
	static Node nodes[MAX_NODES + 8];
	static double leaves[MAX_NODES + 8][4];
	static int	stack[2 * (MAX_NODES + 8)];
	size_t		nn = 0,
				nl = 0,
				old_nn = m->off[b + 1] - m->off[b],
				old_nl = m->loff[b + 1] - m->loff[b];
	int			sp = 0;

	stack[sp++] = 0;
	stack[sp++] = -1;
	while (sp > 0)
	{
		int			parent = stack[--sp],
					i = stack[--sp];
		TNode	   *t = &tn[i];

		if (nn >= MAX_NODES)
			return false;
		if (parent >= 0)
			nodes[parent].right = (uint32_t) nn;
		nodes[nn].t = t->t;
		nodes[nn].var = (uint32_t) t->var;
		if (t->var >= 0)
		{
			nodes[nn].right = 0;
			stack[sp++] = t->right;
			stack[sp++] = (int) nn;
			stack[sp++] = t->left;
			stack[sp++] = -1;
		}
		else if (t->empty)
			nodes[nn].right = HTE_FOREST_EMPTY;
		else
		{
			nodes[nn].right = (uint32_t) nl;
			memcpy(leaves[nl], t->st, sizeof(t->st));
			nl++;
		}
		nn++;
	}
	if (m->nn - old_nn + nn > MAX_NODES || m->nl - old_nl + nl > MAX_LEAVES)
		return false;
	memmove(m->nodes + m->off[b] + nn, m->nodes + m->off[b + 1],
			(m->nn - m->off[b + 1]) * sizeof(Node));
	memcpy(m->nodes + m->off[b], nodes, nn * sizeof(Node));
	memmove(m->leaf + m->loff[b] + nl, m->leaf + m->loff[b + 1],
			(m->nl - m->loff[b + 1]) * sizeof(m->leaf[0]));
	memcpy(m->leaf + m->loff[b], leaves, nl * sizeof(m->leaf[0]));
	for (size_t c = b + 1; c < m->noff; c++)
	{
		m->off[c] = m->off[c] - old_nn + nn;
		m->loff[c] = m->loff[c] - old_nl + nl;
	}
	m->nn = m->nn - old_nn + nn;
	m->nl = m->nl - old_nl + nl;
	return true;
}

static int
hdr_p(const Model *m)
{
	return (int) rd32(m->hdr + 16);
}

static bool
hdr_prune(const Model *m)
{
	return (rd32(m->hdr + 28) & 2) != 0;
}

/*
 * A structural edit of one tree that keeps it valid (op: which).  Its
 * arguments, read whether or not the edit applies: the node (16 bits), a
 * byte (split: the covariate), a byte (split: the right child empty;
 * collapse: the leaf empty), a double (split: the threshold; fill: Ỹ's
 * mean), a double (fill: ỸW̃'s mean).
 */
static void
tree_edit(Model *m, Rd *r, int op)
{
	size_t		g = r16(r),
				b;
	uint8_t		a1 = r8(r),
				a2 = r8(r);
	double		d1 = dval(r, 0.0),
				d2 = dval(r, 0.0);
	int			i,
				p = hdr_p(m);
	bool		prune = hdr_prune(m);

	if (!offsets_ok(m) || m->nn == 0 || p < 1 || p > HTE_FOREST_MAX_P)
	{
		m->valid = false;
		return;
	}
	g %= m->nn;
	b = tree_of(m, g);
	if (!tree_decode(m, b, p, prune))
	{
		m->valid = false;
		return;
	}
	i = (int) (g - m->off[b]);
	switch (op)
	{
		case 0:					/* split a leaf */
			if (tn[i].var < 0 && tcount + 2 <= MAX_NODES)
			{
				TNode		l = tn[i];

				tn[i].var = (int32_t) (a1 % p);
				tn[i].t = d1;
				tn[i].left = tcount;
				tn[i].right = tcount + 1;
				tn[tcount] = l;
				tn[tcount + 1] = l;
				if (a2 & 1)
					tn[tcount + 1].empty = true;
				tcount += 2;
				if (!isfinite(d1) || (prune && tn[tcount - 1].empty))
					m->valid = false;
			}
			break;
		case 1:					/* collapse a subtree into a leaf */
			if (tn[i].var >= 0)
			{
				int			j = i;

				/* the leftmost leaf's statistics */
				while (tn[j].var >= 0)
					j = tn[j].left;
				tn[i].var = -1;
				tn[i].t = 0.0;
				tn[i].empty = (a2 & 1) != 0 || tn[j].empty;
				memcpy(tn[i].st, tn[j].st, sizeof(tn[i].st));
				if (prune && tn[i].empty)
					m->valid = false;
			}
			break;
		case 2:					/* swap the subtrees */
			if (tn[i].var >= 0)
			{
				int			t = tn[i].left;

				tn[i].left = tn[i].right;
				tn[i].right = t;
			}
			break;
		case 3:					/* empty a leaf, or fill an empty one */
			if (tn[i].var < 0)
			{
				tn[i].empty = !tn[i].empty;
				if (!tn[i].empty)
				{
					tn[i].st[0] = d1;
					tn[i].st[1] = 0.5;
					tn[i].st[2] = d2;
					tn[i].st[3] = 0.25;
					if (!isfinite(d1) || !isfinite(d2))
						m->valid = false;
				}
				else if (prune)
					m->valid = false;
			}
			break;
	}
	if (!tree_encode(m, b))
		m->valid = false;
}

/* Add (copies of the first ones) or drop a group of ci_group_size trees. */
static void
trees_edit(Model *m, Rd *r)
{
	uint32_t	T = rd32(m->hdr + 20),
				ell = rd32(m->hdr + 24);
	bool		add = (r8(r) & 1) != 0,
				fix = (r8(r) & 7) != 0;

	if (!offsets_ok(m) || ell < 1 || T + 1 != m->noff || T % ell != 0)
	{
		m->valid = false;
		return;
	}
	if (add)
	{
		uint64_t	nn = m->off[ell],
					nl = m->loff[ell];

		if (m->noff + ell > MAX_OFF || m->nn + nn > MAX_NODES || m->nl + nl > MAX_LEAVES)
			return;
		memcpy(m->nodes + m->nn, m->nodes, nn * sizeof(Node));
		memcpy(m->leaf + m->nl, m->leaf, nl * sizeof(m->leaf[0]));
		for (uint32_t k = 1; k <= ell; k++)
		{
			m->off[T + k] = m->nn + m->off[k];
			m->loff[T + k] = m->nl + m->loff[k];
		}
		m->nn += nn;
		m->nl += nl;
		T += ell;
	}
	else
	{
		if (T <= ell)
			return;
		T -= ell;
		m->nn = m->off[T];
		m->nl = m->loff[T];
	}
	m->noff = m->nloff = T + 1;
	if (fix)
	{
		wr32(m->hdr + 20, T);
		wr64(m->hdr + 32, T);
	}
	else
		m->valid = false;
}

/* the counts in the header and the ends of the offsets from the arrays */
static void
resync(Model *m)
{
	uint32_t	ell = rd32(m->hdr + 24);

	wr32(m->hdr + 16, (uint32_t) m->nimp);
	if (m->noff == m->nloff && m->noff >= 1)
	{
		wr32(m->hdr + 20, (uint32_t) (m->noff - 1));
		if (ell >= 1 && (m->noff - 1) % ell == 0)
			wr64(m->hdr + 32, m->noff - 1);
	}
	if (m->noff >= 1)
		m->off[m->noff - 1] = m->nn;
	if (m->nloff >= 1)
		m->loff[m->nloff - 1] = m->nl;
}

static void
apply_recipe(Model *m, Rd *r)
{
	static const int hdr32[] = {4, 16, 20, 24, 28};

	for (int ops = 0; ops < 48 && r->i < r->n; ops++)
	{
		uint8_t		op = r8(r);

		if (op == 0)
			break;				/* the end of the recipe */
		op = (uint8_t) ((op - 1) % 24);

		switch (op)
		{
			case 0:				/* a u32 header field */
				{
					int			at = hdr32[r8(r) % 5];

					wr32(m->hdr + at, (uint32_t) uval(r, rd32(m->hdr + at)));
					m->valid = false;
					break;
				}
			case 1:				/* a 64-bit header word: options, summary */
				{
					int			at = 8 + 8 * (r8(r) % 27);

					if (r8(r) & 1)
						wrf(m->hdr + at, dval(r, rdf(m->hdr + at)));
					else
						wr64(m->hdr + at, uval(r, rd64(m->hdr + at)));
					m->valid = false;
					break;
				}
			case 2:				/* an importance */
				{
					size_t		j = r16(r) % (m->nimp > 0 ? m->nimp : 1);
					double		v = dval(r, m->imp[j]);

					if (m->nimp > 0)
						m->imp[j] = v;
					m->valid = false;
					break;
				}
			case 3:				/* the number of importances */
				{
					uint64_t	k = uval(r, m->nimp);

					if (k < MAX_IMP)
					{
						for (size_t j = m->nimp; j < k; j++)
							m->imp[j] = 0.0;
						m->nimp = (size_t) k;
					}
					m->valid = false;
					break;
				}
			case 4:				/* a tree offset */
				{
					uint8_t		a = r8(r);
					uint64_t   *o = a & 1 ? m->loff : m->off;
					size_t		cnt = a & 1 ? m->nloff : m->noff,
								j = r16(r) % (cnt > 0 ? cnt : 1);
					uint64_t	v = uval(r, o[j]);

					if (cnt > 0)
						o[j] = v;
					m->valid = false;
					break;
				}
			case 5:				/* insert or delete an offset entry */
				{
					uint8_t		a = r8(r);
					uint64_t   *o = a & 1 ? m->loff : m->off;
					size_t	   *cnt = a & 1 ? &m->nloff : &m->noff;
					size_t		j = r16(r) % (*cnt > 0 ? *cnt : 1);

					if (a & 2)
					{
						if (*cnt > 0)
						{
							memmove(o + j, o + j + 1, (*cnt - j - 1) * sizeof(uint64_t));
							(*cnt)--;
						}
					}
					else if (*cnt + 1 < MAX_OFF)
					{
						memmove(o + j + 1, o + j, (*cnt - j) * sizeof(uint64_t));
						(*cnt)++;
					}
					m->valid = false;
					break;
				}
			case 6:				/* a node's var */
				if (m->nn > 0)
				{
					size_t		g = r16(r) % m->nn;
					uint32_t	p = rd32(m->hdr + 16);
					static const int32_t tab[] = {-2, -1, 0, 1, INT32_MAX, INT32_MIN};
					uint8_t		k = r8(r) % 10;

					m->nodes[g].var = k < 6 ? (uint32_t) tab[k] : k == 6 ? p - 1 : k == 7 ? p :
						k == 8 ? p + 1 : m->nodes[g].var + 1;
					m->valid = false;
				}
				break;
			case 7:				/* a node's right */
				if (m->nn > 0)
				{
					size_t		g = r16(r) % m->nn,
								pos = g,
								tsize = m->nn;
					uint32_t	cur = m->nodes[g].right;

					if (offsets_ok(m))
					{
						size_t		b = tree_of(m, g);

						pos = g - m->off[b];
						tsize = m->off[b + 1] - m->off[b];
					}
					switch (r8(r) % 12)
					{
						case 0:
							cur = 0;
							break;
						case 1:
							cur = (uint32_t) pos;
							break;
						case 2:
							cur = (uint32_t) pos + 1;
							break;
						case 3:
							cur = (uint32_t) pos + 2;
							break;
						case 4:
							cur++;
							break;
						case 5:
							cur--;
							break;
						case 6:
							cur = (uint32_t) tsize - 1;
							break;
						case 7:
							cur = (uint32_t) tsize;
							break;
						case 8:
							cur = HTE_FOREST_EMPTY;
							break;
						case 9:
							cur = HTE_FOREST_EMPTY - 1;
							break;
						case 10:
							cur = r8(r);
							break;
						default:
							cur = (uint32_t) r64(r);
							break;
					}
					m->nodes[g].right = cur;
					m->valid = false;
				}
				break;
			case 8:				/* a node's threshold */
				if (m->nn > 0)
				{
					size_t		g = r16(r) % m->nn;
					double		t = dval(r, m->nodes[g].t);

					/* an internal node's finite threshold keeps it valid */
					if (!((int32_t) m->nodes[g].var >= 0 && isfinite(t)))
						m->valid = false;
					m->nodes[g].t = t;
				}
				break;
			case 9:				/* a leaf statistic */
				if (m->nl > 0)
				{
					size_t		l = r16(r) % m->nl;
					int			k = r8(r) % 4;

					if (r8(r) % 4 == 0 && (k == 1 || k == 3))
					{
						/* at the bound W̃² mean = W̃ mean² − 1e-9 */
						double		aw = m->leaf[l][1];

						m->leaf[l][k] = k == 3 ? aw * aw - 1e-9 * (r8(r) & 1 ? 1.0 : 1.0000001) :
							sqrt(m->leaf[l][3] + 1e-9);
					}
					else
						m->leaf[l][k] = dval(r, m->leaf[l][k]);
					m->valid = false;
				}
				break;
			case 10:			/* delete a node, offsets after it fixed or not */
			case 11:			/* duplicate a node */
				if (m->nn > 0)
				{
					size_t		g = r16(r) % m->nn;
					bool		fix = (r8(r) & 1) != 0;

					if (op == 10)
					{
						memmove(m->nodes + g, m->nodes + g + 1, (m->nn - g - 1) * sizeof(Node));
						m->nn--;
					}
					else if (m->nn + 1 < MAX_NODES)
					{
						memmove(m->nodes + g + 1, m->nodes + g, (m->nn - g) * sizeof(Node));
						m->nn++;
					}
					if (fix)
						for (size_t b = 0; b < m->noff; b++)
							if (m->off[b] > g)
								m->off[b] += op == 10 ? (uint64_t) -1 : 1;
					m->valid = false;
				}
				break;
			case 12:			/* delete or duplicate a leaf's statistics */
				if (m->nl > 0)
				{
					size_t		l = r16(r) % m->nl;
					uint8_t		a = r8(r);

					if (a & 1)
					{
						memmove(m->leaf + l, m->leaf + l + 1, (m->nl - l - 1) * sizeof(m->leaf[0]));
						m->nl--;
					}
					else if (m->nl + 1 < MAX_LEAVES)
					{
						memmove(m->leaf + l + 1, m->leaf + l, (m->nl - l) * sizeof(m->leaf[0]));
						m->nl++;
					}
					if (a & 2)
						for (size_t b = 0; b < m->nloff; b++)
							if (m->loff[b] > l)
								m->loff[b] += a & 1 ? (uint64_t) -1 : 1;
					m->valid = false;
				}
				break;
			case 13:			/* swap two nodes */
				if (m->nn > 0)
				{
					size_t		g = r16(r) % m->nn,
								h = r16(r) % m->nn;
					Node		t = m->nodes[g];

					m->nodes[g] = m->nodes[h];
					m->nodes[h] = t;
					m->valid = false;
				}
				break;
			case 14:			/* the flags: honesty, prune */
				{
					uint32_t	f = rd32(m->hdr + 28),
								k = r8(r) % 6;

					f = k < 4 ? f ^ (k & 3) : k == 4 ? 4 : f | 0x80000000u;
					/* dropping the prune flag keeps the model valid */
					if (!(k == 2 && (f & 2) == 0))
						m->valid = false;
					wr32(m->hdr + 28, f);
					break;
				}
			case 15:			/* the length */
				{
					static const long tab[] = {-1, -7, -8, -9, -16, -17, -32, -33, 1, 7, 8, 16, 32,
					-100000};

					m->extra = tab[r8(r) % 14];
					m->fill = r8(r);
					m->valid = false;
					break;
				}
			case 16:			/* the hash: stale or a bit off */
				m->hash_mode = 1 + r8(r) % 2;
				m->valid = false;
				break;
			case 17:			/* 8 raw bytes anywhere before the hash */
				if (m->npatch < MAX_PATCH)
				{
					m->patch[m->npatch].at = r16(r);
					m->patch[m->npatch].v = r64(r);
					m->npatch++;
					m->valid = false;
				}
				break;
			case 18:
			case 19:
			case 20:
			case 21:
				tree_edit(m, r, op - 18);
				break;
			case 22:
				trees_edit(m, r);
				break;
			default:
				resync(m);
				m->valid = false;
				break;
		}
	}
}

/* ------------------------------------------------------------------------
 * An accepted model
 * ------------------------------------------------------------------------
 */
static bool
se_ok(double se)
{
	return isnan(se) || se >= 0.0;
}

static bool
prob_ok(double p)
{
	return isnan(p) || (p >= 0.0 && p <= 1.0);
}

/* the tree b of f: a binary tree in preorder, leaves in order (independent of the validator) */
static void
tree_ok(const HteForest *f, int b)
{
	uint64_t	a0 = f->node_off[b],
				a1 = f->node_off[b + 1],
				nl = f->leaf_off[b + 1] - f->leaf_off[b],
				next = 0;
	long		nn = (long) (a1 - a0);
	Node	   *nd;

	FUZZ_ASSERT(a1 > a0 && f->leaf_off[b + 1] >= f->leaf_off[b]);
	nd = xalloc(NULL, (size_t) nn * sizeof(Node));
	for (long i = 0; i < nn; i++)
	{
		nd[i].t = f->nodes[a0 + i].threshold;
		nd[i].var = (uint32_t) f->nodes[a0 + i].var;
		nd[i].right = f->nodes[a0 + i].right;
		if (f->nodes[a0 + i].var >= 0)
			FUZZ_ASSERT(f->nodes[a0 + i].var < f->p);
	}
	FUZZ_ASSERT(sub_end(nd, nn, 0, f->opts.honesty_prune_leaves, &next, nl, 0) == nn);
	FUZZ_ASSERT(next == nl);
	free(nd);
}

static void
model_ok(const HteForest *f, const unsigned char *in, size_t len, const uint8_t *data,
		 size_t size)
{
	const HteForestSummary *s = &f->summary;
	int			T = f->num_trees,
				p = f->p;
	uint64_t	nn,
				nl,
				hash,
				pn;
	int			pp,
				pT;
	double		isum = 0.0,
				sv[HTE_FOREST_SUMMARY_LEN] = {s->ate, s->ate_se, s->att, s->att_se, s->atu,
		s->atu_se, s->cal_mean, s->cal_mean_se, s->cal_mean_p, s->cal_diff, s->cal_diff_se,
	s->cal_diff_p, s->w_hat_min, s->w_hat_max, s->n_treated};
	unsigned char *back;
	uint32_t   *work;
	double	   *x;
	uint64_t	seed = fnv(data, size);

	/* header and options */
	FUZZ_ASSERT(p >= 1 && p <= HTE_FOREST_MAX_P);
	FUZZ_ASSERT(T >= 1 && f->ci_group_size >= 1 && T % f->ci_group_size == 0);
	FUZZ_ASSERT(f->n >= 2 && f->n <= HTE_FOREST_MAX_ROWS);
	FUZZ_ASSERT(hte_forest_options_check(&f->opts, p, (size_t) f->n) == NULL);
	FUZZ_ASSERT(f->opts.ci_group_size == f->ci_group_size && f->opts.mtry >= 1);
	FUZZ_ASSERT((f->opts.num_trees + f->ci_group_size - 1) / f->ci_group_size *
				f->ci_group_size == T);
	/* the summary */
	for (int k = 0; k < HTE_FOREST_SUMMARY_LEN; k++)
		FUZZ_ASSERT(!isinf(sv[k]));
	FUZZ_ASSERT(se_ok(s->ate_se) && se_ok(s->att_se) && se_ok(s->atu_se) &&
				se_ok(s->cal_mean_se) && se_ok(s->cal_diff_se));
	FUZZ_ASSERT(prob_ok(s->cal_mean_p) && prob_ok(s->cal_diff_p));
	FUZZ_ASSERT(s->w_hat_min >= 0.0 && s->w_hat_min <= s->w_hat_max && s->w_hat_max <= 1.0);
	FUZZ_ASSERT(s->n_treated >= 1.0 && s->n_treated <= (double) f->n - 1.0 &&
				s->n_treated == floor(s->n_treated));
	for (int j = 0; j < p; j++)
	{
		FUZZ_ASSERT(f->importance[j] >= 0.0 && f->importance[j] <= 1.0);
		isum += f->importance[j];
	}
	FUZZ_ASSERT(isum <= 1.0 + 1e-9);
	/* trees and leaves */
	FUZZ_ASSERT(f->node_off[0] == 0 && f->leaf_off[0] == 0);
	for (int b = 0; b < T; b++)
		tree_ok(f, b);
	nn = f->node_off[T];
	nl = f->leaf_off[T];
	FUZZ_ASSERT(hte_forest_serialized_size(f) == len);
	FUZZ_ASSERT(224 + 8 * (uint64_t) p + 16 * ((uint64_t) T + 1) + 16 * nn + 32 * nl + 8 == len);
	for (uint64_t i = 0; i < nl; i++)
	{
		const double *l = f->leaves + 4 * i;

		FUZZ_ASSERT(isfinite(l[0]) && isfinite(l[2]) && fabs(l[1]) <= 1.0 &&
					l[3] >= 0.0 && l[3] <= 1.0 && l[3] - l[1] * l[1] >= -1e-9);
	}
	/* the cache key */
	FUZZ_ASSERT(hte_forest_peek(in, len, &hash, &pn, &pp, &pT));
	FUZZ_ASSERT(hash == rd64(in + len - 8) && pn == f->n && pp == p && pT == T);
	/* written back bit for bit */
	back = xalloc(NULL, len);
	hte_forest_serialize(f, back);
	FUZZ_ASSERT(memcmp(back, in, len) == 0);
	free(back);

	/* routing and prediction at covariate vectors from the input */
	work = xalloc(NULL, sizeof(uint32_t) * (size_t) T);
	x = xalloc(NULL, sizeof(double) * (size_t) p);
	for (int v = 0; v < 5; v++)
	{
		double		est,
					se;

		for (int j = 0; j < p; j++)
		{
			uint64_t	h = seed ^ ((uint64_t) (v * 1009 + j) * 0x9e3779b97f4a7c15ULL);

			h ^= h >> 29;
			switch (v)
			{
				case 0:
					x[j] = 0.0;
					break;
				case 1:
				case 2:
					{
						/* a threshold on covariate j, or its neighbour */
						uint64_t	g0 = nn > 0 ? h % nn : 0;

						x[j] = v == 1 ? -1.0 : 1.0;
						for (uint64_t k = 0; k < nn; k++)
						{
							const HteForestNode *nd = &f->nodes[(g0 + k) % nn];

							if (nd->var == j)
							{
								x[j] = nd->threshold;
								if ((h >> 7) % 3 == 1)
									x[j] = nextafter(x[j], INFINITY);
								else if ((h >> 7) % 3 == 2)
									x[j] = nextafter(x[j], -INFINITY);
								break;
							}
						}
						break;
					}
				case 3:
					{
						/* 8 input bytes, made finite */
						unsigned char b[8];

						for (int k = 0; k < 8; k++)
							b[k] = size > 0 ? data[(h + (uint64_t) k) % size] : 0;
						x[j] = rdf(b);
						if (!isfinite(x[j]))
							x[j] = 0.0;
						break;
					}
				default:
					x[j] = h & 1 ? DBL_MAX : -DBL_MAX;
					break;
			}
		}
		for (int b = 0; b < T; b++)
		{
			uint32_t	lf = hte_forest_route(f, b, x);

			FUZZ_ASSERT(lf == HTE_FOREST_EMPTY ?
						!f->opts.honesty_prune_leaves :
						lf < f->leaf_off[b + 1] - f->leaf_off[b]);
		}
		hte_forest_predict(f, x, &est, &se, work);
		FUZZ_ASSERT(isnan(est) || isfinite(est));
		FUZZ_ASSERT(isnan(se) || (isfinite(se) && se >= 0.0));
		FUZZ_ASSERT(isnan(est) ? isnan(se) : true);
		(void) hte_forest_predict_mean(f, x);
	}
	free(x);
	free(work);
}

/* Validate len bytes; when accepted, check them as a model. */
static bool
fuzz_model(const unsigned char *in, size_t len, const uint8_t *data, size_t size)
{
	HteForest	f;
	const char *why = hte_forest_deserialize(&env, in, len, NULL),
			   *why2;

	memset(&f, 0, sizeof(f));
	why2 = hte_forest_deserialize(&env, in, len, &f);
	FUZZ_ASSERT(why == why2);
	if (why != NULL)
		return false;
	model_ok(&f, in, len, data, size);
	hte_forest_free(&env, &f);
	return true;
}

/* ------------------------------------------------------------------------
 * Options and the kept rows of causal_forest
 * ------------------------------------------------------------------------
 */
static void
fuzz_options(const uint8_t *data, size_t size)
{
	unsigned char in[HTE_FOREST_OPT_BYTES] = {0},
				back[HTE_FOREST_OPT_BYTES];
	HteForestOptions o;

	memcpy(in, data, size < sizeof(in) ? size : sizeof(in));
	if (hte_forest_options_unpack(in, &o) != NULL)
		return;
	FUZZ_ASSERT(hte_forest_options_check(&o, 0, 0) == NULL);
	FUZZ_ASSERT(rd64(in + 32) <= 1 && rd64(in + 48) <= 1);
	hte_forest_options_pack(&o, back);
	FUZZ_ASSERT(memcmp(in, back, sizeof(in)) == 0);
	FUZZ_ASSERT(hte_forest_mtry(&o, 1) >= 1 && hte_forest_mtry(&o, HTE_FOREST_MAX_P) >= 1);
}

/* Train on the kept rows as the final function does (with few trees). */
static void
train_rows(const HteRowsHeader *h, const double *rows, HteForestOptions o)
{
	int			p = h->width - 2;
	size_t		n = (size_t) h->n,
				nt = 0,
				len;
	HteForest	f,
				g;
	HteForestStatus st;
	double		need;
	unsigned char *b;
	uint32_t   *work;
	const char *why;

	if (o.num_trees > 8)
		o.num_trees = 8;
	if (o.ci_group_size > 4)
		o.ci_group_size = 4;
	if (hte_forest_options_check(&o, p, n) != NULL)
		return;					/* the final function returns NULL */
	for (size_t i = 0; i < n; i++)
		nt += rows[i * (size_t) h->width + 1] == 1.0;
	st = hte_forest_train(&env, rows, n, p, &o, &f, &need, NULL);
	if (st == HTE_FOREST_ONE_ARM)
		FUZZ_ASSERT(nt == 0 || nt == n);
	if (st != HTE_FOREST_OK)
		return;					/* trained nothing, or the glue's ERROR */
	FUZZ_ASSERT(nt > 0 && nt < n);
	FUZZ_ASSERT(f.n == n && f.p == p && f.ci_group_size == o.ci_group_size);
	len = hte_forest_serialized_size(&f);
	b = xalloc(NULL, len);
	hte_forest_serialize(&f, b);
	/* what causal_forest stores, cate() and forest_summary() must read back */
	why = hte_forest_deserialize(&env, b, len, &g);
	if (why != NULL)
		fprintf(stderr, "trained model rejected: %s\n", why);
	FUZZ_ASSERT(why == NULL);
	model_ok(&g, b, len, (const uint8_t *) rows, n * (size_t) h->width * sizeof(double));
	/* predictions at the training rows: valid, the same from the model read back */
	work = xalloc(NULL, sizeof(uint32_t) * (size_t) f.num_trees);
	for (size_t i = 0; i < n; i++)
	{
		const double *x = rows + i * (size_t) h->width + 2;
		double		est,
					se,
					est2,
					se2;

		hte_forest_predict(&f, x, &est, &se, work);
		FUZZ_ASSERT(isnan(est) || isfinite(est));
		FUZZ_ASSERT(isnan(se) || (isfinite(se) && se >= 0.0));
		hte_forest_predict(&g, x, &est2, &se2, work);
		FUZZ_ASSERT(memcmp(&est, &est2, sizeof(est)) == 0 && memcmp(&se, &se2, sizeof(se)) == 0);
	}
	hte_forest_free(&env, &g);
	free(work);
	free(b);
	hte_forest_free(&env, &f);
}

static void
fuzz_rows(const uint8_t *data, size_t size)
{
	HteRowsHeader h;
	const unsigned char *p = NULL;
	unsigned char back[HTE_ROWS_HEADER];
	HteForestOptions o;
	double	   *rows;
	size_t		width;

	if (hte_rows_parse(data, size, &h, &p, NULL) != NULL || h.kind != HTE_ROWS_FOREST)
		return;
	FUZZ_ASSERT(hte_rows_header_check(&h) == NULL && h.option == 0);
	FUZZ_ASSERT(h.width == 0 ? h.n == 0 : (h.width >= 3 && h.width <= 2 + HTE_FOREST_MAX_P));
	FUZZ_ASSERT(h.n <= (uint64_t) 1 << 53);
	FUZZ_ASSERT(hte_rows_prefix(h.kind) == HTE_FOREST_OPT_BYTES);
	width = (size_t) h.width;
	FUZZ_ASSERT(size == HTE_ROWS_HEADER + HTE_FOREST_OPT_BYTES + h.n * width * sizeof(double));
	FUZZ_ASSERT(p == data + HTE_ROWS_HEADER + HTE_FOREST_OPT_BYTES);
	hte_rows_write_header(back, &h);
	FUZZ_ASSERT(memcmp(back, data, HTE_ROWS_HEADER) == 0);
	/* the options: valid, as the final function unpacks them */
	FUZZ_ASSERT(hte_forest_options_unpack(data + HTE_ROWS_HEADER, &o) == NULL);
	FUZZ_ASSERT(hte_forest_options_check(&o, 0, 0) == NULL);
	fuzz_options(data + HTE_ROWS_HEADER, HTE_FOREST_OPT_BYTES);
	if (h.n == 0)
		return;
	rows = xalloc(NULL, h.n * width * sizeof(double));
	memcpy(rows, p, h.n * width * sizeof(double));
	for (uint64_t i = 0; i < h.n; i++)
	{
		const double *r = rows + i * width;

		FUZZ_ASSERT(hte_rows_row_check(&h, r) == NULL);
		for (size_t j = 0; j < width; j++)
			FUZZ_ASSERT(isfinite(r[j]));
		FUZZ_ASSERT(r[1] == 0.0 || r[1] == 1.0);
	}
	if (h.n >= 2 && h.n <= 40 && h.width <= 8)
		train_rows(&h, rows, o);
	free(rows);
}

/*
 * Mode 2: rows and options generated from the input (a recipe for a data
 * set, not the data), trained on as the final function does: n, p, the
 * options, the covariates' number of distinct values, the share treated
 * and the outcomes' scale (up to near DBL_MAX) from its first bytes, the
 * values from a generator seeded with the hash of the whole input.
 */
static void
fuzz_generated(const uint8_t *data, size_t size)
{
	Rd			r = {data, size, 0};
	int			n = 4 + r8(&r) % 37,
				p = 1 + r8(&r) % 4,
				w = 2 + p,
				levels = r8(&r) % 9,	/* 0: continuous */
				scale;
	uint8_t		a = r8(&r),
				sc = r8(&r);
	double		share = (1 + r8(&r) % 9) / 10.0,
				big = 0.0,
			   *rows;
	HteForestOptions o;
	HteRowsHeader h = {HTE_ROWS_FOREST, 0, 0, 0};
	static const double fractions[] = {0.5, 0.3, 0.8, 1.0};

	hte_forest_defaults(&o);
	o.num_trees = 1 + r8(&r) % 8;
	o.ci_group_size = 1 + (a & 3);
	o.honesty = (a & 4) != 0;
	o.honesty_prune_leaves = (a & 8) != 0;
	o.sample_fraction = o.ci_group_size > 1 ? 0.5 : fractions[(a >> 4) & 3];
	o.min_node_size = r8(&r) % 7;
	o.alpha = (double) (r8(&r) % 5) * 0.05;
	o.imbalance_penalty = (double) (r8(&r) % 3) * 0.5;
	o.seed = r8(&r);
	o.mtry = r8(&r) % 6;
	/* outcomes of about 1, or scaled: the largest |y| in [2^(scale-1), 2^scale) */
	scale = sc < 128 ? 0 : 993 + sc % 32;
	rng_state = fnv(data, size) | 1;
	rows = xalloc(NULL, sizeof(double) * (size_t) (n * w));
	for (int i = 0; i < n; i++)
	{
		double	   *q = rows + i * w;

		for (int j = 0; j < p; j++)
			q[2 + j] = levels > 0 ? floor(rnd() * levels) : rnd() * 4.0 - 2.0;
		q[1] = i < 2 ? (double) i : rnd() < share ? 1.0 : 0.0;
		q[0] = (sc & 1 ? q[2] : 0.0) + q[1] * (sc & 2 ? q[2] : 0.5) + 2.0 * rnd() - 1.0;
		big = fmax(big, fabs(q[0]));
	}
	if (scale > 0 && big > 0.0)
	{
		int			e;

		(void) frexp(big, &e);	/* big in [2^(e-1), 2^e) */
		for (int i = 0; i < n; i++)
			rows[i * w] = ldexp(rows[i * w], scale - e);
	}
	h.width = w;
	h.n = (uint64_t) n;
	for (int i = 0; i < n; i++)
		FUZZ_ASSERT(hte_rows_row_check(&h, rows + i * w) == NULL);
	train_rows(&h, rows, o);
	free(rows);
}

/* ------------------------------------------------------------------------
 * Entry
 * ------------------------------------------------------------------------
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int			mode;

	if (size < 1)
		return 0;
	if (!initialized)
		init_models();
	mode = data[0] & 7;
	data++;
	size--;
	switch (mode)
	{
		case 2:
			fuzz_generated(data, size);
			break;
		case 0:
		case 1:
			{
				Rd			r = {data, size, 0};
				int			k = r8(&r) % NMODELS;
				unsigned char *b;
				size_t		len;
				bool		ok;

				model_load(&M, model_bytes[k], model_len[k]);
				apply_recipe(&M, &r);
				b = xalloc(NULL, model_size(&M));
				len = model_emit(&M, b);
				ok = fuzz_model(b, len, data, size);
				if (M.valid && !ok)
					fprintf(stderr, "a valid edit refused: %s\n",
							hte_forest_deserialize(&env, b, len, NULL));
				FUZZ_ASSERT(!M.valid || ok);
				free(b);
				break;
			}
		case 3:
			{
				unsigned char *b = xalloc(NULL, size);

				memcpy(b, data, size);
				if (size >= 8)
					wr64(b + size - 8, fnv(b, size - 8));
				fuzz_model(b, size, data, size);
				free(b);
				break;
			}
		case 4:
			{
				/* copied: no slack after the bytes for ASan to miss */
				unsigned char *b = xalloc(NULL, size);

				memcpy(b, data, size);
				fuzz_model(b, size, data, size);
				free(b);
				break;
			}
		case 5:
			fuzz_options(data, size);
			break;
		case 6:
			fuzz_rows(data, size);
			break;
		default:
			{
				unsigned char *b = xalloc(NULL, size < 4 ? 4 : size);

				memcpy(b, data, size);
				int			k = data[-1] >> 3;

				if (size >= 4)
				{
					b[0] = HTE_ROWS_VERSION;
					b[1] = HTE_ROWS_FOREST;
					b[2] = 0;
					b[3] = 0;
				}
				if (k > 0 && size >= HTE_ROWS_HEADER + HTE_FOREST_OPT_BYTES)
				{
					uint32_t	w = rd32(b + 4);
					size_t		at0 = HTE_ROWS_HEADER + HTE_FOREST_OPT_BYTES,
								step = 8 * (size_t) w;
					double		big = 0.0;
					int			e;

					if (w > 0 && w <= 2 + HTE_FOREST_MAX_P)
					{
						for (size_t at = at0; at + step <= size; at += step)
							if (isfinite(rdf(b + at)))
								big = fmax(big, fabs(rdf(b + at)));
						if (big > 0.0)
						{
							(void) frexp(big, &e);	/* big in [2^(e-1), 2^e) */
							for (size_t at = at0; at + step <= size; at += step)
								wrf(b + at, ldexp(rdf(b + at), 993 + k - e));
						}
					}
				}
				fuzz_rows(b, size);
				free(b);
				break;
			}
	}
	return 0;
}
