/*
 * hte_rows.c — the kept-row state's format and checks (see hte_rows.h).
 */
#include "hte_rows.h"

#include <math.h>
#include <string.h>

#include "hte_forest.h"
#include "hte_interaction.h"
#include "hte_mvmoments.h"
#include "hte_rate.h"

int
hte_rows_kind_width(int kind)
{
	switch (kind)
	{
		case HTE_ROWS_PROJECTION:
			return -1;
		case HTE_ROWS_CALIBRATION:
			return 3;
		case HTE_ROWS_RATE:
			return 2;
		case HTE_ROWS_PROJECTION_MOMENTS:
			return -1;
		case HTE_ROWS_FOREST:
			return -1;
	}
	return 0;
}

size_t
hte_rows_prefix(int kind)
{
	return kind == HTE_ROWS_FOREST ? HTE_FOREST_OPT_BYTES : 0;
}

size_t
hte_rows_moments_len(int p)
{
	return 1 + 2 * ((size_t) hte_mv_count(p) - 1);
}

const char *
hte_rows_header_check(const HteRowsHeader *h)
{
	int			w = hte_rows_kind_width(h->kind);

	if (w == 0)
		return "The state's kind is not that of cate_projection, calibration_test, rate or causal_forest.";
	switch (h->kind)
	{
		case HTE_ROWS_PROJECTION:
			if (h->option < 0 || h->option >= HTE_SE_NTYPES)
				return "The state's se_type is not one of classical, HC0, HC1, HC2, HC3.";
			if (h->width == 0 ? h->n != 0 : (h->width < 1 || h->width > 1 + HTE_ROWS_MAX_P))
				return "The state's row width is not 1 plus a number of covariates from 0 to 100.";
			break;
		case HTE_ROWS_PROJECTION_MOMENTS:
			if (h->option != HTE_SE_CLASSICAL && h->option != HTE_SE_HC0 && h->option != HTE_SE_HC1)
				return "A one-pass cate_projection state's se_type is not classical, HC0 or HC1.";
			if (h->width < 2 || h->width > 1 + HTE_MV_MAX_P)
				return "A one-pass cate_projection state's width is not 1 plus 1 to 20 covariates.";
			break;
		case HTE_ROWS_CALIBRATION:
			if (h->option != 0)
				return "A calibration_test state has no option.";
			if (h->width != w)
				return "The state's row width is not that of its kind.";
			break;
		case HTE_ROWS_RATE:
			if (h->option != HTE_RATE_AUTOC && h->option != HTE_RATE_QINI)
				return "The state's target is not AUTOC or QINI.";
			if (h->width != w)
				return "The state's row width is not that of its kind.";
			break;
		case HTE_ROWS_FOREST:
			if (h->option != 0)
				return "A causal_forest state has no option.";
			if (h->width == 0 ? h->n != 0 : (h->width < 3 || h->width > 2 + HTE_FOREST_MAX_P))
				return "The state's row width is not 2 plus a number of covariates from 1 to 1000.";
			break;
	}
	if (h->n > (uint64_t) 1 << 53)
		return "The state's row count exceeds 2^53.";
	return NULL;
}

const char *
hte_rows_row_check(const HteRowsHeader *h, const double *row)
{
	for (int j = 0; j < h->width; j++)
		if (!isfinite(row[j]))
			return "A kept row has a value that is not finite.";
	if (h->kind == HTE_ROWS_CALIBRATION && !(row[1] > -1.0 && row[1] < 1.0))
		return "A kept row's T − e_hat is not strictly between −1 and 1.";
	if (h->kind == HTE_ROWS_FOREST && row[1] != 0.0 && row[1] != 1.0)
		return "A kept row's treatment is not 0 or 1.";
	return NULL;
}

void
hte_rows_write_header(unsigned char *out, const HteRowsHeader *h)
{
	uint32_t	w = (uint32_t) h->width;
	uint64_t	n = h->n;

	out[0] = HTE_ROWS_VERSION;
	out[1] = (unsigned char) h->kind;
	out[2] = (unsigned char) h->option;
	out[3] = 0;
	memcpy(out + 4, &w, 4);
	memcpy(out + 8, &n, 8);
}

const char *
hte_rows_parse(const unsigned char *in, size_t len, HteRowsHeader *h,
			   const unsigned char **rows, HteRowsInterruptFn chk)
{
	uint32_t	w;
	uint64_t	n;
	const char *why;
	double		row[2 + HTE_FOREST_MAX_P];
	size_t		pre;

	if (len < HTE_ROWS_HEADER)
		return "The state is shorter than its header.";
	if (in[0] != HTE_ROWS_VERSION)
		return "The state's format version is not 1.";
	if (in[3] != 0)
		return "The state's reserved header byte is not 0.";
	memcpy(&w, in + 4, 4);
	memcpy(&n, in + 8, 8);
	h->kind = in[1];
	h->option = in[2];
	h->width = w > 2 + HTE_FOREST_MAX_P ? -1 : (int) w;
	h->n = n;
	why = hte_rows_header_check(h);
	if (why != NULL)
		return why;
	if (h->kind == HTE_ROWS_PROJECTION_MOMENTS)
	{
		if (len - HTE_ROWS_HEADER != hte_rows_moments_len(h->width - 1) * sizeof(double))
			return "The state's length is not that of its moment summary.";
		*rows = in + HTE_ROWS_HEADER;
		return NULL;
	}
	pre = hte_rows_prefix(h->kind);
	if (len < HTE_ROWS_HEADER + pre)
		return "The state is shorter than its header.";
	if (h->kind == HTE_ROWS_FOREST)
	{
		HteForestOptions o;

		if (hte_forest_options_unpack(in + HTE_ROWS_HEADER, &o) != NULL)
			return "The state's forest options are invalid.";
	}
	len -= pre;
	if ((len - HTE_ROWS_HEADER) / sizeof(double) / (h->width > 0 ? (size_t) h->width : 1) < n ||
		len - HTE_ROWS_HEADER != n * (size_t) h->width * sizeof(double))
		return "The state's length does not match its row count.";
	*rows = in + HTE_ROWS_HEADER + pre;
	for (uint64_t i = 0; i < n; i++)
	{
		if (chk != NULL && (i & 65535) == 0)
			chk();
		memcpy(row, *rows + i * (size_t) h->width * sizeof(double),
			   (size_t) h->width * sizeof(double));
		why = hte_rows_row_check(h, row);
		if (why != NULL)
			return why;
	}
	return NULL;
}
