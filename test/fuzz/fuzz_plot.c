/*
 * fuzz_plot.c — libFuzzer harness for the pictures (src/core/hte_plot.c):
 * the forest_plot aggregate's serialized kept rows (hte_plot_state_check /
 * hte_plot_state_next) and the four renderers on whatever rows and options
 * the bytes make.
 *
 * Input: a selector byte, then the bytes.  Selector bit 0 clear: the bytes
 * are a serialized state; an accepted one must re-serialize to the same
 * bytes and its rows are drawn.  Bit 0 set: the bytes are options (width,
 * height, digits, max_label, log scale, ascii, reference) and rows of raw
 * doubles with labels, any bit pattern (NaN, ±Inf, subnormals, huge).
 * Invariants: a renderer either refuses (a message, nothing emitted) or
 * emits an SVG that is ASCII only, one root element, every '<' and '>' markup
 * (labels escaped), or a text plot that is valid UTF-8 (ASCII with the
 * ascii option) whose lines are at most the width (in code points) except
 * the title, which has its own cut.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hte_plot.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
		FUZZ_ASSERT(b->p != NULL);
	}
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len] = '\0';
}

/* valid UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF) */
static int
utf8_ok(const unsigned char *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		unsigned	c = s[i];
		unsigned	cp;
		int			k;

		if (c < 0x80)
		{
			i++;
			continue;
		}
		k = (c >= 0xC2 && c <= 0xDF) ? 1 : (c >= 0xE0 && c <= 0xEF) ? 2 : (c >= 0xF0 && c <= 0xF4) ? 3 : -1;
		if (k < 0 || i + (size_t) k >= len)
			return 0;
		cp = c & (k == 1 ? 0x1F : k == 2 ? 0x0F : 0x07);
		for (int j = 1; j <= k; j++)
		{
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
			(cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += (size_t) k + 1;
	}
	return 1;
}

static void
check_svg(const Buf *b)
{
	int			depth = 0;

	FUZZ_ASSERT(b->len > 0 && strncmp(b->p, "<svg ", 5) == 0);
	FUZZ_ASSERT(b->len >= 7 && strcmp(b->p + b->len - 7, "</svg>\n") == 0);
	for (size_t i = 0; i < b->len; i++)
	{
		unsigned char c = (unsigned char) b->p[i];

		FUZZ_ASSERT(c < 0x80 && (c >= 0x20 || c == '\n'));
		if (c == '<')
		{
			/* markup: <name ...>, </name>, <name .../> */
			FUZZ_ASSERT(i + 1 < b->len);
			if (b->p[i + 1] == '/')
				depth--;
			else
				depth++;
			while (i < b->len && b->p[i] != '>')
			{
				FUZZ_ASSERT(b->p[i] != '\n');
				i++;
			}
			FUZZ_ASSERT(i < b->len);
			if (b->p[i - 1] == '/')
				depth--;
			FUZZ_ASSERT(depth >= 0);
		}
		else
			FUZZ_ASSERT(c != '>');
	}
	FUZZ_ASSERT(depth == 0);
}

static void
check_text(const Buf *b, const HtePlotOptions *o)
{
	size_t		start = 0;
	int			line = 0;

	FUZZ_ASSERT(utf8_ok((const unsigned char *) b->p, b->len));
	for (size_t i = 0; i <= b->len; i++)
	{
		if (i == b->len || b->p[i] == '\n')
		{
			size_t		cps = 0;

			for (size_t j = start; j < i; j++)
			{
				FUZZ_ASSERT(!o->ascii || (unsigned char) b->p[j] < 0x80);
				if (((unsigned char) b->p[j] & 0xC0) != 0x80)
					cps++;
			}
			/* the title line has its own cut (200 code points) */
			if (!(line == 0 && o->title != NULL))
				FUZZ_ASSERT(cps <= (size_t) (o->width > 0 ? o->width : 96) + 2);
			start = i + 1;
			line++;
		}
	}
}

static void
draw_all(const HtePlotRow *rows, size_t n, const HtePlotOptions *o)
{
	Buf			b = {NULL, 0, 0};
	HtePlotRow	pooled;
	const HtePlotRow *ov = hte_plot_pool(rows, n, o->conf_level, o->log_scale, &pooled) ? &pooled : NULL;
	const char *why;
	HtePlotRow *q;

	if (ov != NULL)
		pooled.label = "Pooled";
	if (ov != NULL)
		pooled.label_len = 6;
	why = hte_forest_plot_svg(rows, n, ov, o, emit, &b);
	FUZZ_ASSERT(why != NULL ? b.len == 0 : 1);
	if (why == NULL)
		check_svg(&b);
	b.len = 0;
	why = hte_forest_plot_text(rows, n, ov, o, emit, &b);
	FUZZ_ASSERT(why != NULL ? b.len == 0 : 1);
	if (why == NULL)
		check_text(&b, o);
	/* the same rows as a QTE profile, quantiles spread over [0, 1] */
	q = malloc((n ? n : 1) * sizeof(HtePlotRow));
	FUZZ_ASSERT(q != NULL);
	for (size_t i = 0; i < n; i++)
	{
		q[i] = rows[i];
		q[i].x = n > 1 ? (double) i / (double) (n - 1) : 0.5;
	}
	b.len = 0;
	why = hte_qte_plot_svg(q, n, NULL, o, emit, &b);
	if (why == NULL)
		check_svg(&b);
	b.len = 0;
	why = hte_qte_plot_text(q, n, NULL, o, emit, &b);
	if (why == NULL)
		check_text(&b, o);
	free(q);
	free(b.p);
}

static double
rd(const uint8_t *p)
{
	double		d;

	memcpy(&d, p, 8);
	return d;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	HtePlotOptions o;

	if (size < 1)
		return 0;
	hte_plot_defaults(&o);
	if ((data[0] & 1) == 0)
	{
		const unsigned char *buf = data + 1;
		size_t		len = size - 1,
					n,
					off,
					opts_len;
		bool		counts;
		const char *opts;
		HtePlotRow *rows;
		Buf			again = {NULL, 0, 0};

		if (hte_plot_state_check(buf, len, &n, &counts, &opts, &opts_len, &off) != NULL)
			return 0;
		rows = malloc((n ? n : 1) * sizeof(HtePlotRow));
		FUZZ_ASSERT(rows != NULL);
		for (size_t i = 0; i < n; i++)
		{
			hte_plot_state_next(buf, &off, &rows[i]);
			FUZZ_ASSERT(off <= len);
		}
		FUZZ_ASSERT(off == len);
		hte_plot_state_write(rows, n, counts, opts, opts_len, emit, &again);
		FUZZ_ASSERT(again.len == len && memcmp(again.p, buf, len) == 0);
		free(again.p);
		o.show_counts = counts;
		o.ascii = (data[0] & 2) != 0;
		o.log_scale = (data[0] & 4) != 0;
		draw_all(rows, n, &o);
		free(rows);
		return 0;
	}
	/* options, then rows of 4 doubles and a label of up to 15 bytes */
	if (size < 9)
		return 0;
	o.width = (data[1] & 1) ? (int) (data[2] | (data[3] << 8)) % 2000 : 0;
	o.height = (data[1] & 2) ? (int) (data[4] | (data[5] << 8)) : 0;
	o.digits = (data[1] & 4) ? data[6] % 12 : -1;
	o.max_label = 1 + data[7] % 60;
	o.log_scale = (data[1] & 8) != 0;
	o.ascii = (data[1] & 16) != 0;
	o.show_counts = (data[1] & 32) != 0;
	if (data[1] & 64)
	{
		o.title = (const char *) data + 8;
		o.title_len = size - 8 < 40 ? size - 8 : 40;
	}
	if (data[1] & 128)
		o.reference = (double) (int8_t) data[8];
	{
		size_t		rec = 4 * 8 + 16,
					n = (size - 9) / rec;
		HtePlotRow *rows = malloc((n ? n : 1) * sizeof(HtePlotRow));
		const uint8_t *p = data + 9;

		FUZZ_ASSERT(rows != NULL);
		for (size_t i = 0; i < n; i++, p += rec)
		{
			rows[i].estimate = rd(p);
			rows[i].ci_lower = rd(p + 8);
			rows[i].ci_upper = rd(p + 16);
			rows[i].n = rd(p + 24);
			rows[i].x = NAN;
			rows[i].label = (p[32] & 0x80) ? NULL : (const char *) p + 33;
			rows[i].label_len = p[32] % 16;
		}
		draw_all(rows, n, &o);
		free(rows);
	}
	return 0;
}
