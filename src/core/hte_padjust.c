/*
 * hte_padjust.c — R's p.adjust, method by method (R's stats/R/p.adjust.R):
 *
 *   bonferroni  pmin(1, n p)
 *   holm        pmin(1, cummax((n - i + 1) p[o]))[ro],   o = order(p)
 *   hochberg    pmin(1, cummin((n - i + 1) p[o]))[ro],   o = order(p, decreasing)
 *   BH          pmin(1, cummin(n / i p[o]))[ro],         o = order(p, decreasing)
 *   BY          as BH with the factor q = sum_{j=1}^n 1/j
 *
 * where i is the rank in the ascending order for holm and the rank counted
 * from the top (n, n-1, ..., 1) for the step-up methods.  Ties need no care:
 * the cumulative max/min gives tied p-values the same adjusted value
 * whichever way they are ordered.
 */
#include "hte_padjust.h"

#include "hte_moments.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const names[HTE_PADJ_NMETHODS] = {
	"none", "bonferroni", "holm", "hochberg", "BH", "BY"
};

const char *
hte_padjust_name(HtePAdjust m)
{
	return names[m];
}

bool
hte_padjust_parse(const char *name, size_t len, HtePAdjust *out)
{
	/* R's p.adjust takes "fdr" as another name for "BH". */
	if (len == 3 && strncasecmp(name, "fdr", 3) == 0)
	{
		*out = HTE_PADJ_BH;
		return true;
	}
	for (int i = 0; i < HTE_PADJ_NMETHODS; i++)
		if (strlen(names[i]) == len && strncasecmp(name, names[i], len) == 0)
		{
			*out = (HtePAdjust) i;
			return true;
		}
	return false;
}

const char *
hte_padjust_valid_list(void)
{
	return "\"none\", \"bonferroni\", \"holm\", \"hochberg\", \"BH\" (or \"fdr\") and \"BY\"";
}

/*
 * qsort comparator: ascending p, ties by index (a stable order).  The p
 * array is passed through a file-level pointer (qsort has no argument);
 * the backend is single-threaded.
 */
static const double *sort_p;

static int
cmp_index(const void *a, const void *b)
{
	size_t		i = *(const size_t *) a,
				j = *(const size_t *) b;

	if (sort_p[i] < sort_p[j])
		return -1;
	if (sort_p[i] > sort_p[j])
		return 1;
	return (i > j) - (i < j);
}

void
hte_padjust(const double *p, size_t n, HtePAdjust method, double *out, size_t *idx)
{
	const double nd = (double) n;
	double		run;

	if (n == 0)
		return;
	if (method == HTE_PADJ_NONE || method == HTE_PADJ_BONFERRONI)
	{
		for (size_t i = 0; i < n; i++)
			out[i] = method == HTE_PADJ_NONE ? p[i] : fmin(1.0, nd * p[i]);
		return;
	}

	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sort_p = p;
	qsort(idx, n, sizeof(size_t), cmp_index);
	sort_p = NULL;

	if (method == HTE_PADJ_HOLM)
	{
		/* ascending order, multiplier n - k at 0-based position k */
		run = 0.0;
		for (size_t k = 0; k < n; k++)
		{
			run = fmax(run, (nd - (double) k) * p[idx[k]]);
			out[idx[k]] = fmin(1.0, run);
		}
		return;
	}

	/* step-up methods: from the largest p down; i = k + 1 is R's rank */
	{
		double		q = 1.0;

		if (method == HTE_PADJ_BY)
		{
			/*
			 * sum(1/(1:n)): R's sum() accumulates in long double, so sum
			 * compensated to get the same correctly rounded q
			 */
			HteDD		acc = {0.0, 0.0};

			for (size_t j = 1; j <= n; j++)
				hte_dd_add(&acc, 1.0 / (double) j);
			q = hte_dd_value(acc);
		}
		run = INFINITY;
		for (size_t k = n; k-- > 0;)
		{
			double		i = (double) (k + 1);
			double		f = method == HTE_PADJ_HOCHBERG ? (nd + 1.0 - i) : q * nd / i;

			run = fmin(run, f * p[idx[k]]);
			out[idx[k]] = fmin(1.0, run);
		}
	}
}
