/*
 * stored.c — the stored, mergeable state types hte_ate_state,
 * hte_interaction_state and hte_adjusted_state: their text and binary I/O,
 * and the final function of the aggregates that make them.
 *
 * A value of each type is, in memory and on disk, the stored (compact) form
 * of the float8[] aggregate state of ate, of the three-argument
 * interaction_test or of the covariate moments (ate/interaction_test with a
 * float8[] of covariates): a one-dimensional float8 array, so that the
 * aggregates over rows and over states share the transition and combine
 * functions of the aggregates over rows, and update their state in place.
 * The types are not arrays to SQL (no element type, no subscripts); their
 * external forms are their own (hte_state_io.h): text that reads back to
 * the same doubles whatever extra_float_digits is — Citus ships
 * transition states as text — and a binary form, both with a format
 * version.  Every input is checked as the aggregates check a state, so no
 * malformed value can be made.
 */
#include "postgres.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/array.h"

#include "hte.h"
#include "core/hte_lin.h"
#include "core/hte_moments.h"
#include "core/hte_comoments.h"
#include "core/hte_state_io.h"

typedef struct StoredKind
{
	int			tag;			/* the state's layout tag */
	const char *type_name;
	ArrayType  *(*stored) (ArrayType *a);
	const char *(*check) (const double *s, size_t n);
} StoredKind;

static const StoredKind ate_kind = {1, "hte_ate_state", hte_ate_stored, hte_ate_stored_check};
static const StoredKind it_kind = {2, "hte_interaction_state", hte_it_stored, hte_it_stored_check};
static const StoredKind cov_kind = {3, "hte_adjusted_state", hte_cov_stored, hte_cov_stored_check};

/* Numbers in the longest stored state of a kind. */
static size_t
stored_max(const StoredKind *k)
{
	switch (k->tag)
	{
		case 1:
			return HTE_ATE_STATE_LEN;
		case 2:
			return HTE_IT_STATE_LEN;
		default:
			return hte_cov_stored_len_p(HTE_MV_MAX_P);
	}
}

/* A new float8[n] (the caller fills it). */
static ArrayType *
stored_new(size_t n)
{
	Size		bytes = ARR_OVERHEAD_NONULLS(1) + n * sizeof(double);
	ArrayType  *a = (ArrayType *) palloc0(bytes);

	SET_VARSIZE(a, bytes);
	a->ndim = 1;
	a->dataoffset = 0;
	a->elemtype = FLOAT8OID;
	ARR_DIMS(a)[0] = (int) n;
	ARR_LBOUND(a)[0] = 1;
	return a;
}

/*
 * Errors of the input functions.  From PostgreSQL 16 they are soft: with
 * an error context (pg_input_is_valid, COPY ... ON_ERROR) the input
 * returns NULL and the context gets the error, else they are ERRORs.
 */
#if PG_VERSION_NUM >= 160000
#define STORED_ERROR(fcinfo, ...) ereturn((fcinfo)->context, (Datum) 0, __VA_ARGS__)
#else
#define STORED_ERROR(fcinfo, ...) ereport(ERROR, __VA_ARGS__)
#endif

static const char *
stored_example(const StoredKind *k)
{
	return k->tag == 1 ? "ate_state(y, treated)" :
		k->tag == 2 ? "interaction_test_state(y, treated, x)" :
		"ate_state(y, treated, covariates)";
}

/*
 * Whether the n values at s are a valid stored state of kind k; if not, the
 * error (soft from PostgreSQL 16 where the caller has an error context: a
 * receive function has none, so there it is an ERROR, as on 15).
 */
static bool
stored_contents_ok(FunctionCallInfo fcinfo, const StoredKind *k, const double *s, size_t n)
{
	const char *why = k->check(s, n);

	(void) fcinfo;				/* no soft errors before PostgreSQL 16 */
	if (why == NULL)
		return true;
#if PG_VERSION_NUM >= 160000
	errsave(fcinfo->context,
#else
	ereport(ERROR,
#endif
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s value", k->type_name),
			 errdetail("%s", why),
			 errhint("Make values of %s with its aggregate, e.g. %s, and store them as they are.",
					 k->type_name, stored_example(k))));
	return false;
}

static Datum
stored_in(FunctionCallInfo fcinfo, const StoredKind *k)
{
	char	   *str = PG_GETARG_CSTRING(0);
	size_t		n;
	const char *why = hte_stored_text_count(str, k->tag, stored_max(k), &n);
	ArrayType  *a = NULL;

	if (why == NULL)
	{
		a = stored_new(n);
		why = hte_stored_text_read(str, (double *) ARR_DATA_PTR(a), n);
	}
	if (why != NULL)
		STORED_ERROR(fcinfo,
					 (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					  errmsg("invalid input syntax for type %s", k->type_name),
					  errdetail("%s", why),
					  errhint("The text form is the kind, a slash, the format version, a colon and the numbers in braces, e.g. \"%s/1:{...}\", as the type's output writes it.",
							  hte_stored_name(k->tag))));
	if (!stored_contents_ok(fcinfo, k, (double *) ARR_DATA_PTR(a), n))
		PG_RETURN_NULL();
	PG_RETURN_ARRAYTYPE_P(a);
}

static Datum
stored_out(FunctionCallInfo fcinfo, const StoredKind *k)
{
	ArrayType  *a = k->stored(PG_GETARG_ARRAYTYPE_P(0));
	size_t		n = (size_t) ARR_DIMS(a)[0];
	char	   *out = palloc(hte_stored_text_bound(n));

	(void) hte_stored_text_write(k->tag, (double *) ARR_DATA_PTR(a), n, out);
	PG_RETURN_CSTRING(out);
}

static Datum
stored_recv(FunctionCallInfo fcinfo, const StoredKind *k)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const unsigned char *bytes = (const unsigned char *) buf->data + buf->cursor;
	size_t		len = (size_t) (buf->len - buf->cursor),
				n;
	const char *why = hte_stored_bin_count(bytes, len, k->tag, stored_max(k), &n);
	ArrayType  *a;

	if (why == NULL)
	{
		a = stored_new(n);
		why = hte_stored_bin_read(bytes, (double *) ARR_DATA_PTR(a), n);
	}
	if (why != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value of type %s", k->type_name),
				 errdetail("%s", why)));
	buf->cursor = buf->len;
	if (!stored_contents_ok(fcinfo, k, (double *) ARR_DATA_PTR(a), n))
		PG_RETURN_NULL();
	PG_RETURN_ARRAYTYPE_P(a);
}

static Datum
stored_send(FunctionCallInfo fcinfo, const StoredKind *k)
{
	ArrayType  *a = k->stored(PG_GETARG_ARRAYTYPE_P(0));
	size_t		n = (size_t) ARR_DIMS(a)[0];
	bytea	   *out = palloc(VARHDRSZ + HTE_STORED_BIN_HEADER + 8 * n);

	SET_VARSIZE(out, VARHDRSZ + HTE_STORED_BIN_HEADER + 8 * n);
	hte_stored_bin_write(k->tag, (double *) ARR_DATA_PTR(a), n,
						 (unsigned char *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

/* The final function of <name>_state(...): the state in its stored form. */
static Datum
stored_final(FunctionCallInfo fcinfo, const StoredKind *k)
{
	PG_RETURN_ARRAYTYPE_P(k->stored(PG_GETARG_ARRAYTYPE_P(0)));
}

#define STORED_FUNCS(prefix, kind) \
PG_FUNCTION_INFO_V1(prefix##_in); \
Datum prefix##_in(PG_FUNCTION_ARGS) { return stored_in(fcinfo, &kind); } \
PG_FUNCTION_INFO_V1(prefix##_out); \
Datum prefix##_out(PG_FUNCTION_ARGS) { return stored_out(fcinfo, &kind); } \
PG_FUNCTION_INFO_V1(prefix##_recv); \
Datum prefix##_recv(PG_FUNCTION_ARGS) { return stored_recv(fcinfo, &kind); } \
PG_FUNCTION_INFO_V1(prefix##_send); \
Datum prefix##_send(PG_FUNCTION_ARGS) { return stored_send(fcinfo, &kind); } \
PG_FUNCTION_INFO_V1(prefix##_final); \
Datum prefix##_final(PG_FUNCTION_ARGS) { return stored_final(fcinfo, &kind); }

STORED_FUNCS(hte_ate_state, ate_kind)
STORED_FUNCS(hte_interaction_state, it_kind)
STORED_FUNCS(hte_adjusted_state, cov_kind)
