/*
 * fuzz_cate.c — libFuzzer harness for the states of the CATE-model
 * aggregates: aipw's float8[] state (hte_aipw_state_check, src/core/
 * hte_aipw.h) in its stored and its buffered form, and the kept rows of
 * cate_projection, calibration_test and rate (hte_rows_parse, src/core/
 * hte_rows.h), the parser behind hte_cate_rows_deserialize.
 *
 * Input: a selector byte, then the bytes.  Selector bit 0 clear: aipw, the
 * bytes are doubles (native order; a trailing partial double is ignored)
 * and bit 1 picks the arm the harness adds rows to (1 treated); set: the
 * serialized kept rows.  Other bits are ignored.
 *
 * aipw: an accepted state folds (hte_aipw_state_fold) to valid sums unless
 * they overflowed (the glue's ERROR); merged with itself and with its
 * stored sums, as combine does when the counts fit under 2^53, it stays
 * valid unless not finite; rows added outside an aggregate
 * (hte_aipw_push) and inside one (hte_aipw_terms into the buffer,
 * hte_aipw_push_block for a full block) leave a state the check accepts
 * unless they overflowed; hte_aipw_compute refuses exactly the states
 * with an empty arm, else gives estimates that are numbers, NaN or
 * infinities (the glue's overflow ERROR), standard errors >= 0 or NaN and
 * p-values in [0, 1].
 *
 * Kept rows: the header agrees with the bytes (and is written back bit for
 * bit), every row passes the row check; each kind of kept rows is
 * finalized as its final function (src/cate_rows.c) does: projection by
 * OLS of Γ on
 * (1, a) with the state's se_type, calibration by OLS of y − m̂ on
 * ((T − ê) τ̄, (T − ê)(τ̂ − τ̄)) without intercept, HC3, rate sorted by
 * priority.  Fields are numbers, NaN or infinities, standard errors >= 0
 * or NaN, p-values in [0, 1]; rate's estimate does not depend on the order
 * of tied rows beyond rounding, and is exactly 0 when every priority is
 * the same.  The moment form of cate_projection (no rows: central moments
 * of (a, Γ)) is checked as its deserialize function does, fitted with
 * hte_ols_fit_moments, and merged with itself.
 */
#include <float.h>
#include <stdint.h>
#include <string.h>

#include "hte_aipw.h"
#include "hte_dist.h"
#include "hte_mvmoments.h"
#include "hte_ols.h"
#include "hte_rate.h"
#include "hte_rows.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
prob_ok(double p)
{
	return isnan(p) || (p >= 0.0 && p <= 1.0);
}

static bool
se_ok(double se)
{
	return isnan(se) || se >= 0.0;
}

/* ------------------------------------------------------------------------
 * aipw
 * ------------------------------------------------------------------------
 */

/* The estimands of valid sums, and the fields hte_estimand_datum derives. */
static void
aipw_compute_ok(const HteAipwSums *s)
{
	HteAipwEstimand e[4];

	if (!hte_aipw_compute(s, e))
	{
		FUZZ_ASSERT(s->arm[0].n == 0.0 || s->arm[1].n == 0.0);
		return;
	}
	FUZZ_ASSERT(s->arm[0].n > 0.0 && s->arm[1].n > 0.0);
	for (int k = 0; k < 4; k++)
	{
		double		z = e[k].std_error > 0.0 ? e[k].estimate / e[k].std_error : NAN;

		FUZZ_ASSERT(FUZZ_FIELD_OK(e[k].estimate) && se_ok(e[k].std_error));
		FUZZ_ASSERT(FUZZ_FIELD_OK(e[k].po_treated) && FUZZ_FIELD_OK(e[k].po_control));
		FUZZ_ASSERT(prob_ok(isnan(z) ? NAN : 2.0 * hte_pnorm(fabs(z), false)));
	}
	FUZZ_ASSERT(isnan(e[HTE_AIPW_DIFF].po_treated) && isnan(e[HTE_AIPW_DIFF].po_control));
}

/* combine(a, b): when the counts fit, valid unless not finite. */
static void
aipw_merge_ok(const HteAipwSums *a, const HteAipwSums *b)
{
	HteAipwSums m = *a;

	for (int g = 0; g < 2; g++)
		if (a->arm[g].n > HTE_MAX_COUNT - b->arm[g].n)
			return;				/* the glue's count ERROR */
	hte_aipw_merge(&m, b);
	if (!hte_aipw_finite(&m))
		return;					/* the glue's overflow ERROR */
	for (int g = 0; g < 2; g++)
		FUZZ_ASSERT(m.arm[g].n == a->arm[g].n + b->arm[g].n);
	FUZZ_ASSERT(hte_aipw_check(&m) == NULL);
	aipw_compute_ok(&m);
}

/*
 * Row i of those the harness adds: (y, ê, μ̂₀, μ̂₁) from four doubles of v
 * (made finite, ê folded into (0, 1)), or fixed ones without v.
 */
static void
aipw_row(const double *v, int i, double r[4])
{
	double		e;

	if (v == NULL)
	{
		r[0] = 0.75 * i - 3.5;
		r[1] = (i + 1.0) / 19.0;
		r[2] = 0.25 * i;
		r[3] = 1.0 - 0.1 * i;
		return;
	}
	for (int j = 0; j < 4; j++)
		r[j] = isfinite(v[4 * i + j]) ? v[4 * i + j] : 0.0;
	e = fabs(r[1]);
	e -= floor(e);
	r[1] = e > 0.0 && e < 1.0 ? e : 0.5;
}

static void
fuzz_aipw(const double *s, size_t len, int g)
{
	HteAipwSums a,
				c;
	double		t[HTE_AIPW_BUFFERED_LEN],
				r[4],
			   *k;
	const double *src = len == HTE_AIPW_BUFFERED_LEN ? s + HTE_AIPW_BUFFER(0) : NULL;
	HteAipwSums *ts = (HteAipwSums *) (t + 1);
	bool		ok;

	if (hte_aipw_state_check(s, len) != NULL)
		return;
	FUZZ_ASSERT(len == HTE_AIPW_STATE_LEN || len == HTE_AIPW_BUFFERED_LEN);
	FUZZ_ASSERT(s[0] == HTE_AIPW_STATE_TAG);
	memcpy(&c, s + 1, sizeof(c));
	FUZZ_ASSERT(hte_aipw_finite(&c) && hte_aipw_check(&c) == NULL);

	/* final and combine: the pending rows folded in */
	ok = hte_aipw_state_fold(s, len, &a);
	FUZZ_ASSERT(ok == hte_aipw_finite(&a));
	if (ok)
	{
		for (int h = 0; h < 2; h++)
			FUZZ_ASSERT(a.arm[h].n == c.arm[h].n +
						(len == HTE_AIPW_BUFFERED_LEN ? s[HTE_AIPW_PENDING(h)] : 0.0));
		FUZZ_ASSERT(hte_aipw_check(&a) == NULL);
		aipw_compute_ok(&a);
		/* combine(s, s), and with the stored sums either way round */
		aipw_merge_ok(&a, &a);
		aipw_merge_ok(&a, &c);
		aipw_merge_ok(&c, &a);
	}

	/* a row outside an aggregate: pushed onto the stored sums of a copy */
	memcpy(t, s, len * sizeof(double));
	aipw_row(src, 0, r);
	if (ts->arm[g].n + (len == HTE_AIPW_BUFFERED_LEN ? t[HTE_AIPW_PENDING(g)] : 0.0) <
		HTE_MAX_COUNT &&
		hte_aipw_push(ts, g == 1, r[0], r[1], r[2], r[3]))
	{
		FUZZ_ASSERT(hte_aipw_finite(ts) && ts->arm[g].n == c.arm[g].n + 1.0);
		FUZZ_ASSERT(hte_aipw_state_check(t, len) == NULL);
	}

	/*
	 * Rows inside an aggregate: the buffered form (zeros after a stored
	 * state, as hte_state_buffered_copy), each row's terms into the buffer,
	 * a full block folded in; the state is then valid.
	 */
	memset(t, 0, sizeof(t));
	memcpy(t, s, len * sizeof(double));
	k = t + HTE_AIPW_PENDING(g);
	for (int i = 0; i <= HTE_AIPW_BLOCK; i++)
	{
		double	   *row = t + HTE_AIPW_BUFFER(g) + (int) *k * HTE_AIPW_ROW;

		if (!(ts->arm[g].n + *k < HTE_MAX_COUNT))
			return;				/* the glue's count ERROR */
		aipw_row(src, i + 1, r);
		if (!hte_aipw_terms(g == 1, r[0], r[1], r[2], r[3], row))
			return;				/* the glue's overflow ERROR */
		FUZZ_ASSERT(row[2] == r[0] && isfinite(row[0]) && isfinite(row[1]) && isfinite(row[3]));
		if (++*k == HTE_AIPW_BLOCK)
		{
			*k = 0.0;
			if (!hte_aipw_push_block(ts, g, t + HTE_AIPW_BUFFER(g), HTE_AIPW_BLOCK))
				return;			/* the glue's overflow ERROR */
			FUZZ_ASSERT(hte_aipw_finite(ts));
		}
	}
	FUZZ_ASSERT(hte_aipw_state_check(t, HTE_AIPW_BUFFERED_LEN) == NULL);
	if (hte_aipw_state_fold(t, HTE_AIPW_BUFFERED_LEN, &a))
	{
		FUZZ_ASSERT(hte_aipw_check(&a) == NULL);
		aipw_compute_ok(&a);
	}
}

/* ------------------------------------------------------------------------
 * Kept rows of cate_projection, calibration_test and rate
 * ------------------------------------------------------------------------
 */

typedef struct ProjCtx
{
	const double *rows;
	int			width;
} ProjCtx;

/* as src/cate_rows.c: z = (1, a), y = Γ */
static void
proj_row(const void *ctx, size_t i, double *z, double *y)
{
	const ProjCtx *c = ctx;
	const double *r = c->rows + i * (size_t) c->width;

	*y = r[0];
	z[0] = 1.0;
	for (int j = 1; j < c->width; j++)
		z[j] = r[j];
}

typedef struct CalibCtx
{
	const double *rows;
	double		tau_bar;
} CalibCtx;

/* as src/cate_rows.c: z = ((T − ê) τ̄, (T − ê)(τ̂ − τ̄)), y = y − m̂ */
static void
calib_row(const void *ctx, size_t i, double *z, double *y)
{
	const CalibCtx *c = ctx;
	const double *r = c->rows + i * 3;

	*y = r[0];
	z[0] = r[1] * c->tau_bar;
	z[1] = r[1] * (r[2] - c->tau_bar);
}

static HteOlsResult ols;

/* A fit that did not overflow: its fields as the final functions read them. */
static void
ols_ok(const HteOlsResult *r, int k, size_t n)
{
	FUZZ_ASSERT(r->k == k && r->n == (double) n);
	FUZZ_ASSERT(r->rank >= 0 && r->rank <= k && r->df == (double) n - r->rank);
	for (int j = 0; j < k; j++)
	{
		FUZZ_ASSERT(FUZZ_FIELD_OK(r->estimate[j]) && se_ok(r->std_error[j]));
		FUZZ_ASSERT(FUZZ_FIELD_OK(r->t_statistic[j]) && prob_ok(r->p_value[j]));
	}
}

static void
fuzz_proj(const HteRowsHeader *h, const double *rows)
{
	ProjCtx		c = {rows, h->width};
	double	   *work = malloc(sizeof(double) * hte_ols_work_size(h->width));

	FUZZ_ASSERT(work != NULL && h->width <= HTE_OLS_MAX_K);
	if (hte_ols_fit(&c, proj_row, h->n, h->width, true, (HteSeType) h->option, work, NULL, &ols))
	{
		ols_ok(&ols, h->width, h->n);
		/* the intercept's column is never aliased */
		FUZZ_ASSERT(ols.rank >= 1);
	}
	free(work);
}

static void
fuzz_calib(const HteRowsHeader *h, const double *rows)
{
	CalibCtx	c = {rows, 0.0};
	HteDD		sum = {0.0, 0.0};
	double	   *work = malloc(sizeof(double) * hte_ols_work_size(2));

	FUZZ_ASSERT(work != NULL);
	for (uint64_t i = 0; i < h->n; i++)
		hte_dd_add(&sum, rows[i * 3 + 2]);
	c.tau_bar = hte_dd_value(sum) / (double) h->n;
	if (hte_ols_fit(&c, calib_row, h->n, 2, false, HTE_SE_HC3, work, NULL, &ols))
	{
		ols_ok(&ols, 2, h->n);
		for (int j = 0; j < 2; j++)
		{
			double		t = ols.t_statistic[j];

			/* grf's one-sided p-value, as upper_p */
			FUZZ_ASSERT(prob_ok(isnan(t) || !(ols.df > 0.0) ? NAN : hte_pt(t, ols.df, false)));
		}
	}
	free(work);
}

static void
fuzz_rate(const HteRowsHeader *h, double *rows)
{
	size_t		n = h->n;
	double	   *other = malloc(sizeof(double) * 2 * n),
				big = 0.0;
	HteRateResult r,
				q;
	bool		ok,
				tied = true;

	FUZZ_ASSERT(other != NULL);
	/* the same rows in the reverse order: ties meet the sort the other way */
	for (size_t i = 0; i < n; i++)
	{
		other[2 * i] = rows[2 * (n - 1 - i)];
		other[2 * i + 1] = rows[2 * (n - 1 - i) + 1];
		big = fmax(big, fabs(rows[2 * i]));
		tied = tied && rows[2 * i + 1] == rows[1];
	}
	hte_rate_sort(rows, n, NULL);
	for (size_t i = 1; i < n; i++)
		FUZZ_ASSERT(rows[2 * i - 1] >= rows[2 * i + 1]);
	ok = hte_rate_compute(rows, n, (HteRateTarget) h->option, NULL, &r);
	FUZZ_ASSERT(r.n == (double) n);
	if (ok)
	{
		double		z = r.std_error > 0.0 ? r.estimate / r.std_error : NAN;

		FUZZ_ASSERT(isfinite(r.estimate) && se_ok(r.std_error));
		FUZZ_ASSERT(n >= 2 || isnan(r.std_error));
		FUZZ_ASSERT(prob_ok(isnan(z) ? NAN : 2.0 * hte_pnorm(-fabs(z), true)));
		/* one priority for all: Σ c = 0 gives exactly 0 */
		if (tied)
			FUZZ_ASSERT(r.estimate == 0.0);
	}
	hte_rate_sort(other, n, NULL);
	if (hte_rate_compute(other, n, (HteRateTarget) h->option, NULL, &q) && ok)
	{
		/*
		 * Tied rows summed in another order: each mean moves by at most
		 * n·ε·max|Γ|, and the weights' magnitudes sum to at most
		 * n (log n + 1).
		 */
		double		tol = 4.0 * DBL_EPSILON * (double) n * (log((double) n) + 2.0) * big;

		FUZZ_ASSERT(fabs(r.estimate - q.estimate) <= tol);
	}
	free(other);
}

/*
 * The moment form of cate_projection: the summary checked as the glue's
 * deserialize does (hte_mv_arm_check, its count = the state's), then fitted
 * as its final function does (hte_ols_fit_moments); merged with itself, as
 * combine does, it stays valid unless not finite.
 */
static void
fuzz_moments(const HteRowsHeader *h, const unsigned char *p, size_t size)
{
	int			q = h->width - 1;
	size_t		len = hte_rows_moments_len(q);
	HteMvTable	t;
	void	   *mem = malloc(hte_mv_table_size(q));
	double	   *arm = malloc(len * sizeof(double)),
			   *twice = malloc(len * sizeof(double)),
			   *work;
	HteOlsResult r;

	FUZZ_ASSERT(mem != NULL && arm != NULL && twice != NULL);
	FUZZ_ASSERT(q >= 1 && q <= HTE_MV_MAX_P && size == HTE_ROWS_HEADER + len * sizeof(double));
	hte_mv_table_init(&t, q, mem);
	FUZZ_ASSERT(hte_mv_arm_len(&t) == len);
	memcpy(arm, p, len * sizeof(double));
	if (hte_mv_arm_check(&t, arm) != NULL || arm[0] != (double) h->n)
		goto done;
	work = malloc(sizeof(double) * (hte_ols_work_size(q + 1) + hte_mv_block_work(&t)));
	FUZZ_ASSERT(work != NULL);
	if (hte_ols_fit_moments(&t, arm, (HteSeType) h->option, work, &r))
		ols_ok(&r, q + 1, (size_t) h->n);
	memcpy(twice, arm, len * sizeof(double));
	if (arm[0] <= 4503599627370496.0)	/* 2^52: the counts fit */
	{
		bool		finite = true;

		hte_mv_merge(&t, twice, arm, work);
		for (size_t i = 0; i < len; i++)
			finite = finite && isfinite(twice[i]);
		if (finite)
			FUZZ_ASSERT(hte_mv_arm_check(&t, twice) == NULL);
	}
	free(work);
done:
	free(mem);
	free(arm);
	free(twice);
}

static void
fuzz_rows(const uint8_t *data, size_t size)
{
	HteRowsHeader h;
	const unsigned char *p = NULL;
	unsigned char back[HTE_ROWS_HEADER];
	double	   *rows;
	size_t		width;

	if (hte_rows_parse(data, size, &h, &p, NULL) != NULL)
		return;
	FUZZ_ASSERT(hte_rows_header_check(&h) == NULL);
	if (h.kind == HTE_ROWS_PROJECTION_MOMENTS)
	{
		fuzz_moments(&h, p, size);
		return;
	}
	if (h.kind == HTE_ROWS_FOREST)
		return;					/* causal_forest's rows: fuzz_forest.c */
	FUZZ_ASSERT(h.kind == HTE_ROWS_PROJECTION || h.kind == HTE_ROWS_CALIBRATION ||
				h.kind == HTE_ROWS_RATE);
	FUZZ_ASSERT(h.width >= 0 && h.width <= 1 + HTE_ROWS_MAX_P && (h.width > 0 || h.n == 0));
	FUZZ_ASSERT(h.kind == HTE_ROWS_PROJECTION || h.width == hte_rows_kind_width(h.kind));
	FUZZ_ASSERT(h.n <= (uint64_t) 1 << 53);
	width = (size_t) h.width;
	FUZZ_ASSERT(size == HTE_ROWS_HEADER + h.n * width * sizeof(double));
	FUZZ_ASSERT(p == data + HTE_ROWS_HEADER);
	/* serialize writes the header back as it was */
	hte_rows_write_header(back, &h);
	FUZZ_ASSERT(memcmp(back, data, HTE_ROWS_HEADER) == 0);
	if (h.n == 0)
		return;					/* the final functions return NULL */
	/* the glue copies the rows into aligned memory */
	rows = malloc(h.n * width * sizeof(double));
	FUZZ_ASSERT(rows != NULL);
	memcpy(rows, p, h.n * width * sizeof(double));
	for (uint64_t i = 0; i < h.n; i++)
	{
		FUZZ_ASSERT(hte_rows_row_check(&h, rows + i * width) == NULL);
		for (size_t j = 0; j < width; j++)
			FUZZ_ASSERT(isfinite(rows[i * width + j]));
	}
	switch (h.kind)
	{
		case HTE_ROWS_PROJECTION:
			fuzz_proj(&h, rows);
			break;
		case HTE_ROWS_CALIBRATION:
			for (uint64_t i = 0; i < h.n; i++)
				FUZZ_ASSERT(rows[i * 3 + 1] > -1.0 && rows[i * 3 + 1] < 1.0);
			fuzz_calib(&h, rows);
			break;
		default:
			fuzz_rate(&h, rows);
			break;
	}
	free(rows);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		len;
	double	   *s;

	if (size < 1)
		return 0;
	if (data[0] & 1)
	{
		fuzz_rows(data + 1, size - 1);
		return 0;
	}
	len = (size - 1) / sizeof(double);
	s = malloc((len + 1) * sizeof(double));
	memcpy(s, data + 1, len * sizeof(double));
	fuzz_aipw(s, len, (data[0] >> 1) & 1);
	free(s);
	return 0;
}
