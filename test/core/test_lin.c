/*
 * test_lin.c — unit tests of the multivariate moments (hte_mvmoments.c) and
 * the linear algebra (hte_linalg.c): moments of every degree against a
 * __float128 two-pass reference on data with offsets of 1e6 and 1e9, split
 * and merged input against serial, the monomial count, and the in-order
 * pivoted Cholesky (rank, aliased column, inverse).  Prints
 * "moments: N passed, M failed".
 */
#include "hte_mvmoments.h"
#include "hte_linalg.h"
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

static double urand(void) { return (rand() + 0.5) / ((double) RAND_MAX + 1.0); }
static double nrand(void) { return sqrt(-2 * log(urand())) * cos(6.283185307179586 * urand()); }

int main(void)
{
	int fails = 0, checks = 0;
	for (int p = 1; p <= 6; p++)
	{
		HteMvTable t;
		void *mem = malloc(hte_mv_table_size(p));
		hte_mv_table_init(&t, p, mem);
		checks++;
		if (t.count != hte_mv_count(p)) { printf("count mismatch p=%d %d %d\n", p, t.count, hte_mv_count(p)); fails++; }
		int nv = p + 1, n = 1000;
		double *rows = malloc(sizeof(double) * n * nv);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < nv; j++)
				rows[i * nv + j] = (j == p ? 1e9 : 1e6 * (j + 1)) + nrand() * (j + 1) + (j > 0 ? 0.3 * rows[i * nv] : 0);
		/* naive two-pass in long double */
		__float128 mean[32] = {0};
		for (int i = 0; i < n; i++) for (int j = 0; j < nv; j++) mean[j] += rows[i * nv + j];
		for (int j = 0; j < nv; j++) mean[j] /= n;
		size_t alen = hte_mv_arm_len(&t);
		double *arm = calloc(alen, sizeof(double)), *arm2 = calloc(alen, sizeof(double)), *arm3 = calloc(alen, sizeof(double));
		double *work = malloc(sizeof(double) * hte_mv_block_work(&t));
		for (int i = 0; i < n; i += 32) hte_mv_push_block(&t, arm, rows + i * nv, n - i < 32 ? n - i : 32, work);
		/* split differently and merge */
		for (int i = 0; i < 500; i += 7) hte_mv_push_block(&t, arm2, rows + i * nv, 500 - i < 7 ? 500 - i : 7, work);
		for (int i = 500; i < n; i += 13) hte_mv_push_block(&t, arm3, rows + i * nv, n - i < 13 ? n - i : 13, work);
		hte_mv_merge(&t, arm2, arm3, work);
		const char *why = hte_mv_arm_check(&t, arm);
		checks++;
		if (why) { printf("check: %s\n", why); fails++; }
		double worst = 0, worst2 = 0;
		for (int m = nv + 1; m < t.count; m++)
		{
			__float128 s = 0, sabs = 0;
			for (int i = 0; i < n; i++)
			{
				__float128 v = 1;
				for (int q = 0; q < t.deg[m]; q++) v *= rows[i * nv + t.vars[4 * m + q]] - mean[t.vars[4 * m + q]];
				s += v; sabs += v < 0 ? -v : v;
			}
			double got = hte_mv_moment(&t, arm, m), got2 = hte_mv_moment(&t, arm2, m);
			double e = fabs((double) ((__float128) got - s)) / (double) sabs, e2 = fabs(got2 - got) / (double) sabs;
			if (e > worst) worst = e;
			if (e2 > worst2) worst2 = e2;
		}
		double wm = 0;
		for (int j = 0; j < nv; j++) { HteDD mm = hte_mv_mean(&t, arm, j); double e = fabs((double)(((__float128) mm.hi - mean[j]) + mm.lo)); if (e > wm) wm = e; }
		printf("p=%d count=%d arm_len=%zu worst rel err vs float128 %.2e, split-merge vs serial %.2e, mean abs err %.2e\n", p, t.count, alen, worst, worst2, wm);
		checks++;
		if (worst > 1e-14 || worst2 > 1e-14) fails++;
		free(mem); free(rows); free(arm); free(arm2); free(arm3); free(work);
	}
	/* linalg: in-order pivoted Cholesky on X'X with an aliased column */
	{
		int k = 4; double X[50][4], A[16], L[16], Ai[16], w[4]; bool kept[4];
		for (int i = 0; i < 50; i++) { X[i][0] = 1; X[i][1] = nrand(); X[i][2] = 2 * X[i][1] - 3; X[i][3] = nrand(); }
		for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) { double s = 0; for (int i = 0; i < 50; i++) s += X[i][a] * X[i][b]; A[a * k + b] = s; }
		int r = hte_chol(A, k, HTE_LM_TOL, L, kept);
		printf("rank %d kept %d %d %d %d\n", r, kept[0], kept[1], kept[2], kept[3]);
		checks++;
		if (r != 3 || kept[2]) fails++;
		hte_chol_inverse(L, kept, k, Ai, w);
		/* A Ai A = A on kept block */
		double maxe = 0;
		for (int a = 0; a < k; a++) for (int b = 0; b < k; b++) if (kept[a] && kept[b]) { double s = 0; for (int m = 0; m < k; m++) s += A[a * k + m] * Ai[m * k + b]; double e = fabs(s - (a == b)); if (e > maxe) maxe = e; }
		printf("inverse err %.2e\n", maxe);
		checks++;
		if (maxe > 1e-12) fails++;
	}
	printf("moments: %d passed, %d failed\n", checks - fails, fails);
	return fails != 0;
}
