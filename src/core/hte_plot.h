/*
 * hte_plot.h — pictures (issue 16): forest plots of subgroup effects and
 * QTE profiles, as standalone SVG and as plain text for psql.
 *
 * Statistics core: plain C99, no PostgreSQL headers, no allocation.  The
 * output goes to the caller's emit callback piece by piece (PostgreSQL's
 * glue appends to a StringInfo).  Labels and titles come in as UTF-8; the
 * SVG is pure ASCII (every other character is a numeric character
 * reference, markup characters are escaped, characters XML 1.0 forbids are
 * replaced by U+FFFD), so it is valid in any server and client encoding.
 * The text form is UTF-8 (or ASCII with ascii = true).
 *
 * Layout rules that the tests rely on:
 *  - forest plot: one row per input row, in input order, then the overall
 *    row (if any); the x axis is linear, or log10 with log_scale; it covers
 *    every interval, estimate, the reference line and the overall interval;
 *    ticks are "nice" values (1, 2, 2.5, 5 times a power of ten; on a log
 *    axis 1, 2, 5 times a power of ten) thinned so that no two tick labels
 *    overlap; a row without an estimate reads "not estimable";
 *  - QTE profile: x is the quantile on [0, 1], y the effect; the CI band
 *    and the line join consecutive estimable quantiles (a quantile without
 *    an estimate breaks them and is listed as not estimable).
 */
#ifndef HTE_PLOT_H
#define HTE_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#define HTE_PLOT_MAX_ROWS	5000	/* rows of one forest plot / points of one profile */
#define HTE_PLOT_MAX_TEXT	1000	/* bytes of a label or title used; longer are cut */

typedef void (*HtePlotEmit) (void *ctx, const char *s, size_t len);

/* One row of a forest plot or one point of a QTE profile. */
typedef struct HtePlotRow
{
	const char *label;			/* UTF-8, label_len bytes; NULL: the NULL subgroup */
	size_t		label_len;
	double		estimate;		/* NaN: not estimable (SQL NULL) */
	double		ci_lower;		/* NaN: no interval */
	double		ci_upper;
	double		n;				/* count shown in the n column; NaN: none */
	double		x;				/* QTE profile: the quantile */
} HtePlotRow;

typedef struct HtePlotOptions
{
	const char *title;			/* UTF-8 or NULL */
	size_t		title_len;
	const char *xlabel;			/* NULL: "Treatment effect" (forest), "Quantile" (QTE) */
	size_t		xlabel_len;
	const char *ylabel;			/* QTE only; NULL: "Quantile treatment effect" */
	size_t		ylabel_len;
	int			width;			/* SVG pixels / text columns; 0: default */
	int			height;			/* SVG pixels; 0: fitted to the rows */
	bool		log_scale;		/* forest plot of ratios */
	double		reference;		/* the line of no effect; NaN: 0 (1 on a log scale) */
	int			digits;			/* decimals of estimates; -1: chosen from the axis */
	int			max_label;		/* characters of a label shown; longer get "…" */
	double		conf_level;		/* for the "95% CI" headings */
	bool		ascii;			/* text form: ASCII only */
	bool		show_counts;	/* an n column (forest plot) */
} HtePlotOptions;

/* Defaults for everything; conf_level 0.95. */
void		hte_plot_defaults(HtePlotOptions *o);

/*
 * Inverse-variance (fixed-effect) pooling of the rows that have an
 * estimate and an interval of positive width, the standard error of each
 * taken as the interval's width / (2 z), z = Φ⁻¹((1 + conf_level) / 2)
 * (on the log scale when log_scale).  Returns false when no row qualifies.
 * out->estimate, ci_lower, ci_upper are set; n is the sum of the counts of
 * the rows used (NaN if any is missing).
 */
bool		hte_plot_pool(const HtePlotRow *rows, size_t n, double conf_level,
						  bool log_scale, HtePlotRow *out);

/*
 * Render.  rows[0..n-1] in order; overall may be NULL.  Returns NULL on
 * success, else a message for the user (the caller reports it as an
 * invalid-parameter error): a non-finite number, ci_lower > ci_upper, a
 * non-positive value on a log scale, too many rows, a size too small for
 * the rows.  Nothing is emitted before the checks pass.
 */
const char *hte_forest_plot_svg(const HtePlotRow *rows, size_t n, const HtePlotRow *overall,
								const HtePlotOptions *o, HtePlotEmit emit, void *ctx);
const char *hte_forest_plot_text(const HtePlotRow *rows, size_t n, const HtePlotRow *overall,
								 const HtePlotOptions *o, HtePlotEmit emit, void *ctx);

/*
 * QTE profile; rows[i].x is the quantile in [0, 1], in ascending order
 * (the glue sorts them; at most HTE_PLOT_MAX_ROWS points).  overall (an
 * effect drawn as a dashed horizontal line, e.g. the ATE) may be NULL.
 */
const char *hte_qte_plot_svg(const HtePlotRow *rows, size_t n, const HtePlotRow *overall,
							 const HtePlotOptions *o, HtePlotEmit emit, void *ctx);
const char *hte_qte_plot_text(const HtePlotRow *rows, size_t n, const HtePlotRow *overall,
							  const HtePlotOptions *o, HtePlotEmit emit, void *ctx);

/* An axis (exposed for the tests). */
#define HTE_PLOT_MAX_TICKS 64
typedef struct HtePlotAxis
{
	double		lo,
				hi;				/* the drawn domain (data units) */
	bool		log_scale;
	int			nticks;
	double		ticks[HTE_PLOT_MAX_TICKS];
	int			decimals;		/* of the tick labels; -1: %g */
} HtePlotAxis;

/*
 * A nice axis covering [lo, hi] (lo <= hi, finite; positive on a log
 * scale), widened by pad (a fraction of the span on each side) for a plot
 * pixels long, with ticks whose labels do not overlap: text_px is the
 * pixels of one em of label text (SVG), or 0 for the text form (one
 * character a pixel), or negative for a vertical axis, whose labels need
 * -text_px pixels each.
 */
void		hte_plot_axis(double lo, double hi, bool log_scale, double pad,
						  double pixels, double text_px, HtePlotAxis *ax);

/* A tick label of the axis, into buf (at least 40 bytes). */
void		hte_plot_tick_label(const HtePlotAxis *ax, double v, char *buf);

/*
 * The kept rows of the forest_plot aggregates, serialized (parallel plans,
 * Citus): "HTEP", version 1, flags (bit 0: an n argument), 2 zero bytes,
 * the row count and the options' length (uint32 little-endian), the
 * options (text of a jsonb, or empty), then per row a flags byte (bits
 * 0-4: label, estimate, ci_lower, ci_upper, n is NULL), the label's length
 * (uint32) and bytes (no NUL), and the doubles that are not NULL (finite;
 * n >= 0), little-endian.  hte_plot_state_write emits that;
 * hte_plot_state_check validates every byte of a buffer (NULL or a
 * message) and sets the counts; hte_plot_state_next reads the row at
 * *offset (after a successful check), its label pointing into buf.
 */
#define HTE_PLOT_STATE_HEADER 16
void		hte_plot_state_write(const HtePlotRow *rows, size_t n, bool has_counts,
								 const char *opts, size_t opts_len,
								 HtePlotEmit emit, void *ctx);
const char *hte_plot_state_check(const unsigned char *buf, size_t len, size_t *nrows,
								 bool *has_counts, const char **opts, size_t *opts_len,
								 size_t *first_row);
void		hte_plot_state_next(const unsigned char *buf, size_t *offset, HtePlotRow *row);

/* Estimated width in em of UTF-8 text in DejaVu Sans (used for layout). */
double		hte_plot_text_em(const char *s, size_t len);

#endif							/* HTE_PLOT_H */
