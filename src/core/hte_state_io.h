/*
 * hte_state_io.h — byte-level parsing and validation of the serialized
 * (bytea) states of interaction_test(y, treated, x, se_type), of
 * ate/interaction_test(y, treated, covariates float8[], se_type) and of
 * cate_by/heterogeneity_test, so that everything but PostgreSQL's own
 * type receive functions can be unit-tested and fuzzed without a server.
 * (qte's serialized state is parsed in hte_quantile.c.)
 *
 * Plain C99, no PostgreSQL headers, no allocation: the parsers only read
 * the caller's buffer (never past len) and fill the caller's structs, so a
 * callback may leave by longjmp (as PostgreSQL's ereport does) without
 * leaking.  Each returns NULL when the bytes are valid, else a sentence
 * saying what is wrong (the errdetail of "invalid ... state").
 */
#ifndef HTE_STATE_IO_H
#define HTE_STATE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hte_comoments.h"
#include "hte_interaction.h"
#include "hte_moments.h"
#include "hte_mvmoments.h"
#include "hte_obs.h"
#include "hte_quantile.h"		/* HteInterruptFn */

/* ------------------------------------------------------------------------
 * interaction_test (four-argument form), native byte order (parallel
 * workers share the machine):
 *   uint32  magic HTE_IT4_MAGIC, uint32 format version 1, uint32 se_type,
 *   uint32  zero,
 *   2 x HteArmXY (23 doubles each: control, treated),
 *   for HC2/HC3 only: the pairs of arm 0 (all x, then all y), then arm 1;
 *   their counts are the arms' n.
 */
#define HTE_IT4_MAGIC		0x68746534	/* "hte4" */
#define HTE_IT4_VERSION		1
#define HTE_IT4_HEADER		16
#define HTE_IT4_FIXED		(HTE_IT4_HEADER + 2 * sizeof(HteArmXY))

typedef struct HteIt4Parsed
{
	HteSeType	se_type;
	HteArmXY	arm[2];			/* validated (hte_armxy_check) */
	bool		has_pairs;		/* HC2, HC3 */
	uint64_t	n[2];			/* pairs per arm (the arms' counts) */
	size_t		x_offset[2];	/* byte offsets of each arm's x, then y */
	size_t		y_offset[2];
} HteIt4Parsed;

/* true when the variance type keeps the (x, y) pairs (HC2, HC3). */
bool		hte_it4_keeps_pairs(HteSeType t);

/*
 * Payload size of a state with `rows` pairs in all (0 unless HC2/HC3), or
 * 0 when it would exceed max_bytes.
 */
size_t		hte_it4_size(uint64_t rows, size_t max_bytes);

/* Write the header and both arms (HTE_IT4_FIXED bytes). */
void		hte_it4_write_fixed(unsigned char *buf, HteSeType type,
								const HteArmXY arm[2]);

/*
 * Validate a payload of len bytes completely — header, se_type, both arms,
 * length against the counts, every pair finite — and fill *out.
 */
const char *hte_it4_parse(const unsigned char *buf, size_t len, HteIt4Parsed *out,
						  HteInterruptFn check_interrupts);

/* ------------------------------------------------------------------------
 * ate(y, treated, covariates, se_type) and interaction_test(y, treated,
 * moderators, se_type), one state, native byte order:
 *   uint32  magic HTE_COV4_MAGIC, uint32 format version 1, uint32 se_type,
 *   uint32  p + 1, or 0 before the first row (then nothing follows);
 *   uint64  rows kept of arm 0, of arm 1: for HC2/HC3 each arm's count
 *           plus its pending rows, 0 otherwise;
 *   the covariate state of hte_lin.h, hte_cov_state_len doubles (layout
 *   tag, p, pending counts, both arms' moments, both row buffers);
 *   the kept rows of arm 0 (p + 1 doubles each: x_1..x_p, y), then of arm 1.
 */
#define HTE_COV4_MAGIC		0x68746535	/* "hte5" */
#define HTE_COV4_VERSION	1
#define HTE_COV4_HEADER		16
#define HTE_COV4_FIXED		(HTE_COV4_HEADER + 2 * sizeof(uint64_t))

typedef struct HteCov4Parsed
{
	HteSeType	se_type;
	int			p;				/* -1: no row yet (nothing follows) */
	bool		keeps_rows;		/* HC2, HC3 */
	uint64_t	rows[2];		/* kept rows per arm */
	size_t		rows_offset[2]; /* byte offset of each arm's rows */
} HteCov4Parsed;

/* true when the variance type keeps the rows (HC2, HC3). */
bool		hte_cov4_keeps_rows(HteSeType t);

/*
 * Payload size of a state for table t (NULL: before the first row) with
 * `rows` kept rows in all, or 0 when it would exceed max_bytes.
 */
size_t		hte_cov4_size(const HteMvTable *t, uint64_t rows, size_t max_bytes);

/*
 * Write the header and, when t is not NULL, the row counts and the state s
 * (hte_cov_state_len(t) doubles); returns the bytes written, where the
 * kept rows go.
 */
size_t		hte_cov4_write(unsigned char *buf, HteSeType type, const HteMvTable *t,
						   const double *s, const uint64_t rows[2]);

/*
 * First step: validate the header and fill se_type, p and keeps_rows
 * (and, for p >= 0, the row counts as written, checked by the second
 * step, after checking that len can hold a state for p, so that a short
 * input does not make the caller build a large table).  A state before the
 * first row (p = -1) is then complete.
 */
const char *hte_cov4_parse_header(const unsigned char *buf, size_t len, HteCov4Parsed *out);

/*
 * Second step, for p >= 0: t is the table for out->p, s room for
 * hte_cov_state_len(t) doubles, which receives the state (aligned: buf
 * need not be).  Validates the state completely (hte_cov_state_check),
 * the row counts against the arms, the length, every row finite, and
 * fills rows_offset.
 */
const char *hte_cov4_parse(const unsigned char *buf, size_t len, const HteMvTable *t,
						   double *s, HteCov4Parsed *out, HteInterruptFn check_interrupts);

/* ------------------------------------------------------------------------
 * cate_by / heterogeneity_test, network (big-endian) byte order, as
 * PostgreSQL's pq_send* functions write it:
 *   int32 magic HTE_SG_MAGIC, int32 version 2, int32 method (-1: none
 *   given), uint32 subgroup type OID, int32 typmod, uint32 collation OID
 *   (the aggregate's input collation, for hashing and ordering the keys:
 *   a deserialize function is not told it), int32 has_null (0/1),
 *   [has_null: the NULL subgroup's arms, 2 x HTE_ARM_LEN float8],
 *   int64 number of keys, then per key:
 *     arms (2 x HTE_ARM_LEN float8: control, treated), int32 length,
 *     that many key bytes (the type's binary send format).
 */
#define HTE_SG_MAGIC		0x68746533	/* "hte3" */
#define HTE_SG_VERSION		2
#define HTE_SG_HEADER		28	/* seven int32 */
#define HTE_SG_ARMS_BYTES	(2 * HTE_ARM_LEN * 8)

typedef struct HteSgHeader
{
	int32_t		method;			/* -1 or a HtePAdjust */
	uint32_t	type;			/* the subgroup type's OID, unchecked */
	int32_t		typmod;
	uint32_t	collation;		/* the collation's OID, unchecked */
	bool		has_null;
	HteArm		null_arm[2];	/* validated when has_null */
	int64_t		nkeys;			/* bounded by the length */
	size_t		keys_offset;
} HteSgHeader;

/* Parse and validate the header (and NULL subgroup's arms). */
const char *hte_sg_parse_header(const unsigned char *buf, size_t len, HteSgHeader *hdr);

/*
 * Called for each key: its arms (validated), its bytes (key[0..keylen-1],
 * inside the buffer).  Returns NULL to go on, else the sentence why the
 * state is invalid (the walk returns it).
 */
typedef const char *(*HteSgKeyFn) (void *arg, const HteArm arm[2],
								   const unsigned char *key, size_t keylen);

/*
 * Walk the keys after a successful hte_sg_parse_header: each key's arms and
 * length are checked, and the whole payload must be consumed.  With key_fn
 * NULL this only validates the structure.
 */
const char *hte_sg_walk_keys(const unsigned char *buf, size_t len, const HteSgHeader *hdr,
							 HteSgKeyFn key_fn, void *arg,
							 HteInterruptFn check_interrupts);

/* Big-endian writers for the cate_by format (tests, seed generation). */
void		hte_sg_put_u32(unsigned char *p, uint32_t v);
void		hte_sg_put_u64(unsigned char *p, uint64_t v);
void		hte_sg_put_arms(unsigned char *p, const HteArm arm[2]);


/* ------------------------------------------------------------------------
 * The kept rows of estimands, propensity_model, overlap_check and
 * balance_table (hte_obs.h), native byte order:
 *   uint32  magic HTE_OBS_MAGIC, uint32 format version 1,
 *   uint32  kind (HteObsKind), uint32 shared (1: the outcome and treatment
 *           covariates are the same columns, stored once),
 *   int32   po, int32 pt (-1 before the first row), int32 method,
 *   int32   link, int32 estimand, uint32 zero,
 *   uint64  n rows,
 *   n rows of width doubles: the outcome (estimands only), the treatment
 *   (0 or 1), the po outcome covariates, then (unless shared) the pt
 *   treatment covariates.
 */
#define HTE_OBS_MAGIC		0x6874656f	/* "hteo" */
#define HTE_OBS_VERSION		1
#define HTE_OBS_HEADER		48

typedef enum HteObsKind
{
	HTE_OBS_KIND_ESTIMANDS = 0,
	HTE_OBS_KIND_PROPENSITY = 1,	/* propensity_model and overlap_check */
	HTE_OBS_KIND_BALANCE = 2
} HteObsKind;

typedef struct HteObsHeader
{
	HteObsKind	kind;
	bool		shared;
	int32_t		po,
				pt,
				method,
				link,
				estimand;
	uint64_t	n;
} HteObsHeader;

/* Doubles per row for a header (po, pt >= 0). */
int			hte_obs_row_width(const HteObsHeader *h);

/* Write the header (HTE_OBS_HEADER bytes). */
void		hte_obs_write_header(unsigned char *buf, const HteObsHeader *h);

/*
 * Validate a payload of len bytes completely — header fields in range and
 * consistent with the kind, length equal to the header plus n rows, every
 * value finite, every treatment 0 or 1 — and fill *out; the rows start at
 * buf + HTE_OBS_HEADER.
 */
const char *hte_obs_parse(const unsigned char *buf, size_t len, HteObsHeader *out,
						  HteInterruptFn check_interrupts);

/* ------------------------------------------------------------------------
 * Stored states: the external forms of the types hte_ate_state,
 * hte_interaction_state and hte_adjusted_state, whose values are the
 * stored (compact) form of the float8[] aggregate states of ate (layout tag
 * 1), interaction_test (tag 2) and the covariate moments (tag 3).  The tag
 * names the kind; these functions check the envelope and that every value
 * is finite, the caller the state's contents (hte_ate_state_check, ...).
 *
 * Text, exact whatever extra_float_digits is: "<name>/<version>:{v,v,...}"
 * (e.g. "ate/1:{1,2,...}"), each value the shortest decimal that reads
 * back to the same double, optional blanks around the whole.
 *
 * Binary (send/recv), network byte order: uint8 version, uint8 tag,
 * uint16 zero, uint32 n, then n IEEE doubles.
 */
#define HTE_STORED_VERSION	1
#define HTE_STORED_BIN_HEADER 8

/* "ate", "interaction", "adjusted" for tags 1, 2, 3; NULL otherwise. */
const char *hte_stored_name(int tag);

/* Bytes, with the terminating NUL, that the text form of n values takes at most. */
size_t		hte_stored_text_bound(size_t n);

/* Write the text form into out (hte_stored_text_bound(n) bytes); its length. */
size_t		hte_stored_text_write(int tag, const double *v, size_t n, char *out);

/*
 * Check the text form's envelope (name, version, braces, blanks) and count
 * its values (*n, at most max): a first pass before the caller allocates.
 */
const char *hte_stored_text_count(const char *in, int tag, size_t max, size_t *n);

/* Read the n values counted above into out; each must be a finite number. */
const char *hte_stored_text_read(const char *in, double *out, size_t n);

/* Write the binary form (HTE_STORED_BIN_HEADER + 8 n bytes). */
void		hte_stored_bin_write(int tag, const double *v, size_t n, unsigned char *out);

/*
 * Check the binary form's header against len and tag, and count its values
 * (*n, at most max); then hte_stored_bin_read copies them (finite) to out.
 */
const char *hte_stored_bin_count(const unsigned char *buf, size_t len, int tag,
								 size_t max, size_t *n);
const char *hte_stored_bin_read(const unsigned char *buf, double *out, size_t n);

#endif							/* HTE_STATE_IO_H */
