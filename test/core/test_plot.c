/*
 * test_plot.c — the pictures' core (src/core/hte_plot.c) without
 * PostgreSQL:
 *  - axes over random and extreme ranges (spans from 1e-300 to 1e300, a
 *    single value, negative only, log scales over 1 to 600 decades): the
 *    ticks lie in the domain, increase, are evenly spaced multiples of a
 *    nice step (1, 2, 2.5 or 5 times a power of ten) on a linear axis, have
 *    distinct labels, and the domain covers the data;
 *  - labels: every byte from 0 to 255 and malformed UTF-8 give an SVG that
 *    is ASCII, whose only '<' and '>' are markup; a label is cut with "…" at
 *    max_label code points;
 *  - text plots: no line is wider than the width; every marker sits in the
 *    column an independent linear map of the axis ticks gives;
 *  - the kept-row state: written rows are read back identically; every
 *    truncation and every single-byte change is refused or read back as
 *    the same bytes;
 *  - pooling against the formula, computed here;
 *  - the refusals: infinite values, reversed limits, a log scale with a
 *    non-positive value, too many rows, a width or height too small.
 * Prints "plot: N passed, M failed".
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hte_plot.h"

static int	passed,
			failed;

static void
check(int ok, const char *what)
{
	if (ok)
		passed++;
	else
	{
		failed++;
		printf("FAIL %s\n", what);
	}
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static double
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double) (rng >> 11) / 9007199254740992.0;
}

typedef struct Buf
{
	char	   *p;
	size_t		len,
				cap;
} Buf;

static void
emit(void *ctx, const char *s, size_t len)
{
	Buf		   *b = ctx;

	if (b->len + len + 1 > b->cap)
	{
		b->cap = (b->len + len + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (b->p == NULL)
			abort();
	}
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
}

/* ------------------------------------------------------------------------ */
/* is step (known to within relative tol) 1, 2, 2.5 or 5 times a power of ten? */
static int
nice_step(double step, double tol)
{
	double		e = floor(log10(step));
	double		m = step / pow(10.0, e);

	tol += 1e-9;
	return fabs(m - 1) < tol * m || fabs(m - 2) < tol * m || fabs(m - 2.5) < tol * m ||
		fabs(m - 5) < tol * m || fabs(m - 10) < tol * m;
}

static void
check_axis(double lo, double hi, bool log_scale, double pixels, const char *what)
{
	HtePlotAxis ax;
	char		msg[200],
				a[40],
				b[40];
	int			ok = 1;

	hte_plot_axis(lo, hi, log_scale, 0.04, pixels, 13.0, &ax);
	snprintf(msg, sizeof msg, "%s: domain [%g, %g] covers [%g, %g]", what, ax.lo, ax.hi, lo, hi);
	check(ax.lo <= lo && ax.hi >= hi && ax.lo < ax.hi, msg);
	snprintf(msg, sizeof msg, "%s: %d ticks", what, ax.nticks);
	check(ax.nticks >= 1 && ax.nticks <= HTE_PLOT_MAX_TICKS, msg);
	for (int i = 0; i < ax.nticks; i++)
	{
		if (!(ax.ticks[i] >= ax.lo && ax.ticks[i] <= ax.hi))
			ok = 0;
		if (i > 0)
		{
			if (!(ax.ticks[i] > ax.ticks[i - 1]))
				ok = 0;
			hte_plot_tick_label(&ax, ax.ticks[i - 1], a);
			hte_plot_tick_label(&ax, ax.ticks[i], b);
			if (strcmp(a, b) == 0)
				ok = 0;
		}
	}
	snprintf(msg, sizeof msg, "%s: ticks in the domain, increasing, distinct labels", what);
	check(ok, msg);
	if (!log_scale && ax.nticks >= 3 && ax.decimals >= 0)
	{
		double		step = (ax.ticks[ax.nticks - 1] - ax.ticks[0]) / (ax.nticks - 1);
		/* the ticks are doubles: k·step rounded to their own precision */
		double		big = fmax(fabs(ax.ticks[0]), fabs(ax.ticks[ax.nticks - 1]));
		double		tol = 8 * 2.220446049250313e-16 * big / step;

		ok = nice_step(step, tol);
		for (int i = 1; i < ax.nticks; i++)
			if (fabs((ax.ticks[i] - ax.ticks[i - 1]) - step) > (1e-9 + tol) * fabs(step))
				ok = 0;
		snprintf(msg, sizeof msg, "%s: evenly spaced multiples of a nice step (%g)", what, step);
		check(ok, msg);
	}
}

static void
test_axes(void)
{
	for (int i = 0; i < 400; i++)
	{
		double		e = floor(rnd() * 40) - 20;
		double		a = (rnd() - 0.5) * pow(10.0, e);
		double		b = a + rnd() * pow(10.0, e - floor(rnd() * 3));

		check_axis(a, b, false, 100 + rnd() * 900, "random linear");
		check_axis(fabs(a) + 1e-300, fabs(b) + fabs(a) + 2e-300, true, 100 + rnd() * 900, "random log");
	}
	check_axis(1e300, 1e300, false, 300, "one huge value");
	check_axis(-1.7e308, 1.7e308, false, 300, "the whole double range");
	check_axis(1e-300, 3e-300, false, 300, "tiny values");
	check_axis(0, 0, false, 300, "zero");
	check_axis(-5, -2, false, 300, "negative only");
	check_axis(1e9, 1e9 + 1e-3, false, 300, "a tiny span far from zero");
	check_axis(1e9, 1e9 + 1e-5, false, 300, "a span near the values' precision");
	check_axis(1e9, nextafter(1e9, 2e9), false, 300, "a span of one ulp");
	check_axis(1e-300, 1e300, true, 300, "600 decades");
	check_axis(0.8, 0.8, true, 300, "one ratio");
	check_axis(0.5, 2, true, 300, "ratios");
}

/* ------------------------------------------------------------------------ */
static int
svg_clean(const Buf *b)
{
	for (size_t i = 0; i < b->len; i++)
	{
		unsigned char c = (unsigned char) b->p[i];

		if (c >= 0x80 || (c < 0x20 && c != '\n'))
			return 0;
		if (c == '<')
		{
			/* an element name or a closing tag follows, never text */
			if (!(b->p[i + 1] == '/' || (b->p[i + 1] >= 'a' && b->p[i + 1] <= 'z')))
				return 0;
			while (i < b->len && b->p[i] != '>')
				i++;
		}
		else if (c == '>')
			return 0;
	}
	return 1;
}

static HtePlotRow
row(const char *label, double e, double lo, double hi)
{
	HtePlotRow	r;

	r.label = label;
	r.label_len = label ? strlen(label) : 0;
	r.estimate = e;
	r.ci_lower = lo;
	r.ci_upper = hi;
	r.n = NAN;
	r.x = NAN;
	return r;
}

static void
test_labels(void)
{
	char		all[256];
	HtePlotRow	rows[3];
	HtePlotOptions o;
	Buf			b = {NULL, 0, 0};
	const char *why;

	for (int i = 0; i < 255; i++)
		all[i] = (char) (i + 1);
	all[255] = 0;
	hte_plot_defaults(&o);
	o.max_label = 1000;
	o.width = 4000;
	rows[0] = row(all, 1, 0, 2);
	rows[1] = row("\xC3\x28 \xE2\x82 \xF0\x9F\x98 \xED\xA0\x80 \xC0\xAF \xF4\x90\x80\x80 <script>&amp;", 2, 1, 3);
	rows[2] = row("K\xC3\xB6ln \xE6\x97\xA5\xE6\x9C\xAC", 0.5, 0, 1);
	o.title = "<title>\"'&";
	o.title_len = strlen(o.title);
	why = hte_forest_plot_svg(rows, 3, NULL, &o, emit, &b);
	check(why == NULL, "labels of every byte are drawn");
	check(svg_clean(&b), "the SVG is ASCII and its only < and > are markup");
	check(strstr(b.p, "&lt;script&gt;&amp;amp;") != NULL, "markup in a label is escaped");
	check(strstr(b.p, "K&#xF6;ln &#x65E5;&#x672C;") != NULL, "non-ASCII as character references");
	check(strstr(b.p, "&#xFFFD;") != NULL, "malformed UTF-8 and control characters replaced");
	check(strstr(b.p, "&lt;title&gt;&quot;&#39;&amp;") != NULL, "the title escaped");
	b.len = 0;
	o.max_label = 5;
	rows[0] = row("abcdefghij", 1, 0, 2);
	why = hte_forest_plot_svg(rows, 1, NULL, &o, emit, &b);
	check(why == NULL && strstr(b.p, ">abcde&#x2026;</text>") != NULL, "a label cut at max_label with an ellipsis");
	check(strstr(b.p, "<title>abcdefghij</title>") != NULL, "the whole label in a tooltip");
	free(b.p);
}

/* ------------------------------------------------------------------------ */

/* the text lines of a plot, as code-point strings */
static int
line_columns(const char *s, size_t len)
{
	int			c = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char) s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/*
 * The text plot's markers against the axis: the tick labels (centred on
 * their '+' in ASCII) give col = a + b·v by least squares; each row's 'o'
 * must be within one column of a + b·estimate.
 */
static void
test_text_positions(void)
{
	for (int t = 0; t < 200; t++)
	{
		HtePlotRow	rows[6];
		HtePlotOptions o;
		Buf			b = {NULL, 0, 0};
		const char *why;
		char	   *lines[32];
		int			nl = 0;
		int			width = 60 + (int) (rnd() * 80);
		double		scale = pow(10.0, floor(rnd() * 10) - 5);
		int			n = 1 + (int) (rnd() * 6);
		int			ok = 1;
		char		msg[160];

		hte_plot_defaults(&o);
		o.ascii = true;
		o.width = width;
		for (int i = 0; i < n; i++)
		{
			double		e = (rnd() - 0.3) * 10 * scale;
			double		w = rnd() * 4 * scale;

			rows[i] = row("row", e, e - w, e + w * (0.5 + rnd()));
		}
		why = hte_forest_plot_text(rows, n, NULL, &o, emit, &b);
		if (why != NULL)
		{
			check(0, "a text plot drawn");
			free(b.p);
			continue;
		}
		for (char *p = b.p, *nlp; p < b.p + b.len && nl < 32; p = nlp + 1)
		{
			nlp = strchr(p, '\n');
			if (nlp == NULL)
				break;
			*nlp = '\0';
			lines[nl++] = p;
			if (line_columns(p, strlen(p)) > width)
				ok = 0;
		}
		snprintf(msg, sizeof msg, "text plot %d: no line wider than %d", t, width);
		check(ok, msg);
		/* lines: heading, n rows, axis, tick labels, x label */
		if (nl != n + 4)
		{
			check(0, "text plot has its lines");
			free(b.p);
			continue;
		}
		{
			const char *axis = lines[n + 1],
					   *labels = lines[n + 2];
			double		v0 = 0,
						v1 = 0;
			int			c0 = -1,
						c1 = -1,
						k = 0;

			/* the first and last tick labels and their '+' columns */
			for (const char *p = labels; *p;)
			{
				const char *q;
				double		v,
							centre;
				int			col;

				while (*p == ' ')
					p++;
				if (!*p)
					break;
				q = p;
				while (*q && *q != ' ')
					q++;
				v = strtod(p, NULL);
				centre = ((p - labels) + (q - labels) - 1) / 2.0;
				/* the '+' nearest the label's centre */
				col = -1;
				for (int c = 0; axis[c]; c++)
					if (axis[c] == '+' && (col < 0 || fabs(c - centre) < fabs(col - centre)))
						col = c;
				if (k == 0)
				{
					v0 = v;
					c0 = col;
				}
				v1 = v;
				c1 = col;
				k++;
				p = q;
			}
			if (k >= 2)
			{
				/*
				 * Each column is its exact position rounded (±0.5), so the line
				 * through the two ticks is off by at most 0.5 plus 1 per tick
				 * span beyond them; the marker's own rounding adds 0.5.
				 */
				double		slope = (c1 - c0) / (v1 - v0);

				ok = 1;
				for (int i = 0; i < n; i++)
				{
					const char *m = strrchr(lines[1 + i], 'o');
					double		v = rows[i].estimate;
					double		want = c0 + slope * (v - v0);
					double		out = v < v0 ? v0 - v : (v > v1 ? v - v1 : 0);
					double		tol = 1.0 + out / (v1 - v0) + 1e-9;

					if (m == NULL || fabs((m - lines[1 + i]) - want) > tol)
						ok = 0;
				}
				snprintf(msg, sizeof msg, "text plot %d: markers where the axis puts them", t);
				check(ok, msg);
			}
		}
		free(b.p);
	}
}

/* ------------------------------------------------------------------------ */
static void
test_state(void)
{
	HtePlotRow	rows[4];
	Buf			b = {NULL, 0, 0};
	size_t		n,
				off,
				ol;
	bool		counts;
	const char *opts;
	int			ok = 1;

	rows[0] = row("girl", 6.4, 1.2, 11.6);
	rows[1] = row(NULL, NAN, NAN, NAN);
	rows[2] = row("", 3, NAN, NAN);
	rows[3] = row("K\xC3\xB6ln", -1e300, -1.5e300, 1e-300);
	rows[0].n = 12;
	rows[2].n = 0;
	hte_plot_state_write(rows, 4, true, "{\"width\": 800}", 14, emit, &b);
	check(hte_plot_state_check((unsigned char *) b.p, b.len, &n, &counts, &opts, &ol, &off) == NULL &&
		  n == 4 && counts && ol == 14 && memcmp(opts, "{\"width\": 800}", 14) == 0, "a state is accepted");
	for (size_t i = 0; i < n; i++)
	{
		HtePlotRow	r;

		hte_plot_state_next((unsigned char *) b.p, &off, &r);
		if (!((r.label == NULL) == (rows[i].label == NULL) && r.label_len == rows[i].label_len &&
			  (r.label == NULL || memcmp(r.label, rows[i].label, r.label_len) == 0) &&
			  memcmp(&r.estimate, &rows[i].estimate, 8) == 0 && memcmp(&r.ci_lower, &rows[i].ci_lower, 8) == 0 &&
			  memcmp(&r.ci_upper, &rows[i].ci_upper, 8) == 0 &&
			  (isnan(r.n) ? isnan(rows[i].n) : r.n == rows[i].n)))
			ok = 0;
	}
	check(ok && off == b.len, "its rows read back identically");
	ok = 1;
	for (size_t cut = 0; cut < b.len; cut++)
		if (hte_plot_state_check((unsigned char *) b.p, cut, &n, &counts, &opts, &ol, &off) == NULL)
			ok = 0;
	check(ok, "every truncation refused");
	ok = 1;
	for (size_t i = 0; i < b.len; i++)
		for (int bit = 0; bit < 8; bit++)
		{
			unsigned char *u = (unsigned char *) b.p;
			Buf			again = {NULL, 0, 0};

			u[i] ^= (unsigned char) (1 << bit);
			if (hte_plot_state_check(u, b.len, &n, &counts, &opts, &ol, &off) == NULL)
			{
				HtePlotRow	r[4];

				for (size_t k = 0; k < n && k < 4; k++)
					hte_plot_state_next(u, &off, &r[k]);
				if (n <= 4)
				{
					hte_plot_state_write(r, n, counts, opts, ol, emit, &again);
					if (again.len != b.len || memcmp(again.p, u, b.len) != 0)
						ok = 0;
				}
				free(again.p);
			}
			u[i] ^= (unsigned char) (1 << bit);
		}
	check(ok, "every accepted one-bit change reads back as the same bytes");
	free(b.p);
}

static void
test_pool(void)
{
	HtePlotRow	rows[4],
				out;
	double		z = 1.959963984540054,
				sw = 0,
				swd = 0;
	double		est[4] = {1.2, 0.4, 2.0, -0.3},
				se[4] = {0.5, 0.3, 0.9, 0.6};

	for (int i = 0; i < 4; i++)
	{
		rows[i] = row("s", est[i], est[i] - z * se[i], est[i] + z * se[i]);
		sw += 1 / (se[i] * se[i]);
		swd += est[i] / (se[i] * se[i]);
	}
	check(hte_plot_pool(rows, 4, 0.95, false, &out) && fabs(out.estimate - swd / sw) < 1e-12 &&
		  fabs(out.ci_upper - out.ci_lower - 2 * z * sqrt(1 / sw)) < 1e-12, "pooling: inverse-variance formula");
	rows[1] = row("s", NAN, NAN, NAN);
	rows[2] = row("s", 3, NAN, NAN);
	rows[3] = row("s", 3, 3, 3);
	check(hte_plot_pool(rows, 4, 0.95, false, &out) && fabs(out.estimate - 1.2) < 1e-12,
		  "pooling leaves out rows without an interval of positive width");
	check(!hte_plot_pool(rows + 1, 3, 0.95, false, &out), "pooling nothing: no overall row");
}

static void
test_refusals(void)
{
	HtePlotRow	r[2];
	HtePlotOptions o;
	Buf			b = {NULL, 0, 0};

	hte_plot_defaults(&o);
	r[0] = row("a", INFINITY, 0, 1);
	check(hte_forest_plot_svg(r, 1, NULL, &o, emit, &b) != NULL && b.len == 0, "an infinite estimate refused");
	r[0] = row("a", 1, 2, 0);
	check(hte_forest_plot_text(r, 1, NULL, &o, emit, &b) != NULL && b.len == 0, "reversed limits refused");
	o.log_scale = true;
	r[0] = row("a", 1, 0, 2);
	check(hte_forest_plot_svg(r, 1, NULL, &o, emit, &b) != NULL && b.len == 0, "a log scale with 0 refused");
	o.log_scale = false;
	check(hte_forest_plot_svg(r, HTE_PLOT_MAX_ROWS + 1, NULL, &o, emit, &b) != NULL && b.len == 0,
		  "too many rows refused");
	o.width = 150;
	check(hte_forest_plot_svg(r, 1, NULL, &o, emit, &b) != NULL && b.len == 0, "a width too small refused");
	o.width = 0;
	o.height = 40;
	check(hte_forest_plot_svg(r, 1, NULL, &o, emit, &b) != NULL && b.len == 0, "a height too small refused");
	o.height = 0;
	r[0].x = 0.7;
	r[1] = row("b", 1, 0, 2);
	r[1].x = 0.2;
	check(hte_qte_plot_svg(r, 2, NULL, &o, emit, &b) != NULL && b.len == 0, "quantiles out of order refused");
	free(b.p);
}

int
main(void)
{
	test_axes();
	test_labels();
	test_text_positions();
	test_state();
	test_pool();
	test_refusals();
	printf("plot: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
