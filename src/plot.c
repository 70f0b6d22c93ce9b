/*
 * plot.c — PostgreSQL glue of the pictures (issue 16): the options
 * (jsonb), the forest_plot / forest_plot_text aggregates over result rows
 * (kept rows in an internal state, serialized for parallel plans and
 * Citus), forest_plot(hte_subgroup[]) with the overall effect rebuilt from
 * the subgroups' arms, and qte_plot(hte_qte[]).  The drawing is in
 * src/core/hte_plot.c.
 *
 * Encodings: labels and option strings are converted to UTF-8 for the
 * core; the SVG comes back as ASCII (valid in every encoding); the text
 * form comes back as UTF-8 and is converted to the server encoding, ASCII
 * only by default when that is not UTF-8.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

#include "hte.h"
#include "core/hte_ate.h"
#include "core/hte_plot.h"

/* ------------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------------
 */
typedef enum PlotKind
{
	PLOT_FOREST,				/* the aggregate over result rows */
	PLOT_SUBGROUPS,				/* forest_plot(hte_subgroup[]) */
	PLOT_QTE					/* qte_plot(hte_qte[]) */
} PlotKind;

typedef enum OverallMode
{
	OVERALL_DEFAULT,			/* pooled rows / rebuilt ATE / none (QTE) */
	OVERALL_NONE,
	OVERALL_GIVEN
} OverallMode;

typedef struct PlotOpts
{
	HtePlotOptions o;
	OverallMode overall_mode;
	HtePlotRow	overall;		/* OVERALL_GIVEN */
	int			counts;			/* -1 default, 0, 1 */
} PlotOpts;

static const char *
fn_name(PlotKind kind, bool text)
{
	if (kind == PLOT_QTE)
		return text ? "qte_plot_text" : "qte_plot";
	return text ? "forest_plot_text" : "forest_plot";
}

static const char *
option_keys(PlotKind kind, bool text)
{
	if (kind == PLOT_QTE)
		return text ? "title, xlabel, width, digits, reference, overall, counts, ascii" :
			"title, xlabel, ylabel, width, height, reference, overall";
	return text ? "title, xlabel, width, digits, max_label, log_scale, reference, overall, counts, ascii" :
		"title, xlabel, width, height, digits, max_label, log_scale, reference, overall, counts";
}

typedef struct OptCtx
{
	PlotKind	kind;
	bool		text;
} OptCtx;

pg_noreturn static void
opt_error(const OptCtx *c, const char *key, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s option \"%s\" %s", fn_name(c->kind, c->text), key, what),
			 errhint("Options are a JSON object with the keys %s.", option_keys(c->kind, c->text))));
}

static double
opt_number(const OptCtx *c, const char *key, const JsonbValue *v)
{
	double		d;

	if (v->type != jbvNumeric)
		opt_error(c, key, "must be a number");
	d = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
	if (!isfinite(d))
		opt_error(c, key, "must be a finite number");
	return d;
}

static int
opt_int(const OptCtx *c, const char *key, const JsonbValue *v, int lo, int hi)
{
	double		d = opt_number(c, key, v);

	if (d != floor(d) || d < lo || d > hi)
	{
		char		what[80];

		snprintf(what, sizeof what, "must be a whole number from %d to %d", lo, hi);
		opt_error(c, key, what);
	}
	return (int) d;
}

static bool
opt_bool(const OptCtx *c, const char *key, const JsonbValue *v)
{
	if (v->type != jbvBool)
		opt_error(c, key, "must be true or false");
	return v->val.boolean;
}

/* a string option, in UTF-8 */
static const char *
opt_string(const OptCtx *c, const char *key, const JsonbValue *v, size_t *len)
{
	char	   *s;
	char	   *u;

	if (v->type != jbvString)
		opt_error(c, key, "must be a string");
	s = pnstrdup(v->val.string.val, v->val.string.len);
	u = pg_server_to_any(s, v->val.string.len, PG_UTF8);
	*len = strlen(u);
	return u;
}

/* "overall": false, true, a number or {"label", "estimate", "ci_lower", "ci_upper", "n"} */
static void
opt_overall(const OptCtx *c, JsonbValue *v, PlotOpts *po)
{
	HtePlotRow *r = &po->overall;

	memset(r, 0, sizeof *r);
	r->estimate = r->ci_lower = r->ci_upper = r->n = r->x = NAN;
	r->label = "Overall";
	r->label_len = strlen(r->label);
	if (v->type == jbvBool)
	{
		po->overall_mode = v->val.boolean ? OVERALL_DEFAULT : OVERALL_NONE;
		if (v->val.boolean && c->kind == PLOT_QTE)
			opt_error(c, "overall", "must be false, a number or an object with an \"estimate\" (qte_plot has no overall effect of its own)");
		return;
	}
	po->overall_mode = OVERALL_GIVEN;
	if (v->type == jbvNumeric)
	{
		r->estimate = opt_number(c, "overall", v);
		return;
	}
	if (v->type == jbvBinary)
	{
		JsonbIterator *it = JsonbIteratorInit(v->val.binary.data);
		JsonbValue	k,
					x;
		JsonbIteratorToken tok;
		int			depth = 0;

		while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
		{
			char	   *key;

			if (tok == WJB_BEGIN_OBJECT)
			{
				depth++;
				continue;
			}
			if (tok == WJB_BEGIN_ARRAY || tok == WJB_ELEM)
				opt_error(c, "overall", "must be false, a number or an object");
			if (tok != WJB_KEY)
				continue;
			key = pnstrdup(k.val.string.val, k.val.string.len);
			(void) JsonbIteratorNext(&it, &x, true);
			if (x.type == jbvNull && strcmp(key, "label") != 0)
				continue;		/* a NULL limit: no interval */
			if (strcmp(key, "label") == 0)
				r->label = x.type == jbvNull ? NULL : opt_string(c, "overall.label", &x, &r->label_len);
			else if (strcmp(key, "estimate") == 0)
				r->estimate = opt_number(c, "overall.estimate", &x);
			else if (strcmp(key, "ci_lower") == 0)
				r->ci_lower = opt_number(c, "overall.ci_lower", &x);
			else if (strcmp(key, "ci_upper") == 0)
				r->ci_upper = opt_number(c, "overall.ci_upper", &x);
			else if (strcmp(key, "n") == 0)
				r->n = opt_number(c, "overall.n", &x);
			else
				opt_error(c, "overall", "takes the keys label, estimate, ci_lower, ci_upper and n");
			pfree(key);
		}
		if (depth != 1)
			opt_error(c, "overall", "must be false, a number or an object");
		return;
	}
	opt_error(c, "overall", "must be false, a number or an object");
}

static void
parse_options(Jsonb *j, PlotKind kind, bool text, PlotOpts *po)
{
	OptCtx		c = {kind, text};
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	HtePlotOptions *o = &po->o;

	hte_plot_defaults(o);
	o->conf_level = hte_get_confidence_level();
	o->ascii = GetDatabaseEncoding() != PG_UTF8;
	po->overall_mode = OVERALL_DEFAULT;
	po->counts = -1;
	if (j == NULL)
		return;
	if (!JB_ROOT_IS_OBJECT(j) || JB_ROOT_IS_SCALAR(j))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s options must be a JSON object", fn_name(kind, text)),
				 errhint("For example '{\"title\": \"Effect by school\", \"width\": 800}'; '{}' gives the defaults.")));
	it = JsonbIteratorInit(&j->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *key;
		bool		svg_only,
					text_only,
					forest_only,
					qte_only;

		if (tok != WJB_KEY)
			continue;
		key = pnstrdup(v.val.string.val, v.val.string.len);
		tok = JsonbIteratorNext(&it, &v, true);
		if (tok != WJB_VALUE)
			opt_error(&c, key, "has no value");
		svg_only = strcmp(key, "height") == 0;
		text_only = strcmp(key, "ascii") == 0;
		forest_only = strcmp(key, "log_scale") == 0 || strcmp(key, "max_label") == 0;
		qte_only = strcmp(key, "ylabel") == 0;
		if ((svg_only && text) || (text_only && !text) || (forest_only && kind == PLOT_QTE) ||
			(qte_only && (kind != PLOT_QTE || text)) ||
			(kind == PLOT_QTE && !text && (strcmp(key, "counts") == 0 || strcmp(key, "digits") == 0)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s has no option \"%s\"", fn_name(kind, text), key),
					 errhint("Options are a JSON object with the keys %s.", option_keys(kind, text))));
		if (strcmp(key, "title") == 0)
			o->title = opt_string(&c, key, &v, &o->title_len);
		else if (strcmp(key, "xlabel") == 0)
			o->xlabel = opt_string(&c, key, &v, &o->xlabel_len);
		else if (strcmp(key, "ylabel") == 0)
			o->ylabel = opt_string(&c, key, &v, &o->ylabel_len);
		else if (strcmp(key, "width") == 0)
			o->width = text ? opt_int(&c, key, &v, 40, 1000) : opt_int(&c, key, &v, 240, 20000);
		else if (strcmp(key, "height") == 0)
			o->height = opt_int(&c, key, &v, 120, 100000);
		else if (strcmp(key, "digits") == 0)
			o->digits = opt_int(&c, key, &v, 0, 10);
		else if (strcmp(key, "max_label") == 0)
			o->max_label = opt_int(&c, key, &v, 4, 1000);
		else if (strcmp(key, "log_scale") == 0)
			o->log_scale = opt_bool(&c, key, &v);
		else if (strcmp(key, "reference") == 0)
			o->reference = opt_number(&c, key, &v);
		else if (strcmp(key, "ascii") == 0)
			o->ascii = opt_bool(&c, key, &v);
		else if (strcmp(key, "counts") == 0)
			po->counts = opt_bool(&c, key, &v) ? 1 : 0;
		else if (strcmp(key, "overall") == 0)
			opt_overall(&c, &v, po);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s has no option \"%s\"", fn_name(kind, text), key),
					 errhint("Options are a JSON object with the keys %s.", option_keys(kind, text))));
		pfree(key);
	}
}

/* ------------------------------------------------------------------------
 * Rendering
 * ------------------------------------------------------------------------
 */
static void
emit_stringinfo(void *ctx, const char *s, size_t len)
{
	appendBinaryStringInfo((StringInfo) ctx, s, (int) len);
}

/* a label in UTF-8 for the core (NULL stays NULL) */
static void
row_label_utf8(HtePlotRow *r)
{
	if (r->label != NULL)
	{
		char	   *u = pg_server_to_any(r->label, (int) r->label_len, PG_UTF8);

		if (u != r->label)
		{
			r->label = u;
			r->label_len = strlen(u);
		}
	}
}

typedef const char *(*Renderer) (const HtePlotRow *rows, size_t n, const HtePlotRow *overall,
								  const HtePlotOptions *o, HtePlotEmit emit, void *ctx);

static text *
render(PlotKind kind, bool text_form, HtePlotRow *rows, size_t n, const HtePlotRow *overall,
	   const PlotOpts *po)
{
	StringInfoData buf;
	Renderer	fn;
	const char *why;
	HtePlotRow	ov;
	text	   *result;

	for (size_t i = 0; i < n; i++)
		row_label_utf8(&rows[i]);
	if (overall != NULL)
	{
		ov = *overall;
		row_label_utf8(&ov);
		overall = &ov;
	}
	if (kind == PLOT_QTE)
		fn = text_form ? hte_qte_plot_text : hte_qte_plot_svg;
	else
		fn = text_form ? hte_forest_plot_text : hte_forest_plot_svg;
	initStringInfo(&buf);
	why = fn(rows, n, overall, &po->o, emit_stringinfo, &buf);
	if (why != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot draw the %s: %s", kind == PLOT_QTE ? "QTE profile" : "forest plot", why),
				 errhint("Estimates and limits must be finite (NULL when not estimable), ci_lower <= ci_upper, and positive on a log scale.")));
	if (text_form)
	{
		char	   *s = pg_any_to_server(buf.data, buf.len, PG_UTF8);

		result = cstring_to_text(s);
	}
	else
		result = cstring_to_text_with_len(buf.data, buf.len);
	pfree(buf.data);
	return result;
}

/* ------------------------------------------------------------------------
 * The aggregates forest_plot(label, estimate, ci_lower, ci_upper [, n] [, options])
 * ------------------------------------------------------------------------
 */
typedef struct PlotState
{
	HtePlotRow *rows;			/* labels palloc'd in the aggregate context */
	int			nrows;
	int			cap;
	bool		has_counts;		/* the n argument */
	char	   *opts;			/* options as jsonb text; NULL: none */
	struct varlena *opts_raw;	/* a row's options as they came, to compare the
								 * next rows' with without converting them */
} PlotState;

static PlotState *
plot_state_new(MemoryContext ctx)
{
	PlotState  *st = MemoryContextAllocZero(ctx, sizeof(PlotState));

	st->cap = 16;
	st->rows = MemoryContextAlloc(ctx, st->cap * sizeof(HtePlotRow));
	return st;
}

static void
plot_state_push(PlotState *st, MemoryContext ctx, const HtePlotRow *r)
{
	if (st->nrows >= HTE_PLOT_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("forest_plot takes at most %d rows", HTE_PLOT_MAX_ROWS),
				 errhint("Plot results, one row per subgroup (e.g. from cate_by or GROUP BY), not the table's rows.")));
	if (st->nrows == st->cap)
	{
		st->cap *= 2;
		st->rows = repalloc(st->rows, st->cap * sizeof(HtePlotRow));
	}
	st->rows[st->nrows] = *r;
	if (r->label != NULL)
	{
		char	   *l = MemoryContextAlloc(ctx, r->label_len + 1);

		memcpy(l, r->label, r->label_len);
		l[r->label_len] = '\0';
		st->rows[st->nrows].label = l;
	}
	st->nrows++;
}

static double
arg_double(FunctionCallInfo fcinfo, int argno, const char *what)
{
	if (PG_ARGISNULL(argno))
		return NAN;
	return hte_finite(PG_GETARG_FLOAT8(argno), what);
}

static Datum
plot_trans(FunctionCallInfo fcinfo, bool has_n, bool has_opts)
{
	MemoryContext aggctx;
	MemoryContext old;
	PlotState  *st;
	HtePlotRow	r;
	int			optarg = has_n ? 6 : 5;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "forest_plot transition function called in a non-aggregate context");
	st = PG_ARGISNULL(0) ? NULL : (PlotState *) PG_GETARG_POINTER(0);
	old = MemoryContextSwitchTo(aggctx);
	if (st == NULL)
	{
		st = plot_state_new(aggctx);
		st->has_counts = has_n;
		if (has_opts)
			st->opts = PG_ARGISNULL(optarg) ? pstrdup("{}") :
				DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(optarg)));
	}
	else if (has_opts)
	{
		struct varlena *raw = PG_ARGISNULL(optarg) ? NULL :
			(struct varlena *) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(optarg));

		/* the same bytes as a row before: the same options, no conversion */
		if (raw == NULL || st->opts_raw == NULL || VARSIZE_ANY(raw) != VARSIZE_ANY(st->opts_raw) ||
			memcmp(raw, st->opts_raw, VARSIZE_ANY(raw)) != 0)
		{
			char	   *o = raw == NULL ? pstrdup("{}") :
				DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(optarg)));

			if (st->opts == NULL || strcmp(o, st->opts) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("forest_plot options must be the same on every row"),
						 errhint("Pass the options as a constant.")));
			pfree(o);
			if (raw != NULL && st->opts_raw == NULL)
			{
				st->opts_raw = palloc(VARSIZE_ANY(raw));
				memcpy(st->opts_raw, raw, VARSIZE_ANY(raw));
			}
		}
	}
	MemoryContextSwitchTo(old);

	memset(&r, 0, sizeof r);
	if (PG_ARGISNULL(1))
		r.label = NULL;
	else
	{
		text	   *t = PG_GETARG_TEXT_PP(1);

		r.label = VARDATA_ANY(t);
		r.label_len = VARSIZE_ANY_EXHDR(t);
	}
	r.estimate = arg_double(fcinfo, 2, "estimate");
	r.ci_lower = arg_double(fcinfo, 3, "ci_lower");
	r.ci_upper = arg_double(fcinfo, 4, "ci_upper");
	r.n = NAN;
	r.x = NAN;
	if (has_n && !PG_ARGISNULL(5))
	{
		int64		n = PG_GETARG_INT64(5);

		if (n < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("forest_plot count " INT64_FORMAT " is negative", n)));
		r.n = (double) n;
	}
	if (!isnan(r.ci_lower) && !isnan(r.ci_upper) && r.ci_lower > r.ci_upper)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("forest_plot ci_lower %g is above ci_upper %g", r.ci_lower, r.ci_upper),
				 errhint("Pass the interval's lower limit, then its upper limit.")));
	plot_state_push(st, aggctx, &r);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(hte_forest_plot_trans);
Datum
hte_forest_plot_trans(PG_FUNCTION_ARGS)
{
	return plot_trans(fcinfo, false, false);
}

PG_FUNCTION_INFO_V1(hte_forest_plot_trans_o);
Datum
hte_forest_plot_trans_o(PG_FUNCTION_ARGS)
{
	return plot_trans(fcinfo, false, true);
}

PG_FUNCTION_INFO_V1(hte_forest_plot_trans_no);
Datum
hte_forest_plot_trans_no(PG_FUNCTION_ARGS)
{
	return plot_trans(fcinfo, true, true);
}

PG_FUNCTION_INFO_V1(hte_forest_plot_combine);
Datum
hte_forest_plot_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	PlotState  *a,
			   *b;
	MemoryContext old;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "forest_plot combine function called in a non-aggregate context");
	a = PG_ARGISNULL(0) ? NULL : (PlotState *) PG_GETARG_POINTER(0);
	b = PG_ARGISNULL(1) ? NULL : (PlotState *) PG_GETARG_POINTER(1);
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	old = MemoryContextSwitchTo(aggctx);
	if (a == NULL)
	{
		a = plot_state_new(aggctx);
		a->has_counts = b->has_counts;
		a->opts = b->opts != NULL ? pstrdup(b->opts) : NULL;
	}
	else if ((a->opts == NULL) != (b->opts == NULL) ||
			 (a->opts != NULL && strcmp(a->opts, b->opts) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("forest_plot options must be the same on every row"),
				 errhint("Pass the options as a constant.")));
	for (int i = 0; i < b->nrows; i++)
		plot_state_push(a, aggctx, &b->rows[i]);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(hte_forest_plot_serial);
Datum
hte_forest_plot_serial(PG_FUNCTION_ARGS)
{
	PlotState  *st = (PlotState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	bytea	   *out;

	initStringInfo(&buf);
	appendStringInfoSpaces(&buf, VARHDRSZ);
	hte_plot_state_write(st->rows, st->nrows, st->has_counts, st->opts,
						 st->opts != NULL ? strlen(st->opts) : 0, emit_stringinfo, &buf);
	out = (bytea *) buf.data;
	SET_VARSIZE(out, buf.len);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(hte_forest_plot_deserial);
Datum
hte_forest_plot_deserial(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const unsigned char *buf = (const unsigned char *) VARDATA_ANY(b);
	size_t		len = VARSIZE_ANY_EXHDR(b);
	MemoryContext aggctx;
	MemoryContext old;
	PlotState  *st;
	size_t		n,
				off,
				opts_len;
	bool		has_counts;
	const char *opts;
	const char *why;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "forest_plot deserialization function called in a non-aggregate context");
	why = hte_plot_state_check(buf, len, &n, &has_counts, &opts, &opts_len, &off);
	if (why != NULL)
		hte_invalid_state("forest_plot", why);
	old = MemoryContextSwitchTo(aggctx);
	st = plot_state_new(aggctx);
	st->has_counts = has_counts;
	if (opts_len > 0)
	{
		st->opts = pnstrdup(opts, opts_len);
		/* only text that jsonb_in accepts (and it must verify as the server's encoding) */
		pg_verifymbstr(st->opts, (int) opts_len, false);
		(void) DirectFunctionCall1(jsonb_in, CStringGetDatum(st->opts));
	}
	for (size_t i = 0; i < n; i++)
	{
		HtePlotRow	r;

		hte_plot_state_next(buf, &off, &r);
		if (r.label != NULL)
			pg_verifymbstr(r.label, (int) r.label_len, false);
		if (!isnan(r.ci_lower) && !isnan(r.ci_upper) && r.ci_lower > r.ci_upper)
			hte_invalid_state("forest_plot", "A lower limit is above its upper limit.");
		plot_state_push(st, aggctx, &r);
	}
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

static Datum
plot_final(FunctionCallInfo fcinfo, bool text_form)
{
	PlotState  *st = PG_ARGISNULL(0) ? NULL : (PlotState *) PG_GETARG_POINTER(0);
	PlotOpts	po;
	HtePlotRow *rows;
	HtePlotRow	pooled;
	const HtePlotRow *overall = NULL;

	if (st == NULL || st->nrows == 0)
		PG_RETURN_NULL();
	parse_options(st->opts != NULL ?
				  DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(st->opts))) : NULL,
				  PLOT_FOREST, text_form, &po);
	po.o.show_counts = st->has_counts && po.counts != 0;
	/* a copy: the final function may run more than once on the same state */
	rows = palloc(st->nrows * sizeof(HtePlotRow));
	memcpy(rows, st->rows, st->nrows * sizeof(HtePlotRow));
	if (po.overall_mode == OVERALL_GIVEN)
		overall = &po.overall;
	else if (po.overall_mode == OVERALL_DEFAULT &&
			 hte_plot_pool(rows, st->nrows, po.o.conf_level, po.o.log_scale, &pooled))
	{
		pooled.label = "Pooled (fixed effect)";
		pooled.label_len = strlen(pooled.label);
		if (!st->has_counts)
			pooled.n = NAN;
		overall = &pooled;
	}
	PG_RETURN_TEXT_P(render(PLOT_FOREST, text_form, rows, st->nrows, overall, &po));
}

PG_FUNCTION_INFO_V1(hte_forest_plot_final);
Datum
hte_forest_plot_final(PG_FUNCTION_ARGS)
{
	return plot_final(fcinfo, false);
}

PG_FUNCTION_INFO_V1(hte_forest_plot_text_final);
Datum
hte_forest_plot_text_final(PG_FUNCTION_ARGS)
{
	return plot_final(fcinfo, true);
}

/* ------------------------------------------------------------------------
 * forest_plot(hte_subgroup[]) and qte_plot(hte_qte[])
 * ------------------------------------------------------------------------
 */

/* the elements of a one-dimensional array of a row type (NULL elements left out) */
static Datum *
row_elements(ArrayType *a, int *n)
{
	Datum	   *elems;
	bool	   *nulls;
	int			k,
				m = 0;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("a plot takes a one-dimensional array")));
	get_typlenbyvalalign(ARR_ELEMTYPE(a), &typlen, &typbyval, &typalign);
	deconstruct_array(a, ARR_ELEMTYPE(a), typlen, typbyval, typalign, &elems, &nulls, &k);
	for (int i = 0; i < k; i++)
		if (!nulls[i])
			elems[m++] = elems[i];
	if (m > HTE_PLOT_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a plot takes at most %d rows", HTE_PLOT_MAX_ROWS)));
	*n = m;
	return elems;
}

static double
attr_double(HeapTupleHeader h, int attno)
{
	bool		isnull;
	Datum		d = GetAttributeByNum(h, (AttrNumber) attno, &isnull);
	double		v;

	if (isnull)
		return NAN;
	v = DatumGetFloat8(d);
	return hte_finite(v, "plotted");
}

static double
attr_count(HeapTupleHeader h, int attno)
{
	bool		isnull;
	Datum		d = GetAttributeByNum(h, (AttrNumber) attno, &isnull);

	if (isnull || DatumGetInt64(d) < 0)
		return NAN;
	return (double) DatumGetInt64(d);
}

static Jsonb *
opts_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_NARGS() > argno && !PG_ARGISNULL(argno) ? PG_GETARG_JSONB_P(argno) : NULL;
}

/*
 * The overall effect of cate_by's subgroups: ate(y, treated) over all their
 * rows, from each arm's n, mean and sd (exact up to rounding).  False when
 * an element lacks what that needs.
 */
static bool
subgroups_overall(Datum *elems, int n, double conf_level, HtePlotRow *out)
{
	HteArm		arm[2];
	HteAteResult r;

	memset(arm, 0, sizeof arm);
	for (int i = 0; i < n; i++)
	{
		HeapTupleHeader h = DatumGetHeapTupleHeader(elems[i]);

		for (int a = 0; a < 2; a++)
		{
			/* n_treated 8, n_control 9, mean_treated 10, mean_control 11, sd 12, 13 */
			double		cnt = attr_count(h, a == 1 ? 8 : 9);
			double		mean = attr_double(h, a == 1 ? 10 : 11);
			double		sd = attr_double(h, a == 1 ? 12 : 13);
			HteArm		b;

			if (isnan(cnt))
				return false;
			if (cnt == 0)
				continue;
			if (isnan(mean) || (cnt >= 2 && isnan(sd)))
				return false;
			memset(&b, 0, sizeof b);
			b.n = cnt;
			b.mean.hi = mean;
			b.m2.hi = cnt >= 2 ? (cnt - 1) * sd * sd : 0.0;
			if (!isfinite(b.m2.hi))
				return false;
			hte_counts_fit(arm[a].n, b.n, "forest_plot");
			hte_arm_merge(&arm[a], &b);
		}
	}
	if (!hte_ate_compute(&arm[0], &arm[1], conf_level, &r))
		return false;
	memset(out, 0, sizeof *out);
	out->label = "Overall";
	out->label_len = 7;
	out->estimate = isfinite(r.estimate) ? r.estimate : NAN;
	out->ci_lower = isfinite(r.ci_lower) ? r.ci_lower : NAN;
	out->ci_upper = isfinite(r.ci_upper) ? r.ci_upper : NAN;
	out->n = r.n_treated + r.n_control;
	out->x = NAN;
	return true;
}

static Datum
subgroups_plot(FunctionCallInfo fcinfo, bool text_form)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	PlotOpts	po;
	Datum	   *elems;
	HtePlotRow *rows;
	HtePlotRow	ov;
	const HtePlotRow *overall = NULL;
	int			n;

	parse_options(opts_arg(fcinfo, 1), PLOT_SUBGROUPS, text_form, &po);
	po.o.show_counts = po.counts != 0;
	elems = row_elements(a, &n);
	if (n == 0)
		PG_RETURN_NULL();
	rows = palloc0(n * sizeof(HtePlotRow));
	for (int i = 0; i < n; i++)
	{
		HeapTupleHeader h = DatumGetHeapTupleHeader(elems[i]);
		bool		isnull;
		Datum		label = GetAttributeByNum(h, 1, &isnull);
		double		nt = attr_count(h, 8),
					nc = attr_count(h, 9);

		if (isnull)
			rows[i].label = NULL;
		else
		{
			text	   *t = DatumGetTextPP(label);

			rows[i].label = VARDATA_ANY(t);
			rows[i].label_len = VARSIZE_ANY_EXHDR(t);
		}
		rows[i].estimate = attr_double(h, 2);
		rows[i].ci_lower = attr_double(h, 4);
		rows[i].ci_upper = attr_double(h, 5);
		rows[i].n = nt + nc;
		rows[i].x = NAN;
	}
	if (po.overall_mode == OVERALL_GIVEN)
		overall = &po.overall;
	else if (po.overall_mode == OVERALL_DEFAULT && subgroups_overall(elems, n, po.o.conf_level, &ov))
		overall = &ov;
	PG_RETURN_TEXT_P(render(PLOT_SUBGROUPS, text_form, rows, n, overall, &po));
}

PG_FUNCTION_INFO_V1(hte_forest_plot_subgroups);
Datum
hte_forest_plot_subgroups(PG_FUNCTION_ARGS)
{
	return subgroups_plot(fcinfo, false);
}

PG_FUNCTION_INFO_V1(hte_forest_plot_subgroups_text);
Datum
hte_forest_plot_subgroups_text(PG_FUNCTION_ARGS)
{
	return subgroups_plot(fcinfo, true);
}

static int
cmp_quantile(const void *a, const void *b)
{
	const HtePlotRow *x = a,
			   *y = b;

	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	/* ties keep the array's order: n holds the position */
	return x->n < y->n ? -1 : (x->n > y->n ? 1 : 0);
}

static Datum
qte_plot(FunctionCallInfo fcinfo, bool text_form)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	PlotOpts	po;
	Datum	   *elems;
	HtePlotRow *rows;
	double	   *counts;
	int			n;

	parse_options(opts_arg(fcinfo, 1), PLOT_QTE, text_form, &po);
	po.o.show_counts = po.counts == 1;
	elems = row_elements(a, &n);
	if (n == 0)
		PG_RETURN_NULL();
	rows = palloc0(n * sizeof(HtePlotRow));
	counts = palloc(n * sizeof(double));
	for (int i = 0; i < n; i++)
	{
		HeapTupleHeader h = DatumGetHeapTupleHeader(elems[i]);
		bool		isnull;
		Datum		q = GetAttributeByNum(h, 1, &isnull);

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("qte_plot needs the quantile of every element")));
		rows[i].x = DatumGetFloat8(q);
		if (!(rows[i].x >= 0 && rows[i].x <= 1))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("qte_plot quantile %g is outside [0, 1]", rows[i].x)));
		rows[i].estimate = attr_double(h, 2);
		rows[i].ci_lower = attr_double(h, 6);
		rows[i].ci_upper = attr_double(h, 7);
		counts[i] = attr_count(h, 9) + attr_count(h, 10);
		rows[i].n = i;
		rows[i].label = NULL;
	}
	qsort(rows, n, sizeof(HtePlotRow), cmp_quantile);
	for (int i = 0; i < n; i++)
		rows[i].n = counts[(int) rows[i].n];
	PG_RETURN_TEXT_P(render(PLOT_QTE, text_form, rows, n,
							po.overall_mode == OVERALL_GIVEN ? &po.overall : NULL, &po));
}

PG_FUNCTION_INFO_V1(hte_qte_plot_sql);
Datum
hte_qte_plot_sql(PG_FUNCTION_ARGS)
{
	return qte_plot(fcinfo, false);
}

PG_FUNCTION_INFO_V1(hte_qte_plot_text_sql);
Datum
hte_qte_plot_text_sql(PG_FUNCTION_ARGS)
{
	return qte_plot(fcinfo, true);
}
