/*
 * forest.c — PostgreSQL glue of the causal forest: the options (jsonb), the
 * training behind causal_forest's final function, the stored type
 * hte_forest (text and binary forms, validated), cate() per row with the
 * model cached across calls, and forest_summary().  The statistics are in
 * src/core/hte_forest.c; the kept-row state of the aggregate is in
 * cate_rows.c.
 *
 * hte_forest's value is the core's serialized model (little-endian, fixed
 * widths, a 64-bit hash), as a varlena with STORAGE external: the doubles
 * barely compress, and an uncompressed value is read without copying.  Its
 * text form is base64 of those bytes; both external forms are fully
 * validated before a value is made.
 */
#include "postgres.h"

#include "access/detoast.h"
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

#include "hte.h"
#include "core/hte_forest.h"

/* ------------------------------------------------------------------------
 * Memory and interrupts for the core
 * ------------------------------------------------------------------------
 */
static void *
forest_alloc(void *ctx, size_t bytes)
{
	return MemoryContextAllocHuge((MemoryContext) ctx, bytes);
}

static void
forest_release(void *ctx, void *ptr)
{
	(void) ctx;
	pfree(ptr);
}

static void
forest_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

static HteForestEnv
forest_env(MemoryContext ctx)
{
	HteForestEnv env = {forest_alloc, forest_release, ctx, forest_interrupts};

	return env;
}

/* ------------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------------
 */
#define OPTION_KEYS "num_trees, sample_fraction, mtry, min_node_size, honesty, honesty_fraction, honesty_prune_leaves, alpha, imbalance_penalty, ci_group_size, seed, max_model_mb"

pg_noreturn static void
option_error(const char *key, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("causal_forest option \"%s\" %s", key, what),
			 errhint("Options are a JSON object with the keys " OPTION_KEYS ".")));
}

static double
option_number(const char *key, const JsonbValue *v)
{
	if (v->type != jbvNumeric)
		option_error(key, "must be a number");
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
}

static int64
option_integer(const char *key, const JsonbValue *v)
{
	Datum		num;
	Datum		whole;

	if (v->type != jbvNumeric)
		option_error(key, "must be a whole number");
	num = NumericGetDatum(v->val.numeric);
	whole = DirectFunctionCall2(numeric_trunc, num, Int32GetDatum(0));
	if (!DatumGetBool(DirectFunctionCall2(numeric_eq, num, whole)))
		option_error(key, "must be a whole number");
	if (DatumGetBool(DirectFunctionCall2(numeric_lt, num,
										 DirectFunctionCall1(int8_numeric, Int64GetDatum(PG_INT64_MIN)))) ||
		DatumGetBool(DirectFunctionCall2(numeric_gt, num,
										 DirectFunctionCall1(int8_numeric, Int64GetDatum(PG_INT64_MAX)))))
		option_error(key, "is out of range for a bigint");
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, num));
}

static bool
option_bool(const char *key, const JsonbValue *v)
{
	if (v->type != jbvBool)
		option_error(key, "must be true or false");
	return v->val.boolean;
}

void
hte_forest_options_from_jsonb(struct varlena *raw, HteForestOptions *o)
{
	Jsonb	   *j = (Jsonb *) raw;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	const char *why;

	hte_forest_defaults(o);
	if (!JB_ROOT_IS_OBJECT(j) || JB_ROOT_IS_SCALAR(j))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("causal_forest options must be a JSON object"),
				 errhint("For example '{\"num_trees\": 2000, \"seed\": 42}'; '{}' gives the defaults.")));
	it = JsonbIteratorInit(&j->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *key;

		if (tok != WJB_KEY)
			continue;
		key = pnstrdup(v.val.string.val, v.val.string.len);
		tok = JsonbIteratorNext(&it, &v, true);
		if (tok != WJB_VALUE)
			option_error(key, "has no value");
		if (strcmp(key, "num_trees") == 0)
			o->num_trees = option_integer(key, &v);
		else if (strcmp(key, "sample_fraction") == 0)
			o->sample_fraction = option_number(key, &v);
		else if (strcmp(key, "mtry") == 0)
		{
			o->mtry = option_integer(key, &v);
			if (o->mtry < 1)
				option_error(key, "must be at least 1");
		}
		else if (strcmp(key, "min_node_size") == 0)
			o->min_node_size = option_integer(key, &v);
		else if (strcmp(key, "honesty") == 0)
			o->honesty = option_bool(key, &v);
		else if (strcmp(key, "honesty_fraction") == 0)
			o->honesty_fraction = option_number(key, &v);
		else if (strcmp(key, "honesty_prune_leaves") == 0)
			o->honesty_prune_leaves = option_bool(key, &v);
		else if (strcmp(key, "alpha") == 0)
			o->alpha = option_number(key, &v);
		else if (strcmp(key, "imbalance_penalty") == 0)
			o->imbalance_penalty = option_number(key, &v);
		else if (strcmp(key, "ci_group_size") == 0)
			o->ci_group_size = option_integer(key, &v);
		else if (strcmp(key, "seed") == 0)
			o->seed = option_integer(key, &v);
		else if (strcmp(key, "max_model_mb") == 0)
			o->max_model_mb = option_number(key, &v);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown causal_forest option \"%s\"", key),
					 errhint("Options are a JSON object with the keys " OPTION_KEYS ".")));
		pfree(key);
	}
	why = hte_forest_options_check(o, 0, 0);
	if (why != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid causal_forest options: %s", why),
				 errhint("grf's defaults: num_trees 2000, sample_fraction 0.5, min_node_size 5, honesty_fraction 0.5, alpha 0.05, ci_group_size 2.")));
}

/* ------------------------------------------------------------------------
 * Training
 * ------------------------------------------------------------------------
 */
struct varlena *
hte_forest_build(const double *rows, uint64 n, int p, const HteForestOptions *o)
{
	MemoryContext ctx = AllocSetContextCreate(CurrentMemoryContext, "causal_forest training",
											  ALLOCSET_DEFAULT_SIZES);
	HteForestEnv env = forest_env(ctx);
	HteForest	f;
	HteForestStatus st;
	double		need = 0.0;
	const char *why = hte_forest_options_check(o, p, (size_t) n);
	struct varlena *out;
	size_t		len;

	/* too few rows for the subsamples, or one arm: no model, as thin groups give NULL */
	if (why != NULL)
	{
		ereport(DEBUG1, (errmsg("causal_forest: no model: %s", why)));
		MemoryContextDelete(ctx);
		return NULL;
	}
	st = hte_forest_train(&env, rows, (size_t) n, p, o, &f, &need, NULL);
	switch (st)
	{
		case HTE_FOREST_OK:
			break;
		case HTE_FOREST_ONE_ARM:
		case HTE_FOREST_TOO_FEW:
			MemoryContextDelete(ctx);
			return NULL;
		case HTE_FOREST_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("the causal forest would exceed max_model_mb (%g MB)", o->max_model_mb),
					 errdetail("Its trees project to about %.0f MB for " UINT64_FORMAT " rows.", need, n),
					 errhint("Use fewer trees (num_trees), a larger min_node_size or a smaller sample_fraction, or raise max_model_mb (at most 700).")));
			break;
		case HTE_FOREST_NO_OOB:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("too few trees for out-of-bag predictions"),
					 errdetail("Some row was in the subsample of every tree of a nuisance forest."),
					 errhint("Increase num_trees or lower sample_fraction.")));
			break;
		case HTE_FOREST_OVERFLOW:
			hte_overflow_error();
	}
	len = hte_forest_serialized_size(&f);
	out = palloc(VARHDRSZ + len);
	SET_VARSIZE(out, VARHDRSZ + len);
	hte_forest_serialize(&f, (unsigned char *) VARDATA(out));
	MemoryContextDelete(ctx);
	return out;
}

/* ------------------------------------------------------------------------
 * The type's external forms
 * ------------------------------------------------------------------------
 */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

#if PG_VERSION_NUM >= 160000
#define FOREST_IN_ERROR(fcinfo, ...) ereturn((fcinfo)->context, (Datum) 0, __VA_ARGS__)
#else
#define FOREST_IN_ERROR(fcinfo, ...) ereport(ERROR, __VA_ARGS__)
#endif

/* The error of a model that fails validation; soft in an input function. */
#define FOREST_INVALID(why) \
	(errcode(ERRCODE_INVALID_PARAMETER_VALUE), \
	 errmsg("invalid hte_forest value"), \
	 errdetail("The model is not valid: %s.", (why)), \
	 errhint("Make models with causal_forest(...) and store them as they are."))

/* Validate len bytes as a model; NULL when valid. */
static const char *
forest_check(const unsigned char *bytes, size_t len)
{
	MemoryContext ctx = AllocSetContextCreate(CurrentMemoryContext, "hte_forest validation",
											  ALLOCSET_DEFAULT_SIZES);
	HteForestEnv env = forest_env(ctx);
	const char *why = hte_forest_deserialize(&env, bytes, len, NULL);

	MemoryContextDelete(ctx);
	return why;
}

PG_FUNCTION_INFO_V1(hte_forest_in);
Datum
hte_forest_in(PG_FUNCTION_ARGS)
{
	const char *s = PG_GETARG_CSTRING(0);
	size_t		slen = strlen(s),
				len = 0;
	struct varlena *out;
	unsigned char *o;
	uint32		acc = 0;
	int			bits = 0,
				pad = 0;
	const char *why;

	if (slen % 4 != 0 || slen > (size_t) MaxAllocSize / 4 * 3)
		FOREST_IN_ERROR(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type hte_forest"),
						 errdetail("The text form is base64 of the model's bytes; its length must be a multiple of 4."),
						 errhint("Make models with causal_forest(...) and copy them as the type's output writes them.")));
	out = palloc(VARHDRSZ + slen / 4 * 3 + 1);
	o = (unsigned char *) VARDATA(out);
	for (size_t i = 0; i < slen; i++)
	{
		int			v;

		if (s[i] == '=' && i + 2 >= slen)
		{
			pad++;
			continue;
		}
		v = pad > 0 ? -1 : b64_value((unsigned char) s[i]);
		if (v < 0)
			FOREST_IN_ERROR(fcinfo,
							(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
							 errmsg("invalid input syntax for type hte_forest"),
							 errdetail("Character %zu is not base64.", i + 1),
							 errhint("Make models with causal_forest(...) and copy them as the type's output writes them.")));
		acc = (acc << 6) | (uint32) v;
		bits += 6;
		if (bits >= 8)
		{
			bits -= 8;
			o[len++] = (unsigned char) (acc >> bits);
			acc &= (1u << bits) - 1;
		}
		if ((i & 0xfffff) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	SET_VARSIZE(out, VARHDRSZ + len);
	why = forest_check(o, len);
	if (why != NULL)
		FOREST_IN_ERROR(fcinfo, FOREST_INVALID(why));
	PG_RETURN_POINTER(out);
}

PG_FUNCTION_INFO_V1(hte_forest_out);
Datum
hte_forest_out(PG_FUNCTION_ARGS)
{
	struct varlena *m = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	const unsigned char *in = (const unsigned char *) VARDATA(m);
	size_t		len = VARSIZE(m) - VARHDRSZ,
				k = 0;
	char	   *out;

	if (len > (size_t) (MaxAllocSize - 1) / 4 * 3 - 3)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("hte_forest value of %zu bytes is too large for its text form", len)));
	out = palloc((len + 2) / 3 * 4 + 1);
	for (size_t i = 0; i < len; i += 3)
	{
		uint32		v = (uint32) in[i] << 16;

		if (i + 1 < len)
			v |= (uint32) in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[k++] = b64[(v >> 18) & 63];
		out[k++] = b64[(v >> 12) & 63];
		out[k++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		out[k++] = i + 2 < len ? b64[v & 63] : '=';
	}
	out[k] = '\0';
	PG_RETURN_CSTRING(out);
}

PG_FUNCTION_INFO_V1(hte_forest_recv);
Datum
hte_forest_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	size_t		len = (size_t) (buf->len - buf->cursor);
	struct varlena *out = palloc(VARHDRSZ + len);
	const char *why;

	SET_VARSIZE(out, VARHDRSZ + len);
	memcpy(VARDATA(out), buf->data + buf->cursor, len);
	buf->cursor = buf->len;
	why = forest_check((const unsigned char *) VARDATA(out), len);
	if (why != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value of type hte_forest"),
				 errdetail("The model is not valid: %s.", why)));
	PG_RETURN_POINTER(out);
}

PG_FUNCTION_INFO_V1(hte_forest_send);
Datum
hte_forest_send(PG_FUNCTION_ARGS)
{
	struct varlena *m = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	bytea	   *out = palloc(VARSIZE(m));

	SET_VARSIZE(out, VARSIZE(m));
	memcpy(VARDATA(out), VARDATA(m), VARSIZE(m) - VARHDRSZ);
	PG_RETURN_BYTEA_P(out);
}

/* ------------------------------------------------------------------------
 * The model, parsed once per query: cached in fn_extra
 * ------------------------------------------------------------------------
 */
typedef struct ForestCache
{
	MemoryContext mcxt;			/* the parsed model's */
	bool		valid;
	bool		ondisk;			/* keyed by its TOAST pointer */
	Oid			toastrelid;
	Oid			valueid;
	uint64		hash;			/* else by its hash and length */
	Size		len;
	HteForest	f;
	uint32	   *work;
	TupleDesc	tupdesc;		/* the result's (fn_extra is this cache) */
} ForestCache;

/* The parsed model of argument 0, from the cache when it is the same value. */
static ForestCache *
forest_cached(FunctionCallInfo fcinfo)
{
	ForestCache *c = (ForestCache *) fcinfo->flinfo->fn_extra;
	struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(0));
	struct varlena *m = NULL;
	bool		ondisk = VARATT_IS_EXTERNAL_ONDISK(raw);
	Oid			relid = InvalidOid,
				valueid = InvalidOid;
	uint64		hash = 0,
				nrows;
	Size		len = 0;
	int			p,
				trees;
	HteForestEnv env;
	const char *why;

	if (c == NULL)
	{
		MemoryContext old;
		TupleDesc	td;

		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ForestCache));
		c->mcxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "hte_forest cache",
										ALLOCSET_DEFAULT_SIZES);
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		c->tupdesc = BlessTupleDesc(CreateTupleDescCopy(td));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = c;
	}
	if (ondisk)
	{
		struct varatt_external tp;

		VARATT_EXTERNAL_GET_POINTER(tp, raw);
		relid = tp.va_toastrelid;
		valueid = tp.va_valueid;
		if (c->valid && c->ondisk && c->toastrelid == relid && c->valueid == valueid)
			return c;
	}
	m = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	len = VARSIZE(m) - VARHDRSZ;
	if (!hte_forest_peek((const unsigned char *) VARDATA(m), len, &hash, &nrows, &p, &trees))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 FOREST_INVALID("not a forest")));
	if (!ondisk && c->valid && !c->ondisk && c->hash == hash && c->len == len &&
		c->f.n == nrows && c->f.p == p && c->f.num_trees == trees)
		return c;

	c->valid = false;
	MemoryContextReset(c->mcxt);
	env = forest_env(c->mcxt);
	why = hte_forest_deserialize(&env, (const unsigned char *) VARDATA(m), len, &c->f);
	if (why != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 FOREST_INVALID(why)));
	c->work = MemoryContextAlloc(c->mcxt, sizeof(uint32) * (Size) c->f.num_trees);
	c->ondisk = ondisk;
	c->toastrelid = relid;
	c->valueid = valueid;
	c->hash = hash;
	c->len = len;
	c->valid = true;
	if ((Pointer) m != (Pointer) raw)
		pfree(m);
	return c;
}

/* cate(model, covariates): (estimate, std_error) at x. */
PG_FUNCTION_INFO_V1(hte_cate);
Datum
hte_cate(PG_FUNCTION_ARGS)
{
	ForestCache *c = forest_cached(fcinfo);
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(1);
	const double *x;
	double		est,
				se;
	Datum		values[2];
	bool		nulls[2];
	int			p;

	if (ARR_NDIM(a) > 1 || ARR_ELEMTYPE(a) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the covariates must be a one-dimensional float8 array"),
				 errhint("Write them as ARRAY[x1, x2, ...], in the order the model was trained with.")));
	if (array_contains_nulls(a))
		PG_RETURN_NULL();
	p = ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
	if (p != c->f.p)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("the model has %d covariates, the array %d", c->f.p, p),
				 errhint("Pass the covariates in the order the model was trained with.")));
	x = (const double *) ARR_DATA_PTR(a);
	for (int j = 0; j < p; j++)
		(void) hte_finite(x[j], "covariate");
	hte_forest_predict(&c->f, x, &est, &se, c->work);
	values[0] = hte_float8_or_null(est, &nulls[0]);
	values[1] = hte_float8_or_null(se, &nulls[1]);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(c->tupdesc, values, nulls)));
}

/* forest_summary(model): the stored out-of-bag summary. */
PG_FUNCTION_INFO_V1(hte_forest_summary);
Datum
hte_forest_summary(PG_FUNCTION_ARGS)
{
	ForestCache *c = forest_cached(fcinfo);
	const HteForestSummary *s = &c->f.summary;
	Datum		values[14];
	bool		nulls[14] = {0};
	Datum	   *vi = palloc(sizeof(Datum) * (Size) c->f.p);

	for (int j = 0; j < c->f.p; j++)
		vi[j] = Float8GetDatum(c->f.importance[j]);
	values[0] = hte_float8_or_null(s->ate, &nulls[0]);
	values[1] = hte_float8_or_null(s->ate_se, &nulls[1]);
	values[2] = hte_float8_or_null(s->att, &nulls[2]);
	values[3] = hte_float8_or_null(s->att_se, &nulls[3]);
	values[4] = hte_float8_or_null(s->atu, &nulls[4]);
	values[5] = hte_float8_or_null(s->atu_se, &nulls[5]);
	values[6] = PointerGetDatum(construct_array(vi, c->f.p, FLOAT8OID, sizeof(float8),
												FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	values[7] = hte_float8_or_null(s->cal_mean, &nulls[7]);
	values[8] = hte_float8_or_null(s->cal_mean_se, &nulls[8]);
	values[9] = hte_float8_or_null(s->cal_diff, &nulls[9]);
	values[10] = hte_float8_or_null(s->cal_diff_se, &nulls[10]);
	values[11] = hte_float8_or_null(s->cal_diff_p, &nulls[11]);
	values[12] = Int32GetDatum(c->f.num_trees);
	values[13] = Int64GetDatum((int64) c->f.n);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(c->tupdesc, values, nulls)));
}
