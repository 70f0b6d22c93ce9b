/*
 * hte_state_io.c — parsing and validation of the serialized states of
 * interaction_test (four-argument form), ate/interaction_test with
 * covariates and se_type, and cate_by/heterogeneity_test.
 *
 * Every read is preceded by a length check written so that it cannot
 * overflow (remaining bytes are compared, never offsets added first), and
 * every count is bounded by the bytes that remain before it is used.
 */
#include "hte_state_io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hte_lin.h"
#include "hte_padjust.h"

/* Call check_interrupts (if any) every 2^16 items. */
#define TICK_MASK 0xFFFF

/* true unless the 8 bytes at p are an Inf or NaN double (any byte order) */
static inline bool
finite_native(const unsigned char *p)
{
	double		d;

	memcpy(&d, p, sizeof(d));
	return isfinite(d);
}

/* ------------------------------------------------------------------------
 * interaction_test
 */

bool
hte_it4_keeps_pairs(HteSeType t)
{
	return t == HTE_SE_HC2 || t == HTE_SE_HC3;
}

size_t
hte_it4_size(uint64_t rows, size_t max_bytes)
{
	if (max_bytes < HTE_IT4_FIXED)
		return 0;
	if (rows > (max_bytes - HTE_IT4_FIXED) / (2 * sizeof(double)))
		return 0;
	return HTE_IT4_FIXED + (size_t) rows * 2 * sizeof(double);
}

void
hte_it4_write_fixed(unsigned char *buf, HteSeType type, const HteArmXY arm[2])
{
	uint32_t	hdr[4] = {HTE_IT4_MAGIC, HTE_IT4_VERSION, (uint32_t) type, 0};

	memcpy(buf, hdr, HTE_IT4_HEADER);
	memcpy(buf + HTE_IT4_HEADER, arm, 2 * sizeof(HteArmXY));
}

const char *
hte_it4_parse(const unsigned char *buf, size_t len, HteIt4Parsed *out,
			  HteInterruptFn check_interrupts)
{
	uint32_t	hdr[4];
	size_t		want,
				off;

	if (buf == NULL || len < HTE_IT4_FIXED)
		return "The serialized state is truncated.";
	memcpy(hdr, buf, HTE_IT4_HEADER);
	if (hdr[0] != HTE_IT4_MAGIC || hdr[1] != HTE_IT4_VERSION || hdr[3] != 0)
		return "The serialized state has an unknown header.";
	if (hdr[2] >= HTE_SE_NTYPES)
		return "The serialized state names an unknown se_type.";
	out->se_type = (HteSeType) hdr[2];
	out->has_pairs = hte_it4_keeps_pairs(out->se_type);
	memcpy(out->arm, buf + HTE_IT4_HEADER, 2 * sizeof(HteArmXY));
	for (int g = 0; g < 2; g++)
	{
		const char *why = hte_armxy_check(&out->arm[g]);

		if (why != NULL)
			return why;
		/* whole numbers in [0, 2^53] (checked) */
		out->n[g] = out->has_pairs ? (uint64_t) out->arm[g].n : 0;
	}
	want = HTE_IT4_FIXED;
	if (out->has_pairs)
	{
		/* each count <= 2^53: their sum cannot overflow; bound before use */
		uint64_t	rows = out->n[0] + out->n[1];

		if (rows > (len - want) / (2 * sizeof(double)))
			return "The serialized state is shorter than its row counts say.";
		want += (size_t) rows * 2 * sizeof(double);
	}
	if (len != want)
		return "The serialized state's length does not match its row counts.";
	off = HTE_IT4_FIXED;
	for (int g = 0; g < 2; g++)
	{
		out->x_offset[g] = off;
		out->y_offset[g] = off + (size_t) out->n[g] * sizeof(double);
		for (uint64_t i = 0; i < 2 * out->n[g]; i++, off += sizeof(double))
		{
			if (!finite_native(buf + off))
				return "The serialized state holds a value that is not finite.";
			if ((i & TICK_MASK) == TICK_MASK && check_interrupts)
				check_interrupts();
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------------
 * ate / interaction_test with covariates and se_type
 */

bool
hte_cov4_keeps_rows(HteSeType t)
{
	return t == HTE_SE_HC2 || t == HTE_SE_HC3;
}

size_t
hte_cov4_size(const HteMvTable *t, uint64_t rows, size_t max_bytes)
{
	size_t		fixed,
				row_bytes;

	if (t == NULL)
		return max_bytes < HTE_COV4_HEADER ? 0 : HTE_COV4_HEADER;
	fixed = HTE_COV4_FIXED + hte_cov_state_len(t) * sizeof(double);
	row_bytes = (size_t) t->nvars * sizeof(double);
	if (max_bytes < fixed || rows > (max_bytes - fixed) / row_bytes)
		return 0;
	return fixed + (size_t) rows * row_bytes;
}

size_t
hte_cov4_write(unsigned char *buf, HteSeType type, const HteMvTable *t,
			   const double *s, const uint64_t rows[2])
{
	uint32_t	hdr[4] = {HTE_COV4_MAGIC, HTE_COV4_VERSION, (uint32_t) type,
	t == NULL ? 0 : (uint32_t) t->p + 1};
	size_t		slen;

	memcpy(buf, hdr, HTE_COV4_HEADER);
	if (t == NULL)
		return HTE_COV4_HEADER;
	memcpy(buf + HTE_COV4_HEADER, rows, 2 * sizeof(uint64_t));
	slen = hte_cov_state_len(t) * sizeof(double);
	memcpy(buf + HTE_COV4_FIXED, s, slen);
	return HTE_COV4_FIXED + slen;
}

const char *
hte_cov4_parse_header(const unsigned char *buf, size_t len, HteCov4Parsed *out)
{
	uint32_t	hdr[4];
	size_t		slen;

	if (buf == NULL || len < HTE_COV4_HEADER)
		return "The serialized state is truncated.";
	memcpy(hdr, buf, HTE_COV4_HEADER);
	if (hdr[0] != HTE_COV4_MAGIC || hdr[1] != HTE_COV4_VERSION)
		return "The serialized state has an unknown header.";
	if (hdr[2] >= HTE_SE_NTYPES)
		return "The serialized state names an unknown se_type.";
	if (hdr[3] > HTE_MV_MAX_P + 1)
		return "The serialized state's number of covariates is out of range.";
	out->se_type = (HteSeType) hdr[2];
	out->keeps_rows = hte_cov4_keeps_rows(out->se_type);
	out->p = (int) hdr[3] - 1;
	out->rows[0] = out->rows[1] = 0;
	out->rows_offset[0] = out->rows_offset[1] = 0;
	if (out->p < 0)
		return len == HTE_COV4_HEADER ? NULL :
			"The serialized state has trailing bytes.";
	/*
	 * The state's length for p, without the table (which the caller builds
	 * next, at a cost that grows quickly with p): at most 51858 doubles.
	 */
	slen = hte_cov_state_len_p(out->p);
	if (len < HTE_COV4_FIXED || (len - HTE_COV4_FIXED) / sizeof(double) < slen)
		return "The serialized state is truncated.";
	memcpy(out->rows, buf + HTE_COV4_HEADER, 2 * sizeof(uint64_t));
	return NULL;
}

const char *
hte_cov4_parse(const unsigned char *buf, size_t len, const HteMvTable *t,
			   double *s, HteCov4Parsed *out, HteInterruptFn check_interrupts)
{
	size_t		slen,
				row_bytes,
				off;
	uint64_t	total;
	const char *why;

	if (buf == NULL || out->p < 0 || t == NULL || t->p != out->p || len < HTE_COV4_FIXED)
		return "The serialized state is truncated.";
	slen = hte_cov_state_len(t);
	if ((len - HTE_COV4_FIXED) / sizeof(double) < slen)
		return "The serialized state is truncated.";
	memcpy(s, buf + HTE_COV4_FIXED, slen * sizeof(double));
	if (hte_cov_state_p(s, slen) != out->p)
		return "The serialized state's layout tag or number of covariates is not that of its header.";
	if ((why = hte_cov_state_check(t, s)) != NULL)
		return why;
	/* the buffer slots past the pending rows are never read: zero them */
	for (int g = 0; g < 2; g++)
	{
		double	   *b = hte_cov_buffer(t, s, g);

		for (size_t i = (size_t) s[2 + g] * t->nvars; i < (size_t) hte_cov_block(t->p) * t->nvars; i++)
			b[i] = 0.0;
	}

	/* kept rows: each arm's count plus its pending rows (both checked) */
	for (int g = 0; g < 2; g++)
	{
		uint64_t	want = out->keeps_rows ?
			(uint64_t) hte_cov_arm(t, s, g)[0] + (uint64_t) s[2 + g] : 0;

		if (out->rows[g] != want)
			return out->keeps_rows ?
				"The serialized state's row counts are not those of its arms." :
				"The serialized state keeps rows that its se_type does not use.";
	}
	/* each count <= 2^53 + 255: their sum cannot overflow; bound before use */
	total = out->rows[0] + out->rows[1];
	row_bytes = (size_t) t->nvars * sizeof(double);
	off = HTE_COV4_FIXED + slen * sizeof(double);
	if (total > (len - off) / row_bytes)
		return "The serialized state is shorter than its row counts say.";
	if (len - off != (size_t) total * row_bytes)
		return "The serialized state's length does not match its row counts.";
	for (int g = 0; g < 2; g++)
	{
		uint64_t	nvals = out->rows[g] * (uint64_t) t->nvars;

		out->rows_offset[g] = off;
		for (uint64_t i = 0; i < nvals; i++, off += sizeof(double))
		{
			if (!finite_native(buf + off))
				return "The serialized state holds a value that is not finite.";
			if ((i & TICK_MASK) == TICK_MASK && check_interrupts)
				check_interrupts();
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------------
 * cate_by / heterogeneity_test
 */

static inline uint32_t
get_be32(const unsigned char *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
		((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

static inline uint64_t
get_be64(const unsigned char *p)
{
	return ((uint64_t) get_be32(p) << 32) | get_be32(p + 4);
}

void
hte_sg_put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char) (v >> 24);
	p[1] = (unsigned char) (v >> 16);
	p[2] = (unsigned char) (v >> 8);
	p[3] = (unsigned char) v;
}

void
hte_sg_put_u64(unsigned char *p, uint64_t v)
{
	hte_sg_put_u32(p, (uint32_t) (v >> 32));
	hte_sg_put_u32(p + 4, (uint32_t) v);
}

void
hte_sg_put_arms(unsigned char *p, const HteArm arm[2])
{
	const double *d = (const double *) arm;

	for (int i = 0; i < 2 * HTE_ARM_LEN; i++)
	{
		uint64_t	v;

		memcpy(&v, &d[i], sizeof(v));
		hte_sg_put_u64(p + 8 * i, v);
	}
}

/* Read and check two arms at p (HTE_SG_ARMS_BYTES bytes, in range). */
static const char *
get_arms(const unsigned char *p, HteArm arm[2])
{
	double	   *d = (double *) arm;

	for (int i = 0; i < 2 * HTE_ARM_LEN; i++)
	{
		uint64_t	v = get_be64(p + 8 * i);

		memcpy(&d[i], &v, sizeof(v));
	}
	for (int g = 0; g < 2; g++)
	{
		const char *why = hte_arm_check(&arm[g]);

		if (why != NULL)
			return why;
	}
	return NULL;
}

const char *
hte_sg_parse_header(const unsigned char *buf, size_t len, HteSgHeader *hdr)
{
	size_t		off = HTE_SG_HEADER;
	int32_t		has_null;
	uint64_t	nkeys;

	if (buf == NULL || len < HTE_SG_HEADER + 8 ||
		get_be32(buf) != HTE_SG_MAGIC || get_be32(buf + 4) != HTE_SG_VERSION)
		return "The serialized state has an unknown header.";
	hdr->method = (int32_t) get_be32(buf + 8);
	hdr->type = get_be32(buf + 12);
	hdr->typmod = (int32_t) get_be32(buf + 16);
	hdr->collation = get_be32(buf + 20);
	has_null = (int32_t) get_be32(buf + 24);
	if (hdr->method < -1 || hdr->method >= HTE_PADJ_NMETHODS ||
		(has_null != 0 && has_null != 1))
		return "The serialized state's header is out of range.";
	hdr->has_null = has_null == 1;
	if (hdr->has_null)
	{
		const char *why;

		if (len - off < HTE_SG_ARMS_BYTES + 8)
			return "The serialized state is truncated.";
		if ((why = get_arms(buf + off, hdr->null_arm)) != NULL)
			return why;
		off += HTE_SG_ARMS_BYTES;
	}
	else
		memset(hdr->null_arm, 0, sizeof(hdr->null_arm));
	nkeys = get_be64(buf + off);
	off += 8;
	/* every key takes at least its arms and length */
	if (nkeys > (uint64_t) ((len - off) / (HTE_SG_ARMS_BYTES + 4)))
		return "The serialized state's key count does not match its length.";
	hdr->nkeys = (int64_t) nkeys;
	hdr->keys_offset = off;
	return NULL;
}

const char *
hte_sg_walk_keys(const unsigned char *buf, size_t len, const HteSgHeader *hdr,
				 HteSgKeyFn key_fn, void *arg, HteInterruptFn check_interrupts)
{
	size_t		off = hdr->keys_offset;

	if (off > len)
		return "The serialized state is truncated.";
	for (int64_t i = 0; i < hdr->nkeys; i++)
	{
		HteArm		arm[2];
		uint32_t	klen;
		const char *why;

		if ((i & TICK_MASK) == TICK_MASK && check_interrupts)
			check_interrupts();
		if (len - off < HTE_SG_ARMS_BYTES + 4)
			return "The serialized state is truncated.";
		if ((why = get_arms(buf + off, arm)) != NULL)
			return why;
		off += HTE_SG_ARMS_BYTES;
		klen = get_be32(buf + off);
		off += 4;
		/* a negative int32 is a huge uint32: out of range as well */
		if (klen > len - off)
			return "A serialized key's length is out of range.";
		if (key_fn != NULL && (why = key_fn(arg, arm, buf + off, klen)) != NULL)
			return why;
		off += klen;
	}
	if (off != len)
		return "The serialized state has trailing bytes.";
	return NULL;
}

/* ------------------------------------------------------------------------
 * Kept rows of the observational aggregates
 * ------------------------------------------------------------------------
 */

int
hte_obs_row_width(const HteObsHeader *h)
{
	return (h->kind == HTE_OBS_KIND_ESTIMANDS ? 1 : 0) + 1 + h->po + (h->shared ? 0 : h->pt);
}

void
hte_obs_write_header(unsigned char *buf, const HteObsHeader *h)
{
	uint32_t	u[4] = {HTE_OBS_MAGIC, HTE_OBS_VERSION, (uint32_t) h->kind, h->shared ? 1 : 0};
	int32_t		v[5] = {h->po, h->pt, h->method, h->link, h->estimand};
	uint32_t	zero = 0;

	memcpy(buf, u, 4 * sizeof(uint32_t));
	memcpy(buf + 16, v, 5 * sizeof(int32_t));
	memcpy(buf + 36, &zero, sizeof(uint32_t));
	memcpy(buf + 40, &h->n, sizeof(uint64_t));
}

const char *
hte_obs_parse(const unsigned char *buf, size_t len, HteObsHeader *out,
			  HteInterruptFn check_interrupts)
{
	uint32_t	u[4],
				zero;
	int32_t		v[5];
	size_t		width,
				row_bytes;
	bool		has_y;

	if (buf == NULL || len < HTE_OBS_HEADER)
		return "The serialized state is truncated.";
	memcpy(u, buf, sizeof(u));
	memcpy(v, buf + 16, sizeof(v));
	memcpy(&zero, buf + 36, sizeof(zero));
	memcpy(&out->n, buf + 40, sizeof(uint64_t));
	if (u[0] != HTE_OBS_MAGIC)
		return "The serialized state does not start with the magic number of hte's kept rows.";
	if (u[1] != HTE_OBS_VERSION)
		return "The serialized state's format version is not 1.";
	if (u[2] > HTE_OBS_KIND_BALANCE)
		return "The serialized state's kind is unknown.";
	if (u[3] > 1)
		return "The serialized state's shared flag is not 0 or 1.";
	if (zero != 0)
		return "The serialized state's reserved field is not 0.";
	out->kind = (HteObsKind) u[2];
	out->shared = u[3] == 1;
	out->po = v[0];
	out->pt = v[1];
	out->method = v[2];
	out->link = v[3];
	out->estimand = v[4];
	has_y = out->kind == HTE_OBS_KIND_ESTIMANDS;
	if (out->method < 0 || out->method > 2 || (!has_y && out->method != 0))
		return "The serialized state's method is not valid for its kind.";
	if (out->link < 0 || out->link > 1)
		return "The serialized state's link is unknown.";
	if (out->estimand < 0 || out->estimand > 2 ||
		(out->kind != HTE_OBS_KIND_BALANCE && out->estimand != 0))
		return "The serialized state's estimand is not valid for its kind.";
	if (out->po == -1 && out->pt == -1)
	{
		/* no row yet */
		if (out->n != 0 || out->shared)
			return "The serialized state has rows but no number of covariates.";
		return len == HTE_OBS_HEADER ? NULL : "The serialized state has trailing bytes.";
	}
	if (out->po < 0 || out->po > HTE_OBS_MAX_P || out->pt < 0 || out->pt > HTE_OBS_MAX_P)
		return "The serialized state's number of covariates is out of range.";
	if (out->shared && out->po != out->pt)
		return "The serialized state shares covariates of different numbers.";
	if (!has_y && (out->po != 0 || out->shared))
		return "The serialized state has outcome covariates but no outcome.";
	width = (size_t) hte_obs_row_width(out);
	row_bytes = width * sizeof(double);
	if (out->n > (len - HTE_OBS_HEADER) / row_bytes)
		return "The serialized state is shorter than its row count says.";
	if (len - HTE_OBS_HEADER != (size_t) out->n * row_bytes)
		return "The serialized state's length does not match its row count.";
	{
		const unsigned char *p = buf + HTE_OBS_HEADER;
		size_t		tcol = has_y ? 1 : 0;

		for (uint64_t i = 0; i < out->n; i++)
		{
			if (check_interrupts != NULL && (i & 65535) == 0)
				check_interrupts();
			for (size_t j = 0; j < width; j++)
			{
				double		x;

				memcpy(&x, p + (i * width + j) * sizeof(double), sizeof(double));
				if (!isfinite(x))
					return "A kept value is not finite.";
				if (j == tcol && x != 0.0 && x != 1.0)
					return "A kept treatment is not 0 or 1.";
			}
		}
	}
	return NULL;
}

/* ------------------------------------------------------------------------
 * Stored states (hte_ate_state, hte_interaction_state, hte_adjusted_state)
 */


/* The longest number token read: "-1.2345678901234567e-308" is 24 bytes. */
#define STORED_TOKEN_MAX 40

const char *
hte_stored_name(int tag)
{
	switch (tag)
	{
		case 1:
			return "ate";
		case 2:
			return "interaction";
		case 3:
			return "adjusted";
		default:
			return NULL;
	}
}

size_t
hte_stored_text_bound(size_t n)
{
	/* name (<= 11), "/1:{}" and NUL, and per value 24 bytes and a comma */
	return 32 + 25 * n;
}

/*
 * The shortest of %.15g, %.16g and %.17g that reads back to v exactly (the
 * last always does); -0 stays -0.  Returns the length written.
 */
static int
shortest_double(double v, char *out)
{
	for (int prec = 15; prec <= 17; prec++)
	{
		int			len = snprintf(out, 32, "%.*g", prec, v);
		double		back = strtod(out, NULL);

		if (prec == 17 || (back == v && signbit(back) == signbit(v)))
			return len;
	}
	return 0;					/* not reached */
}

size_t
hte_stored_text_write(int tag, const double *v, size_t n, char *out)
{
	const char *name = hte_stored_name(tag);
	size_t		len;

	len = (size_t) snprintf(out, 32, "%s/%d:{", name ? name : "?", HTE_STORED_VERSION);
	for (size_t i = 0; i < n; i++)
	{
		if (i > 0)
			out[len++] = ',';
		len += (size_t) shortest_double(v[i], out + len);
	}
	out[len++] = '}';
	out[len] = '\0';
	return len;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * Length of the number token at s ([-]digits[.digits][e[+-]digits] or
 * [-].digits...), 0 when s does not start with one.
 */
static size_t
number_token(const char *s)
{
	size_t		i = 0,
				digits = 0;

	if (s[i] == '-')
		i++;
	while (s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (s[i] == '.')
	{
		i++;
		while (s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	if (digits == 0)
		return 0;
	if (s[i] == 'e' || s[i] == 'E')
	{
		size_t		e = 0;

		i++;
		if (s[i] == '+' || s[i] == '-')
			i++;
		while (s[i] >= '0' && s[i] <= '9')
			i++, e++;
		if (e == 0)
			return 0;
	}
	return i;
}

/* The position after the envelope's opening brace, or NULL with *why set. */
static const char *
text_open(const char *in, int tag, const char **why)
{
	const char *name = hte_stored_name(tag);
	size_t		nl;
	const char *s = in;
	long		version = 0;

	while (is_blank(*s))
		s++;
	nl = strlen(name);
	if (strncmp(s, name, nl) != 0 || s[nl] != '/')
	{
		*why = "The value does not start with the name of its kind and a slash.";
		return NULL;
	}
	s += nl + 1;
	if (!(*s >= '0' && *s <= '9'))
	{
		*why = "The format version after the slash is not a number.";
		return NULL;
	}
	while (*s >= '0' && *s <= '9' && version < 1000)
		version = version * 10 + (*s++ - '0');
	if (version != HTE_STORED_VERSION)
	{
		*why = "The format version is not 1, the only one this version of hte reads.";
		return NULL;
	}
	if (s[0] != ':' || s[1] != '{')
	{
		*why = "The format version is not followed by \":{\".";
		return NULL;
	}
	return s + 2;
}

const char *
hte_stored_text_count(const char *in, int tag, size_t max, size_t *n)
{
	const char *why = NULL;
	const char *s;
	size_t		count = 0;

	*n = 0;
	if (hte_stored_name(tag) == NULL)
		return "The kind of state is unknown.";
	s = text_open(in, tag, &why);
	if (s == NULL)
		return why;
	for (;;)
	{
		size_t		len = number_token(s);

		if (len == 0 || len > STORED_TOKEN_MAX)
			return "A value is not a decimal number (digits, a point, an exponent).";
		if (++count > max)
			return "The value has more numbers than a state of its kind holds.";
		s += len;
		if (*s == ',')
		{
			s++;
			continue;
		}
		if (*s != '}')
			return "The numbers are not separated by commas and closed by a brace.";
		s++;
		break;
	}
	while (is_blank(*s))
		s++;
	if (*s != '\0')
		return "There is text after the closing brace.";
	*n = count;
	return NULL;
}

const char *
hte_stored_text_read(const char *in, double *out, size_t n)
{
	const char *s = strchr(in, '{') + 1;	/* counted: the envelope is valid */

	for (size_t i = 0; i < n; i++)
	{
		char		tok[STORED_TOKEN_MAX + 1];
		size_t		len = number_token(s);
		char	   *end;

		memcpy(tok, s, len);
		tok[len] = '\0';
		out[i] = strtod(tok, &end);
		if (*end != '\0' || !isfinite(out[i]))
			return "A value is out of the range of float8.";
		s += len + 1;
	}
	return NULL;
}

static void
put_be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
	{
		p[i] = (unsigned char) (v & 0xFF);
		v >>= 8;
	}
}

void
hte_stored_bin_write(int tag, const double *v, size_t n, unsigned char *out)
{
	out[0] = HTE_STORED_VERSION;
	out[1] = (unsigned char) tag;
	out[2] = out[3] = 0;
	hte_sg_put_u32(out + 4, (uint32_t) n);
	for (size_t i = 0; i < n; i++)
	{
		uint64_t	bits;

		memcpy(&bits, &v[i], sizeof(bits));
		put_be64(out + HTE_STORED_BIN_HEADER + 8 * i, bits);
	}
}

const char *
hte_stored_bin_count(const unsigned char *buf, size_t len, int tag, size_t max, size_t *n)
{
	uint32_t	count;

	*n = 0;
	if (len < HTE_STORED_BIN_HEADER)
		return "The value is shorter than its header.";
	if (buf[0] != HTE_STORED_VERSION)
		return "The format version is not 1, the only one this version of hte reads.";
	if (buf[1] != tag || buf[2] != 0 || buf[3] != 0)
		return "The header does not name a state of this kind.";
	count = get_be32(buf + 4);
	if (count > max)
		return "The value has more numbers than a state of its kind holds.";
	if ((len - HTE_STORED_BIN_HEADER) / 8 != count || (len - HTE_STORED_BIN_HEADER) % 8 != 0)
		return "The value's length does not match its count of numbers.";
	*n = count;
	return NULL;
}

const char *
hte_stored_bin_read(const unsigned char *buf, double *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
	{
		uint64_t	bits = get_be64(buf + HTE_STORED_BIN_HEADER + 8 * i);

		memcpy(&out[i], &bits, sizeof(bits));
		if (!isfinite(out[i]))
			return "A value is not finite.";
	}
	return NULL;
}
