// SPDX-License-Identifier: MIT
/*
 * Scenario files: the engine the sections share - helpers for messages,
 * the names defined so far and references to them, and the reading of a
 * mapping through a key table (scenario_internal.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_internal.h"
#include "sim/sim.h"
#include "sim/vec.h"

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

/** scn_zalloc() - a zeroed array; aborts when out of memory. */
void *scn_zalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		fprintf(stderr, "iommusim: out of memory\n");
		abort();
	}
	return p;
}

/** scn_error() - report a message at node @n. */
void scn_error(struct loader *L, const struct yt_node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(L->d, n->line, n->col, fmt, ap);
	va_end(ap);
}

/** scn_qtext() - @s cut to fit a message, control characters as '?'. */
const char *scn_qtext(char buf[SCN_QBUF], const char *s)
{
	size_t i;

	for (i = 0; s[i] && i < SCN_QBUF - 4; i++)
		buf[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ?
			 '?' : s[i];
	if (s[i]) {
		/* do not cut a UTF-8 sequence in two */
		while (i && ((unsigned char)buf[i - 1] & 0xc0) == 0x80)
			i--;
		if (i && (unsigned char)buf[i - 1] >= 0xc0)
			i--;
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

/** scn_format_time() - @ns in the largest unit that divides it. */
const char *scn_format_time(char buf[SCN_TIMEBUF], uint64_t ns)
{
	static const struct { uint64_t div; const char *unit; } u[] = {
		{ 1000000000ull, "s" }, { 1000000ull, "ms" },
		{ 1000ull, "us" }, { 1ull, "ns" },
	};
	unsigned int i;

	for (i = 0; ns && i < 3 && ns % u[i].div; i++)
		;
	if (!ns)
		i = 3;
	snprintf(buf, SCN_TIMEBUF, "%" PRIu64 "%s", ns / u[i].div, u[i].unit);
	return buf;
}

/* @bytes in the largest binary unit that divides it. */
static const char *format_size(char buf[SCN_TIMEBUF], uint64_t bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB" };
	unsigned int i = 0;

	while (i < 3 && bytes && !(bytes & 1023)) {
		bytes >>= 10;
		i++;
	}
	snprintf(buf, SCN_TIMEBUF, "%" PRIu64 "%s", bytes, unit[i]);
	return buf;
}

/** scn_items() - the items of a sequence, or 0 after reporting. */
size_t scn_items(struct loader *L, const struct yt_node *n,
		 struct yt_node *const **items)
{
	if (!yt_expect_seq(L->d, n)) {
		*items = NULL;
		return 0;
	}
	*items = n->seq.items;
	return n->seq.n;
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static const char *const ref_names[REF_NR] = { "smmu", "device", "domain" };
static const char *const ref_plural[REF_NR] = { "smmus", "devices", "domains" };

/** scn_ref_name() - "smmu", "device" or "domain". */
const char *scn_ref_name(enum scn_ref kind)
{
	return ref_names[kind];
}

static bool name_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return !first && ((c >= '0' && c <= '9') || c == '_' || c == '-' ||
			  c == '.');
}

/** scn_get_name() - a name of at most @max characters (see internal.h). */
bool scn_get_name(struct loader *L, const struct yt_node *n, size_t max,
		  const char **out)
{
	char q[SCN_QBUF];
	const char *s;
	size_t i;

	if (!yt_get_str(L->d, n, &s))
		return false;
	for (i = 0; s[i]; i++) {
		if (!name_char(s[i], i == 0)) {
			scn_error(L, n,
				  "invalid name '%s' (a name is a letter, then letters, digits, '_', '-' or '.')",
				  scn_qtext(q, s));
			return false;
		}
	}
	if (!i) {
		scn_error(L, n, "empty name");
		return false;
	}
	if (i > max) {
		scn_error(L, n, "name '%s' is too long (at most %zu characters)",
			  scn_qtext(q, s), max);
		return false;
	}
	*out = s;
	return true;
}

static int names_find(const struct scn_names *t, const char *name)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->names[i], name))
			return (int)i;
	return -1;
}

/** scn_define() - record a name; false (reported) on a duplicate. */
bool scn_define(struct loader *L, enum scn_ref kind, const struct yt_node *n,
		const char *name, uint32_t idx)
{
	struct scn_names *t = &L->names[kind];
	int i = names_find(t, name);

	if (i >= 0) {
		scn_error(L, n, "duplicate %s name '%s' (first defined at %u:%u)",
			  ref_names[kind], name, t->pos[i].line, t->pos[i].col);
		return false;
	}
	if (t->n + 1 >= t->cap) {
		t->cap = t->cap ? 2 * t->cap : 8;
		t->names = vec_realloc(t->names, t->cap, sizeof(*t->names));
		t->idx = vec_realloc(t->idx, t->cap, sizeof(*t->idx));
		t->pos = vec_realloc(t->pos, t->cap, sizeof(*t->pos));
	}
	t->names[t->n] = name;
	t->idx[t->n] = idx;
	t->pos[t->n] = scn_pos_of(n);
	t->names[++t->n] = NULL;
	return true;
}

/** scn_ref() - resolve a name of @kind written at @n. */
bool scn_ref(struct loader *L, enum scn_ref kind, const struct yt_node *n,
	     uint32_t *out)
{
	const struct scn_names *t = &L->names[kind];
	char q[SCN_QBUF], what[32];
	const char *s;
	int i;

	if (!yt_get_str(L->d, n, &s))
		return false;
	i = names_find(t, s);
	if (i >= 0) {
		*out = t->idx[i];
		return true;
	}
	if (!t->n) {
		scn_error(L, n, "unknown %s '%s' (the scenario defines no %s)",
			  ref_names[kind], scn_qtext(q, s), ref_plural[kind]);
		return false;
	}
	snprintf(what, sizeof(what), "unknown %s", ref_names[kind]);
	yt_report_not_in_list(L->d, n->line, n->col, what, s, t->names);
	return false;
}

/** scn_ref_list() - a sequence of unique names of @kind. */
bool scn_ref_list(struct loader *L, const struct yt_node *n,
		  enum scn_ref kind, uint32_t **out, unsigned int *nout,
		  const struct yt_node ***nodes)
{
	struct yt_node *const *items;
	size_t i, j, cnt = scn_items(L, n, &items);
	bool ok = n->kind == YT_SEQ;
	uint32_t *v = scn_zalloc(cnt, sizeof(*v));
	const struct yt_node **at = scn_zalloc(cnt, sizeof(*at));
	unsigned int nv = 0;

	for (i = 0; i < cnt; i++) {
		uint32_t idx;

		if (!scn_ref(L, kind, items[i], &idx)) {
			ok = false;
			continue;
		}
		for (j = 0; j < nv && v[j] != idx; j++)
			;
		if (j < nv) {
			scn_error(L, items[i], "%s '%s' is listed twice",
				  ref_names[kind], items[i]->scalar.text);
			ok = false;
			continue;
		}
		at[nv] = items[i];
		v[nv++] = idx;
	}
	*out = v;
	*nout = nv;
	if (nodes)
		*nodes = at;
	else
		free(at);
	return ok;
}

/* ------------------------------------------------------------------ */
/* The key-table engine                                                */
/* ------------------------------------------------------------------ */

/** scn_field_find() - the entry of @tab for @key, or NULL. */
const struct scn_field *scn_field_find(const struct scn_field *tab,
				       const char *key)
{
	for (; tab && tab->key; tab++)
		if (!strcmp(tab->key, key))
			return tab;
	return NULL;
}

/* Most keys one mapping may have, over all the tables it is checked with. */
#define MAX_KEYS 64

/** scn_check_keys() - report unknown keys (see scenario_internal.h). */
bool scn_check_keys(struct loader *L, const struct yt_node *map,
		    const struct scn_field *const tabs[], unsigned int ntabs,
		    const struct scn_field *other, const char *other_msg)
{
	const char *allowed[MAX_KEYS + 1];
	unsigned int n = 0, t;
	bool ok = true;
	size_t i;

	if (!yt_expect_map(L->d, map))
		return false;
	for (t = 0; t < ntabs; t++) {
		const struct scn_field *f;

		for (f = tabs[t]; f->key; f++) {
			if (n == MAX_KEYS)
				abort();	/* raise MAX_KEYS */
			allowed[n++] = f->key;
		}
	}
	allowed[n] = NULL;
	for (i = 0; i < map->map.n; i++) {
		const struct yt_node *k = map->map.pairs[i].key;
		const char *key = k->scalar.text;
		unsigned int j;

		for (j = 0; j < n && strcmp(allowed[j], key); j++)
			;
		if (j < n)
			continue;
		ok = false;
		if (other && scn_field_find(other, key))
			scn_error(L, k, "key '%s' %s", key, other_msg);
		else
			yt_report_not_in_list(L->d, k->line, k->col,
					      "unknown key", key, allowed);
	}
	return ok;
}

/* FT_ENUM stores through a uint32_t: the scenario enums are that size. */
_Static_assert(sizeof(enum scn_sync) == sizeof(uint32_t) &&
	       sizeof(enum scn_domain_type) == sizeof(uint32_t) &&
	       sizeof(enum scn_dma_op) == sizeof(uint32_t) &&
	       sizeof(enum scn_reset) == sizeof(uint32_t) &&
	       sizeof(enum scn_outcome) == sizeof(uint32_t) &&
	       sizeof(enum scn_inject) == sizeof(uint32_t) &&
	       sizeof(enum scn_blocked) == sizeof(uint32_t),
	       "enums of struct scenario are stored as uint32_t");

/* Store an integer value of @f's type at @p. */
static void store_uint(const struct scn_field *f, void *p, uint64_t v)
{
	switch (f->type) {
	case FT_U32:
	case FT_ENUM:
	case FT_CPU:
	case FT_REF:
		*(uint32_t *)p = (uint32_t)v;
		break;
	case FT_BOOL:
	case FT_ENUM_BOOL:
		*(bool *)p = v;
		break;
	default:
		*(uint64_t *)p = v;
		break;
	}
}

/* "value 'X' is out of range (expected ...)", in the words of yamltree. */
static void report_range(struct loader *L, const struct yt_node *n,
			 const char *lo, const char *hi, bool has_max)
{
	char q[SCN_QBUF];

	if (has_max)
		scn_error(L, n, "value '%s' is out of range (expected %s to %s)",
			  scn_qtext(q, n->scalar.text), lo, hi);
	else
		scn_error(L, n, "value '%s' is out of range (expected at least %s)",
			  scn_qtext(q, n->scalar.text), lo);
}

/* Read the value node @n of field @f into @p. */
static bool read_value(struct loader *L, const struct scn_field *f,
		       const struct yt_node *n, void *obj, void *p)
{
	char lo[SCN_TIMEBUF], hi[SCN_TIMEBUF];
	unsigned int idx;
	const char *s;
	uint64_t v;
	bool b;

	switch (f->type) {
	case FT_STR:
		if (!yt_get_str(L->d, n, &s))
			return false;
		*(const char **)p = s;
		return true;
	case FT_NAME:
		if (!scn_get_name(L, n, f->max, &s))
			return false;
		*(const char **)p = s;
		return true;
	case FT_U32:
	case FT_U64:
		if (!yt_get_u64(L->d, n, f->min, f->max, &v))
			return false;
		break;
	case FT_BOOL:
		if (!yt_get_bool(L->d, n, &b))
			return false;
		v = b;
		break;
	case FT_TIME:
		if (!yt_get_time_ns(L->d, n, &v))
			return false;
		if (v < f->min || v > f->max) {
			report_range(L, n, scn_format_time(lo, f->min),
				     scn_format_time(hi, f->max),
				     f->max != UINT64_MAX);
			return false;
		}
		break;
	case FT_SIZE:
		if (!yt_get_size_bytes(L->d, n, &v))
			return false;
		if (v < f->min || v > f->max) {
			report_range(L, n, format_size(lo, f->min),
				     format_size(hi, f->max),
				     f->max != UINT64_MAX);
			return false;
		}
		break;
	case FT_ENUM:
	case FT_ENUM_BOOL:
		if (!yt_get_enum(L->d, n, f->values, &idx))
			return false;
		v = f->type == FT_ENUM ? idx : idx == 0;
		break;
	case FT_CPU:
		if (!yt_get_u64(L->d, n, 0, SIM_MAX_CPUS - 1, &v))
			return false;
		if (L->cpus_ok && v >= L->scn->cpus) {
			scn_error(L, n,
				  "CPU %" PRIu64 " is out of range (the scenario has %u CPU%s: 0 to %u)",
				  v, L->scn->cpus, L->scn->cpus == 1 ? "" : "s",
				  L->scn->cpus - 1);
			return false;
		}
		break;
	case FT_REF:
		if (!scn_ref(L, (enum scn_ref)f->min, n, &idx))
			return false;
		v = idx;
		break;
	case FT_CUSTOM:
		return f->parse(L, n, obj);
	default:
		abort();
	}
	store_uint(f, p, v);
	return true;
}

/* Apply @f's default text to @p. */
static bool apply_default(struct loader *L, const struct scn_field *f, void *p)
{
	struct diag *d = L->d;
	const char *def = f->def;
	unsigned int idx;
	uint64_t v = 0;
	bool b, ok;

	switch (f->type) {
	case FT_STR:
	case FT_NAME:
		*(const char **)p = strcmp(def, "\"\"") ? def : "";
		return true;
	case FT_U32:
	case FT_U64:
	case FT_CPU:
		ok = yt_parse_u64(d, 0, 0, def, f->min,
				  f->type == FT_CPU ? 0 : f->max, &v);
		break;
	case FT_BOOL:
		ok = yt_parse_bool(d, 0, 0, def, &b);
		v = b;
		break;
	case FT_TIME:
		ok = yt_parse_time_ns(d, 0, 0, def, &v);
		break;
	case FT_SIZE:
		ok = yt_parse_size_bytes(d, 0, 0, def, &v);
		break;
	case FT_ENUM:
	case FT_ENUM_BOOL:
		ok = yt_parse_enum(d, 0, 0, def, f->values, &idx);
		v = f->type == FT_ENUM ? idx : idx == 0;
		break;
	default:
		return true;	/* FT_REF, FT_CUSTOM: the caller initialised it */
	}
	if (!ok) {
		diag_error(d, 0, 0, "internal error: bad default '%s' of key '%s'",
			   def, f->key);
		return false;
	}
	store_uint(f, p, v);
	return true;
}

/** scn_read_fields() - read @tab's keys from @map (see internal.h). */
bool scn_read_fields(struct loader *L, const struct yt_node *map,
		     const struct scn_field *tab, void *obj)
{
	const struct scn_field *f;
	bool ok = true;

	if (map->kind != YT_MAP)
		return false;
	for (f = tab; f->key; f++) {
		const struct yt_node *n = yt_map_get(map, f->key);
		void *p = (char *)obj + f->off;

		if (n) {
			if (read_value(L, f, n, obj, p)) {
				if (f->has_off >= 0)
					*(bool *)((char *)obj + f->has_off) = true;
			} else {
				ok = false;
			}
		} else if (f->def == SCN_REQUIRED) {
			diag_error(L->d, map->line, map->col,
				   "missing required key '%s'", f->key);
			ok = false;
		} else if (strcmp(f->def, SCN_NODEF)) {
			ok &= apply_default(L, f, p);
		}
	}
	return ok;
}

/** scn_parse_fields() - check the keys of @map against @tab, then read them. */
bool scn_parse_fields(struct loader *L, const struct yt_node *map,
		      const struct scn_field *tab, void *obj)
{
	const struct scn_field *const tabs[] = { tab };
	bool ok = scn_check_keys(L, map, tabs, 1, NULL, NULL);

	return scn_read_fields(L, map, tab, obj) && ok;
}
