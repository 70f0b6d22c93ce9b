/*
 * hte_linalg.h — the small dense linear algebra every solver of hte shares:
 * a Cholesky factorization of a symmetric positive semidefinite matrix that
 * pivots the way R's lm does, and what follows from it (solve, inverse,
 * quadratic forms).
 *
 * Statistics core: plain C99, no PostgreSQL headers.
 *
 * R's lm fits by a QR decomposition (LINPACK dqrdc2, tol = 1e-7) that
 * takes the columns in their order and moves a column to the end when its
 * norm, after the columns kept before it are projected out, has fallen
 * below tol times its original norm: such a column is "aliased" and its
 * coefficient NA.  For A = X'X the squared norm of column j after
 * projecting out the kept columns before it is the Schur complement
 * d_j = A_jj - sum_k L_jk^2 (k kept, k < j), and its original squared norm
 * is A_jj, so the same rule on A,
 *
 *     column j is aliased  <=>  d_j <= tol^2 * A_jj   (or A_jj = 0),
 *
 * keeps and drops the same columns as lm whenever the decision is not
 * within rounding of the threshold.  Aliased columns take no part in the
 * factorization: L is the Cholesky factor of A restricted to the kept
 * columns, stored in place in the rows and columns of those columns.
 *
 * Matrices are k x k, row-major, k small (a few dozen at most).
 */
#ifndef HTE_LINALG_H
#define HTE_LINALG_H

#include <stdbool.h>

/* R's tolerance for lm (lm.fit's tol). */
#define HTE_LM_TOL 1e-7

/*
 * Factor A (k x k, symmetric: only its lower triangle is read) into L
 * (k x k; may be A itself): kept[j] says whether column j was kept.
 * Returns the rank (the number of kept columns).  A non-finite entry
 * makes every column aliased (rank 0).
 */
int			hte_chol(const double *A, int k, double tol, double *L, bool *kept);

/*
 * The same with the reference squared norms ref[j] in place of A's
 * diagonal in the aliasing rule: for A the cross-product of centred
 * columns, ref[j] is the uncentred column's, which is what lm compares
 * with (NULL: A's diagonal, as hte_chol).
 */
int			hte_chol_ref(const double *A, int k, double tol, const double *ref, double *L,
						 bool *kept);

/*
 * Solve A x = b with the factor of hte_chol: x over the kept columns,
 * aliased entries of x set to 0 (R reports them as NA, and computes
 * fitted values as if they were 0).  x may be b.
 */
void		hte_chol_solve(const double *L, const bool *kept, int k,
						   const double *b, double *x);

/*
 * The inverse of A restricted to the kept columns, as a k x k matrix whose
 * rows and columns of aliased columns are 0.  Ainv must not be L; work has
 * room for k doubles.
 */
void		hte_chol_inverse(const double *L, const bool *kept, int k, double *Ainv,
							 double *work);

/* y = M x for a k x k matrix; y must not be x. */
void		hte_matvec(const double *M, int k, const double *x, double *y);

/*
 * C = A B A' for k x k matrices (the sandwich), symmetrized; C must be
 * neither A nor B; work has room for k * k doubles.
 */
void		hte_sandwich(const double *A, const double *B, int k, double *C, double *work);

/*
 * a . b for n a multiple of 4 (callers pad with zeros), with four chains of
 * additions so that the loop is not bound by their latency (no fast-math:
 * the order is fixed).
 */
static inline double
hte_dot4(const double *a, const double *b, int n)
{
	double		s0 = 0.0,
				s1 = 0.0,
				s2 = 0.0,
				s3 = 0.0;

	for (int i = 0; i < n; i += 4)
	{
		s0 += a[i] * b[i];
		s1 += a[i + 1] * b[i + 1];
		s2 += a[i + 2] * b[i + 2];
		s3 += a[i + 3] * b[i + 3];
	}
	return (s0 + s1) + (s2 + s3);
}

#endif							/* HTE_LINALG_H */
