/*
 * hte_plot.c — forest plots and QTE profiles as SVG and as text.  See
 * hte_plot.h for the contract and the layout rules.
 */
#include "hte_plot.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hte_dist.h"

/* Okabe & Ito's colour-blind-safe palette */
#define COL_ROW		"#0072B2"	/* blue: estimates and intervals */
#define COL_BAND	"#56B4E9"	/* sky blue: the QTE band */
#define COL_OVERALL "#D55E00"	/* vermillion: the overall effect */
#define COL_REF		"#000000"	/* the line of no effect */
#define COL_AXIS	"#333333"
#define COL_MUTED	"#666666"

#define FONT_PX		13.0
#define PAD			12.0

/* ------------------------------------------------------------------------
 * Output
 * ------------------------------------------------------------------------
 */
typedef struct Out
{
	HtePlotEmit emit;
	void	   *ctx;
} Out;

static void
out_s(const Out *o, const char *s)
{
	o->emit(o->ctx, s, strlen(s));
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void out_f(const Out *o, const char *fmt,...);

static void
out_f(const Out *o, const char *fmt,...)
{
	char		buf[512];
	va_list		ap;
	int			len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t) len >= sizeof buf)
		len = (int) sizeof buf - 1;
	o->emit(o->ctx, buf, (size_t) len);
}

/* ------------------------------------------------------------------------
 * UTF-8 text
 * ------------------------------------------------------------------------
 */

/*
 * The code point at s[*i], advancing *i; a malformed sequence is one byte
 * read as U+FFFD.
 */
static unsigned
utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *u = (const unsigned char *) s;
	unsigned	c = u[*i];
	unsigned	cp;
	int			k,
				j;

	if (c < 0x80)
	{
		(*i)++;
		return c;
	}
	if (c >= 0xC2 && c <= 0xDF)
	{
		k = 1;
		cp = c & 0x1F;
	}
	else if (c >= 0xE0 && c <= 0xEF)
	{
		k = 2;
		cp = c & 0x0F;
	}
	else if (c >= 0xF0 && c <= 0xF4)
	{
		k = 3;
		cp = c & 0x07;
	}
	else
	{
		(*i)++;
		return 0xFFFD;
	}
	if (*i + (size_t) k >= len)
	{
		(*i)++;
		return 0xFFFD;
	}
	for (j = 1; j <= k; j++)
	{
		if ((u[*i + j] & 0xC0) != 0x80)
		{
			(*i)++;
			return 0xFFFD;
		}
		cp = (cp << 6) | (u[*i + j] & 0x3F);
	}
	/* overlong, surrogate or beyond U+10FFFF */
	if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		(cp >= 0xD800 && cp <= 0xDFFF))
	{
		(*i)++;
		return 0xFFFD;
	}
	*i += (size_t) k + 1;
	return cp;
}

/* May the code point appear in XML 1.0 text? */
static bool
xml_char(unsigned cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
		(cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Columns a code point takes in a terminal: 0, 1 or 2. */
static int
cp_columns(unsigned cp)
{
	if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
		(cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		(cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
		(cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
		(cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

/* Advance widths of printable ASCII in DejaVu Sans, in 1/2048 em. */
static const short dejavu_ascii[95] = {
	651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,	/* ' '..'/' */
	1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303,	/* 0..9 */
	690, 690, 1716, 1716, 1716, 1087, 2048,	/* :;<=>?@ */
	1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767,	/* A..M */
	1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403,	/* N..Z */
	799, 690, 799, 1716, 1024, 1024,	/* [\]^_` */
	1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995,	/* a..m */
	1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075,	/* n..z */
	1303, 690, 1303, 1716	/* {|}~ */
};

static double
cp_em(unsigned cp)
{
	if (cp >= 0x20 && cp < 0x7F)
		return dejavu_ascii[cp - 0x20] / 2048.0;
	if (cp_columns(cp) == 0)
		return 0.0;
	if (cp_columns(cp) == 2)
		return 1.0;
	return 0.75;				/* other scripts: a generous average */
}

/*
 * The shown form of a label: at most max_cp code points (the rest cut and
 * "…" appended) and HTE_PLOT_MAX_TEXT bytes.  Returns the byte length kept
 * and sets *cut.
 */
static size_t
label_keep(const char *s, size_t len, int max_cp, bool *cut)
{
	size_t		i = 0;
	int			k = 0;

	*cut = false;
	if (len > HTE_PLOT_MAX_TEXT)
	{
		len = HTE_PLOT_MAX_TEXT;
		*cut = true;
	}
	while (i < len)
	{
		size_t		before = i;

		if (k == max_cp)
		{
			*cut = true;
			return before;
		}
		(void) utf8_next(s, len, &i);
		k++;
	}
	return len;
}

double
hte_plot_text_em(const char *s, size_t len)
{
	size_t		i = 0;
	double		em = 0.0;

	while (i < len)
		em += cp_em(utf8_next(s, len, &i));
	return em;
}

static int
text_columns(const char *s, size_t len)
{
	size_t		i = 0;
	int			c = 0;

	while (i < len)
		c += cp_columns(utf8_next(s, len, &i));
	return c;
}

/* Is the label shown cut? */
static bool
label_cut(const char *s, size_t len, int max_cp)
{
	bool		cut;

	(void) label_keep(s, len, max_cp, &cut);
	return cut;
}

/* The label as shown (cut, with "…") in em. */
static double
label_em(const char *s, size_t len, int max_cp)
{
	bool		cut;
	size_t		keep = label_keep(s, len, max_cp, &cut);

	return hte_plot_text_em(s, keep) + (cut ? 1.0 : 0.0);
}

static int
label_columns(const char *s, size_t len, int max_cp)
{
	bool		cut;
	size_t		keep = label_keep(s, len, max_cp, &cut);

	return text_columns(s, keep) + (cut ? 1 : 0);
}

/* Escaped for XML text and attributes, ASCII only. */
static void
out_xml(const Out *o, const char *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		size_t		start = i;
		unsigned	cp;

		/* a run of plain ASCII at once */
		while (i < len && (unsigned char) s[i] >= 0x20 && (unsigned char) s[i] < 0x7F &&
			   s[i] != '<' && s[i] != '>' && s[i] != '&' && s[i] != '"' && s[i] != '\'')
			i++;
		if (i > start)
			o->emit(o->ctx, s + start, i - start);
		if (i >= len)
			break;
		cp = utf8_next(s, len, &i);
		if (!xml_char(cp) || cp == 0xFFFD)
			out_s(o, "&#xFFFD;");
		else if (cp == '<')
			out_s(o, "&lt;");
		else if (cp == '>')
			out_s(o, "&gt;");
		else if (cp == '&')
			out_s(o, "&amp;");
		else if (cp == '"')
			out_s(o, "&quot;");
		else if (cp == '\'')
			out_s(o, "&#39;");
		else if (cp == '\t' || cp == '\n' || cp == '\r')
			out_s(o, " ");
		else
			out_f(o, "&#x%X;", cp);
	}
}

/* A label in XML, cut as label_keep says. */
static void
out_xml_label(const Out *o, const char *s, size_t len, int max_cp)
{
	bool		cut;
	size_t		keep = label_keep(s, len, max_cp, &cut);

	out_xml(o, s, keep);
	if (cut)
		out_s(o, "&#x2026;");
}

/* The label as text: control characters become spaces; UTF-8 or ASCII. */
static void
out_text_label(const Out *o, const char *s, size_t len, int max_cp, bool ascii)
{
	bool		cut;
	size_t		keep = label_keep(s, len, max_cp, &cut);
	size_t		i = 0;

	while (i < keep)
	{
		size_t		start = i;
		unsigned	cp = utf8_next(s, keep, &i);

		if (cp < 0x20 || cp == 0x7F)
			out_s(o, " ");
		else if (cp >= 0x80 && ascii)
			out_s(o, "?");
		else if (cp == 0xFFFD && i - start == 1)	/* a malformed byte */
			out_s(o, "\xEF\xBF\xBD");
		else
			o->emit(o->ctx, s + start, i - start);
	}
	if (cut)
		out_s(o, ascii ? "~" : "\xE2\x80\xA6");
}

static void
out_spaces(const Out *o, int k)
{
	static const char sp[] = "                                                                ";

	while (k > 0)
	{
		int			m = k < 64 ? k : 64;

		o->emit(o->ctx, sp, (size_t) m);
		k -= m;
	}
}

/* ------------------------------------------------------------------------
 * Numbers
 * ------------------------------------------------------------------------
 */

/* v with the given decimals, or in %g form when that would be unreadable. */
static void
fmt_num(double v, int decimals, char *buf, size_t size)
{
	double		a = fabs(v);

	if (a >= 1e15 || (a > 0 && a < 1e-8 && decimals >= 8) || decimals < 0)
		snprintf(buf, size, "%.4g", v);
	else
		snprintf(buf, size, "%.*f", decimals, v);
	/* no "-0.00" */
	if (buf[0] == '-')
	{
		const char *p = buf + 1;

		while (*p == '0' || *p == '.')
			p++;
		if (*p == '\0')
			memmove(buf, buf + 1, strlen(buf));
	}
}

static void
fmt_count(double n, char *buf, size_t size)
{
	if (isnan(n))
		buf[0] = '\0';
	else if (n < 1e15)
		snprintf(buf, size, "%.0f", n);
	else
		snprintf(buf, size, "%.3g", n);
}

/* "est (lo, hi)", "est (no CI)" or "not estimable" */
static void
fmt_estimate(const HtePlotRow *r, int decimals, char *buf, size_t size)
{
	char		e[48],
				l[48],
				h[48];

	if (isnan(r->estimate))
	{
		snprintf(buf, size, "not estimable");
		return;
	}
	fmt_num(r->estimate, decimals, e, sizeof e);
	if (isnan(r->ci_lower) || isnan(r->ci_upper))
	{
		snprintf(buf, size, "%s (no CI)", e);
		return;
	}
	fmt_num(r->ci_lower, decimals, l, sizeof l);
	fmt_num(r->ci_upper, decimals, h, sizeof h);
	snprintf(buf, size, "%s (%s, %s)", e, l, h);
}

static void
fmt_level(double conf_level, char *buf, size_t size)
{
	double		pct = 100.0 * conf_level;

	if (fabs(pct - floor(pct + 0.5)) < 1e-9)
		snprintf(buf, size, "%.0f%%", pct);
	else
		snprintf(buf, size, "%.4g%%", pct);
}

/* ------------------------------------------------------------------------
 * Axes
 * ------------------------------------------------------------------------
 */

/* floor(log10(v)) for any double: 0 unless v > 0, 308 for +Inf */
static int
ilog10(double v)
{
	if (!(v > 0))
		return 0;
	if (v > DBL_MAX)
		return 308;
	return (int) floor(log10(v));
}

/* a/2 - b/2 never overflows; its double is the span */
static double
half_span(double lo, double hi)
{
	return hi / 2 - lo / 2;
}

static double
axis_t(const HtePlotAxis *ax, double v)
{
	if (ax->log_scale)
		return (log10(v) - log10(ax->lo)) / (log10(ax->hi) - log10(ax->lo));
	return (v / 2 - ax->lo / 2) / half_span(ax->lo, ax->hi);
}

void
hte_plot_tick_label(const HtePlotAxis *ax, double v, char *buf)
{
	if (ax->decimals < 0)
	{
		snprintf(buf, 40, "%g", v);
		if (strcmp(buf, "-0") == 0)
			snprintf(buf, 40, "0");
	}
	else
		fmt_num(v, ax->decimals, buf, 40);
}

/* The room a tick label needs along the axis. */
static double
tick_room(const HtePlotAxis *ax, double v, double text_px)
{
	char		buf[40];

	if (text_px < 0)
		return -text_px;
	hte_plot_tick_label(ax, v, buf);
	if (text_px == 0)
		return (double) strlen(buf) + 1.0;
	return hte_plot_text_em(buf, strlen(buf)) * text_px + 8.0;
}

/*
 * Do the axis's tick labels fit along pixels without overlapping, and are
 * the ticks no denser than a reader wants (about 4.5 em apart on a
 * horizontal axis, 7 characters in text, two label heights vertically)?
 */
static bool
ticks_fit(const HtePlotAxis *ax, double pixels, double text_px)
{
	int			i;
	double		min_gap = text_px > 0 ? 4.5 * text_px : (text_px == 0 ? 7.0 : -2.0 * text_px);

	for (i = 1; i < ax->nticks; i++)
	{
		double		gap = (axis_t(ax, ax->ticks[i]) - axis_t(ax, ax->ticks[i - 1])) * pixels;

		if (gap < (tick_room(ax, ax->ticks[i - 1], text_px) + tick_room(ax, ax->ticks[i], text_px)) / 2 ||
			(gap < min_gap && !ax->log_scale))
			return false;
	}
	return true;
}

/* Linear ticks k·step over the domain; false if more than the maximum. */
static bool
linear_ticks(HtePlotAxis *ax, double m, int e)
{
	double		step = m * pow(10.0, e);
	double		k0,
				k1;
	int			count;

	if (!(step > 0) || !isfinite(step))
		return false;
	k0 = ceil(ax->lo / step);
	k1 = floor(ax->hi / step);
	if (!(k1 - k0 < HTE_PLOT_MAX_TICKS))
		return false;
	count = (int) (k1 - k0) + 1;
	ax->nticks = 0;
	for (int i = 0; i < count; i++)
	{
		double		v = (k0 + i) * step;

		if (v == 0)
			v = 0;				/* no -0 */
		/* steps below the values' precision give repeated ticks: refused */
		if (ax->nticks > 0 && !(v > ax->ticks[ax->nticks - 1]))
			return false;
		ax->ticks[ax->nticks++] = v;
	}
	if (m == 2.5 && e <= 0)
		ax->decimals = -e + 1;
	else
		ax->decimals = e >= 0 ? 0 : -e;
	if (ax->decimals > 10 || fmax(fabs(ax->lo), fabs(ax->hi)) >= 1e15)
		ax->decimals = -1;
	return true;
}

static const double nice_m[4] = {1.0, 2.0, 2.5, 5.0};

/* The finest linear ticks whose labels fit. */
static void
linear_axis(HtePlotAxis *ax, double pixels, double text_px)
{
	double		span = 2 * half_span(ax->lo, ax->hi);
	int			e0 = ilog10(span) - 2;
	int			e,
				i;

	for (e = e0; e <= e0 + 4; e++)
		for (i = 0; i < 4; i++)
			if (linear_ticks(ax, nice_m[i], e) && ax->nticks >= 1 && ticks_fit(ax, pixels, text_px))
				return;
	/* nothing fits (a tiny plot): the two ends */
	ax->nticks = 2;
	ax->ticks[0] = ax->lo;
	ax->ticks[1] = ax->hi;
	ax->decimals = -1;
	if (!ticks_fit(ax, pixels, text_px))
		ax->nticks = 1;
}

/* Log ticks: mantissas ms (of 1, 2, 5) times 10^k for k a multiple of every. */
static bool
log_ticks(HtePlotAxis *ax, const double *ms, int nm, int every)
{
	int			k0 = ilog10(ax->lo) - 1;
	int			k1 = ilog10(ax->hi) + 2;
	int			k,
				i;

	ax->nticks = 0;
	ax->decimals = -1;
	for (k = k0; k <= k1; k++)
	{
		if (k % every != 0)
			continue;
		for (i = 0; i < nm; i++)
		{
			double		v = ms[i] * pow(10.0, k);

			if (v >= ax->lo && v <= ax->hi)
			{
				if (ax->nticks == HTE_PLOT_MAX_TICKS)
					return false;
				ax->ticks[ax->nticks++] = v;
			}
		}
	}
	return true;
}

static void
log_axis(HtePlotAxis *ax, double pixels, double text_px)
{
	static const double m125[3] = {1, 2, 5};
	static const double m1[1] = {1};
	static const int everies[6] = {1, 2, 5, 10, 20, 50};
	int			i;

	/* within a decade or so: linear nice values, unevenly spaced */
	if (ax->hi / ax->lo < 12)
	{
		double		span = ax->hi - ax->lo;
		int			e0 = ilog10(span) - 2;
		int			e,
					j;

		for (e = e0; e <= e0 + 4; e++)
			for (j = 0; j < 4; j++)
				if (linear_ticks(ax, nice_m[j], e) && ax->nticks >= 2 && ticks_fit(ax, pixels, text_px))
					return;
	}
	if (log_ticks(ax, m125, 3, 1) && ax->nticks >= 2 && ticks_fit(ax, pixels, text_px))
		return;
	for (i = 0; i < 6; i++)
		if (log_ticks(ax, m1, 1, everies[i]) && ax->nticks >= 1 && ticks_fit(ax, pixels, text_px))
			return;
	ax->nticks = 2;
	ax->ticks[0] = ax->lo;
	ax->ticks[1] = ax->hi;
	ax->decimals = -1;
	if (!ticks_fit(ax, pixels, text_px))
		ax->nticks = 1;
}

void
hte_plot_axis(double lo, double hi, bool log_scale, double pad, double pixels,
			  double text_px, HtePlotAxis *ax)
{
	memset(ax, 0, sizeof *ax);
	ax->log_scale = log_scale;
	if (log_scale)
	{
		double		a = log10(lo),
					b = log10(hi);

		if (b - a < 1e-9 * fmax(1.0, fabs(a)))
		{
			a -= 0.30103;		/* a factor of 2 either side */
			b += 0.30103;
		}
		a -= pad * (b - a);
		b += pad * (b - a) / (1 + pad);
		ax->lo = fmax(pow(10.0, a), DBL_MIN);
		ax->hi = fmin(pow(10.0, b), DBL_MAX);
		log_axis(ax, pixels, text_px);
		return;
	}
	if (!(half_span(lo, hi) > 0))
	{
		/* one value: widen by 10% of it, or by 1 about 0 */
		double		w = fabs(lo) > 0 ? fabs(lo) * 0.1 : 1.0;

		lo -= w;
		hi += w;
		if (!isfinite(lo))
			lo = -DBL_MAX;
		if (!isfinite(hi))
			hi = DBL_MAX;
	}
	{
		double		h = half_span(lo, hi) * 2 * pad;

		ax->lo = lo - h;
		ax->hi = hi + h;
		if (!isfinite(ax->lo))
			ax->lo = -DBL_MAX;
		if (!isfinite(ax->hi))
			ax->hi = DBL_MAX;
	}
	linear_axis(ax, pixels, text_px);
}

/* ------------------------------------------------------------------------
 * Checks and common layout
 * ------------------------------------------------------------------------
 */
void
hte_plot_defaults(HtePlotOptions *o)
{
	memset(o, 0, sizeof *o);
	o->reference = NAN;
	o->digits = -1;
	o->max_label = 40;
	o->conf_level = 0.95;
}

static double
reference_of(const HtePlotOptions *o)
{
	if (!isnan(o->reference))
		return o->reference;
	return o->log_scale ? 1.0 : 0.0;
}

static const char *
check_row(const HtePlotRow *r, bool log_scale)
{
	if (isinf(r->estimate) || isinf(r->ci_lower) || isinf(r->ci_upper))
		return "an estimate or a confidence limit is infinite";
	if (!isnan(r->ci_lower) && !isnan(r->ci_upper) && r->ci_lower > r->ci_upper)
		return "a lower confidence limit is above its upper limit";
	if (!isnan(r->n) && !(r->n >= 0 && r->n < 1e300))
		return "a count is negative or not finite";
	if (isinf(r->x) || (!isnan(r->x) && (r->x < 0 || r->x > 1)))
		return "a quantile is outside [0, 1]";
	if (log_scale && ((!isnan(r->estimate) && !(r->estimate > 0)) ||
					  (!isnan(r->ci_lower) && !(r->ci_lower > 0)) ||
					  (!isnan(r->ci_upper) && !(r->ci_upper > 0))))
		return "a log scale needs positive estimates and confidence limits";
	return NULL;
}

static const char *
check_all(const HtePlotRow *rows, size_t n, const HtePlotRow *overall, const HtePlotOptions *o)
{
	size_t		i;
	const char *why;
	double		ref = reference_of(o);

	if (n > HTE_PLOT_MAX_ROWS)
		return "a plot takes at most 5000 rows";
	if (!isfinite(ref) || (o->log_scale && !(ref > 0)))
		return "the reference must be finite (and positive on a log scale)";
	if (!(o->conf_level > 0 && o->conf_level < 1))
		return "the confidence level must be between 0 and 1";
	for (i = 0; i < n; i++)
		if ((why = check_row(&rows[i], o->log_scale)) != NULL)
			return why;
	if (overall != NULL && (why = check_row(overall, o->log_scale)) != NULL)
		return why;
	return NULL;
}

/* The data range over every finite value shown, and the reference. */
static void
data_range(const HtePlotRow *rows, size_t n, const HtePlotRow *overall, double ref,
		   double *lo, double *hi)
{
	size_t		i;

	*lo = *hi = ref;
	for (i = 0; i <= n; i++)
	{
		const HtePlotRow *r = i < n ? &rows[i] : overall;
		const double *v[3];
		int			j;

		if (r == NULL)
			continue;
		v[0] = &r->estimate;
		v[1] = &r->ci_lower;
		v[2] = &r->ci_upper;
		for (j = 0; j < 3; j++)
			if (!isnan(*v[j]))
			{
				*lo = fmin(*lo, *v[j]);
				*hi = fmax(*hi, *v[j]);
			}
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : (x > y ? 1 : 0);
}

/*
 * Decimals of the estimates: three significant digits of the median interval
 * width (on a log scale, of the median ratio of the limits less 1), or
 * three of the axis's span when no row has an interval.
 */
static int
estimate_decimals(const HtePlotRow *rows, size_t n, const HtePlotAxis *ax, const HtePlotOptions *o)
{
	double		w[64];
	size_t		k = 0;
	double		width;
	int			d;

	if (o->digits >= 0)
		return o->digits;
	/* the median of the first 64 intervals is plenty for a number format */
	for (size_t i = 0; i < n && k < 64; i++)
		if (!isnan(rows[i].ci_lower) && !isnan(rows[i].ci_upper) && rows[i].ci_upper > rows[i].ci_lower)
			w[k++] = ax->log_scale ? rows[i].ci_upper / rows[i].ci_lower - 1 :
				rows[i].ci_upper / 2 - rows[i].ci_lower / 2;
	if (k > 0)
	{
		qsort(w, k, sizeof(double), cmp_double);
		width = (k % 2) ? w[k / 2] : (w[k / 2 - 1] + w[k / 2]) / 2;
		if (!ax->log_scale)
			width *= 2;
		d = 2 - ilog10(width);
	}
	else if (ax->log_scale)
		d = 1 - ilog10(ax->lo);
	else
		d = 2 - ilog10(2 * half_span(ax->lo, ax->hi));
	if (d < (ax->log_scale ? 2 : 0))
		d = ax->log_scale ? 2 : 0;
	if (d > 8)
		d = 8;
	return d;
}

bool
hte_plot_pool(const HtePlotRow *rows, size_t n, double conf_level, bool log_scale,
			  HtePlotRow *out)
{
	double		z = hte_qnorm((1 + conf_level) / 2, true);
	double		sw = 0,
				swd = 0,
				sn = 0;
	bool		counts = true;
	size_t		i,
				used = 0;

	memset(out, 0, sizeof *out);
	out->x = NAN;
	for (i = 0; i < n; i++)
	{
		const HtePlotRow *r = &rows[i];
		double		d,
					se,
					w;

		if (isnan(r->estimate) || isnan(r->ci_lower) || isnan(r->ci_upper) ||
			!isfinite(r->estimate) || !isfinite(r->ci_lower) || !isfinite(r->ci_upper))
			continue;
		if (log_scale)
		{
			if (!(r->estimate > 0 && r->ci_lower > 0))
				continue;
			d = log(r->estimate);
			se = (log(r->ci_upper) - log(r->ci_lower)) / (2 * z);
		}
		else
		{
			d = r->estimate;
			se = (r->ci_upper / 2 - r->ci_lower / 2) / z;
		}
		if (!(se > 0) || !isfinite(1 / (se * se)))
			continue;
		w = 1 / (se * se);
		sw += w;
		swd += w * d;
		if (isnan(r->n))
			counts = false;
		else
			sn += r->n;
		used++;
	}
	if (used == 0 || !(sw > 0) || !isfinite(swd))
		return false;
	{
		double		d = swd / sw,
					se = sqrt(1 / sw);

		if (log_scale)
		{
			out->estimate = exp(d);
			out->ci_lower = exp(d - z * se);
			out->ci_upper = exp(d + z * se);
		}
		else
		{
			out->estimate = d;
			out->ci_lower = d - z * se;
			out->ci_upper = d + z * se;
		}
	}
	out->n = counts ? sn : NAN;
	if (!isfinite(out->estimate) || !isfinite(out->ci_lower) || !isfinite(out->ci_upper))
		return false;
	return true;
}

/* ------------------------------------------------------------------------
 * Forest plot, SVG
 * ------------------------------------------------------------------------
 */
static const char *default_xlabel = "Treatment effect";

static void
svg_open(const Out *out, int width, int height, const HtePlotOptions *o, const char *what)
{
	out_f(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" "
		  "viewBox=\"0 0 %d %d\" font-family=\"'DejaVu Sans', Verdana, Arial, sans-serif\" "
		  "font-size=\"13\" role=\"img\">\n", width, height, width, height);
	out_s(out, "<title>");
	if (o->title != NULL)
		out_xml(out, o->title, o->title_len > HTE_PLOT_MAX_TEXT ? HTE_PLOT_MAX_TEXT : o->title_len);
	else
		out_s(out, what);
	out_s(out, "</title>\n");
	out_f(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", width, height);
	if (o->title != NULL)
	{
		out_f(out, "<text class=\"title\" x=\"%.1f\" y=\"%.1f\" font-size=\"16\" font-weight=\"bold\">",
			  PAD, PAD + 16);
		out_xml_label(out, o->title, o->title_len, 200);
		out_s(out, "</text>\n");
	}
}

const char *
hte_forest_plot_svg(const HtePlotRow *rows, size_t n, const HtePlotRow *overall,
					const HtePlotOptions *o, HtePlotEmit emit, void *ctx)
{
	Out			out = {emit, ctx};
	const char *why = check_all(rows, n, overall, o);
	double		ref = reference_of(o);
	double		lo,
				hi;
	double		label_w = 0,
				count_w = 0,
				est_w,
				plot_w,
				row_h = 22;
	double		title_h = o->title != NULL ? 30 : 0;
	double		head_h = 22;
	double		top,
				y_axis,
				px0,
				px1,
				rows_h;
	int			width = o->width > 0 ? o->width : 760;
	int			height;
	int			decimals;
	size_t		i;
	size_t		nrows = n + (overall != NULL ? 1 : 0);
	HtePlotAxis ax;
	char		buf[160],
				level[32],
				head[64];

	if (why != NULL)
		return why;
	fmt_level(o->conf_level, level, sizeof level);
	snprintf(head, sizeof head, "Estimate (%s CI)", level);

	/* columns: label, n, plot, estimate text */
	for (i = 0; i <= n; i++)
	{
		const HtePlotRow *r = i < n ? &rows[i] : overall;
		double		w;

		if (r == NULL)
			continue;
		if (r->label == NULL)
			w = hte_plot_text_em("NULL", 4);
		else
			w = label_em(r->label, r->label_len, o->max_label);
		label_w = fmax(label_w, w * FONT_PX * (i == n ? 1.08 : 1.0));	/* overall in bold */
		if (o->show_counts)
		{
			fmt_count(r->n, buf, sizeof buf);
			count_w = fmax(count_w, hte_plot_text_em(buf, strlen(buf)) * FONT_PX);
		}
	}
	label_w += 12;
	if (o->show_counts)
		count_w = fmax(count_w, hte_plot_text_em("n", 1) * FONT_PX) + 14;

	/* the axis needs the plot's width, and the estimate column needs the axis */
	data_range(rows, n, overall, ref, &lo, &hi);
	est_w = 0;
	plot_w = width - 2 * PAD - label_w - count_w - 24;
	for (int pass = 0; pass < 2; pass++)
	{
		hte_plot_axis(lo, hi, o->log_scale, 0.04, fmax(plot_w - est_w, 1), FONT_PX, &ax);
		decimals = estimate_decimals(rows, n, &ax, o);
		est_w = hte_plot_text_em(head, strlen(head)) * FONT_PX;
		for (i = 0; i <= n; i++)
		{
			const HtePlotRow *r = i < n ? &rows[i] : overall;

			if (r == NULL)
				continue;
			fmt_estimate(r, decimals, buf, sizeof buf);
			est_w = fmax(est_w, hte_plot_text_em(buf, strlen(buf)) * FONT_PX * 1.08);
		}
	}
	plot_w -= est_w;
	if (plot_w < 120)
		return "the width is too small for the labels and the plot; raise width";
	hte_plot_axis(lo, hi, o->log_scale, 0.04, plot_w, FONT_PX, &ax);

	rows_h = nrows * row_h + (overall != NULL ? 8 : 0);
	if (o->height > 0)
	{
		double		fixed = PAD + title_h + head_h + (overall != NULL ? 8 : 0) + 10 + 44 + PAD;

		row_h = (o->height - fixed) / (double) (nrows > 0 ? nrows : 1);
		if (row_h < 15)
			return "the height is too small for the rows; raise height or leave it out";
		rows_h = nrows * row_h + (overall != NULL ? 8 : 0);
	}
	top = PAD + title_h + head_h;
	y_axis = top + rows_h + 10;
	height = o->height > 0 ? o->height : (int) ceil(y_axis + 44 + PAD);
	px0 = PAD + label_w + count_w + 8;
	px1 = px0 + plot_w;

	svg_open(&out, width, height, o, "Forest plot");

	/* headings */
	if (o->show_counts)
		out_f(&out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-weight=\"bold\">n</text>\n",
			  PAD + label_w + count_w - 8, top - 7);
	out_f(&out, "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\">%s</text>\n", px1 + 16, top - 7, head);

	/* the line of no effect, then the overall effect's line, under the marks */
	out_f(&out, "<line class=\"reference\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"" COL_REF "\" stroke-width=\"1\"/>\n",
		  px0 + axis_t(&ax, ref) * plot_w, top - 4, px0 + axis_t(&ax, ref) * plot_w, y_axis);
	if (overall != NULL && !isnan(overall->estimate))
		out_f(&out, "<line class=\"overall-line\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"" COL_OVERALL "\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\n",
			  px0 + axis_t(&ax, overall->estimate) * plot_w, top - 4,
			  px0 + axis_t(&ax, overall->estimate) * plot_w, y_axis);

	for (i = 0; i <= n; i++)
	{
		const HtePlotRow *r = i < n ? &rows[i] : overall;
		bool		is_overall = (i == n);
		double		y = top + (i + 0.5) * row_h + (is_overall ? 8 : 0);

		if (r == NULL)
			continue;
		out_f(&out, "<g class=\"%s\">\n", is_overall ? "overall" : "row");
		/* label */
		out_f(&out, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\"%s>", PAD, y + 4.5,
			  is_overall ? " font-weight=\"bold\"" : "");
		if (r->label == NULL)
			out_s(&out, "NULL");
		else
			out_xml_label(&out, r->label, r->label_len, o->max_label);
		out_s(&out, "</text>\n");
		if (r->label != NULL && label_cut(r->label, r->label_len, o->max_label))
		{
			/* the whole label as a tooltip */
			out_s(&out, "<title>");
			out_xml(&out, r->label, r->label_len > HTE_PLOT_MAX_TEXT ? HTE_PLOT_MAX_TEXT : r->label_len);
			out_s(&out, "</title>\n");
		}
		if (o->show_counts && !isnan(r->n))
		{
			fmt_count(r->n, buf, sizeof buf);
			out_f(&out, "<text class=\"n\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
				  PAD + label_w + count_w - 8, y + 4.5, buf);
		}
		fmt_estimate(r, decimals, buf, sizeof buf);
		out_f(&out, "<text class=\"estimate\" x=\"%.1f\" y=\"%.1f\"%s%s>%s</text>\n", px1 + 16, y + 4.5,
			  is_overall ? " font-weight=\"bold\"" : "",
			  isnan(r->estimate) ? " fill=\"" COL_MUTED "\" font-style=\"italic\"" : "", buf);
		if (!isnan(r->estimate))
		{
			double		xe = px0 + axis_t(&ax, r->estimate) * plot_w;
			bool		ci = !isnan(r->ci_lower) && !isnan(r->ci_upper);
			double		xl = ci ? px0 + axis_t(&ax, r->ci_lower) * plot_w : xe;
			double		xh = ci ? px0 + axis_t(&ax, r->ci_upper) * plot_w : xe;

			if (is_overall)
			{
				if (xh - xl < 10)
				{
					xl = xe - 5;
					xh = xe + 5;
				}
				out_f(&out, "<polygon class=\"diamond\" points=\"%.2f,%.1f %.2f,%.1f %.2f,%.1f %.2f,%.1f\" fill=\"" COL_OVERALL "\"/>\n",
					  xl, y, xe, y - 7, xh, y, xe, y + 7);
			}
			else
			{
				if (ci)
					out_f(&out, "<path class=\"ci\" d=\"M%.2f %.1fV%.1fM%.2f %.1fH%.2fM%.2f %.1fV%.1f\" stroke=\"" COL_ROW "\" stroke-width=\"1.5\" fill=\"none\"/>\n",
						  xl, y - 4, y + 4, xl, y, xh, xh, y - 4, y + 4);
				out_f(&out, "<rect class=\"marker\" x=\"%.2f\" y=\"%.1f\" width=\"9\" height=\"9\" fill=\"" COL_ROW "\"/>\n",
					  xe - 4.5, y - 4.5);
			}
		}
		out_s(&out, "</g>\n");
	}

	/* the axis */
	out_f(&out, "<g class=\"axis\" stroke=\"" COL_AXIS "\">\n<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\"/>\n",
		  px0, y_axis, px1, y_axis);
	for (int k = 0; k < ax.nticks; k++)
		out_f(&out, "<line class=\"tick\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\"/>\n",
			  px0 + axis_t(&ax, ax.ticks[k]) * plot_w, y_axis,
			  px0 + axis_t(&ax, ax.ticks[k]) * plot_w, y_axis + 5);
	out_s(&out, "</g>\n<g class=\"tick-labels\" text-anchor=\"middle\" fill=\"" COL_AXIS "\">\n");
	for (int k = 0; k < ax.nticks; k++)
	{
		hte_plot_tick_label(&ax, ax.ticks[k], buf);
		out_f(&out, "<text x=\"%.2f\" y=\"%.1f\">%s</text>\n",
			  px0 + axis_t(&ax, ax.ticks[k]) * plot_w, y_axis + 19, buf);
	}
	out_s(&out, "</g>\n");
	out_f(&out, "<text class=\"xlabel\" x=\"%.2f\" y=\"%.1f\" text-anchor=\"middle\">", (px0 + px1) / 2, y_axis + 37);
	if (o->xlabel != NULL)
		out_xml_label(&out, o->xlabel, o->xlabel_len, 200);
	else
		out_s(&out, o->log_scale ? "Treatment effect (log scale)" : default_xlabel);
	out_s(&out, "</text>\n</svg>\n");
	return NULL;
}

/* ------------------------------------------------------------------------
 * Text forms
 * ------------------------------------------------------------------------
 */

/* Glyphs of the text plots: Unicode, or ASCII. */
typedef struct Glyphs
{
	const char *whisker,
			   *left,
			   *right,
			   *marker,
			   *diamond,
			   *ref,
			   *cross,
			   *axis,
			   *tick,
			   *overall_line;
} Glyphs;

static const Glyphs uni = {"\xE2\x94\x80", "\xE2\x94\x9C", "\xE2\x94\xA4", "\xE2\x96\xA0", "\xE2\x97\x86",
	"\xE2\x94\x82", "\xE2\x94\xBC", "\xE2\x94\x80", "\xE2\x94\xAC", "\xE2\x94\x8A"};
static const Glyphs asc = {"-", "[", "]", "o", "#", "|", "+", "-", "+", ":"};

/* one cell of a text plot row, a glyph and its priority */
typedef struct Cell
{
	const char *g;
	int			prio;
} Cell;

#define TEXT_MAX_PLOT 1000

static void
cell_put(Cell *cells, int ncell, int c, const char *g, int prio)
{
	if (c < 0 || c >= ncell)
		return;
	if (prio >= cells[c].prio)
	{
		cells[c].g = g;
		cells[c].prio = prio;
	}
}

static int
text_col(const HtePlotAxis *ax, double v, int ncell)
{
	double		t = axis_t(ax, v);
	int			c = (int) floor(t * (ncell - 1) + 0.5);

	return c < 0 ? 0 : (c >= ncell ? ncell - 1 : c);
}

static void
out_cells(const Out *out, const Cell *cells, int ncell)
{
	int			last = ncell - 1;

	while (last >= 0 && cells[last].g[0] == ' ')
		last--;
	for (int c = 0; c <= last; c++)
		out_s(out, cells[c].g);
}

/* the text plot shared by forest plots and QTE profiles */
static const char *
text_plot(const HtePlotRow *rows, size_t n, const HtePlotRow *overall,
		  const HtePlotOptions *o, const char *label_head, bool qte, Out *out)
{
	const Glyphs *G = o->ascii ? &asc : &uni;
	double		ref = reference_of(o);
	double		lo,
				hi;
	int			width = o->width > 0 ? o->width : 96;
	/* a label takes at most a quarter of the line */
	int			quarter = width / 4 > 8 ? width / 4 : 8;
	int			max_label = o->max_label < quarter ? o->max_label : quarter;
	int			label_c = (int) strlen(label_head),
				count_c = 0,
				est_c,
				plot_c,
				decimals,
				left;
	size_t		i;
	HtePlotAxis ax;
	char		buf[160],
				level[32],
				head[64];
	Cell		cells[TEXT_MAX_PLOT];

	fmt_level(o->conf_level, level, sizeof level);
	snprintf(head, sizeof head, "Estimate (%s CI)", level);
	for (i = 0; i <= n; i++)
	{
		const HtePlotRow *r = i < n ? &rows[i] : overall;
		int			c;

		if (r == NULL)
			continue;
		if (qte && i < n)
		{
			snprintf(buf, sizeof buf, "%g", r->x);
			c = (int) strlen(buf);
		}
		else
			c = r->label == NULL ? 4 : label_columns(r->label, r->label_len, max_label);
		if (c > label_c)
			label_c = c;
		if (o->show_counts)
		{
			fmt_count(r->n, buf, sizeof buf);
			if ((int) strlen(buf) > count_c)
				count_c = (int) strlen(buf);
		}
	}
	if (o->show_counts && count_c < 1)
		count_c = 1;
	data_range(rows, n, overall, ref, &lo, &hi);
	est_c = 0;
	plot_c = width - label_c - (o->show_counts ? count_c + 2 : 0) - 2 - 2;
	for (int pass = 0; pass < 2; pass++)
	{
		hte_plot_axis(lo, hi, o->log_scale, 0.04, fmax(plot_c - est_c, 1), 0, &ax);
		decimals = estimate_decimals(rows, n, &ax, o);
		est_c = (int) strlen(head);
		for (i = 0; i <= n; i++)
		{
			const HtePlotRow *r = i < n ? &rows[i] : overall;

			if (r == NULL)
				continue;
			fmt_estimate(r, decimals, buf, sizeof buf);
			if ((int) strlen(buf) > est_c)
				est_c = (int) strlen(buf);
		}
	}
	plot_c -= est_c;
	if (plot_c < 21)
		return "the width is too small for the labels and the plot; raise width";
	if (plot_c > TEXT_MAX_PLOT)
		plot_c = TEXT_MAX_PLOT;
	hte_plot_axis(lo, hi, o->log_scale, 0.04, plot_c, 0, &ax);
	left = label_c + 2 + (o->show_counts ? count_c + 2 : 0) + est_c + 2;

	if (o->title != NULL)
	{
		out_text_label(out, o->title, o->title_len, 200, o->ascii);
		out_s(out, "\n");
	}
	/* headings */
	out_s(out, label_head);
	out_spaces(out, label_c + 2 - (int) strlen(label_head));
	if (o->show_counts)
	{
		out_spaces(out, count_c - 1);
		out_s(out, "n  ");
	}
	out_s(out, head);
	out_s(out, "\n");

	for (i = 0; i <= n; i++)
	{
		const HtePlotRow *r = i < n ? &rows[i] : overall;
		bool		is_overall = (i == n);
		int			c;

		if (r == NULL)
			continue;
		if (qte && !is_overall)
		{
			snprintf(buf, sizeof buf, "%g", r->x);
			out_s(out, buf);
			c = (int) strlen(buf);
		}
		else if (r->label == NULL)
		{
			out_s(out, "NULL");
			c = 4;
		}
		else
		{
			out_text_label(out, r->label, r->label_len, max_label, o->ascii);
			c = label_columns(r->label, r->label_len, max_label);
		}
		out_spaces(out, label_c + 2 - c);
		if (o->show_counts)
		{
			fmt_count(r->n, buf, sizeof buf);
			out_spaces(out, count_c - (int) strlen(buf));
			out_s(out, buf);
			out_s(out, "  ");
		}
		fmt_estimate(r, decimals, buf, sizeof buf);
		out_s(out, buf);
		out_spaces(out, est_c + 2 - (int) strlen(buf));

		for (c = 0; c < plot_c; c++)
		{
			cells[c].g = " ";
			cells[c].prio = 0;
		}
		cell_put(cells, plot_c, text_col(&ax, ref, plot_c), G->ref, 1);
		if (overall != NULL && !isnan(overall->estimate) && !is_overall)
			cell_put(cells, plot_c, text_col(&ax, overall->estimate, plot_c), G->overall_line, 1);
		if (!isnan(r->estimate))
		{
			int			ce = text_col(&ax, r->estimate, plot_c);

			if (!isnan(r->ci_lower) && !isnan(r->ci_upper))
			{
				int			cl = text_col(&ax, r->ci_lower, plot_c);
				int			ch = text_col(&ax, r->ci_upper, plot_c);

				for (c = cl; c <= ch; c++)
					cell_put(cells, plot_c, c, cells[c].prio == 1 ? G->cross : G->whisker, 2);
				cell_put(cells, plot_c, cl, G->left, 3);
				cell_put(cells, plot_c, ch, G->right, 3);
			}
			cell_put(cells, plot_c, ce, is_overall ? G->diamond : G->marker, 4);
		}
		out_cells(out, cells, plot_c);
		out_s(out, "\n");
	}

	/* the axis line, its tick labels (dropped where they would touch), the label */
	out_spaces(out, left);
	for (int c = 0; c < plot_c; c++)
	{
		cells[c].g = G->axis;
		cells[c].prio = 0;
	}
	for (int k = 0; k < ax.nticks; k++)
		cell_put(cells, plot_c, text_col(&ax, ax.ticks[k], plot_c), G->tick, 1);
	out_cells(out, cells, plot_c);
	out_s(out, "\n");
	{
		int			at = 0;		/* columns written after left */

		out_spaces(out, left);
		for (int k = 0; k < ax.nticks; k++)
		{
			int			c = text_col(&ax, ax.ticks[k], plot_c);
			int			len,
						start;

			hte_plot_tick_label(&ax, ax.ticks[k], buf);
			len = (int) strlen(buf);
			start = c - (len - 1) / 2;
			if (start + len > plot_c)
				start = plot_c - len;	/* the last label ends with the axis */
			if (start < 0)
				start = 0;
			if (start < at + (at > 0 ? 1 : 0))
				continue;
			out_spaces(out, start - at);
			out_s(out, buf);
			at = start + len;
		}
		out_s(out, "\n");
	}
	{
		const char *xl = o->xlabel != NULL ? o->xlabel :
			(qte ? "Quantile treatment effect" :
			 (o->log_scale ? "Treatment effect (log scale)" : default_xlabel));
		size_t		xlen = o->xlabel != NULL ? o->xlabel_len : strlen(xl);
		int			c = label_columns(xl, xlen, width);
		int			at = left + (plot_c - c) / 2;

		/* centred under the plot, but within the line */
		if (at + c > width)
			at = width - c;
		if (at < 0)
			at = 0;
		out_spaces(out, at);
		out_text_label(out, xl, xlen, width, o->ascii);
		out_s(out, "\n");
	}
	return NULL;
}

const char *
hte_forest_plot_text(const HtePlotRow *rows, size_t n, const HtePlotRow *overall,
					 const HtePlotOptions *o, HtePlotEmit emit, void *ctx)
{
	Out			out = {emit, ctx};
	const char *why = check_all(rows, n, overall, o);

	if (why != NULL)
		return why;
	return text_plot(rows, n, overall, o, "", false, &out);
}

/* ------------------------------------------------------------------------
 * QTE profile
 * ------------------------------------------------------------------------
 */
static const char *
check_qte(const HtePlotRow *rows, size_t n, const HtePlotRow *overall, const HtePlotOptions *o)
{
	const char *why;
	size_t		i;

	if (o->log_scale)
		return "a QTE profile has no log scale";
	if ((why = check_all(rows, n, overall, o)) != NULL)
		return why;
	for (i = 0; i < n; i++)
	{
		if (isnan(rows[i].x))
			return "a quantile is NULL";
		if (i > 0 && rows[i].x < rows[i - 1].x)
			return "the quantiles are not in ascending order";
	}
	return NULL;
}

const char *
hte_qte_plot_text(const HtePlotRow *rows, size_t n, const HtePlotRow *overall,
				  const HtePlotOptions *o, HtePlotEmit emit, void *ctx)
{
	Out			out = {emit, ctx};
	const char *why = check_qte(rows, n, overall, o);

	if (why != NULL)
		return why;
	return text_plot(rows, n, overall, o, "Quantile", true, &out);
}

/* a run of consecutive estimable points [a, b) */
static bool
has_ci(const HtePlotRow *r)
{
	return !isnan(r->estimate) && !isnan(r->ci_lower) && !isnan(r->ci_upper);
}

const char *
hte_qte_plot_svg(const HtePlotRow *rows, size_t n, const HtePlotRow *overall,
				 const HtePlotOptions *o, HtePlotEmit emit, void *ctx)
{
	Out			out = {emit, ctx};
	const char *why = check_qte(rows, n, overall, o);
	int			width = o->width > 0 ? o->width : 720;
	int			height = o->height > 0 ? o->height : 440;
	double		title_h = o->title != NULL ? 30 : 0;
	double		legend_h = 22;
	double		ref = reference_of(o);
	double		lo,
				hi,
				left,
				right,
				top,
				bottom,
				tick_w = 0;
	size_t		i,
				missing = 0;
	HtePlotAxis ax,
				ay;
	char		buf[160],
				level[32];

	if (why != NULL)
		return why;
	fmt_level(o->conf_level, level, sizeof level);
	for (i = 0; i < n; i++)
		if (isnan(rows[i].estimate))
			missing++;
	top = PAD + title_h + legend_h + 6;
	bottom = height - PAD - 44 - (missing > 0 ? 18 : 0);
	if (bottom - top < 80)
		return "the height is too small for the plot; raise height";
	data_range(rows, n, overall, ref, &lo, &hi);
	hte_plot_axis(lo, hi, false, 0.05, bottom - top, -(FONT_PX + 8), &ay);
	for (int k = 0; k < ay.nticks; k++)
	{
		hte_plot_tick_label(&ay, ay.ticks[k], buf);
		tick_w = fmax(tick_w, hte_plot_text_em(buf, strlen(buf)) * FONT_PX);
	}
	left = PAD + 20 + tick_w + 10;
	right = width - PAD - 10;
	if (right - left < 120)
		return "the width is too small for the plot; raise width";
	hte_plot_axis(0, 1, false, 0, right - left, FONT_PX, &ax);
	/* the x axis is [0, 1] exactly */
	ax.lo = 0;
	ax.hi = 1;

#define QX(v) (left + axis_t(&ax, (v)) * (right - left))
#define QY(v) (bottom - axis_t(&ay, (v)) * (bottom - top))

	svg_open(&out, width, height, o, "Quantile treatment effects");

	/* legend */
	{
		double		ly = PAD + title_h + 11;
		double		lx = left;

		out_f(&out, "<g class=\"legend\">\n<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"10\" fill=\"" COL_BAND "\" fill-opacity=\"0.4\"/>\n",
			  lx, ly - 5);
		out_f(&out, "<text x=\"%.1f\" y=\"%.1f\">%s CI</text>\n", lx + 24, ly + 4.5, level);
		lx += 24 + hte_plot_text_em(level, strlen(level)) * FONT_PX + 40;
		out_f(&out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" COL_ROW "\" stroke-width=\"2\"/>\n",
			  lx, ly, lx + 18, ly);
		out_f(&out, "<text x=\"%.1f\" y=\"%.1f\">Estimate</text>\n", lx + 24, ly + 4.5);
		lx += 24 + hte_plot_text_em("Estimate", 8) * FONT_PX + 16;
		if (overall != NULL && !isnan(overall->estimate))
		{
			out_f(&out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" COL_OVERALL "\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n",
				  lx, ly, lx + 18, ly);
			out_f(&out, "<text x=\"%.1f\" y=\"%.1f\">", lx + 24, ly + 4.5);
			if (overall->label != NULL)
				out_xml_label(&out, overall->label, overall->label_len, o->max_label);
			else
				out_s(&out, "Overall");
			out_s(&out, "</text>\n");
		}
		out_s(&out, "</g>\n");
	}

	/* grid: y ticks */
	out_s(&out, "<g class=\"y-axis\" fill=\"" COL_AXIS "\" text-anchor=\"end\">\n");
	for (int k = 0; k < ay.nticks; k++)
	{
		hte_plot_tick_label(&ay, ay.ticks[k], buf);
		out_f(&out, "<line x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" stroke=\"#e5e5e5\"/>\n",
			  left, QY(ay.ticks[k]), right, QY(ay.ticks[k]));
		out_f(&out, "<text x=\"%.1f\" y=\"%.2f\">%s</text>\n", left - 8, QY(ay.ticks[k]) + 4.5, buf);
	}
	out_s(&out, "</g>\n");

	/* the CI band and error bars */
	for (i = 0; i < n;)
	{
		size_t		a = i,
					b;

		if (!has_ci(&rows[i]))
		{
			i++;
			continue;
		}
		for (b = a; b < n && has_ci(&rows[b]); b++)
			;
		if (b - a == 1)
			out_f(&out, "<line class=\"ci\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"" COL_BAND "\" stroke-width=\"3\"/>\n",
				  QX(rows[a].x), QY(rows[a].ci_lower), QX(rows[a].x), QY(rows[a].ci_upper));
		else
		{
			out_s(&out, "<polygon class=\"band\" fill=\"" COL_BAND "\" fill-opacity=\"0.4\" points=\"");
			for (size_t k = a; k < b; k++)
				out_f(&out, "%.2f,%.2f ", QX(rows[k].x), QY(rows[k].ci_upper));
			for (size_t k = b; k > a; k--)
				out_f(&out, "%.2f,%.2f%s", QX(rows[k - 1].x), QY(rows[k - 1].ci_lower), k - 1 > a ? " " : "");
			out_s(&out, "\"/>\n");
		}
		i = b;
	}

	/* the line of no effect and the overall effect */
	out_f(&out, "<line class=\"reference\" x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" stroke=\"" COL_REF "\"/>\n",
		  left, QY(ref), right, QY(ref));
	if (overall != NULL && !isnan(overall->estimate))
		out_f(&out, "<line class=\"overall-line\" x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" stroke=\"" COL_OVERALL "\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n",
			  left, QY(overall->estimate), right, QY(overall->estimate));

	/* the estimates: lines through runs, and points */
	for (i = 0; i < n;)
	{
		size_t		a = i,
					b;

		if (isnan(rows[i].estimate))
		{
			i++;
			continue;
		}
		for (b = a; b < n && !isnan(rows[b].estimate); b++)
			;
		if (b - a > 1)
		{
			out_s(&out, "<polyline class=\"estimate-line\" fill=\"none\" stroke=\"" COL_ROW "\" stroke-width=\"2\" points=\"");
			for (size_t k = a; k < b; k++)
				out_f(&out, "%.2f,%.2f%s", QX(rows[k].x), QY(rows[k].estimate), k + 1 < b ? " " : "");
			out_s(&out, "\"/>\n");
		}
		i = b;
	}
	out_s(&out, "<g class=\"points\" fill=\"" COL_ROW "\">\n");
	for (i = 0; i < n; i++)
		if (!isnan(rows[i].estimate))
			out_f(&out, "<circle class=\"point\" cx=\"%.2f\" cy=\"%.2f\" r=\"3.5\"/>\n",
				  QX(rows[i].x), QY(rows[i].estimate));
	out_s(&out, "</g>\n");

	/* the x axis */
	out_f(&out, "<g class=\"axis\" stroke=\"" COL_AXIS "\">\n<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		  left, bottom, right, bottom);
	out_f(&out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", left, top, left, bottom);
	for (int k = 0; k < ax.nticks; k++)
		out_f(&out, "<line class=\"tick\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\"/>\n",
			  QX(ax.ticks[k]), bottom, QX(ax.ticks[k]), bottom + 5);
	out_s(&out, "</g>\n<g class=\"tick-labels\" text-anchor=\"middle\" fill=\"" COL_AXIS "\">\n");
	for (int k = 0; k < ax.nticks; k++)
	{
		hte_plot_tick_label(&ax, ax.ticks[k], buf);
		out_f(&out, "<text x=\"%.2f\" y=\"%.1f\">%s</text>\n", QX(ax.ticks[k]), bottom + 19, buf);
	}
	out_s(&out, "</g>\n");
	out_f(&out, "<text class=\"xlabel\" x=\"%.2f\" y=\"%.1f\" text-anchor=\"middle\">", (left + right) / 2, bottom + 37);
	if (o->xlabel != NULL)
		out_xml_label(&out, o->xlabel, o->xlabel_len, 200);
	else
		out_s(&out, "Quantile");
	out_s(&out, "</text>\n");
	out_f(&out, "<text class=\"ylabel\" transform=\"translate(%.1f %.2f) rotate(-90)\" text-anchor=\"middle\">",
		  PAD + 8, (top + bottom) / 2);
	if (o->ylabel != NULL)
		out_xml_label(&out, o->ylabel, o->ylabel_len, 200);
	else
		out_s(&out, "Quantile treatment effect");
	out_s(&out, "</text>\n");
	if (missing > 0)
	{
		size_t		shown = 0;

		out_f(&out, "<text class=\"note\" x=\"%.1f\" y=\"%.1f\" fill=\"" COL_MUTED "\" font-style=\"italic\">Not estimable at q = ",
			  left, bottom + 55);
		for (i = 0; i < n && shown < 8; i++)
			if (isnan(rows[i].estimate))
			{
				out_f(&out, "%s%g", shown > 0 ? ", " : "", rows[i].x);
				shown++;
			}
		if (missing > shown)
			out_f(&out, " and %zu more", missing - shown);
		out_s(&out, "</text>\n");
	}
	out_s(&out, "</svg>\n");
#undef QX
#undef QY
	return NULL;
}

/* ------------------------------------------------------------------------
 * The aggregate's kept rows, serialized
 * ------------------------------------------------------------------------
 */
static void
put_u32(const Out *o, uint32_t v)
{
	unsigned char b[4];

	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char) (v >> (8 * i));
	o->emit(o->ctx, (const char *) b, 4);
}

static void
put_f64(const Out *o, double d)
{
	uint64_t	v;
	unsigned char b[8];

	memcpy(&v, &d, 8);
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char) (v >> (8 * i));
	o->emit(o->ctx, (const char *) b, 8);
}

static uint32_t
get_u32(const unsigned char *b)
{
	return (uint32_t) b[0] | ((uint32_t) b[1] << 8) | ((uint32_t) b[2] << 16) | ((uint32_t) b[3] << 24);
}

static double
get_f64(const unsigned char *b)
{
	uint64_t	v = 0;
	double		d;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	memcpy(&d, &v, 8);
	return d;
}

void
hte_plot_state_write(const HtePlotRow *rows, size_t n, bool has_counts,
					 const char *opts, size_t opts_len, HtePlotEmit emit, void *ctx)
{
	Out			o = {emit, ctx};
	unsigned char head[8] = {'H', 'T', 'E', 'P', 1, has_counts ? 1 : 0, 0, 0};

	emit(ctx, (const char *) head, 8);
	put_u32(&o, (uint32_t) n);
	put_u32(&o, (uint32_t) opts_len);
	if (opts_len > 0)
		emit(ctx, opts, opts_len);
	for (size_t i = 0; i < n; i++)
	{
		const HtePlotRow *r = &rows[i];
		unsigned char f = (unsigned char) ((r->label == NULL ? 1 : 0) | (isnan(r->estimate) ? 2 : 0) |
										   (isnan(r->ci_lower) ? 4 : 0) | (isnan(r->ci_upper) ? 8 : 0) |
										   (isnan(r->n) ? 16 : 0));

		emit(ctx, (const char *) &f, 1);
		put_u32(&o, r->label == NULL ? 0 : (uint32_t) r->label_len);
		if (r->label != NULL && r->label_len > 0)
			emit(ctx, r->label, r->label_len);
		if (!isnan(r->estimate))
			put_f64(&o, r->estimate);
		if (!isnan(r->ci_lower))
			put_f64(&o, r->ci_lower);
		if (!isnan(r->ci_upper))
			put_f64(&o, r->ci_upper);
		if (!isnan(r->n))
			put_f64(&o, r->n);
	}
}

const char *
hte_plot_state_check(const unsigned char *buf, size_t len, size_t *nrows, bool *has_counts,
					 const char **opts, size_t *opts_len, size_t *first_row)
{
	size_t		off,
				i,
				n;

	if (len < HTE_PLOT_STATE_HEADER || memcmp(buf, "HTEP", 4) != 0)
		return "not a forest_plot state";
	if (buf[4] != 1)
		return "unknown forest_plot state version";
	if (buf[5] > 1 || buf[6] != 0 || buf[7] != 0)
		return "bad forest_plot state flags";
	n = get_u32(buf + 8);
	if (n > HTE_PLOT_MAX_ROWS)
		return "too many rows in a forest_plot state";
	*opts_len = get_u32(buf + 12);
	if (*opts_len > len - HTE_PLOT_STATE_HEADER)
		return "truncated forest_plot state";
	*opts = (const char *) buf + HTE_PLOT_STATE_HEADER;
	if (memchr(*opts, 0, *opts_len) != NULL)
		return "NUL byte in a forest_plot state";
	off = HTE_PLOT_STATE_HEADER + *opts_len;
	*first_row = off;
	for (i = 0; i < n; i++)
	{
		unsigned	f;
		size_t		ll;

		if (len - off < 5)
			return "truncated forest_plot state";
		f = buf[off];
		if (f > 31)
			return "bad row flags in a forest_plot state";
		ll = get_u32(buf + off + 1);
		off += 5;
		if ((f & 1) && ll != 0)
			return "a NULL label with bytes in a forest_plot state";
		if (ll > len - off)
			return "truncated forest_plot state";
		if (memchr(buf + off, 0, ll) != NULL)
			return "NUL byte in a forest_plot state";
		off += ll;
		for (unsigned b = 1; b <= 4; b++)
		{
			double		d;

			if (f & (1u << b))
				continue;
			if (len - off < 8)
				return "truncated forest_plot state";
			d = get_f64(buf + off);
			off += 8;
			if (!isfinite(d) || (b == 4 && !(d >= 0)))
				return "bad number in a forest_plot state";
		}
		if (!(f & 16) && !buf[5])
			return "a count in a forest_plot state without counts";
	}
	if (off != len)
		return "trailing bytes in a forest_plot state";
	*nrows = n;
	*has_counts = buf[5] != 0;
	return NULL;
}

void
hte_plot_state_next(const unsigned char *buf, size_t *offset, HtePlotRow *row)
{
	size_t		off = *offset;
	unsigned	f = buf[off];
	double	   *v[4];

	row->label_len = get_u32(buf + off + 1);
	off += 5;
	row->label = (f & 1) ? NULL : (const char *) buf + off;
	off += row->label_len;
	v[0] = &row->estimate;
	v[1] = &row->ci_lower;
	v[2] = &row->ci_upper;
	v[3] = &row->n;
	for (unsigned b = 1; b <= 4; b++)
	{
		if (f & (1u << b))
			*v[b - 1] = NAN;
		else
		{
			*v[b - 1] = get_f64(buf + off);
			off += 8;
		}
	}
	row->x = NAN;
	*offset = off;
}
