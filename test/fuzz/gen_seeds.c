/*
 * gen_seeds.c — writes valid serialized states, built with the core's own
 * update functions, as the seed corpora of the fuzz harnesses:
 *   gen_seeds DIR   ->  DIR/{qstate,it4,cov4,sg,float8,obs,stored,cate,forest}/seed-NN
 * Each seed is checked with the parser it seeds: a seed the parser rejects
 * means the format and its writer disagree (exit status 1).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hte_aipw.h"
#include "hte_comoments.h"
#include "hte_dml.h"
#include "hte_forest.h"
#include "hte_heterogeneity.h"
#include "hte_lin.h"
#include "hte_moments.h"
#include "hte_mvmoments.h"
#include "hte_plot.h"
#include "hte_trial.h"
#include "hte_quantile.h"
#include "hte_rate.h"
#include "hte_rows.h"
#include "hte_sequential.h"
#include "hte_state_io.h"

static const char *outdir;
static int	bad = 0;

/* deterministic pseudo-random doubles (xorshift), scaled */
static uint64_t rng = 88172645463325252ULL;
static double
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double) (rng >> 11) / 9007199254740992.0;
}

static void
write_seed(const char *sub, int i, const void *buf, size_t len, const char *why)
{
	char		path[4096];
	FILE	   *f;

	if (why != NULL)
	{
		fprintf(stderr, "gen_seeds: %s seed %d rejected: %s\n", sub, i, why);
		bad = 1;
	}
	snprintf(path, sizeof(path), "%s/%s", outdir, sub);
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
	{
		perror(path);
		exit(2);
	}
	snprintf(path, sizeof(path), "%s/%s/seed-%02d", outdir, sub, i);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
	{
		perror(path);
		exit(2);
	}
}

static void
seeds_qstate(void)
{
	static const struct
	{
		uint32_t	kind, nq;
		uint64_t	n0, n1;
	}			c[] = {{0, 1, 5, 7}, {0, 1, 0, 3}, {1, 3, 6, 4}, {1, 9, 2, 0},
	{2, 0, 10, 12}, {2, 0, 1, 1}, {0, 1, 0, 0}};

	for (int i = 0; i < (int) (sizeof(c) / sizeof(c[0])); i++)
	{
		size_t		len = hte_qstate_size(c[i].nq, c[i].n0, c[i].n1, 1 << 20);
		unsigned char *buf = malloc(len);
		double	   *d = (double *) (buf + HTE_QSTATE_HEADER);
		HteQStateHeader hdr;

		hte_qstate_write_header(buf, c[i].kind, c[i].nq, c[i].n0, c[i].n1);
		for (uint32_t k = 0; k < c[i].nq; k++)
			d[k] = (k + 1.0) / (c[i].nq + 1.0);
		for (uint64_t k = 0; k < c[i].n0 + c[i].n1; k++)
			d[c[i].nq + k] = (k % 3 == 0) ? 1e6 * rnd() : rnd() - 0.5;
		write_seed("qstate", i, buf, len, hte_qstate_parse(buf, len, &hdr, NULL));
		free(buf);
	}
}

static void
seeds_it4(void)
{
	int			i = 0;

	for (int t = 0; t < HTE_SE_NTYPES; t++)
		for (int rows = 0; rows <= 9; rows += 3)
		{
			HteArmXY	arm[2];
			double		x[2][16],
						y[2][16];
			int			n[2] = {rows, rows / 2 + (t & 1)};
			uint64_t	tot;
			size_t		len;
			unsigned char *buf;
			HteIt4Parsed p;

			memset(arm, 0, sizeof(arm));
			for (int g = 0; g < 2; g++)
				for (int k = 0; k < n[g]; k++)
				{
					x[g][k] = 10.0 * rnd();
					y[g][k] = x[g][k] * (1 + g) + rnd();
					hte_armxy_push(&arm[g], x[g][k], y[g][k]);
				}
			tot = hte_it4_keeps_pairs((HteSeType) t) ? (uint64_t) (n[0] + n[1]) : 0;
			len = hte_it4_size(tot, 1 << 20);
			buf = malloc(len);
			hte_it4_write_fixed(buf, (HteSeType) t, arm);
			if (tot > 0)
			{
				unsigned char *q = buf + HTE_IT4_FIXED;

				for (int g = 0; g < 2; g++)
				{
					memcpy(q, x[g], n[g] * sizeof(double));
					q += n[g] * sizeof(double);
					memcpy(q, y[g], n[g] * sizeof(double));
					q += n[g] * sizeof(double);
				}
			}
			write_seed("it4", i++, buf, len, hte_it4_parse(buf, len, &p, NULL));
			free(buf);
		}
}

/*
 * ate/interaction_test(y, treated, covariates, se_type): every se_type,
 * p = 0..3 and 6 (the largest within the harness's 16 kB inputs), with 0,
 * a few and more than one block of rows (some pending); and the state
 * before the first row.
 */
static void
seeds_cov4(void)
{
	static const int ps[] = {0, 1, 2, 3, 6};
	static const int nrows[] = {0, 5, 41};
	int			i = 0;
	unsigned char hdr[HTE_COV4_HEADER];
	HteCov4Parsed parsed;

	for (int t = 0; t < HTE_SE_NTYPES; t++)
	{
		hte_cov4_write(hdr, (HteSeType) t, NULL, NULL, NULL);
		write_seed("cov4", i++, hdr, sizeof(hdr), hte_cov4_parse_header(hdr, sizeof(hdr), &parsed));
	}
	for (int t = 0; t < HTE_SE_NTYPES; t++)
		for (int pi = 0; pi < (int) (sizeof(ps) / sizeof(ps[0])); pi++)
			for (int ri = 0; ri < (int) (sizeof(nrows) / sizeof(nrows[0])); ri++)
			{
				int			p = ps[pi],
							n = nrows[ri];
				HteMvTable	tab;
				void	   *mem;
				double	   *s,
						   *work,
						   *rows[2];
				size_t		slen,
							len,
							off;
				uint64_t	kept[2] = {0, 0};
				bool		keeps = hte_cov4_keeps_rows((HteSeType) t);
				unsigned char *buf;
				const char *why;

				/* p = 6 only with a few rows, to stay within 16 kB */
				if (p == 6 && n > 5)
					continue;
				mem = malloc(hte_mv_table_size(p));
				hte_mv_table_init(&tab, p, mem);
				slen = hte_cov_state_len(&tab);
				s = calloc(slen, sizeof(double));
				work = malloc(hte_mv_block_work(&tab) * sizeof(double));
				rows[0] = malloc((size_t) (n + 1) * (p + 1) * sizeof(double));
				rows[1] = malloc((size_t) (n + 1) * (p + 1) * sizeof(double));
				s[0] = HTE_COV_STATE_TAG;
				s[1] = p;
				for (int r = 0; r < n; r++)
				{
					int			g = (r % 3 == 0);
					double	   *row = rows[g] + kept[g] * (p + 1);
					double	   *b = hte_cov_buffer(&tab, s, g) + (size_t) s[2 + g] * (p + 1);
					double		y = 1.0 + g;

					for (int j = 0; j < p; j++)
					{
						row[j] = (j == 0 ? 1e3 : 1.0) * rnd() + j;
						y += (0.5 + j) * row[j];
					}
					row[p] = y + rnd();
					memcpy(b, row, (p + 1) * sizeof(double));
					kept[g]++;
					if (++s[2 + g] == hte_cov_block(p))
						hte_cov_state_flush(&tab, s, g, work);
				}
				if (!keeps)
					kept[0] = kept[1] = 0;
				len = hte_cov4_size(&tab, kept[0] + kept[1], 1 << 20);
				buf = malloc(len);
				off = hte_cov4_write(buf, (HteSeType) t, &tab, s, kept);
				for (int g = 0; g < 2; g++)
				{
					memcpy(buf + off, rows[g], kept[g] * (p + 1) * sizeof(double));
					off += kept[g] * (p + 1) * sizeof(double);
				}
				why = off != len ? "the writer's length is not hte_cov4_size's" :
					hte_cov4_parse_header(buf, len, &parsed);
				if (why == NULL)
				{
					double	   *chk = malloc(slen * sizeof(double));

					why = hte_cov4_parse(buf, len, &tab, chk, &parsed, NULL);
					free(chk);
				}
				write_seed("cov4", i++, buf, len, why);
				free(buf);
				free(rows[0]);
				free(rows[1]);
				free(work);
				free(s);
				free(mem);
			}
}

static void
seeds_sg(void)
{
	int			i = 0;

	for (int method = -1; method < 6; method += 2)
		for (int has_null = 0; has_null <= 1; has_null++)
			for (int nkeys = 0; nkeys <= 3; nkeys += 3)
			{
				unsigned char buf[4096];
				size_t		off = 0;
				HteSgHeader hdr;
				const char *why;

				hte_sg_put_u32(buf, HTE_SG_MAGIC);
				hte_sg_put_u32(buf + 4, HTE_SG_VERSION);
				hte_sg_put_u32(buf + 8, (uint32_t) method);
				hte_sg_put_u32(buf + 12, 23);	/* int4 */
				hte_sg_put_u32(buf + 16, (uint32_t) -1);
				hte_sg_put_u32(buf + 20, 100);	/* default collation */
				hte_sg_put_u32(buf + 24, (uint32_t) has_null);
				off = HTE_SG_HEADER;
				for (int k = -has_null; k < nkeys; k++)
				{
					HteArm		arm[2];

					memset(arm, 0, sizeof(arm));
					for (int g = 0; g < 2; g++)
						for (int r = 0; r < 3 + k + g; r++)
							hte_arm_push(&arm[g], 5.0 * rnd() + g);
					hte_sg_put_arms(buf + off, arm);
					off += HTE_SG_ARMS_BYTES;
					if (k == -1)
					{
						hte_sg_put_u64(buf + off, (uint64_t) nkeys);
						off += 8;
					}
					else
					{
						hte_sg_put_u32(buf + off, 4);
						hte_sg_put_u32(buf + off + 4, (uint32_t) (k * 7));
						off += 8;
					}
				}
				if (!has_null)
				{
					/* the key count goes before the keys: rebuild */
					unsigned char tmp[4096];

					memcpy(tmp, buf + HTE_SG_HEADER, off - HTE_SG_HEADER);
					hte_sg_put_u64(buf + HTE_SG_HEADER, (uint64_t) nkeys);
					memcpy(buf + HTE_SG_HEADER + 8, tmp, off - HTE_SG_HEADER);
					off += 8;
				}
				why = hte_sg_parse_header(buf, off, &hdr);
				if (why == NULL)
					why = hte_sg_walk_keys(buf, off, &hdr, NULL, NULL, NULL);
				write_seed("sg", i++, buf, off, why);
			}
}

static void
seeds_float8(void)
{
	int			i = 0;

	for (int rows = 0; rows < 6; rows++)
	{
		unsigned char buf[1 + 8 * 200];
		double		s[200];

		memset(s, 0, sizeof(s));
		s[0] = HTE_ATE_STATE_TAG;
		for (int g = 0; g < 2; g++)
			for (int r = 0; r < rows + g; r++)
				hte_arm_push(hte_ate_state_arm(s, g), 1e3 * rnd());
		buf[0] = 0;
		memcpy(buf + 1, s, HTE_ATE_STATE_LEN * sizeof(double));
		write_seed("float8", i++, buf, 1 + HTE_ATE_STATE_LEN * sizeof(double),
				   hte_ate_state_check(s, HTE_ATE_STATE_LEN));
		/* the buffered form, with rows + g rows pending per arm */
		for (int g = 0; g < 2; g++)
		{
			s[HTE_ATE_PENDING(g)] = rows + g;
			for (int r = 0; r < rows + g; r++)
				s[HTE_ATE_BUFFER(g) + r] = 1e3 * rnd();
		}
		memcpy(buf + 1, s, HTE_ATE_BUFFERED_LEN * sizeof(double));
		write_seed("float8", i++, buf, 1 + HTE_ATE_BUFFERED_LEN * sizeof(double),
				   hte_ate_state_check(s, HTE_ATE_BUFFERED_LEN));

		memset(s, 0, sizeof(s));
		s[0] = 2.0;
		for (int g = 0; g < 2; g++)
			for (int r = 0; r < rows + g; r++)
			{
				double		x = rnd();

				hte_armxy_push((HteArmXY *) (s + 1 + HTE_ARMXY_LEN * g), x, 2 * x + rnd());
			}
		buf[0] = 1;
		memcpy(buf + 1, s, (1 + 2 * HTE_ARMXY_LEN) * sizeof(double));
		write_seed("float8", i++, buf, 1 + (1 + 2 * HTE_ARMXY_LEN) * sizeof(double),
				   hte_armxy_check((HteArmXY *) (s + 1)) ? hte_armxy_check((HteArmXY *) (s + 1))
				   : hte_armxy_check((HteArmXY *) (s + 1 + HTE_ARMXY_LEN)));
		/* the buffered form, rows + g pending per arm */
		for (int g = 0; g < 2; g++)
		{
			s[HTE_IT_PENDING(g)] = rows + g;
			for (int r = 0; r < rows + g; r++)
			{
				s[HTE_IT_BUFX(g) + r] = rnd();
				s[HTE_IT_BUFY(g) + r] = 3 * s[HTE_IT_BUFX(g) + r] + rnd();
			}
		}
		memcpy(buf + 1, s, HTE_IT_BUFFERED_LEN * sizeof(double));
		write_seed("float8", i++, buf, 1 + HTE_IT_BUFFERED_LEN * sizeof(double),
				   hte_it_state_check(s, HTE_IT_BUFFERED_LEN));
	}
}

/* float8[] covariate states (selector 2): p = 0..3, a few rows pending or folded */
static void
seeds_float8_cov(void)
{
	int			i = 100;

	for (int p = 0; p <= 3; p++)
		for (int n = 0; n <= 70; n += 35)
		{
			HteMvTable	tab;
			void	   *mem = malloc(hte_mv_table_size(p));
			double	   *s,
					   *work;
			size_t		slen;
			unsigned char *buf;

			hte_mv_table_init(&tab, p, mem);
			slen = hte_cov_state_len(&tab);
			s = calloc(slen, sizeof(double));
			work = malloc(hte_mv_block_work(&tab) * sizeof(double));
			s[0] = HTE_COV_STATE_TAG;
			s[1] = p;
			for (int r = 0; r < n; r++)
			{
				int			g = r % 2;
				double	   *b = hte_cov_buffer(&tab, s, g) + (size_t) s[2 + g] * (p + 1);
				double		y = 1.0 + g;

				for (int j = 0; j < p; j++)
				{
					b[j] = rnd() + j;
					y += (0.5 + j) * b[j];
				}
				b[p] = y + rnd();
				if (++s[2 + g] == hte_cov_block(p))
					hte_cov_state_flush(&tab, s, g, work);
			}
			buf = malloc(1 + slen * sizeof(double));
			buf[0] = 2;
			memcpy(buf + 1, s, slen * sizeof(double));
			write_seed("float8", i++, buf, 1 + slen * sizeof(double), hte_cov_state_check(&tab, s));
			free(buf);
			free(work);
			free(s);
			free(mem);
		}
}


/* ate_sequential's state: {tag, planned_n} then an ate state (selector 4) */
static void
seeds_float8_seq(void)
{
	int			i = 200;		/* after the other float8 seeds' numbers */

	for (int rows = 0; rows < 4; rows++)
	{
		unsigned char buf[1 + 8 * 64];
		double		s[64];
		double	   *a = s + HTE_SEQ_HEADER;

		memset(s, 0, sizeof(s));
		s[0] = HTE_SEQ_STATE_TAG;
		s[1] = rows == 0 ? 0.0 : 1000.0 * rows;
		a[0] = HTE_ATE_STATE_TAG;
		for (int g = 0; g < 2; g++)
			for (int r = 0; r < 2 * rows + g; r++)
				hte_arm_push(hte_ate_state_arm(a, g), 10 * rnd() + g);
		buf[0] = 4;
		memcpy(buf + 1, s, (HTE_SEQ_HEADER + HTE_ATE_STATE_LEN) * sizeof(double));
		write_seed("float8", i++, buf, 1 + (HTE_SEQ_HEADER + HTE_ATE_STATE_LEN) * sizeof(double),
				   hte_seq_state_check(s, HTE_SEQ_HEADER + HTE_ATE_STATE_LEN));
		memcpy(buf + 1, s, (HTE_SEQ_HEADER + HTE_ATE_BUFFERED_LEN) * sizeof(double));
		write_seed("float8", i++, buf, 1 + (HTE_SEQ_HEADER + HTE_ATE_BUFFERED_LEN) * sizeof(double),
				   hte_seq_state_check(s, HTE_SEQ_HEADER + HTE_ATE_BUFFERED_LEN));
	}
}

/* kept rows of the observational aggregates: each kind, shared and not */
static void
seeds_obs(void)
{
	int			i = 0;

	for (int kind = 0; kind <= HTE_OBS_KIND_BALANCE; kind++)
		for (int shared = 0; shared <= (kind == HTE_OBS_KIND_ESTIMANDS); shared++)
			for (int n = 0; n <= 40; n += 40)
			{
				HteObsHeader h = {(HteObsKind) kind, shared == 1, kind == 0 ? 2 : 0, 2,
				kind == 0 ? i % 3 : 0, i % 2, kind == 2 ? i % 3 : 0, (uint64_t) n};
				int			width = hte_obs_row_width(&h);
				size_t		len = HTE_OBS_HEADER + (size_t) n * width * sizeof(double);
				unsigned char *buf = malloc(len);
				HteObsHeader parsed;

				hte_obs_write_header(buf, &h);
				for (int r = 0; r < n; r++)
				{
					double		row[8];
					int			c = 0;
					double		x1 = rnd() * 2 - 1,
								x2 = rnd();

					if (kind == 0)
						row[c++] = 1 + x1 + rnd();
					row[c++] = rnd() < 0.4 + 0.3 * x1 ? 1.0 : 0.0;
					if (kind == 0)
					{
						row[c++] = x1;
						row[c++] = x2;
					}
					if (!(kind == 0 && shared))
					{
						row[c++] = x1;
						row[c++] = x2;
					}
					memcpy(buf + HTE_OBS_HEADER + (size_t) r * width * sizeof(double), row,
						   (size_t) width * sizeof(double));
				}
				write_seed("obs", i++, buf, len, hte_obs_parse(buf, len, &parsed, NULL));
				free(buf);
			}
	{
		/* before the first row */
		HteObsHeader h = {HTE_OBS_KIND_PROPENSITY, false, -1, -1, 0, 0, 0, 0};
		unsigned char buf[HTE_OBS_HEADER];
		HteObsHeader parsed;

		hte_obs_write_header(buf, &h);
		write_seed("obs", i++, buf, sizeof(buf), hte_obs_parse(buf, sizeof(buf), &parsed, NULL));
	}
}

/*
 * Stored states (fuzz_stored): text and binary forms of valid ate,
 * interaction and adjusted states, and meta sums (selector 0).
 */
static void
seeds_stored(void)
{
	int			i = 0;
	double		ate[HTE_ATE_STATE_LEN] = {1, 2, 0.2, -1.1102230246251566e-17, 0.02, 0, 2, 1.75, 0, 0.125, 0};
	double		it[HTE_IT_STATE_LEN] = {2};
	double		cov0[HTE_COV_EMPTY_LEN] = {3, 0, 0, 0};
	const double *vals[] = {ate, it, cov0};
	size_t		lens[] = {HTE_ATE_STATE_LEN, HTE_IT_STATE_LEN, HTE_COV_EMPTY_LEN};
	HteHetSums	meta = {0};
	unsigned char mbuf[1 + sizeof(HteHetSums)];

	for (int k = 0; k < 3; k++)
	{
		int			tag = k + 1;
		size_t		n = lens[k];
		char	   *text = malloc(1 + hte_stored_text_bound(n));
		unsigned char *bin = malloc(1 + HTE_STORED_BIN_HEADER + 8 * n);

		text[0] = (char) (tag << 1);
		(void) hte_stored_text_write(tag, vals[k], n, text + 1);
		write_seed("stored", i++, text, strlen(text + 1) + 1, NULL);
		bin[0] = (unsigned char) ((tag << 1) | 1);
		hte_stored_bin_write(tag, vals[k], n, bin + 1);
		write_seed("stored", i++, bin, 1 + HTE_STORED_BIN_HEADER + 8 * n, NULL);
		free(text);
		free(bin);
	}
	hte_het_push(&meta, 0.3, 0.1);
	hte_het_push(&meta, -0.2, 0.25);
	hte_het_push(&meta, 0.5, 0.3);
	mbuf[0] = 0;
	memcpy(mbuf + 1, &meta, sizeof(meta));
	write_seed("stored", i++, mbuf, sizeof(mbuf), hte_het_check(&meta));
	{
		HteDmlSums	dml = {0};
		unsigned char dbuf[1 + sizeof(HteDmlSums)];

		hte_dml_push(&dml, 1.0, 1.0);
		hte_dml_push(&dml, 2.0, 1.0);
		hte_dml_push(&dml, 3.0, 2.0);
		dbuf[0] = 8;
		memcpy(dbuf + 1, &dml, sizeof(dml));
		write_seed("stored", i++, dbuf, sizeof(dbuf), hte_dml_check(&dml));
	}
}

/* a row of aipw's arguments: arm g, ê in (0.1, 0.9), y near μ̂ */
static void
aipw_args(int g, double *y, double *e, double *mu0, double *mu1)
{
	double		x = rnd();

	*e = 0.1 + 0.8 * rnd();
	*mu0 = 2.0 * x;
	*mu1 = 2.0 * x + 1.0;
	*y = (g ? *mu1 : *mu0) + rnd() - 0.5;
}

/*
 * aipw's float8[] state (fuzz_cate, selector 0 or 2: rows added to the
 * control or the treated arm): the stored form after rows + g rows per arm
 * (hte_aipw_push), the buffered form with rows + g more pending in each arm
 * (hte_aipw_terms), and one past a full block (hte_aipw_push_block).
 */
static void
seeds_cate_aipw(void)
{
	int			i = 0;

	for (int rows = 0; rows < 6; rows++)
	{
		unsigned char buf[1 + 8 * HTE_AIPW_BUFFERED_LEN];
		double		s[HTE_AIPW_BUFFERED_LEN],
					y,
					e,
					mu0,
					mu1;
		HteAipwSums *sums = (HteAipwSums *) (s + 1);

		memset(s, 0, sizeof(s));
		s[0] = HTE_AIPW_STATE_TAG;
		for (int g = 0; g < 2; g++)
			for (int r = 0; r < rows + g; r++)
			{
				aipw_args(g, &y, &e, &mu0, &mu1);
				hte_aipw_push(sums, g == 1, y, e, mu0, mu1);
			}
		buf[0] = (unsigned char) (2 * (rows & 1));
		memcpy(buf + 1, s, HTE_AIPW_STATE_LEN * sizeof(double));
		write_seed("cate", i++, buf, 1 + HTE_AIPW_STATE_LEN * sizeof(double),
				   hte_aipw_state_check(s, HTE_AIPW_STATE_LEN));
		for (int g = 0; g < 2; g++)
		{
			s[HTE_AIPW_PENDING(g)] = rows + g;
			for (int r = 0; r < rows + g; r++)
			{
				aipw_args(g, &y, &e, &mu0, &mu1);
				hte_aipw_terms(g == 1, y, e, mu0, mu1, s + HTE_AIPW_BUFFER(g) + r * HTE_AIPW_ROW);
			}
		}
		memcpy(buf + 1, s, HTE_AIPW_BUFFERED_LEN * sizeof(double));
		write_seed("cate", i++, buf, 1 + HTE_AIPW_BUFFERED_LEN * sizeof(double),
				   hte_aipw_state_check(s, HTE_AIPW_BUFFERED_LEN));
	}
	{
		/* 40 rows through the buffer, as the transition function adds them */
		unsigned char buf[1 + 8 * HTE_AIPW_BUFFERED_LEN];
		double		s[HTE_AIPW_BUFFERED_LEN],
					y,
					e,
					mu0,
					mu1;

		memset(s, 0, sizeof(s));
		s[0] = HTE_AIPW_STATE_TAG;
		for (int r = 0; r < 40; r++)
		{
			int			g = r % 3 != 0;
			double	   *k = s + HTE_AIPW_PENDING(g);

			aipw_args(g, &y, &e, &mu0, &mu1);
			hte_aipw_terms(g == 1, y, e, mu0, mu1, s + HTE_AIPW_BUFFER(g) + (int) *k * HTE_AIPW_ROW);
			if (++*k == HTE_AIPW_BLOCK)
			{
				*k = 0.0;
				hte_aipw_push_block((HteAipwSums *) (s + 1), g, s + HTE_AIPW_BUFFER(g),
									HTE_AIPW_BLOCK);
			}
		}
		buf[0] = 2;
		memcpy(buf + 1, s, HTE_AIPW_BUFFERED_LEN * sizeof(double));
		write_seed("cate", i++, buf, 1 + HTE_AIPW_BUFFERED_LEN * sizeof(double),
				   hte_aipw_state_check(s, HTE_AIPW_BUFFERED_LEN));
	}
}

/* One kept-row state (selector 1): the header, then n rows of `width`. */
static void
write_rows_seed(int i, const HteRowsHeader *h, const double *rows)
{
	size_t		len = 1 + HTE_ROWS_HEADER + h->n * (size_t) h->width * sizeof(double);
	unsigned char *buf = malloc(len);
	HteRowsHeader parsed;
	const unsigned char *p;

	buf[0] = 1;
	hte_rows_write_header(buf + 1, h);
	if (h->n > 0)
		memcpy(buf + 1 + HTE_ROWS_HEADER, rows, h->n * (size_t) h->width * sizeof(double));
	write_seed("cate", i, buf, len, hte_rows_parse(buf + 1, len - 1, &parsed, &p, NULL));
	free(buf);
}

/*
 * Kept rows of cate_projection (p = 0..3, each se_type in turn; and the
 * state before the first row, width 0), calibration_test and rate (both
 * targets, priorities with ties; and all tied), rows as the transition
 * functions make them (Γ from hte_aipw_terms).
 */
static void
seeds_cate_rows(void)
{
	int			i = 100;		/* after the aipw seeds' numbers */
	double		rows[12 * 4],
				t[HTE_AIPW_ROW],
				y,
				e,
				mu0,
				mu1;

	for (int p = 0; p <= 3; p++)
		for (int n = 3; n <= 12; n += 9)
		{
			HteRowsHeader h = {HTE_ROWS_PROJECTION, (p + n) % HTE_SE_NTYPES, 1 + p, (uint64_t) n};

			for (int r = 0; r < n; r++)
			{
				int			g = r % 2;
				double	   *row = rows + r * (1 + p);

				aipw_args(g, &y, &e, &mu0, &mu1);
				hte_aipw_terms(g == 1, y, e, mu0, mu1, t);
				row[0] = t[0] + t[1];
				for (int j = 1; j <= p; j++)
					row[j] = (j == 1 ? 10.0 : 1.0) * rnd() + j;
			}
			write_rows_seed(i++, &h, rows);
		}
	{
		HteRowsHeader h = {HTE_ROWS_PROJECTION, HTE_SE_HC3, 0, 0};

		write_rows_seed(i++, &h, NULL);
	}
	for (int n = 1; n <= 10; n += 9)
	{
		HteRowsHeader h = {HTE_ROWS_CALIBRATION, 0, 3, (uint64_t) n};

		for (int r = 0; r < n; r++)
		{
			int			g = r % 2;
			double		tau = 0.5 + rnd();

			e = 0.2 + 0.6 * rnd();
			rows[3 * r] = g * tau - e * tau + rnd() - 0.5;	/* y − m̂ */
			rows[3 * r + 1] = g - e;
			rows[3 * r + 2] = tau + 0.2 * rnd();
		}
		write_rows_seed(i++, &h, rows);
	}
	for (int target = HTE_RATE_AUTOC; target <= HTE_RATE_QINI; target++)
		for (int ties = 1; ties <= 12; ties += ties < 3 ? 2 : 9)
		{
			/* ties: the number of distinct priorities among 12 rows (1: all tied) */
			HteRowsHeader h = {HTE_ROWS_RATE, target, 2, 12};

			for (int r = 0; r < 12; r++)
			{
				int			g = r % 2;

				aipw_args(g, &y, &e, &mu0, &mu1);
				hte_aipw_terms(g == 1, y, e, mu0, mu1, t);
				rows[2 * r] = t[0] + t[1];
				rows[2 * r + 1] = (double) ((r * 5) % ties) - 1.0;
			}
			write_rows_seed(i++, &h, rows);
		}
	/* the moment form of cate_projection: p = 1..3, classical/HC0/HC1 */
	for (int p = 1; p <= 3; p++)
	{
		HteMvTable	mt;
		void	   *mem = malloc(hte_mv_table_size(p));
		size_t		len;
		double	   *arm,
				   *work;
		unsigned char *buf;
		HteRowsHeader h = {HTE_ROWS_PROJECTION_MOMENTS, p - 1, 1 + p, 12},
					parsed;
		const unsigned char *pp;

		hte_mv_table_init(&mt, p, mem);
		len = hte_mv_arm_len(&mt);
		arm = calloc(len, sizeof(double));
		work = malloc(sizeof(double) * hte_mv_block_work(&mt));
		for (int r = 0; r < 12; r++)
		{
			int			g = r % 2;
			double	   *row = rows + r * (1 + p);

			aipw_args(g, &y, &e, &mu0, &mu1);
			hte_aipw_terms(g == 1, y, e, mu0, mu1, t);
			for (int j = 0; j < p; j++)
				row[j] = (j == 0 ? 10.0 : 1.0) * rnd() + j;
			row[p] = t[0] + t[1];
		}
		hte_mv_push_block(&mt, arm, rows, 12, work);
		buf = malloc(1 + HTE_ROWS_HEADER + len * sizeof(double));
		buf[0] = 1;
		hte_rows_write_header(buf + 1, &h);
		memcpy(buf + 1 + HTE_ROWS_HEADER, arm, len * sizeof(double));
		write_seed("cate", i++, buf, 1 + HTE_ROWS_HEADER + len * sizeof(double),
				   hte_rows_parse(buf + 1, HTE_ROWS_HEADER + len * sizeof(double), &parsed, &pp, NULL) != NULL ?
				   "parse" : hte_mv_arm_check(&mt, arm));
		free(buf);
		free(work);
		free(arm);
		free(mem);
	}
}

/* ------------------------------------------------------------------------
 * forest (fuzz_forest.c): stored models, recipes, options, kept rows
 * ------------------------------------------------------------------------
 */
static void *
forest_alloc(void *ctx, size_t bytes)
{
	void	   *p = malloc(bytes ? bytes : 1);

	(void) ctx;
	if (p == NULL)
		abort();
	return p;
}

static void
forest_release(void *ctx, void *p)
{
	(void) ctx;
	free(p);
}

static void
forest_no_interrupts(void)
{
}

/* fuzz_forest.c's startup models: n, p, trees, ci_group_size, honesty, prune, min_node_size */
static const struct
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
}			forest_configs[] = {
	{40, 1, 4, 1, 1, 0, 1, 0.5, 0.0},
	{30, 2, 4, 2, 1, 1, 2, 0.5, 0.0},
	{60, 3, 8, 4, 1, 0, 1, 0.5, 0.0},
	{50, 5, 6, 2, 0, 0, 1, 0.5, 0.5},
	{24, 4, 3, 1, 0, 1, 3, 0.8, 0.0},
	{80, 2, 8, 2, 1, 0, 0, 0.5, 0.0},
	{20, 1, 4, 4, 1, 0, 1, 0.5, 1.0},
	{36, 3, 2, 1, 1, 0, 2, 0.7, 0.0},
};

/* n rows (y, T, x_1..x_p) of a small trial, both arms */
static void
forest_rows(double *rows, int n, int p)
{
	for (int i = 0; i < n; i++)
	{
		double	   *r = rows + i * (2 + p);

		for (int j = 0; j < p; j++)
			r[2 + j] = j == 0 ? floor(rnd() * 8.0) / 4.0 : rnd() * 10.0 - 5.0;
		r[1] = i % 2 == 0 ? 1.0 : (rnd() < 0.3 ? 1.0 : 0.0);
		r[0] = r[2] + r[1] * (r[2] > 1.0 ? 2.0 : 0.5) + rnd() - 0.5;
	}
}

/* a kept-row state of causal_forest (selector 6; 7 for the forced header) */
static void
write_forest_rows_seed(int i, int sel, int n, int p, const HteForestOptions *o, const double *rows)
{
	HteRowsHeader h = {HTE_ROWS_FOREST, 0, n > 0 ? 2 + p : 0, (uint64_t) n},
				parsed;
	size_t		len = 1 + HTE_ROWS_HEADER + HTE_FOREST_OPT_BYTES +
		(size_t) n * (size_t) h.width * sizeof(double);
	unsigned char *buf = malloc(len);
	const unsigned char *pp;

	buf[0] = (unsigned char) sel;
	hte_rows_write_header(buf + 1, &h);
	hte_forest_options_pack(o, buf + 1 + HTE_ROWS_HEADER);
	if (n > 0)
		memcpy(buf + 1 + HTE_ROWS_HEADER + HTE_FOREST_OPT_BYTES, rows,
			   (size_t) n * (size_t) h.width * sizeof(double));
	write_seed("forest", i, buf, len, hte_rows_parse(buf + 1, len - 1, &parsed, &pp, NULL));
	free(buf);
}

/*
 * Selector 3 and 4: each startup model's bytes (its hash recomputed by the
 * harness, or as it is); 0-1: recipes on the startup models (no edit; a
 * split, a collapse, an emptied leaf, two more trees, a header field);
 * 2: recipes for generated training data; 5: packed options; 6 and 7: kept
 * rows of causal_forest.
 */
static void
seeds_forest(void)
{
	HteForestEnv env = {forest_alloc, forest_release, NULL, forest_no_interrupts};
	int			i = 0,
				nm = (int) (sizeof(forest_configs) / sizeof(forest_configs[0]));
	/* opcode bytes (fuzz_forest.c's apply_recipe: 1 + its case), arguments; 0 ends */
	static const unsigned char recipes[][12] = {
		{0},					/* no edit */
		{19, 3, 0, 2, 0, 0},	/* split node 3 (if a leaf) on x_1 at 1 */
		{20, 0, 0, 0},			/* collapse the first tree into a leaf */
		{22, 5, 0, 0, 0},		/* empty (or fill) node 5 */
		{21, 0, 0, 23, 1, 1},	/* swap the root's subtrees; add trees */
		{23, 0, 1},				/* drop a group of trees */
		{2, 5, 0, 6},			/* mtry: 1000 */
		{8, 2, 0, 7},			/* node 2's right: past its tree */
		{15, 2, 19, 6, 0, 0, 1, 1},	/* pruning off, split with an empty leaf */
		{10, 1, 0, 3, 0, 1},	/* a leaf's W̃² mean at its bound */
	};

	for (int m = 0; m < nm; m++)
	{
		int			n = forest_configs[m].n,
					p = forest_configs[m].p;
		double	   *rows = malloc(sizeof(double) * (size_t) (n * (2 + p))),
					need;
		HteForestOptions o;
		HteForest	f;
		unsigned char *buf;
		size_t		len;

		rng = 88172645463325252ULL + (uint64_t) m;
		forest_rows(rows, n, p);
		hte_forest_defaults(&o);
		o.num_trees = forest_configs[m].trees;
		o.ci_group_size = forest_configs[m].ell;
		o.honesty = forest_configs[m].honesty != 0;
		o.honesty_prune_leaves = forest_configs[m].prune != 0;
		o.min_node_size = forest_configs[m].min_node;
		o.sample_fraction = forest_configs[m].sample_fraction;
		o.imbalance_penalty = forest_configs[m].imbalance_penalty;
		o.seed = m;
		if (hte_forest_train(&env, rows, (size_t) n, p, &o, &f, &need, NULL) != HTE_FOREST_OK)
		{
			fprintf(stderr, "gen_seeds: forest model %d did not train\n", m);
			bad = 1;
			free(rows);
			continue;
		}
		len = hte_forest_serialized_size(&f);
		buf = malloc(1 + len);
		hte_forest_serialize(&f, buf + 1);
		for (int sel = 3; sel <= 4; sel++)
		{
			buf[0] = (unsigned char) sel;
			write_seed("forest", i++, buf, 1 + len, hte_forest_deserialize(&env, buf + 1, len, NULL));
		}
		free(buf);
		hte_forest_free(&env, &f);
		/* its rows as a kept-row state, with its options */
		write_forest_rows_seed(i++, 6 + m % 2, n, p, &o, rows);
		free(rows);
	}
	for (int k = 0; k < (int) (sizeof(recipes) / sizeof(recipes[0])); k++)
	{
		unsigned char buf[2 + sizeof(recipes[0])];

		buf[0] = (unsigned char) (k % 2);
		buf[1] = (unsigned char) (k % nm);
		memcpy(buf + 2, recipes[k], sizeof(recipes[k]));
		write_seed("forest", i++, buf, k == 0 ? 2 : sizeof(buf), NULL);
	}
	/*
	 * generated training data (fuzz_forest.c's fuzz_generated): n - 4, p - 1,
	 * covariate levels, option bits, outcome scale, share treated, trees - 1,
	 * min_node_size, alpha, imbalance_penalty, seed, mtry
	 */
	{
		static const unsigned char gen[][12] = {
			{20, 1, 4, 0x05, 0, 4, 3, 1, 0, 0, 7, 0},
			{30, 2, 0, 0x20, 3, 2, 8, 2, 1, 1, 1, 2},
			{36, 3, 2, 0x0e, 0, 5, 4, 0, 2, 0, 3, 3},
			{12, 4, 8, 0x30, 2, 6, 1, 6, 4, 2, 0, 5},
			/* without honesty or pruning, outcomes near 2^1022 and 2^1023 */
			{16, 1, 5, 0x00, 128 + 29, 4, 7, 2, 0, 0, 1, 0},
			{30, 2, 0, 0x10, 128 + 30, 4, 7, 0, 0, 0, 2, 0},
		};

		for (int k = 0; k < (int) (sizeof(gen) / sizeof(gen[0])); k++)
		{
			unsigned char buf[1 + sizeof(gen[0])];

			buf[0] = 2;
			memcpy(buf + 1, gen[k], sizeof(gen[k]));
			write_seed("forest", i++, buf, sizeof(buf), NULL);
		}
	}
	/* options: the defaults and some at their limits */
	for (int k = 0; k < 4; k++)
	{
		HteForestOptions o;
		unsigned char buf[1 + HTE_FOREST_OPT_BYTES];

		hte_forest_defaults(&o);
		if (k == 1)
		{
			o.num_trees = 100000;
			o.mtry = 1000000;
			o.min_node_size = 0;
			o.ci_group_size = 1;
			o.sample_fraction = 1.0;
			o.honesty = false;
		}
		else if (k == 2)
		{
			o.ci_group_size = 1000;
			o.alpha = 0.0;
			o.imbalance_penalty = 1e300;
			o.max_model_mb = 700.0;
			o.seed = -1;
		}
		else if (k == 3)
		{
			o.honesty_prune_leaves = false;
			o.honesty_fraction = 0.999;
			o.min_node_size = 1000000000;
		}
		buf[0] = 5;
		hte_forest_options_pack(&o, buf + 1);
		write_seed("forest", i++, buf, sizeof(buf), hte_forest_options_unpack(buf + 1, &o));
	}
	/* kept rows: before the first row, and a few small ones */
	{
		HteForestOptions o;
		double		rows[28 * 5];

		hte_forest_defaults(&o);
		o.num_trees = 4;
		write_forest_rows_seed(i++, 6, 0, 0, &o, NULL);
		for (int p = 1; p <= 3; p++)
		{
			forest_rows(rows, 16, p);
			o.ci_group_size = p;
			o.honesty = p != 2;
			o.honesty_prune_leaves = p == 3;
			write_forest_rows_seed(i++, 6 + p % 2, 16, p, &o, rows);
		}
		/* without honesty, outcomes centred (mode 7 scales them up to near DBL_MAX) */
		o.num_trees = 8;
		o.ci_group_size = 1;
		o.honesty = false;
		o.honesty_prune_leaves = false;
		o.min_node_size = 2;
		for (int p = 2; p <= 3; p++)
		{
			forest_rows(rows, 16 + 4 * p, p);
			for (int r = 0; r < 16 + 4 * p; r++)
				rows[r * (2 + p)] = 3.4 * rnd() - 1.7;
			write_forest_rows_seed(i++, 7, 16 + 4 * p, p, &o, rows);
		}
	}
}

/* the trial measures' float8[] states (fuzz_float8 selector bit 3) */
static void
seeds_trial(void)
{
	int			i = 100;
	unsigned char buf[1 + HTE_LATE_STATE_LEN * sizeof(double)];
	double		risk[HTE_RISK_STATE_LEN] = {HTE_RISK_STATE_TAG, 12, 40, 7, 38};
	double		alloc[HTE_ALLOC_STATE_LEN] = {HTE_ALLOC_STATE_TAG, 260, 185, 0.5};
	double		late[HTE_LATE_STATE_LEN];

	buf[0] = 8;
	memcpy(buf + 1, risk, sizeof risk);
	write_seed("float8", i++, buf, 1 + sizeof risk, hte_risk_state_check(risk, HTE_RISK_STATE_LEN));
	buf[0] = 8 | (2 << 4);
	memcpy(buf + 1, alloc, sizeof alloc);
	write_seed("float8", i++, buf, 1 + sizeof alloc, hte_alloc_state_check(alloc, HTE_ALLOC_STATE_LEN));
	memset(late, 0, sizeof late);
	late[0] = HTE_LATE_STATE_TAG;
	late[1] = 2;
	for (int r = 0; r < 200; r++)
	{
		int			z = r % 2;
		double		d = (z ? rnd() < 0.7 : rnd() < 0.1) ? 1.0 : 0.0;

		hte_armxy_push(hte_late_state_arm(late, z), d, 1 + 2 * d + rnd());
	}
	buf[0] = 8 | (1 << 4);
	memcpy(buf + 1, late, sizeof late);
	write_seed("float8", i++, buf, 1 + sizeof late, hte_late_state_check(late, HTE_LATE_STATE_LEN));
}

/* forest_plot's kept rows, and raw rows for the renderers */
typedef struct SeedBuf
{
	unsigned char b[4096];
	size_t		len;
} SeedBuf;

static void
seed_emit(void *ctx, const char *s, size_t len)
{
	SeedBuf    *sb = ctx;

	if (sb->len + len <= sizeof(sb->b))
		memcpy(sb->b + sb->len, s, len);
	sb->len += len;
}

static void
seeds_plot(void)
{
	int			i = 0;

	for (int k = 0; k < 6; k++)
	{
		HtePlotRow	rows[8];
		SeedBuf		sb;
		size_t		n = (size_t) k + 1,
					nr,
					off,
					ol;
		bool		counts;
		const char *opts;
		static const char *labels[] = {"girl", "boy", NULL, "K\xc3\xb6ln <&>", "", "\xe6\x97\xa5\xe6\x9c\xac", "x", "long label of a subgroup"};

		for (size_t r = 0; r < n; r++)
		{
			rows[r].label = labels[r];
			rows[r].label_len = labels[r] ? strlen(labels[r]) : 0;
			rows[r].estimate = (r == 2 && k > 3) ? NAN : 10 * rnd() - 3;
			rows[r].ci_lower = rows[r].estimate - 2 * rnd();
			rows[r].ci_upper = rows[r].estimate + 2 * rnd();
			if (isnan(rows[r].estimate))
				rows[r].ci_lower = rows[r].ci_upper = NAN;
			rows[r].n = (k % 2) ? floor(1000 * rnd()) : NAN;
			rows[r].x = NAN;
		}
		sb.b[0] = (unsigned char) (2 * (k % 4));	/* bit 0 clear: a state */
		sb.len = 1;
		hte_plot_state_write(rows, n, k % 2, k > 2 ? "{\"title\": \"T\"}" : NULL, k > 2 ? 14 : 0,
							 seed_emit, &sb);
		write_seed("plot", i++, sb.b, sb.len,
				   hte_plot_state_check(sb.b + 1, sb.len - 1, &nr, &counts, &opts, &ol, &off));
	}
	/* raw rows: options, then 4 doubles and a label per row */
	for (int k = 0; k < 4; k++)
	{
		unsigned char b[9 + 5 * 48];

		memset(b, 0, sizeof b);
		b[0] = 1;
		b[1] = (unsigned char) (k * 37);
		b[2] = 0x20;
		b[3] = 0x03;
		b[7] = 30;
		for (int r = 0; r < 5; r++)
		{
			double		v[4] = {k == 3 ? 0.5 + rnd() : rnd() * 4 - 2, 0, 0, floor(100 * rnd())};

			v[1] = k == 3 ? v[0] * 0.5 : v[0] - 1;
			v[2] = k == 3 ? v[0] * 2 : v[0] + 1;
			memcpy(b + 9 + 48 * r, v, sizeof v);
			b[9 + 48 * r + 32] = 5;
			memcpy(b + 9 + 48 * r + 33, "label", 5);
		}
		write_seed("plot", i++, b, sizeof b, NULL);
	}
}

int
main(int argc, char **argv)
{
	if (argc != 2)
	{
		fprintf(stderr, "usage: gen_seeds DIR\n");
		return 2;
	}
	outdir = argv[1];
	seeds_qstate();
	seeds_it4();
	seeds_cov4();
	seeds_float8_cov();
	seeds_sg();
	seeds_float8();
	seeds_obs();
	seeds_float8_seq();
	seeds_stored();
	seeds_cate_aipw();
	seeds_cate_rows();
	seeds_forest();
	seeds_plot();
	seeds_trial();
	return bad;
}
