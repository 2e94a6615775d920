/* SPDX-License-Identifier: MIT */
/*
 * Inside the scenario loader: the key tables and the engine that reads a
 * mapping through one (scenario_fields.c), shared by scenario.c (top level),
 * scenario_topology.c (smmus, devices, knobs, domains), scenario_events.c
 * (workload, events) and scenario_expect.c (expect).
 *
 * A key table is an array of struct scn_field ended by an entry with a
 * NULL key. Each entry says how one key of a mapping is read and where the
 * value goes in the entry's structure, so adding a plain key to the format
 * is one line in a table (and one row in docs/scenarios.md). Keys whose
 * value is a structure of its own (a list, a nested map, a cross-check)
 * are FT_CUSTOM with a parse function.
 */
#ifndef IOMMUSIM_SCENARIO_SCENARIO_INTERNAL_H
#define IOMMUSIM_SCENARIO_SCENARIO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "scenario/scenario.h"

/* Kinds of named entries a scenario refers to. */
enum scn_ref {
	REF_SMMU,
	REF_DEVICE,
	REF_DOMAIN,
	REF_NR,
};

/* The names defined so far of one kind, for lookups and suggestions. */
struct scn_names {
	const char **names;	/* NULL-terminated */
	uint32_t *idx;		/* index of the entry named names[i] */
	struct scn_pos *pos;	/* where names[i] is written */
	unsigned int n, cap;
};

/* One load in progress. */
struct loader {
	struct diag *d;
	struct scenario *scn;
	bool cpus_ok;			/* scn->cpus is valid */
	bool duration_ok;		/* scn->duration is valid */
	struct scn_names names[REF_NR];
};

enum scn_ftype {
	FT_STR,		/* const char *: any string */
	FT_NAME,	/* const char *: a name; max = longest length */
	FT_U32,		/* uint32_t / unsigned int in [min, max] */
	FT_U64,		/* uint64_t in [min, max] */
	FT_BOOL,	/* bool */
	FT_TIME,	/* uint64_t ns in [min, max] */
	FT_SIZE,	/* uint64_t bytes in [min, max] */
	FT_ENUM,	/* an enum (unsigned int): index in values */
	FT_ENUM_BOOL,	/* bool: values[0] is true, values[1] false */
	FT_CPU,		/* unsigned int: a CPU number below scn->cpus */
	FT_REF,		/* uint32_t: index of the entry named; min = enum scn_ref */
	FT_CUSTOM,	/* parse(): anything else */
};

/* The default text of a key whose absence means "not set". */
#define SCN_NODEF "(none)"

struct scn_field {
	const char *key;
	enum scn_ftype type;
	size_t off;		/* where the value goes in the object */
	int has_off;		/* a bool set when the key is given, or -1 */
	uint64_t min, max;
	const char *const *values;	/* FT_ENUM, FT_ENUM_BOOL */
	/*
	 * Default: NULL for a required key, SCN_NODEF for none (the field is
	 * left as the caller initialised it), else the text a file would
	 * write, applied when the key is absent (FT_CUSTOM and FT_REF:
	 * documentation only; the caller initialises the field).
	 */
	const char *def;
	/* FT_CUSTOM: read @n into @obj; false after reporting an error. */
	bool (*parse)(struct loader *L, const struct yt_node *n, void *obj);
};

#define SCN_REQUIRED NULL

#define F_(k, t, ty, f, lo, hi, vals, d)				\
	{ .key = (k), .type = (t), .off = offsetof(ty, f), .has_off = -1, \
	  .min = (lo), .max = (hi), .values = (vals), .def = (d) }
#define F_HAS(k, t, ty, f, has, lo, hi, vals)				\
	{ .key = (k), .type = (t), .off = offsetof(ty, f),		\
	  .has_off = (int)offsetof(ty, has), .min = (lo), .max = (hi),	\
	  .values = (vals), .def = SCN_NODEF }

#define F_STR(k, ty, f, d)		F_(k, FT_STR, ty, f, 0, 0, NULL, d)
#define F_NAME(k, ty, f, len, d)	F_(k, FT_NAME, ty, f, 1, len, NULL, d)
#define F_U32(k, ty, f, lo, hi, d)	F_(k, FT_U32, ty, f, lo, hi, NULL, d)
#define F_U64(k, ty, f, lo, hi, d)	F_(k, FT_U64, ty, f, lo, hi, NULL, d)
#define F_BOOL(k, ty, f, d)		F_(k, FT_BOOL, ty, f, 0, 1, NULL, d)
#define F_TIME(k, ty, f, lo, d)	F_(k, FT_TIME, ty, f, lo, UINT64_MAX, NULL, d)
#define F_SIZE(k, ty, f, lo, hi, d)	F_(k, FT_SIZE, ty, f, lo, hi, NULL, d)
#define F_ENUM(k, ty, f, vals, d)	F_(k, FT_ENUM, ty, f, 0, 0, vals, d)
#define F_CPU(k, ty, f)			F_(k, FT_CPU, ty, f, 0, 0, NULL, "0")
#define F_REF(k, ty, f, kind)	F_(k, FT_REF, ty, f, kind, 0, NULL, SCN_REQUIRED)
#define F_CUSTOM(k, fn, d)						\
	{ .key = (k), .type = FT_CUSTOM, .has_off = -1, .def = (d),	\
	  .parse = (fn) }
/* Optional keys without a default, with a flag saying they were given. */
#define F_OPT_U32(k, ty, f, has, lo, hi) F_HAS(k, FT_U32, ty, f, has, lo, hi, NULL)
#define F_OPT_ENUM(k, ty, f, has, vals)	F_HAS(k, FT_ENUM, ty, f, has, 0, 0, vals)
#define F_OPT_ENUM_BOOL(k, ty, f, has, vals) \
	F_HAS(k, FT_ENUM_BOOL, ty, f, has, 0, 0, vals)
#define F_OPT_REF(k, ty, f, has, kind)	F_HAS(k, FT_REF, ty, f, has, kind, 0, NULL)
#define F_END { .key = NULL }

/* ---- the engine (scenario_fields.c) ---- */

/*
 * scn_check_keys() - report every key of @map that none of the @ntabs
 * tables has, as yt_map_check_keys() does. When @other is given, a key
 * found only in @other gets @other_msg ("key 'K' OTHER_MSG") instead.
 * Return: true if every key is known (and @map is a mapping).
 */
bool scn_check_keys(struct loader *L, const struct yt_node *map,
		    const struct scn_field *const tabs[], unsigned int ntabs,
		    const struct scn_field *other, const char *other_msg);

/*
 * scn_read_fields() - read every key of @tab from @map into @obj: given
 * keys are parsed, absent required keys reported, absent keys with a
 * default get it. Unknown keys are not checked (scn_check_keys()).
 * Return: true when nothing was reported.
 */
bool scn_read_fields(struct loader *L, const struct yt_node *map,
		     const struct scn_field *tab, void *obj);

/* scn_parse_fields() - scn_check_keys() on @tab alone, then scn_read_fields(). */
bool scn_parse_fields(struct loader *L, const struct yt_node *map,
		      const struct scn_field *tab, void *obj);

/* scn_field_find() - the entry of @tab for @key, or NULL. */
const struct scn_field *scn_field_find(const struct scn_field *tab,
				       const char *key);

/*
 * scn_get_name() - a name: a letter, then letters, digits, '_', '-', '.',
 * at most @max characters.
 */
bool scn_get_name(struct loader *L, const struct yt_node *n, size_t max,
		  const char **out);

/*
 * scn_define() - record @name (written at @n) as the name of entry @idx of
 * @kind; reports a duplicate. Return: false on a duplicate.
 */
bool scn_define(struct loader *L, enum scn_ref kind, const struct yt_node *n,
		const char *name, uint32_t idx);

/* scn_ref() - resolve the name at @n to an entry of @kind, or report it. */
bool scn_ref(struct loader *L, enum scn_ref kind, const struct yt_node *n,
	     uint32_t *out);

/* scn_ref_name() - "device", "smmu", "domain". */
const char *scn_ref_name(enum scn_ref kind);

/* scn_error() - report at @n. */
void scn_error(struct loader *L, const struct yt_node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* scn_qtext() - @s for a message: cut, control characters as '?'. */
#define SCN_QBUF 64
const char *scn_qtext(char buf[SCN_QBUF], const char *s);

/* scn_format_time() - @ns as the largest unit dividing it ("20us"). */
#define SCN_TIMEBUF 32
const char *scn_format_time(char buf[SCN_TIMEBUF], uint64_t ns);

/* scn_pos_of() - the position of @n. */
static inline struct scn_pos scn_pos_of(const struct yt_node *n)
{
	return (struct scn_pos){ n->line, n->col };
}

/* scn_zalloc() - zeroed array of @n elements of @size; aborts when out of memory. */
void *scn_zalloc(size_t n, size_t size);

/*
 * scn_items() - the items of a sequence value, or report "expected a
 * sequence" and return 0 items.
 */
size_t scn_items(struct loader *L, const struct yt_node *n,
		 struct yt_node *const **items);

/*
 * scn_ref_list() - a sequence of names of @kind into a new array (*@out,
 * *@nout), each unique in the list ("device 'x' is listed twice"); when
 * @nodes is not NULL, *@nodes is set to a new array (the caller frees it)
 * of the node each name is written at.
 * Return: true when nothing was reported.
 */
bool scn_ref_list(struct loader *L, const struct yt_node *n,
		  enum scn_ref kind, uint32_t **out, unsigned int *nout,
		  const struct yt_node ***nodes);

/* ---- the sections (one per file) ---- */

bool scn_parse_smmus(struct loader *L, const struct yt_node *n, void *obj);
bool scn_parse_devices(struct loader *L, const struct yt_node *n, void *obj);
bool scn_parse_domains(struct loader *L, const struct yt_node *n, void *obj);
bool scn_parse_workload(struct loader *L, const struct yt_node *n, void *obj);
bool scn_parse_events(struct loader *L, const struct yt_node *n, void *obj);
bool scn_parse_expect(struct loader *L, const struct yt_node *n, void *obj);

/* SMMUv2 keys (scenario_smmuv2.c) */
bool scn_parse_fault_work(struct loader *L, const struct yt_node *n, void *obj);
bool scn_parse_irq_storm(struct loader *L, const struct yt_node *n, void *obj);
/* The cross-checks of SMMUv2 entries, after every section was read. */
void scn_check_smmuv2(struct loader *L, const struct yt_node *root);

/* I/O page fault keys (scenario_iopf.c) */
bool scn_parse_domain_mm(struct loader *L, const struct yt_node *n, void *obj);
bool scn_parse_fault_handler(struct loader *L, const struct yt_node *n, void *obj);
bool scn_parse_expect_iopf(struct loader *L, const struct yt_node *n, void *obj);
/* The IOPF keys of one domain mapping @m against its type. */
void scn_check_domain_iopf(struct loader *L, const struct yt_node *m,
			   const struct scn_domain *dom);
/* The IOPF rules that need the whole file (stall devices, stall SMMUs). */
void scn_check_iopf(struct loader *L, const struct yt_node *root);

/* Parse a knob map (the "knobs" section) into a new array of settings. */
bool scn_parse_knobs(struct loader *L, const struct yt_node *n,
		     struct scn_knob **out, unsigned int *nout);

/* scn_sort_events() - sort scn->events by time, ties in file order. */
void scn_sort_events(struct scenario *scn);

/* scn_free_*() - free what each section allocated. */
void scn_free_topology(struct scenario *scn);
void scn_free_events(struct scenario *scn);
void scn_free_expect(struct scenario *scn);

extern const struct scn_field scn_smmu_fields[];
extern const struct scn_field scn_irq_fields[];
extern const struct scn_field scn_device_fields[];
extern const struct scn_field scn_knob_fields[];
extern const struct scn_field scn_domain_fields[];
extern const struct scn_field scn_work_fields[];
extern const struct scn_field scn_dma_fields[];
extern const struct scn_field scn_churn_fields[];
extern const struct scn_field scn_dev_event_fields[];
extern const struct scn_field scn_smmu_event_fields[];
extern const struct scn_field scn_pasid_attach_fields[];
extern const struct scn_field scn_inject_fields[];
extern const struct scn_field scn_expect_fields[];
extern const struct scn_field scn_at_end_fields[];
extern const struct scn_field scn_fault_fields[];
extern const struct scn_field scn_irq_storm_fields[];
extern const char *const scn_context_irqs_names[];
extern const char *const scn_resume_names[];
extern const struct scn_field scn_mm_fields[];
extern const struct scn_field scn_fault_handler_fields[];
extern const char *const scn_free_names[];

#endif /* IOMMUSIM_SCENARIO_SCENARIO_INTERNAL_H */
