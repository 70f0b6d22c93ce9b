/*
 * hte_padjust.h — p-value adjustment for multiple comparisons, as R's
 * p.adjust (stats package) for the methods below.
 *
 * Statistics core: no PostgreSQL headers.
 */
#ifndef HTE_PADJUST_H
#define HTE_PADJUST_H

#include <stdbool.h>
#include <stddef.h>

typedef enum HtePAdjust
{
	HTE_PADJ_NONE = 0,
	HTE_PADJ_BONFERRONI,
	HTE_PADJ_HOLM,
	HTE_PADJ_HOCHBERG,
	HTE_PADJ_BH,
	HTE_PADJ_BY
} HtePAdjust;

#define HTE_PADJ_NMETHODS 6

/* Canonical name ("none", "bonferroni", "holm", "hochberg", "BH", "BY"). */
const char *hte_padjust_name(HtePAdjust m);

/* Parse a method name, case-insensitively; false if unknown. */
bool		hte_padjust_parse(const char *name, size_t len, HtePAdjust *out);

/* "\"none\", \"bonferroni\", ..." for error hints. */
const char *hte_padjust_valid_list(void);

/*
 * Adjust the n p-values p[0..n-1] (each in [0, 1]) into out[0..n-1] (a
 * separate array).  idx is scratch space for n indexes.  n counts only the values
 * given: the caller leaves out the missing ones, as R does.
 */
void		hte_padjust(const double *p, size_t n, HtePAdjust method,
						double *out, size_t *idx);

#endif							/* HTE_PADJUST_H */
