/*
 * subgroup.c — PostgreSQL glue for cate_by(y, treated, subgroup [, method]),
 * heterogeneity_test(y, treated, subgroup) and p_adjust(p, method).
 *
 * The state is a hash table from subgroup value to the two arms' moment
 * summaries (HteArm, as ate keeps), using the subgroup type's own hash and
 * equality functions (its default hash operator class) and, for the output
 * order, its default btree ordering; NULL is a subgroup of its own, last.
 * Memory is proportional to the number of subgroups, not of rows.
 *
 * cate_by and heterogeneity_test (three arguments) use the same transition
 * function and state, and their final functions do not modify it, so a
 * query that calls both with the same arguments scans and hashes once.
 *
 * For parallel query the state is serialized with each key in the binary
 * format of its type (typsend / typreceive), which validates the key bytes
 * on the way in; the rest of the bytes are checked before use.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/float.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/typcache.h"

#include "hte.h"
#include "core/hte_ate.h"
#include "core/hte_heterogeneity.h"
#include "core/hte_moments.h"
#include "core/hte_padjust.h"
#include "core/hte_state_io.h"
#include "core/hte_trial.h"

#define KIND "cate_by"

/* One subgroup: its key and the two arms (0 control, 1 treated). */
typedef struct SgEntry
{
	Datum		key;
	uint32		hash;
	char		status;			/* for simplehash */
	HteArm		arm[2];
} SgEntry;

struct SgState;

#define SH_PREFIX sg
#define SH_ELEMENT_TYPE SgEntry
#define SH_KEY_TYPE Datum
#define SH_KEY key
#define SH_HASH_KEY(tb, k) sg_hash_key((struct SgState *) (tb)->private_data, k)
#define SH_EQUAL(tb, a, b) sg_key_equal((struct SgState *) (tb)->private_data, a, b)
#define SH_SCOPE static inline
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_DECLARE
#define SH_DEFINE
static inline uint32 sg_hash_key(struct SgState *st, Datum k);
static inline bool sg_key_equal(struct SgState *st, Datum a, Datum b);
#include "lib/simplehash.h"

typedef struct SgState
{
	Oid			type;			/* the subgroup's type */
	int32		typmod;			/* for anonymous records, from the values */
	Oid			collation;
	int16		typlen;
	bool		typbyval;
	bool		bitwise;		/* by-value type whose equality is bitwise */
	FmgrInfo   *hash_fn;		/* the type's hash, equality and btree */
	FmgrInfo   *eq_fn;			/* comparison functions */
	FmgrInfo   *cmp_fn;
	FmgrInfo	record_fns[3];	/* their storage for anonymous records */
	int			method;			/* HtePAdjust, or -1: not given (holm) */
	MemoryContext ctx;			/* where keys and the table live */
	sg_hash    *table;
	bool		has_null;
	HteArm		null_arm[2];	/* the NULL subgroup */
} SgState;

static inline uint32
sg_hash_key(SgState *st, Datum k)
{
	if (st->bitwise)
		return murmurhash32((uint32) k ^ (uint32) ((uint64) k >> 32));
	return DatumGetUInt32(FunctionCall1Coll(st->hash_fn, st->collation, k));
}

static inline bool
sg_key_equal(SgState *st, Datum a, Datum b)
{
	if (st->bitwise)
		return a == b;
	return DatumGetBool(FunctionCall2Coll(st->eq_fn, st->collation, a, b));
}

/*
 * By-value types whose equality operator is bitwise equality of the Datum:
 * hashed without a function call.  (Not float4/float8: -0 = +0.)
 */
static bool
bitwise_equality(Oid type, bool byval)
{
	if (!byval)
		return false;
	switch (type)
	{
		case BOOLOID:
		case CHAROID:
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case OIDOID:
		case DATEOID:
		case TIMEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			return true;
		default:
			return type_is_enum(type);
	}
}

/* A new empty state for subgroups of type `type`. */
static SgState *
sg_new(MemoryContext ctx, Oid type, int32 typmod, Oid collation)
{
	SgState    *st = MemoryContextAllocZero(ctx, sizeof(SgState));

	if (type == RECORDOID)
	{
		/*
		 * An anonymous row, e.g. ROW(sex, age_band): the type cache cannot
		 * vouch for its columns' hashing, so use the row functions, which
		 * look up each column's own functions (and raise an error naming
		 * a column type that has none).
		 */
		fmgr_info_cxt(F_HASH_RECORD, &st->record_fns[0], ctx);
		fmgr_info_cxt(F_RECORD_EQ, &st->record_fns[1], ctx);
		fmgr_info_cxt(F_BTRECORDCMP, &st->record_fns[2], ctx);
		st->hash_fn = &st->record_fns[0];
		st->eq_fn = &st->record_fns[1];
		st->cmp_fn = &st->record_fns[2];
	}
	else
	{
		TypeCacheEntry *tce = lookup_type_cache(type, TYPECACHE_HASH_PROC_FINFO |
												TYPECACHE_EQ_OPR_FINFO |
												TYPECACHE_CMP_PROC_FINFO);

		if (!OidIsValid(tce->hash_proc) || !OidIsValid(tce->eq_opr))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("could not identify a hash function for type %s", format_type_be(type)),
					 errdetail("cate_by and heterogeneity_test group rows with the subgroup type's default hash operator class."),
					 errhint("Cast the subgroup to a type that has one, e.g. subgroup::text.")));
		if (!OidIsValid(tce->cmp_proc))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("could not identify a comparison function for type %s", format_type_be(type)),
					 errdetail("cate_by orders its subgroups by the type's default btree operator class."),
					 errhint("Cast the subgroup to a type that has one, e.g. subgroup::text.")));
		st->hash_fn = &tce->hash_proc_finfo;
		st->eq_fn = &tce->eq_opr_finfo;
		st->cmp_fn = &tce->cmp_proc_finfo;
	}
	st->type = type;
	st->typmod = typmod;
	st->collation = collation;
	get_typlenbyval(type, &st->typlen, &st->typbyval);
	st->bitwise = bitwise_equality(type, st->typbyval);
	st->method = -1;
	st->ctx = ctx;
	st->table = sg_create(ctx, 16, st);
	return st;
}

/* The entry of a (non-NULL) key, created with empty arms if new. */
static inline SgEntry *
sg_entry(SgState *st, Datum key)
{
	bool		found;
	SgEntry    *e = sg_insert(st->table, key, &found);

	if (!found)
	{
		/* keep a copy of the key in the state's context, detoasted */
		if (!st->typbyval)
		{
			MemoryContext old = MemoryContextSwitchTo(st->ctx);

			if (st->typlen == -1)
				key = PointerGetDatum(PG_DETOAST_DATUM_COPY(key));
			else
				key = datumCopy(key, false, st->typlen);
			MemoryContextSwitchTo(old);
		}
		e->key = key;
		memset(e->arm, 0, sizeof(e->arm));
	}
	return e;
}

static void
method_error(const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown p_adjust_method \"%s\"", name),
			 errhint("Valid values are %s.", hte_padjust_valid_list())));
}

/* The adjustment method named by a text Datum; ERROR listing the valid ones. */
int
hte_parse_padjust(text *t)
{
	HtePAdjust	m;

	if (!hte_padjust_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &m))
		method_error(text_to_cstring(t));
	return m;
}

/*
 * The subgroup's type: the transition function's declared type where it is
 * concrete (cate_by(y, treated, integer), ...), so that a call without an
 * expression — Citus's worker_partial_agg calls the transition function so
 * — knows it; else (anyelement) the type of the call's argument.
 */
static Oid
sg_subgroup_type(FunctionCallInfo fcinfo)
{
	Oid			ret,
			   *args;
	int			nargs;
	Oid			type;

	ret = get_func_signature(fcinfo->flinfo->fn_oid, &args, &nargs);
	(void) ret;
	type = nargs > 3 ? args[3] : InvalidOid;
	pfree(args);
	if (type == ANYELEMENTOID || !OidIsValid(type))
		type = get_fn_expr_argtype(fcinfo->flinfo, 3);
	return type;
}

/*
 * Transition: args (state, y float8, treated, subgroup anyelement
 * [, p_adjust_method text]).  Not strict: NULL y or treated skip the row, a
 * NULL subgroup is the NULL subgroup.
 */
static inline Datum
sg_trans(FunctionCallInfo fcinfo, HteTreatKind kind, bool has_method)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "cate_by transition function");
	SgState    *st = PG_ARGISNULL(0) ? NULL : (SgState *) PG_GETARG_POINTER(0);
	HteArm	   *arms;
	double		y;
	int			arm;

	if (st == NULL)
	{
		Oid			type = sg_subgroup_type(fcinfo);

		if (!OidIsValid(type))
			ereport(ERROR,
					(errcode(ERRCODE_INDETERMINATE_DATATYPE),
					 errmsg("could not determine the subgroup's type"),
					 errdetail("The aggregate was called without a call expression, as Citus calls it."),
					 errhint("Cast the subgroup to text, integer, bigint, smallint, boolean or date, whose overloads declare it.")));
		st = sg_new(ctx, type, -1, PG_GET_COLLATION());
	}
	if (has_method)
	{
		HtePAdjust	m;

		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("p_adjust_method must not be NULL"),
					 errhint("Valid values are %s.", hte_padjust_valid_list())));
		m = hte_parse_padjust(PG_GETARG_TEXT_PP(4));
		if (st->method < 0)
			st->method = (int) m;
		else if (st->method != (int) m)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("p_adjust_method must be the same on every row"),
					 errdetail("Rows asked for both \"%s\" and \"%s\".",
							   hte_padjust_name((HtePAdjust) st->method), hte_padjust_name(m)),
					 errhint("Pass a constant, e.g. cate_by(y, treated, subgroup, 'BH').")));
	}

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	y = hte_finite(PG_GETARG_FLOAT8(1), "outcome");
	arm = hte_arm_of(fcinfo, 2, kind);

	if (PG_ARGISNULL(3))
	{
		st->has_null = true;
		arms = st->null_arm;
	}
	else
	{
		Datum		key = PG_GETARG_DATUM(3);

		/* anonymous records: remember the blessed typmod for send/receive */
		if (st->type == RECORDOID && st->typmod < 0)
			st->typmod = HeapTupleHeaderGetTypMod(DatumGetHeapTupleHeader(key));
		arms = sg_entry(st, key)->arm;
	}
	hte_arm_has_room(arms[arm].n, "a subgroup");
	hte_arm_push(&arms[arm], y);
	if (unlikely(!hte_arm_finite(&arms[arm])))
		hte_overflow_error();
	PG_RETURN_POINTER(st);
}

#define SG_TRANS(name, KIND_, METHOD) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return sg_trans(fcinfo, (KIND_), (METHOD)); \
}

SG_TRANS(hte_sg_trans_bool, HTE_T_BOOL, false)
SG_TRANS(hte_sg_trans_int2, HTE_T_INT2, false)
SG_TRANS(hte_sg_trans_int4, HTE_T_INT4, false)
SG_TRANS(hte_sg_trans_int8, HTE_T_INT8, false)
SG_TRANS(hte_sg4_trans_bool, HTE_T_BOOL, true)
SG_TRANS(hte_sg4_trans_int2, HTE_T_INT2, true)
SG_TRANS(hte_sg4_trans_int4, HTE_T_INT4, true)
SG_TRANS(hte_sg4_trans_int8, HTE_T_INT8, true)

static void
merge_arms(HteArm *a, const HteArm *b)
{
	for (int g = 0; g < 2; g++)
	{
		hte_counts_fit(a[g].n, b[g].n, "a subgroup");
		hte_arm_merge(&a[g], &b[g]);
		if (!hte_arm_finite(&a[g]))
			hte_overflow_error();
	}
}

PG_FUNCTION_INFO_V1(hte_sg_combine);
Datum
hte_sg_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "cate_by combine function");
	SgState    *a = PG_ARGISNULL(0) ? NULL : (SgState *) PG_GETARG_POINTER(0);
	SgState    *b = PG_ARGISNULL(1) ? NULL : (SgState *) PG_GETARG_POINTER(1);
	sg_iterator it;
	SgEntry    *e;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		a = sg_new(ctx, b->type, b->typmod, b->collation);
		a->method = b->method;
	}
	else
	{
		if (a->type != b->type)
			elog(ERROR, "cate_by states of different subgroup types");
		if (a->typmod < 0)
			a->typmod = b->typmod;
		if (a->method < 0)
			a->method = b->method;
		else if (b->method >= 0 && a->method != b->method)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("p_adjust_method must be the same on every row"),
					 errdetail("Rows asked for both \"%s\" and \"%s\".",
							   hte_padjust_name((HtePAdjust) a->method),
							   hte_padjust_name((HtePAdjust) b->method))));
	}
	sg_start_iterate(b->table, &it);
	while ((e = sg_iterate(b->table, &it)) != NULL)
	{
		CHECK_FOR_INTERRUPTS();
		merge_arms(sg_entry(a, e->key)->arm, e->arm);
	}
	if (b->has_null)
	{
		a->has_null = true;
		merge_arms(a->null_arm, b->null_arm);
	}
	PG_RETURN_POINTER(a);
}

/*
 * Serialized form: see hte_state_io.h (pq byte order).  Workers and leader
 * share the database, so the type and collation OIDs are meaningful; an OID
 * that names nothing fails the type cache lookup with an error.
 */
static void
send_arms(StringInfo buf, const HteArm *arms)
{
	const double *d = (const double *) arms;

	for (int i = 0; i < 2 * HTE_ARM_LEN; i++)
		pq_sendfloat8(buf, d[i]);
}

PG_FUNCTION_INFO_V1(hte_sg_serialize);
Datum
hte_sg_serialize(PG_FUNCTION_ARGS)
{
	SgState    *st = (SgState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	Oid			sendfn;
	bool		isvarlena;
	FmgrInfo	send;
	sg_iterator it;
	SgEntry    *e;

	(void) hte_agg_context(fcinfo, "cate_by serialize function");
	getTypeBinaryOutputInfo(st->type, &sendfn, &isvarlena);
	fmgr_info(sendfn, &send);
	pq_begintypsend(&buf);
	pq_sendint32(&buf, HTE_SG_MAGIC);
	pq_sendint32(&buf, HTE_SG_VERSION);
	pq_sendint32(&buf, st->method);
	pq_sendint32(&buf, st->type);
	pq_sendint32(&buf, st->typmod);
	pq_sendint32(&buf, st->collation);
	pq_sendint32(&buf, st->has_null ? 1 : 0);
	if (st->has_null)
		send_arms(&buf, st->null_arm);
	pq_sendint64(&buf, st->table->members);
	sg_start_iterate(st->table, &it);
	while ((e = sg_iterate(st->table, &it)) != NULL)
	{
		bytea	   *kb = SendFunctionCall(&send, e->key);

		CHECK_FOR_INTERRUPTS();
		send_arms(&buf, e->arm);
		pq_sendint32(&buf, VARSIZE(kb) - VARHDRSZ);
		pq_sendbytes(&buf, VARDATA(kb), VARSIZE(kb) - VARHDRSZ);
		pfree(kb);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* What hte_sg_deserialize's key callback needs. */
typedef struct SgRecvArg
{
	SgState    *st;
	FmgrInfo	recv;
	Oid			ioparam;
	MemoryContext ctx;
} SgRecvArg;

/*
 * One key of a serialized state: the core has checked its arms and that its
 * bytes lie inside the payload; the type's receive function checks the
 * bytes themselves.
 */
static const char *
sg_recv_key(void *arg, const HteArm arm[2], const unsigned char *kbytes, size_t klen)
{
	SgRecvArg  *r = (SgRecvArg *) arg;
	SgState    *st = r->st;
	StringInfoData kbuf;
	Datum		key;
	bool		found;
	SgEntry    *e;

	CHECK_FOR_INTERRUPTS();
	initStringInfo(&kbuf);
	appendBinaryStringInfo(&kbuf, (const char *) kbytes, (int) klen);
	key = ReceiveFunctionCall(&r->recv, &kbuf, r->ioparam, st->typmod);
	if (kbuf.cursor != kbuf.len)
		return "A serialized key has trailing bytes.";
	e = sg_insert(st->table, key, &found);
	if (found)
		return "The serialized state holds a key twice.";
	if (!st->typbyval)
	{
		MemoryContext old = MemoryContextSwitchTo(r->ctx);

		key = datumCopy(key, false, st->typlen);
		MemoryContextSwitchTo(old);
	}
	e->key = key;
	memcpy(e->arm, arm, 2 * sizeof(HteArm));
	pfree(kbuf.data);
	return NULL;
}

static void
sg_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

/*
 * The byte format is in hte_state_io.h; the core checks its whole structure
 * (header, counts, lengths, arms) before any key reaches the type's receive
 * function.
 */
PG_FUNCTION_INFO_V1(hte_sg_deserialize);
Datum
hte_sg_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = hte_agg_context(fcinfo, "cate_by deserialize function");
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(in);
	size_t		len = VARSIZE_ANY_EXHDR(in);
	HteSgHeader hdr;
	SgRecvArg	r;
	Oid			recvfn;
	const char *why;

	if ((why = hte_sg_parse_header(p, len, &hdr)) != NULL)
		hte_invalid_state(KIND, why);
	if ((why = hte_sg_walk_keys(p, len, &hdr, NULL, NULL, sg_check_interrupts)) != NULL)
		hte_invalid_state(KIND, why);

	/*
	 * The type and collation come from the worker's state: the executor
	 * tells a deserialize function neither (and AggGetAggref() there may
	 * name another aggregate).
	 */
	r.st = sg_new(ctx, (Oid) hdr.type, hdr.typmod, (Oid) hdr.collation);
	r.st->method = hdr.method;
	r.st->has_null = hdr.has_null;
	memcpy(r.st->null_arm, hdr.null_arm, sizeof(r.st->null_arm));
	r.ctx = ctx;
	getTypeBinaryInputInfo((Oid) hdr.type, &recvfn, &r.ioparam);
	fmgr_info_cxt(recvfn, &r.recv, CurrentMemoryContext);
	if ((why = hte_sg_walk_keys(p, len, &hdr, sg_recv_key, &r, NULL)) != NULL)
		hte_invalid_state(KIND, why);
	PG_RETURN_POINTER(r.st);
}

/* ------------------------------------------------------------------------
 * Final functions
 */

/* Comparison of two entries' keys by the type's default btree ordering. */
static int
cmp_entries(const void *a, const void *b, void *arg)
{
	const SgState *st = (const SgState *) arg;
	const SgEntry *x = *(SgEntry *const *) a;
	const SgEntry *y = *(SgEntry *const *) b;

	return DatumGetInt32(FunctionCall2Coll(st->cmp_fn, st->collation,
										   x->key, y->key));
}

/*
 * The subgroups in output order: non-NULL keys sorted, then the NULL
 * subgroup (key NULL in *null_last).  Returns the number of non-NULL ones.
 */
static int
sorted_entries(SgState *st, SgEntry ***out)
{
	SgEntry   **v = palloc(sizeof(SgEntry *) * Max(st->table->members, 1));
	sg_iterator it;
	SgEntry    *e;
	int			n = 0;

	sg_start_iterate(st->table, &it);
	while ((e = sg_iterate(st->table, &it)) != NULL)
		v[n++] = e;
	qsort_arg(v, n, sizeof(SgEntry *), cmp_entries, st);
	*out = v;
	return n;
}

/* The ate result of one subgroup; false when the subgroup has no rows. */
static bool
subgroup_ate(const HteArm *arms, HteAteResult *r, double level)
{
	return hte_ate_compute(&arms[0], &arms[1], level, r);
}

/* Per-call cache of the final function: result row type and key output. */
typedef struct SgFinalCache
{
	TupleDesc	tupdesc;		/* hte_subgroup or hte_heterogeneity */
	Oid			elemtype;		/* for cate_by: hte_subgroup */
	int16		elemlen;
	bool		elembyval;
	char		elemalign;
	Oid			keytype;
	FmgrInfo	keyout;
} SgFinalCache;

static SgFinalCache *
final_cache(FunctionCallInfo fcinfo, bool array_result, Oid keytype)
{
	SgFinalCache *c = (SgFinalCache *) fcinfo->flinfo->fn_extra;

	if (c == NULL || c->keytype != keytype)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		Oid			outfn;
		bool		isvarlena;

		c = palloc0(sizeof(SgFinalCache));
		if (array_result)
		{
			Oid			rettype = get_func_rettype(fcinfo->flinfo->fn_oid);

			c->elemtype = get_element_type(rettype);
			if (!OidIsValid(c->elemtype))
				elog(ERROR, "cate_by must return an array");
			c->tupdesc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(c->elemtype, -1));
			get_typlenbyvalalign(c->elemtype, &c->elemlen, &c->elembyval, &c->elemalign);
		}
		else
			c->tupdesc = CreateTupleDescCopy(hte_result_tupdesc(fcinfo));
		c->keytype = keytype;
		getTypeOutputInfo(keytype, &outfn, &isvarlena);
		fmgr_info(outfn, &c->keyout);
		fcinfo->flinfo->fn_extra = c;
		MemoryContextSwitchTo(old);
	}
	return c;
}

/* One hte_subgroup row. */
static Datum
subgroup_row(SgFinalCache *c, const char *label, const HteAteResult *r, double p_adjusted)
{
	Datum		values[14];
	bool		nulls[14];

	values[0] = label ? CStringGetTextDatum(label) : (Datum) 0;
	nulls[0] = label == NULL;
	values[1] = hte_float8_or_null(r->estimate, &nulls[1]);
	values[2] = hte_float8_or_null(r->std_error, &nulls[2]);
	values[3] = hte_float8_or_null(r->ci_lower, &nulls[3]);
	values[4] = hte_float8_or_null(r->ci_upper, &nulls[4]);
	values[5] = hte_float8_or_null(r->p_value, &nulls[5]);
	values[6] = hte_float8_or_null(r->df, &nulls[6]);
	values[7] = hte_count_datum(r->n_treated, &nulls[7]);
	values[8] = hte_count_datum(r->n_control, &nulls[8]);
	values[9] = hte_float8_or_null(r->mean_treated, &nulls[9]);
	values[10] = hte_float8_or_null(r->mean_control, &nulls[10]);
	values[11] = hte_float8_or_null(r->sd_treated, &nulls[11]);
	values[12] = hte_float8_or_null(r->sd_control, &nulls[12]);
	values[13] = hte_float8_or_null(p_adjusted, &nulls[13]);
	return HeapTupleGetDatum(heap_form_tuple(c->tupdesc, values, nulls));
}

PG_FUNCTION_INFO_V1(hte_cate_by_final);
Datum
hte_cate_by_final(PG_FUNCTION_ARGS)
{
	SgState    *st = PG_ARGISNULL(0) ? NULL : (SgState *) PG_GETARG_POINTER(0);
	double		level;
	SgEntry   **entries;
	int			n,
				total,
				nvalid = 0;
	HteAteResult *res;
	double	   *p,
			   *padj;
	size_t	   *idx;
	Datum	   *rows;
	SgFinalCache *c;
	HtePAdjust	method;

	(void) hte_agg_context(fcinfo, "cate_by final function");
	if (st == NULL || (st->table->members == 0 && !st->has_null))
		PG_RETURN_NULL();
	level = hte_get_confidence_level();
	c = final_cache(fcinfo, true, st->type);
	method = st->method < 0 ? HTE_PADJ_HOLM : (HtePAdjust) st->method;

	n = sorted_entries(st, &entries);
	total = n + (st->has_null ? 1 : 0);
	res = palloc(sizeof(HteAteResult) * total);
	p = palloc(sizeof(double) * total);
	padj = palloc(sizeof(double) * total);
	idx = palloc(sizeof(size_t) * total);
	for (int i = 0; i < total; i++)
	{
		CHECK_FOR_INTERRUPTS();
		subgroup_ate(i < n ? entries[i]->arm : st->null_arm, &res[i], level);
		if (!isnan(res[i].p_value))
			p[nvalid++] = res[i].p_value;
	}
	/* adjust over the subgroups with a p-value, as R's p.adjust drops NA */
	hte_padjust(p, nvalid, method, padj, idx);

	rows = palloc(sizeof(Datum) * total);
	for (int i = 0, j = 0; i < total; i++)
	{
		char	   *label = i < n ? OutputFunctionCall(&c->keyout, entries[i]->key) : NULL;
		double		pa = isnan(res[i].p_value) ? NAN : padj[j++];

		rows[i] = subgroup_row(c, label, &res[i], pa);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(rows, total, c->elemtype, c->elemlen,
										  c->elembyval, c->elemalign));
}

PG_FUNCTION_INFO_V1(hte_heterogeneity_final);
Datum
hte_heterogeneity_final(PG_FUNCTION_ARGS)
{
	SgState    *st = PG_ARGISNULL(0) ? NULL : (SgState *) PG_GETARG_POINTER(0);
	double		level;
	SgEntry   **entries;
	int			n,
				total;
	size_t		k = 0;
	double	   *d,
			   *se;
	HteHeterogeneityResult h;
	TupleDesc	tupdesc;

	(void) hte_agg_context(fcinfo, "heterogeneity_test final function");
	if (st == NULL || (st->table->members == 0 && !st->has_null))
		PG_RETURN_NULL();
	level = hte_get_confidence_level();
	tupdesc = hte_result_tupdesc(fcinfo);
	n = sorted_entries(st, &entries);
	total = n + (st->has_null ? 1 : 0);
	d = palloc(sizeof(double) * total);
	se = palloc(sizeof(double) * total);
	for (int i = 0; i < total; i++)
	{
		HteAteResult r;

		CHECK_FOR_INTERRUPTS();
		subgroup_ate(i < n ? entries[i]->arm : st->null_arm, &r, level);
		/* the subgroups whose standard error is defined and positive */
		if (r.std_error > 0.0)
		{
			d[k] = r.estimate;
			se[k] = r.std_error;
			k++;
		}
	}
	hte_heterogeneity(d, se, k, &h);
	PG_RETURN_DATUM(hte_heterogeneity_row(tupdesc, &h));
}

Datum
hte_heterogeneity_row(TupleDesc tupdesc, const HteHeterogeneityResult *h)
{
	Datum		values[10];
	bool		nulls[10];

	values[0] = Int32GetDatum((int32) h->subgroups);
	nulls[0] = false;
	values[1] = hte_float8_or_null(h->q_statistic, &nulls[1]);
	values[2] = hte_float8_or_null(h->df, &nulls[2]);
	values[3] = hte_float8_or_null(h->p_value, &nulls[3]);
	values[4] = hte_float8_or_null(h->i_squared, &nulls[4]);
	values[5] = hte_float8_or_null(h->tau_squared, &nulls[5]);
	values[6] = hte_float8_or_null(h->pooled_estimate, &nulls[6]);
	values[7] = hte_float8_or_null(h->pooled_std_error, &nulls[7]);
	values[8] = hte_float8_or_null(h->crossover_statistic, &nulls[8]);
	values[9] = hte_float8_or_null(h->crossover_p_value, &nulls[9]);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* ------------------------------------------------------------------------
 * p_adjust(p float8[], method text DEFAULT 'holm') -> float8[]
 */
PG_FUNCTION_INFO_V1(hte_p_adjust);
Datum
hte_p_adjust(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	HtePAdjust	method = hte_parse_padjust(PG_GETARG_TEXT_PP(1));
	Datum	   *elems;
	bool	   *isnull;
	int			n,
				nvalid = 0;
	double	   *p,
			   *padj;
	size_t	   *idx;

	deconstruct_array(a, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &isnull, &n);
	p = palloc(sizeof(double) * Max(n, 1));
	padj = palloc(sizeof(double) * Max(n, 1));
	idx = palloc(sizeof(size_t) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		double		v;

		if (isnull[i])
			continue;
		v = DatumGetFloat8(elems[i]);
		if (!(v >= 0.0 && v <= 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("p-value %s is not between 0 and 1",
							float8out_internal(v)),
					 errhint("NULL elements are allowed and stay NULL.")));
		p[nvalid++] = v;
	}
	hte_padjust(p, nvalid, method, padj, idx);
	for (int i = 0, j = 0; i < n; i++)
		if (!isnull[i])
			elems[i] = Float8GetDatum(padj[j++]);
	PG_RETURN_ARRAYTYPE_P(construct_md_array(elems, isnull, ARR_NDIM(a), ARR_DIMS(a),
											 ARR_LBOUND(a), FLOAT8OID, sizeof(float8),
											 FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* ------------------------------------------------------------------------
 * ate_blocked(y, treated, block) and ate_clustered(y, treated, cluster):
 * cate_by's state, keyed by the block or the cluster (issue 17)
 * ------------------------------------------------------------------------
 */
/* The keyed arms in key order, the NULL key last; *labels the keys' text. */
static int
keyed_arms(FunctionCallInfo fcinfo, SgState *st, const HteArm ***arms, SgEntry ***entries)
{
	int			n = sorted_entries(st, entries);
	int			total = n + (st->has_null ? 1 : 0);

	(void) fcinfo;
	*arms = palloc(sizeof(HteArm *) * Max(total, 1));
	for (int i = 0; i < n; i++)
		(*arms)[i] = (*entries)[i]->arm;
	if (st->has_null)
		(*arms)[n] = st->null_arm;
	return total;
}

static char *
key_label(SgState *st, SgEntry **entries, int n_keys, size_t i)
{
	Oid			outfn;
	bool		isvarlena;

	if ((int) i >= n_keys)
		return pstrdup("NULL");
	getTypeOutputInfo(st->type, &outfn, &isvarlena);
	return OidOutputFunctionCall(outfn, entries[i]->key);
}

PG_FUNCTION_INFO_V1(hte_ate_blocked_final);
Datum
hte_ate_blocked_final(PG_FUNCTION_ARGS)
{
	SgState    *st = PG_ARGISNULL(0) ? NULL : (SgState *) PG_GETARG_POINTER(0);
	const HteArm **arms;
	SgEntry   **entries;
	int			total;
	HteAteResult r;
	bool		pairs;
	size_t		bad = 0;
	HteBlockStatus status;

	(void) hte_agg_context(fcinfo, "ate_blocked final function");
	if (st == NULL || (st->table->members == 0 && !st->has_null))
		PG_RETURN_NULL();
	total = keyed_arms(fcinfo, st, &arms, &entries);
	status = hte_ate_blocked(arms, (size_t) total, hte_get_confidence_level(), &r, &pairs, &bad);
	if (status != HTE_BLOCK_OK)
	{
		char	   *label = key_label(st, entries, (int) st->table->members, bad);
		const HteArm *b = arms[bad];

		if (status == HTE_BLOCK_ONE_ROW)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("block %s has a single row", label),
					 errdetail("Every block needs rows in both arms, as in estimatr::difference_in_means(blocks =)."),
					 errhint("Merge the block with a similar one, or leave its rows out.")));
		if (status == HTE_BLOCK_EMPTY_ARM)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("block %s has no %s rows", label, b[1].n == 0 ? "treated" : "control"),
					 errdetail("A block without both arms has no within-block difference, and estimatr::difference_in_means(blocks =) refuses it."),
					 errhint("Merge the block with a similar one, or leave its rows out.")));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("block %s has a single %s row", label, b[1].n < 2 ? "treated" : "control"),
				 errdetail("Unless every block is a pair, each block needs two rows in each arm for its variance, as estimatr::difference_in_means(blocks =) requires."),
				 errhint("Merge small blocks.")));
	}
	if (pairs && (r.n_treated + r.n_control) != 2.0 * total)
		ereport(WARNING,
				(errmsg("some blocks have two rows and others more: ate_blocked uses the matched-pair variance"),
				 errdetail("Blocks of two rows have no variance of their own, as estimatr::difference_in_means warns.")));
	PG_RETURN_DATUM(hte_ate_row(fcinfo, &r));
}

PG_FUNCTION_INFO_V1(hte_ate_clustered_final);
Datum
hte_ate_clustered_final(PG_FUNCTION_ARGS)
{
	SgState    *st = PG_ARGISNULL(0) ? NULL : (SgState *) PG_GETARG_POINTER(0);
	const HteArm **arms;
	SgEntry   **entries;
	int			total;
	HteAteResult r;
	size_t		bad = 0;

	(void) hte_agg_context(fcinfo, "ate_clustered final function");
	if (st == NULL || (st->table->members == 0 && !st->has_null))
		PG_RETURN_NULL();
	total = keyed_arms(fcinfo, st, &arms, &entries);
	if (hte_ate_clustered(arms, (size_t) total, hte_get_confidence_level(), &r, &bad) != HTE_BLOCK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cluster %s has both treated and control rows",
						key_label(st, entries, (int) st->table->members, bad)),
				 errdetail("ate_clustered is for designs that randomise whole clusters, as estimatr::difference_in_means(clusters =) requires."),
				 errhint("Check the cluster column; if the treatment was randomised within clusters, use ate_blocked.")));
	PG_RETURN_DATUM(hte_ate_row(fcinfo, &r));
}
