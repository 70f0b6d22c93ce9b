/*
 * hte.c — module initialization, the hte.confidence_level GUC, and helpers
 * shared by the aggregates' PostgreSQL glue.
 */
#include "postgres.h"

#include <math.h>
#include <string.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/typcache.h"

#include "hte.h"
#include "core/hte_dist.h"
#include "core/hte_interaction.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

static double confidence_level = 0.95;

/*
 * A value set before the library was loaded (a placeholder, e.g. SET in a
 * new session before the first hte call, or ALTER ROLE ... SET) that the
 * GUC machinery rejected when hte loaded: PostgreSQL only warns then and
 * keeps the default, which a BI tool would never show.  We remember the
 * rejected text and refuse to compute until a valid value is set.
 */
static char *rejected_placeholder = NULL;

static bool
check_confidence_level(double *newval, void **extra, GucSource source)
{
	(void) extra;
	(void) source;
	if (!(*newval > 0.0 && *newval < 1.0))
	{
		GUC_check_errdetail("The confidence level must be strictly between 0 and 1.");
		GUC_check_errhint("For a 95%% interval, use 0.95.");
		return false;
	}
	return true;
}

static void
assign_confidence_level(double newval, void *extra)
{
	(void) newval;
	(void) extra;
	/* any value that passes the check replaces a rejected placeholder */
	if (rejected_placeholder != NULL)
	{
		pfree(rejected_placeholder);
		rejected_placeholder = NULL;
	}
}

void
_PG_init(void)
{
	const char *placeholder = GetConfigOption("hte.confidence_level", true, false);
	char	   *saved = NULL;

	if (placeholder != NULL)
		saved = MemoryContextStrdup(TopMemoryContext, placeholder);

	DefineCustomRealVariable("hte.confidence_level",
							 "Confidence level of the intervals hte reports.",
							 "Strictly between 0 and 1; read when a result is computed.",
							 &confidence_level,
							 0.95, 0.0, 1.0,
							 PGC_USERSET, 0,
							 check_confidence_level, assign_confidence_level, NULL);
	MarkGUCPrefixReserved("hte");

	/*
	 * If a placeholder value existed, it was applied (through the hooks)
	 * above; if it was not accepted, the variable does not hold it.
	 */
	if (saved != NULL)
	{
		char	   *end;
		double		v = strtod(saved, &end);

		while (*end == ' ')
			end++;
		if (end == saved || *end != '\0' || !(v > 0.0 && v < 1.0) ||
			v != confidence_level)
			rejected_placeholder = saved;
		else
			pfree(saved);
	}
}

double
hte_get_confidence_level(void)
{
	if (rejected_placeholder != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for parameter \"hte.confidence_level\": \"%s\"",
						rejected_placeholder),
				 errdetail("The confidence level must be strictly between 0 and 1."),
				 errhint("Set hte.confidence_level to a valid value, e.g. SET hte.confidence_level = 0.95.")));
	/* The GUC check hook guarantees this; kept as a guard for the math. */
	if (!(confidence_level > 0.0 && confidence_level < 1.0))
		elog(ERROR, "hte.confidence_level %g is out of range", confidence_level);
	return confidence_level;
}

void
hte_overflow_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("value out of range: overflow"),
			 errdetail("A statistic of finite inputs exceeds the double precision range."),
			 errhint("Rescale the outcome, e.g. divide it by a power of ten.")));
}

void
hte_count_error(const char *kind)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many rows for %s", kind),
			 errdetail("A treatment arm would hold more than 2^53 rows, the largest count kept exactly.")));
}

TupleDesc
hte_result_tupdesc(FunctionCallInfo fcinfo)
{
	TupleDesc	tupdesc = (TupleDesc) fcinfo->flinfo->fn_extra;

	if (tupdesc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		tupdesc = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = tupdesc;
	}
	return tupdesc;
}

void
hte_invalid_state(const char *kind, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s state", kind),
			 errdetail("%s", why)));
}

/* Elements of a one-dimensional array without NULLs (shape checked first). */
#define STATE_DATA(a) ((double *) ((char *) (a) + ARR_OVERHEAD_NONULLS(1)))

double *
hte_state_data(ArrayType *a, int len, int buffered_len, const char *kind, int *got)
{
	*got = ARR_NDIM(a) == 1 && ARR_DIMS(a)[0] == buffered_len ? buffered_len : len;
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != *got ||
		ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s state", kind),
				 errdetail("The state is a float8 array of %d elements (%d with buffered rows) without NULLs.",
						   len, buffered_len)));
	return STATE_DATA(a);
}

ArrayType *
hte_state_buffered_copy(const double *s, int len, int buffered_len)
{
	Size		bytes = ARR_OVERHEAD_NONULLS(1) + buffered_len * sizeof(double);
	ArrayType  *b = (ArrayType *) palloc0(bytes);

	SET_VARSIZE(b, bytes);
	b->ndim = 1;
	b->dataoffset = 0;
	b->elemtype = FLOAT8OID;
	ARR_DIMS(b)[0] = buffered_len;
	ARR_LBOUND(b)[0] = 1;
	memcpy(STATE_DATA(b), s, len * sizeof(double));
	return b;
}

MemoryContext
hte_agg_context(FunctionCallInfo fcinfo, const char *what)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		elog(ERROR, "%s called in non-aggregate context", what);
	return ctx;
}

Size
hte_grow_capacity(Size count, Size cap, Size more, Size bytes_per_row, const char *what)
{
	const Size max_rows = MaxAllocHugeSize / bytes_per_row;
	Size		need,
				newcap;

	if (more > max_rows - count)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for %s", what)));
	need = count + more;
	newcap = Max(cap, 1024);
	while (newcap < need)
		newcap = (newcap > max_rows / 2) ? need : newcap * 2;
	return newcap;
}

/*
 * The transition and final function of the text-treatment overloads
 * (sql/parts/50_text_treatment.sql): always an ERROR whose hint shows the
 * idiom that works.  The state (argument 0) is the example call for the
 * hint, e.g. "ate(y, arm = 'A')"; the aggregate's name is what precedes "(".
 */
PG_FUNCTION_INFO_V1(hte_text_treatment);
Datum
hte_text_treatment(PG_FUNCTION_ARGS)
{
	char	   *example = PG_ARGISNULL(0) ? pstrdup("ate(y, arm = 'A')")
		: text_to_cstring(PG_GETARG_TEXT_PP(0));
	const char *paren = strchr(example, '(');
	int			namelen = paren ? (int) (paren - example) : (int) strlen(example);

	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("the treatment of %.*s() must be boolean or a 0/1 integer, not text",
					namelen, example),
			 errdetail("A text column such as arm with values 'A' and 'B' does not say which arm is the treated one."),
			 errhint("Compare the column with the treated arm's value, e.g. %s.", example)));
	PG_RETURN_NULL();			/* not reached */
}

/* The variance type named by a text argument; ERROR listing the valid ones. */
static HteSeType
parse_se_type(text *t)
{
	char	   *name = text_to_cstring(t);

	for (int i = 0; i < HTE_SE_NTYPES; i++)
		if (pg_strcasecmp(name, hte_se_type_name((HteSeType) i)) == 0)
		{
			pfree(name);
			return (HteSeType) i;
		}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown se_type \"%s\"", name),
			 errhint("Valid values are \"classical\", \"HC0\", \"HC1\", \"HC2\" and \"HC3\".")));
	pg_unreachable();
}

int
hte_row_se_type(FunctionCallInfo fcinfo, int argno, int current)
{
	text	   *t;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("se_type must not be NULL"),
				 errhint("Valid values are \"classical\", \"HC0\", \"HC1\", \"HC2\" and \"HC3\".")));
	t = PG_GETARG_TEXT_PP(argno);
	if (current >= 0)
	{
		const char *name = hte_se_type_name((HteSeType) current);
		Size		len = strlen(name);

		if (VARSIZE_ANY_EXHDR(t) == len && pg_strncasecmp(VARDATA_ANY(t), name, len) == 0)
			return current;
	}
	return (int) parse_se_type(t);
}

void
hte_se_type_mismatch(int a, int b, const char *example)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("se_type must be the same on every row"),
			 errdetail("Rows asked for both \"%s\" and \"%s\".",
					   hte_se_type_name((HteSeType) a), hte_se_type_name((HteSeType) b)),
			 errhint("Pass a constant, e.g. %s.", example)));
}

HteArrayResult *
hte_array_result(FunctionCallInfo fcinfo)
{
	HteArrayResult *c = (HteArrayResult *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		Oid			rettype = get_func_rettype(fcinfo->flinfo->fn_oid);

		c = palloc0(sizeof(HteArrayResult));
		c->elemtype = get_element_type(rettype);
		if (!OidIsValid(c->elemtype))
			elog(ERROR, "function must return an array");
		c->tupdesc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(c->elemtype, -1));
		get_typlenbyvalalign(c->elemtype, &c->elemlen, &c->elembyval, &c->elemalign);
		fcinfo->flinfo->fn_extra = c;
		MemoryContextSwitchTo(old);
	}
	return c;
}

Datum
hte_estimand_datum(const HteArrayResult *c, const char *name, double estimate, double se,
				   double zcrit, double po_treated, double po_control, double n_treated,
				   double n_control, const char *method, const char *link)
{
	Datum		values[13];
	bool		nulls[13] = {0};
	double		z = se > 0.0 ? estimate / se : NAN;

	values[0] = CStringGetTextDatum(name);
	values[1] = hte_float8_or_null(estimate, &nulls[1]);
	values[2] = hte_float8_or_null(se, &nulls[2]);
	values[3] = hte_float8_or_null(isnan(z) ? NAN : estimate - zcrit * se, &nulls[3]);
	values[4] = hte_float8_or_null(isnan(z) ? NAN : estimate + zcrit * se, &nulls[4]);
	values[5] = hte_float8_or_null(z, &nulls[5]);
	values[6] = hte_float8_or_null(isnan(z) ? NAN : 2.0 * hte_pnorm(fabs(z), false), &nulls[6]);
	values[7] = hte_float8_or_null(po_treated, &nulls[7]);
	values[8] = hte_float8_or_null(po_control, &nulls[8]);
	values[9] = Int64GetDatum((int64) n_treated);
	values[10] = Int64GetDatum((int64) n_control);
	values[11] = CStringGetTextDatum(method);
	if (link == NULL)
	{
		nulls[12] = true;
		values[12] = (Datum) 0;
	}
	else
		values[12] = CStringGetTextDatum(link);
	return HeapTupleGetDatum(heap_form_tuple(c->tupdesc, values, nulls));
}

double
hte_propensity_arg(double e)
{
	if (unlikely(!(e > 0.0 && e < 1.0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("propensity score e_hat = %s is not strictly between 0 and 1",
						float8out_internal(e)),
				 errdetail("The doubly robust score divides by e_hat and by 1 − e_hat."),
				 errhint("Trim or clip the propensity model's predictions, or restrict the rows to the region of overlap.")));
	return e;
}

void
hte_option_mismatch(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s differs between rows", what),
			 errhint("Pass the %s as a constant.", what)));
}
