/*
 * test_dist.c -- evaluate the hte_dist functions on a deterministic grid.
 *
 * Output (stdout), one line per evaluation, 7 comma-separated fields:
 *   fn,x,df1,df2,lower,value,aux
 * fn in pnorm qnorm pt qt pchisq qchisq pf qf   -- R recomputes and compares
 * fn = rt_<q>  : round trip, x = p, value = p_fn(q_fn(p)), aux = q_fn(p).
 * Unused fields are NA.  Timing summary goes to stderr.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <math.h>
#include <time.h>
#include <string.h>
#include <stdbool.h>

#include "hte_dist.h"

static void
pr(double v)
{
	if (isnan(v))
		fputs("NA", stdout);
	else if (isinf(v))
		fputs(v > 0 ? "Inf" : "-Inf", stdout);
	else
		printf("%.17g", v);
}

static void
out_aux(const char *fn, double x, double d1, double d2, bool lower, double v,
		double aux)
{
	fputs(fn, stdout);
	putchar(',');
	pr(x);
	putchar(',');
	pr(d1);
	putchar(',');
	pr(d2);
	printf(",%d,", lower ? 1 : 0);
	if (isnan(v))
		fputs("NaN", stdout);
	else
		pr(v);
	putchar(',');
	pr(aux);
	putchar('\n');
}

static void
out(const char *fn, double x, double d1, double d2, bool lower, double v)
{
	out_aux(fn, x, d1, d2, lower, v, NAN);
}

/* timing */
static double tmax[8];
static const char *tname[8] = {"pnorm", "qnorm", "pt", "qt", "pchisq", "qchisq", "pf", "qf"};
static long tcount[8];
static double ttot[8];

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

#define TIMED(idx, expr, res) do { \
		double t0_ = now(); \
		res = (expr); \
		double dt_ = now() - t0_; \
		if (dt_ > tmax[idx]) \
			tmax[idx] = dt_; \
		ttot[idx] += dt_; \
		tcount[idx]++; \
	} while (0)

static const double P[] = {
	1e-300, 1e-250, 1e-200, 1e-150, 1e-100, 1e-50, 1e-30, 1e-20, 1e-15,
	1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-3, 0.01, 0.025, 0.05, 0.075, 0.1,
	0.2, 0.3, 0.4, 0.45, 0.49, 0.5, 0.51, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975,
	0.99, 0.999, 0.999999, 0.9999999999, 0.999999999999999
};
#define NP (sizeof(P) / sizeof(P[0]))

/* subset used for the (larger) F quantile grid */
static const double PF[] = {
	1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-10, 1e-6, 1e-3, 0.025, 0.1,
	0.3, 0.5, 0.7, 0.9, 0.975, 0.999, 0.999999, 0.9999999999
};
#define NPF (sizeof(PF) / sizeof(PF[0]))

static const double DFT[] = {
	0.5, 1, 1.5, 2, 2.5, 3, 4.2, 5.5, 7.3, 10, 15.5, 29.7, 50, 100, 237.3,
	1e3, 4567.8, 1e4, 1e5, 3e5, 3.99e5, 4.01e5, 1e6, 1e7, 1e9, INFINITY
};
#define NDFT (sizeof(DFT) / sizeof(DFT[0]))

static const double TV[] = {
	0, 1e-8, 0.1, 0.5, 1, 1.96, 2.5, 3, 5, 10, 30, 100, 1e3, 1e5, 1e10,
	1e20, 1e60, 1e160
};
#define NTV (sizeof(TV) / sizeof(TV[0]))

static const double DFC[] = {
	0.5, 1, 2, 3, 5.5, 10, 19.5, 29.7, 39.5, 40.5, 100, 1e3, 1e5, 3e5, 1e6,
	1e7, 1e9
};
#define NDFC (sizeof(DFC) / sizeof(DFC[0]))

static const double D1[] = {0.5, 1, 2, 3, 5.5, 10, 29.7, 100, 1e3, 1e4, 1e5};
#define ND1 (sizeof(D1) / sizeof(D1[0]))
static const double D2[] = {0.5, 1, 2, 3, 5.5, 10, 29.7, 100, 1e3, 1e4, 1e5, 3e5, 1e6};
#define ND2 (sizeof(D2) / sizeof(D2[0]))

static const double FX[] = {
	1e-10, 1e-4, 0.01, 0.1, 0.5, 0.8, 0.9, 0.95, 0.99, 1, 1.01, 1.05, 1.1,
	1.3, 2, 3, 5, 10, 100, 1e4, 1e8
};
#define NFX (sizeof(FX) / sizeof(FX[0]))

int
main(void)
{
	size_t		i, j, k;
	int			lo;
	double		v;

	/* ---------------- normal ---------------- */
	{
		static const double X[] = {
			38.4, 38, 37.5, 37, 36, 35, 30, 25, 20, 15, 10, 8, 6, 5.66, 5.65, 5,
			4, 3, 2, 1.5, 1, 0.67, 0.66, 0.5, 0.1, 1e-5, 1e-12
		};

		for (i = 0; i < sizeof(X) / sizeof(X[0]); i++)
			for (lo = 0; lo < 2; lo++)
			{
				TIMED(0, hte_pnorm(X[i], lo), v);
				out("pnorm", X[i], NAN, NAN, lo, v);
				TIMED(0, hte_pnorm(-X[i], lo), v);
				out("pnorm", -X[i], NAN, NAN, lo, v);
			}
		for (lo = 0; lo < 2; lo++)
			out("pnorm", 0.0, NAN, NAN, lo, hte_pnorm(0.0, lo));
		for (i = 0; i < NP; i++)
			for (lo = 0; lo < 2; lo++)
			{
				double		q;

				TIMED(1, hte_qnorm(P[i], lo), q);
				out("qnorm", P[i], NAN, NAN, lo, q);
				out_aux("rt_qnorm", P[i], NAN, NAN, lo, hte_pnorm(q, lo), q);
			}
		for (lo = 0; lo < 2; lo++)
		{
			out("qnorm", 1e-310, NAN, NAN, lo, hte_qnorm(1e-310, lo));
			out("qnorm", 0.0, NAN, NAN, lo, hte_qnorm(0.0, lo));
			out("qnorm", 1.0, NAN, NAN, lo, hte_qnorm(1.0, lo));
		}
	}

	/* ---------------- t ---------------- */
	for (j = 0; j < NDFT; j++)
	{
		double		df = DFT[j];

		for (i = 0; i < NTV; i++)
			for (lo = 0; lo < 2; lo++)
			{
				TIMED(2, hte_pt(TV[i], df, lo), v);
				out("pt", TV[i], df, NAN, lo, v);
				if (TV[i] != 0)
				{
					TIMED(2, hte_pt(-TV[i], df, lo), v);
					out("pt", -TV[i], df, NAN, lo, v);
				}
			}
		for (i = 0; i < NP; i++)
			for (lo = 0; lo < 2; lo++)
			{
				double		q;

				TIMED(3, hte_qt(P[i], df, lo), q);
				out("qt", P[i], df, NAN, lo, q);
				if (isfinite(q) && fabs(q) < 1e300)
				{
					/* pt at our quantile: extreme-tail pt points */
					TIMED(2, hte_pt(q, df, lo), v);
					out("pt", q, df, NAN, lo, v);
					out_aux("rt_qt", P[i], df, NAN, lo, v, q);
				}
			}
	}

	/* ---------------- chi-square ---------------- */
	for (j = 0; j < NDFC; j++)
	{
		double		df = DFC[j];
		static const double M[] = {
			1e-6, 0.01, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1, 1.01,
			1.05, 1.1, 1.2, 1.5, 2, 3, 5, 10
		};
		static const double K[] = {
			-30, -20, -10, -5, -3, -1, -0.1, 0, 0.1, 1, 3, 5, 10, 20, 30, 40
		};
		static const double A[] = {1e-10, 1e-3, 0.1, 1, 5, 20, 100, 1000};

		for (lo = 0; lo < 2; lo++)
		{
			for (i = 0; i < sizeof(M) / sizeof(M[0]); i++)
			{
				TIMED(4, hte_pchisq(df * M[i], df, lo), v);
				out("pchisq", df * M[i], df, NAN, lo, v);
			}
			for (i = 0; i < sizeof(K) / sizeof(K[0]); i++)
			{
				double		x = df + K[i] * sqrt(2 * df);

				if (x <= 0)
					continue;
				TIMED(4, hte_pchisq(x, df, lo), v);
				out("pchisq", x, df, NAN, lo, v);
			}
			for (i = 0; i < sizeof(A) / sizeof(A[0]); i++)
			{
				TIMED(4, hte_pchisq(A[i], df, lo), v);
				out("pchisq", A[i], df, NAN, lo, v);
			}
		}
		for (i = 0; i < NP; i++)
			for (lo = 0; lo < 2; lo++)
			{
				double		q;

				TIMED(5, hte_qchisq(P[i], df, lo), q);
				out("qchisq", P[i], df, NAN, lo, q);
				if (isfinite(q) && q > 1e-300 && q < 1e300)
				{
					TIMED(4, hte_pchisq(q, df, lo), v);
					out("pchisq", q, df, NAN, lo, v);
					out_aux("rt_qchisq", P[i], df, NAN, lo, v, q);
				}
			}
	}

	/* ---------------- F ---------------- */
	for (j = 0; j < ND1; j++)
		for (k = 0; k < ND2; k++)
		{
			double		d1 = D1[j], d2 = D2[k];

			for (lo = 0; lo < 2; lo++)
			{
				for (i = 0; i < NFX; i++)
				{
					TIMED(6, hte_pf(FX[i], d1, d2, lo), v);
					out("pf", FX[i], d1, d2, lo, v);
				}
				for (i = 0; i < NPF; i++)
				{
					double		q;

					TIMED(7, hte_qf(PF[i], d1, d2, lo), q);
					out("qf", PF[i], d1, d2, lo, q);
					/* round trip only where R's qf is not its chisq shortcut */
					if (isfinite(q) && q > 1e-300 && q < 1e300 && !(d2 > 4e5 || d1 > 4e5))
					{
						TIMED(6, hte_pf(q, d1, d2, lo), v);
						out("pf", q, d1, d2, lo, v);
						out_aux("rt_qf", PF[i], d1, d2, lo, v, q);
					}
				}
			}
		}
	/* F with very large / infinite df */
	{
		static const double DD[][2] = {
			{1, 1e7}, {1e7, 1}, {5, 1e9}, {1e9, 5}, {1e6, 1e6}, {3e5, 1e7},
			{1e7, 1e7}, {1e9, 1e9}, {3, INFINITY}, {INFINITY, 3},
			{INFINITY, INFINITY}, {29.7, INFINITY}, {INFINITY, 1e5}
		};

		for (j = 0; j < sizeof(DD) / sizeof(DD[0]); j++)
			for (lo = 0; lo < 2; lo++)
			{
				for (i = 0; i < NFX; i++)
				{
					TIMED(6, hte_pf(FX[i], DD[j][0], DD[j][1], lo), v);
					out("pf", FX[i], DD[j][0], DD[j][1], lo, v);
				}
				for (i = 0; i < NPF; i++)
				{
					TIMED(7, hte_qf(PF[i], DD[j][0], DD[j][1], lo), v);
					out("qf", PF[i], DD[j][0], DD[j][1], lo, v);
				}
			}
	}

	/* boundary / invalid arguments */
	for (lo = 0; lo < 2; lo++)
	{
		out("pt", INFINITY, 3, NAN, lo, hte_pt(INFINITY, 3, lo));
		out("pt", -INFINITY, 3, NAN, lo, hte_pt(-INFINITY, 3, lo));
		out("pt", 2, INFINITY, NAN, lo, hte_pt(2, INFINITY, lo));
		out("qt", 0, 3, NAN, lo, hte_qt(0, 3, lo));
		out("qt", 1, 3, NAN, lo, hte_qt(1, 3, lo));
		out("pchisq", 0, 3, NAN, lo, hte_pchisq(0, 3, lo));
		out("pchisq", -1, 3, NAN, lo, hte_pchisq(-1, 3, lo));
		out("pchisq", INFINITY, 3, NAN, lo, hte_pchisq(INFINITY, 3, lo));
		out("pchisq", 5, INFINITY, NAN, lo, hte_pchisq(5, INFINITY, lo));
		out("qchisq", 0, 3, NAN, lo, hte_qchisq(0, 3, lo));
		out("qchisq", 1, 3, NAN, lo, hte_qchisq(1, 3, lo));
		out("qchisq", 0.3, INFINITY, NAN, lo, hte_qchisq(0.3, INFINITY, lo));
		out("pf", 0, 3, 4, lo, hte_pf(0, 3, 4, lo));
		out("pf", INFINITY, 3, 4, lo, hte_pf(INFINITY, 3, 4, lo));
		out("pf", 1, INFINITY, INFINITY, lo, hte_pf(1, INFINITY, INFINITY, lo));
		out("qf", 0, 3, 4, lo, hte_qf(0, 3, 4, lo));
		out("qf", 1, 3, 4, lo, hte_qf(1, 3, 4, lo));
		out("qt", 1e-320, 3, NAN, lo, hte_qt(1e-320, 3, lo));
		out("qchisq", 1e-320, 3, NAN, lo, hte_qchisq(1e-320, 3, lo));
		out("qf", 1e-320, 3, 4, lo, hte_qf(1e-320, 3, 4, lo));
	}
	/* invalid: must be NaN (checked in R as NaN) */
	out("inv", NAN, NAN, NAN, 1, hte_pt(1, 0, true));
	out("inv", NAN, NAN, NAN, 1, hte_pt(1, -1, true));
	out("inv", NAN, NAN, NAN, 1, hte_pt(NAN, 3, true));
	out("inv", NAN, NAN, NAN, 1, hte_qt(1.5, 3, true));
	out("inv", NAN, NAN, NAN, 1, hte_qt(-0.1, 3, true));
	out("inv", NAN, NAN, NAN, 1, hte_qnorm(1.1, true));
	out("inv", NAN, NAN, NAN, 1, hte_pnorm(NAN, true));
	out("inv", NAN, NAN, NAN, 1, hte_pchisq(1, 0, true));
	out("inv", NAN, NAN, NAN, 1, hte_qchisq(0.5, -2, true));
	out("inv", NAN, NAN, NAN, 1, hte_qchisq(NAN, 2, true));
	out("inv", NAN, NAN, NAN, 1, hte_pf(1, 0, 2, true));
	out("inv", NAN, NAN, NAN, 1, hte_pf(1, 2, NAN, true));
	out("inv", NAN, NAN, NAN, 1, hte_qf(2, 2, 3, true));
	out("inv", NAN, NAN, NAN, 1, hte_qf(0.5, 2, -3, true));

	for (i = 0; i < 8; i++)
		fprintf(stderr, "timing %-7s calls %6ld  mean %8.2f us  max %8.2f us\n",
				tname[i], tcount[i], tcount[i] ? 1e6 * ttot[i] / tcount[i] : 0.0,
				1e6 * tmax[i]);
	return 0;
}
