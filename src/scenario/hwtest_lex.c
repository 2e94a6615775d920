// SPDX-License-Identifier: MIT
/*
 * hwtest lexer and the pieces every statement parser shares: lines split
 * into tokens with their columns, numbers and times (the scenario
 * syntax of yamltree.h), object references, items (registers, fields,
 * record fields, counters ...), values and the operands of `expect`.
 *
 * Every error goes to the script's struct diag as FILE:LINE:COL: message,
 * the column being the first character of the offending token (or of its
 * value, for key=value).  Functions return false (or -1) after reporting.
 */
#include "scenario/hwtest_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/violation.h"
#include "scenario/yamltree.h"

/* ht_err() for the item parsers, which return 1, 0 or -1: evaluates to -1. */
#define ERR_I(...)	(ht_err(__VA_ARGS__), -1)

/** ht_err() - report an error at column @col of the current line; returns false. */
bool ht_err(struct ht_parser *p, unsigned col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(p->d, p->ln->no, col, fmt, ap);
	va_end(ap);
	return false;
}

/* Characters in @n bytes at @s (UTF-8 continuation bytes do not count). */
static unsigned chars(const char *s, size_t n)
{
	unsigned c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Cut @buf at its comment and trailing blanks. */
static void strip_comment(char *buf)
{
	char *hash = strchr(buf, '#');
	size_t n;

	if (hash)
		*hash = '\0';
	n = strlen(buf);
	while (n && is_space(buf[n - 1]))
		buf[--n] = '\0';
}

static void line_free(struct ht_line *ln)
{
	if (!ln)
		return;
	free(ln->buf);
	free(ln->text);
	free(ln);
}

/* Split @ln->buf into tokens; false when there are too many. */
static bool tokenize(struct ht_parser *p, struct ht_line *ln)
{
	char *s = ln->buf;
	unsigned col = 1;

	while (*s) {
		char *start;

		while (is_space(*s))
			col += 1, s++;
		if (!*s)
			break;
		if (ln->ntok == HT_MAX_TOKS)
			return ht_err(p, col, "too many words on one line (at most %d)", HT_MAX_TOKS);
		start = s;
		while (*s && !is_space(*s))
			s++;
		ln->tok[ln->ntok].s = start;
		ln->tok[ln->ntok].col = col;
		ln->ntok++;
		col += chars(start, s - start);
		ln->end_col = col;
		if (*s)
			*s++ = '\0', col++;
	}
	return true;
}

/**
 * ht_lex_line() - the tokens of line @no (@len bytes at @s, no newline).
 * Return: the line (owned by the caller, to be kept in the script), or
 * NULL for a line without a statement (blank or comment) or on an error
 * (reported).  @p->ln is set to the line on success.
 */
struct ht_line *ht_lex_line(struct ht_parser *p, unsigned no, const char *s, size_t len)
{
	struct ht_line *ln = calloc(1, sizeof(*ln));
	struct ht_line *saved = p->ln;

	if (!ln)
		return NULL;
	ln->no = no;
	ln->buf = strndup(s, len);
	if (!ln->buf) {
		free(ln);
		return NULL;
	}
	strip_comment(ln->buf);
	ln->text = strdup(ln->buf);
	p->ln = ln;
	if (!ln->text || !tokenize(p, ln) || !ln->ntok) {
		line_free(ln);
		p->ln = saved;
		return NULL;
	}
	return ln;
}

/** ht_need() - token @i exists, else "missing @what" at the end of the line. */
bool ht_need(struct ht_parser *p, int i, const char *what)
{
	if (i < p->ln->ntok)
		return true;
	return ht_err(p, p->ln->end_col, "missing %s", what);
}

/** ht_no_more() - no token from @i on, else "unexpected 'X'". */
bool ht_no_more(struct ht_parser *p, int i)
{
	if (i >= p->ln->ntok)
		return true;
	return ht_err(p, p->ln->tok[i].col, "unexpected '%s' at the end of the statement",
		      p->ln->tok[i].s);
}

/**
 * ht_kv_split() - split token "key=value".
 * @key:	receives the key (truncated to @keylen - 1).
 * @vcol:	receives the column of the value.
 * Return: the value, or NULL when the token has no '='.
 */
const char *ht_kv_split(const struct ht_tok *t, char *key, size_t keylen, unsigned *vcol)
{
	const char *eq = strchr(t->s, '=');
	size_t n;

	if (!eq)
		return NULL;
	n = eq - t->s;
	snprintf(key, keylen, "%.*s", (int)n, t->s);
	*vcol = t->col + chars(t->s, n) + 1;
	return eq + 1;
}

/* ---- numbers ---- */

/** ht_parse_u64() - an integer (decimal or 0x hex) in 0..@max. */
bool ht_parse_u64(struct ht_parser *p, const char *s, unsigned col, uint64_t max, uint64_t *out)
{
	return yt_parse_u64(p->d, p->ln->no, col, s, 0, max, out);
}

/** ht_parse_time() - a time with a unit ("2ms", "1.5us", "0ns"), in ns. */
bool ht_parse_time(struct ht_parser *p, const char *s, unsigned col, uint64_t *ns)
{
	return yt_parse_time_ns(p->d, p->ln->no, col, s, ns);
}

/** ht_parse_flag() - 0, 1, or a boolean word (true, false, yes, no, on, off). */
bool ht_parse_flag(struct ht_parser *p, const char *s, unsigned col, bool *out)
{
	if (!strcmp(s, "0") || !strcmp(s, "1")) {
		*out = s[0] == '1';
		return true;
	}
	return yt_parse_bool(p->d, p->ln->no, col, s, out);
}

/**
 * ht_parse_enum() - a symbolic value: one of @names[0..@max] (NULL entries
 * have no name), case-insensitive, or a number up to @max.
 */
bool ht_parse_enum(struct ht_parser *p, const char *s, unsigned col,
		   const char *const names[], uint64_t max, uint64_t *out)
{
	char list[160];
	size_t n = 0;

	for (uint64_t i = 0; i <= max; i++) {
		if (names[i] && !strcasecmp(names[i], s)) {
			*out = i;
			return true;
		}
	}
	if (isdigit((unsigned char)s[0]))
		return ht_parse_u64(p, s, col, max, out);
	list[0] = '\0';
	for (uint64_t i = 0; i <= max && n < sizeof(list); i++)
		if (names[i])
			n += snprintf(list + n, sizeof(list) - n, "%s, ", names[i]);
	return ht_err(p, col, "unknown value '%s' (expected one of: %sor a number up to %llu)",
		      s, list, (unsigned long long)max);
}

/* ---- objects ---- */

static const char *const kind_names[] = {
	[HT_SMMU] = "an SMMU", [HT_DEV] = "a device", [HT_BUF] = "a buffer",
	[HT_PGTABLE] = "a page table", [HT_CD] = "a context descriptor",
	[HT_SMMUV2] = "an SMMUv2",
};

/** ht_obj_find() - index of the live object @name, or -1. */
int ht_obj_find(const struct ht_script *sc, const char *name)
{
	for (int i = sc->nobjs - 1; i >= 0; i--)
		if (sc->objs[i]->live && !strcmp(sc->objs[i]->name, name))
			return i;
	return -1;
}

static int obj_find_dead(const struct ht_script *sc, const char *name)
{
	for (int i = sc->nobjs - 1; i >= 0; i--)
		if (!strcmp(sc->objs[i]->name, name))
			return i;
	return -1;
}

static void kinds_text(unsigned kinds, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int k = HT_SMMU; k <= HT_SMMUV2; k++)
		if (kinds & HT_KMASK(k))
			n += snprintf(buf + n, len - n, "%s%s", n ? " or " : "", kind_names[k]);
}

/**
 * ht_obj_ref() - the live object token @t names, of one of @kinds
 * (HT_KMASK bits).  Return: true with *@idx set.
 */
bool ht_obj_ref(struct ht_parser *p, const struct ht_tok *t, unsigned kinds, int *idx)
{
	char want[96];
	int i = ht_obj_find(p->sc, t->s);

	kinds_text(kinds, want, sizeof(want));
	if (i < 0) {
		int dead = obj_find_dead(p->sc, t->s);

		if (dead >= 0)
			return ht_err(p, t->col, "'%s' was freed (expected %s)", t->s, want);
		return ht_err(p, t->col, "unknown object '%s' (expected %s)", t->s, want);
	}
	if (!(kinds & HT_KMASK(p->sc->objs[i]->kind)))
		return ht_err(p, t->col, "'%s' is %s, expected %s", t->s,
			      kind_names[p->sc->objs[i]->kind], want);
	*idx = i;
	return true;
}

/** ht_name_ok() - @t is a usable new object name. */
bool ht_name_ok(struct ht_parser *p, const struct ht_tok *t)
{
	enum ht_fmt fmt;
	uint64_t v;
	const char *s = t->s;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return ht_err(p, t->col, "invalid name '%s' (a letter or '_' first, then letters, digits, '_')", s);
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_')
			return ht_err(p, t->col, "invalid name '%s' (letters, digits and '_' only)", s);
	if (strlen(s) >= HT_NAME_LEN)
		return ht_err(p, t->col, "name '%s' is too long (at most %d characters)", s, HT_NAME_LEN - 1);
	if (ht_reserved_word(s) || ht_const_find(s, &v, &fmt))
		return ht_err(p, t->col, "'%s' is a reserved word or a constant, not a usable name", s);
	return true;
}

/** ht_obj_new() - a new live object named by @t; NULL after an error. */
struct ht_obj *ht_obj_new(struct ht_parser *p, const struct ht_tok *t, enum ht_kind kind)
{
	struct ht_script *sc = p->sc;
	int prev = ht_obj_find(sc, t->s);
	struct ht_obj *o;

	if (!ht_name_ok(p, t))
		return NULL;
	if (prev >= 0) {
		ht_err(p, t->col, "'%s' is already defined at line %u", t->s, sc->objs[prev]->line);
		return NULL;
	}
	if (sc->nobjs == sc->objs_cap) {
		int cap = sc->objs_cap ? 2 * sc->objs_cap : 16;
		struct ht_obj **n = realloc(sc->objs, cap * sizeof(*n));

		if (!n)
			return NULL;
		sc->objs = n;
		sc->objs_cap = cap;
	}
	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	snprintf(o->name, sizeof(o->name), "%s", t->s);
	o->kind = kind;
	o->line = p->ln->no;
	o->live = true;
	sc->objs[sc->nobjs++] = o;
	return o;
}

/* ---- items ---- */

static void item_name(struct ht_item *it, const struct ht_obj *o, const char *s)
{
	snprintf(it->name, sizeof(it->name), "%s%s%s", o ? o->name : "", o ? " " : "", s);
}

static unsigned queue_max_log2(const struct ht_smmu *sm, uint32_t qbase)
{
	switch (qbase) {
	case SMMUV3_CMDQ_BASE:
		return sm->cmdq_log2;
	case SMMUV3_EVTQ_BASE:
		return sm->evtq_log2;
	default:
		return sm->priq_log2;
	}
}

/* Register @base[.@field] of SMMU @o.  1, 0 (not a register), -1 (error). */
static int smmu_reg_item(struct ht_parser *p, struct ht_obj *o, const char *base,
			 const char *field, unsigned col, unsigned fcol, unsigned width,
			 bool quiet, struct ht_item *it)
{
	const struct ht_field *fields, *f;
	unsigned w = 32;
	uint64_t off;
	int r;

	if (isdigit((unsigned char)base[0])) {
		if (quiet)
			return 0;
		if (!ht_parse_u64(p, base, col, SMMUV3_PAGE1 + 0xfffc, &off))
			return -1;
		if (off & 3)
			return ERR_I(p, col, "register offset %s is not 4-byte aligned", base);
	} else {
		r = smmuv3_reg_offset(base, &w);
		if (r < 0) {
			if (quiet)
				return 0;
			return ERR_I(p, col, "unknown register '%s' of SMMU %s", base, o->name);
		}
		off = r;
	}
	it->kind = HI_REG;
	it->off = off;
	it->width = width ? width : w;
	if (!field)
		return 1;
	fields = ht_reg_fields(off, &it->qbase);
	f = ht_field_find(fields, field);
	if (!f) {
		char list[256];

		if (!fields)
			return ERR_I(p, fcol, "register %s has no fields", base);
		return ERR_I(p, fcol, "register %s has no field '%s' (fields: %s)", base, field,
			      ht_reg_field_list(off, list, sizeof(list)));
	}
	it->mask = f->mask;
	it->qfield = f->q;
	it->qmax = queue_max_log2(&o->smmu, it->qbase);
	it->fmt = f->fmt;
	return 1;
}

/* EVT.x / PRI.x / STALLS / register of SMMU @o. */
static int smmu_item(struct ht_parser *p, int obj, const char *base, const char *field,
		     unsigned col, unsigned fcol, unsigned width, bool quiet, struct ht_item *it)
{
	struct ht_obj *o = p->sc->objs[obj];
	bool evt = !strcasecmp(base, "EVT");

	if (evt || !strcasecmp(base, "PRI")) {
		int idx = field ? (evt ? ht_evt_field(field, &it->fmt) :
				   ht_pri_field(field, &it->fmt)) : -1;

		if (idx < 0)
			return ERR_I(p, field ? fcol : col, "unknown %s field '%s'", base,
				      field ? field : "");
		if (evt ? !o->smmu.evt_read : !o->smmu.pri_read)
			return ERR_I(p, col, "%s.%s: no '%s %s next' before this line",
				      base, field, evt ? "evtq" : "priq", o->name);
		it->kind = evt ? HI_EVT : HI_PRI;
		it->idx = idx;
		return 1;
	}
	if (!strcasecmp(base, "STALLS") && !field) {
		it->kind = HI_STALLS;
		it->fmt = HF_DEC;
		return 1;
	}
	return smmu_reg_item(p, o, base, field, col, fcol, width, quiet, it);
}

static unsigned natural_width(uint64_t off)
{
	return (off & 3) ? ((off & 1) ? 8 : 16) : 32;
}

/* Configuration register @base[.@field] of device @o (numeric or named). */
static int cfg_item(struct ht_parser *p, const char *base, const char *field, unsigned col,
		    unsigned fcol, unsigned width, bool quiet, struct ht_item *it)
{
	const struct ht_cfgreg *reg = NULL;
	const struct ht_field *f;
	uint64_t off;

	if (isdigit((unsigned char)base[0])) {
		if (quiet)
			return 0;
		if (!ht_parse_u64(p, base, col, PCIE_CFG_SIZE - 1, &off))
			return -1;
		reg = ht_cfgreg_at(off);
	} else {
		reg = ht_cfgreg_find(base);
		if (!reg)
			return 0;
		off = reg->off;
	}
	it->kind = HI_CFG;
	it->off = off;
	it->width = width ? width : reg ? reg->size * 8 : natural_width(off);
	if ((off & (it->width / 8 - 1)) || off + it->width / 8 > PCIE_CFG_SIZE)
		return ERR_I(p, col, "configuration offset %s is not aligned to %u bits or beyond 4 KiB",
			      base, it->width);
	if (!field)
		return 1;
	f = reg ? ht_field_find(reg->fields, field) : NULL;
	if (!f)
		return ERR_I(p, fcol, "configuration register %s has no field '%s'", base, field);
	it->mask = f->mask;
	return 1;
}

static int dev_item(struct ht_parser *p, int obj, const char *base, const char *field,
		    unsigned col, unsigned fcol, unsigned width, bool quiet, struct ht_item *it)
{
	int st;

	if (!strcasecmp(base, "DMA")) {
		if (field && strcasecmp(field, "VALUE"))
			return ERR_I(p, fcol, "unknown DMA field '%s' (DMA or DMA.VALUE)", field);
		it->kind = field ? HI_DMA_VALUE : HI_DMA;
		it->fmt = field ? HF_HEX : HF_DMA;
		return 1;
	}
	st = ht_dev_state(base);
	if (st >= 0 && !field) {
		it->kind = HI_DEV_STATE;
		it->idx = st;
		it->fmt = HF_DEC;
		return 1;
	}
	st = cfg_item(p, base, field, col, fcol, width, quiet, it);
	if (st || quiet)
		return st;
	return ERR_I(p, col, "unknown item '%s' of device %s (DMA, DMA.VALUE, ATC_ENTRIES, PRG_OUTSTANDING, FLR_IN_PROGRESS, ATS_ENABLED, PRI_ENABLED or a configuration register such as ATS_CTRL)",
		      base, p->sc->objs[obj]->name);
}

/**
 * ht_item_of() - the item @s ("CMDQ_CONS.ERR", "EVT.STAG", "DMA",
 * "ATS_CTRL.ENABLE", "0x9c") of SMMU or device @obj.
 * @width:	access width in bits for registers (0: the register's own).
 * @quiet:	when @s is no item name of @obj, return 0 without a message
 *		(a known name with a bad field is still an error).
 * Return: 1 with @it filled, 0 (not an item), -1 (error reported).
 */
int ht_item_of(struct ht_parser *p, int obj, const char *s, unsigned col,
	       unsigned width, bool quiet, struct ht_item *it)
{
	struct ht_obj *o = p->sc->objs[obj];
	char base[64];
	const char *dot = strchr(s, '.');
	const char *field = dot ? dot + 1 : NULL;
	unsigned fcol = dot ? col + chars(s, dot - s) + 1 : col;
	int r;

	memset(it, 0, sizeof(*it));
	it->obj = obj;
	it->addr.obj = -1;
	it->fmt = HF_HEX;
	snprintf(base, sizeof(base), "%.*s", dot ? (int)(dot - s) : (int)strlen(s), s);
	if (o->kind == HT_SMMU)
		r = smmu_item(p, obj, base, field, col, fcol, width, quiet, it);
	else if (o->kind == HT_DEV)
		r = dev_item(p, obj, base, field, col, fcol, width, quiet, it);
	else
		r = quiet ? 0 : ERR_I(p, col, "'%s' has no registers", o->name);
	if (r > 0)
		item_name(it, o, s);
	return r;
}

/* ---- values ---- */

static bool starts_number(const char *s)
{
	return isdigit((unsigned char)s[0]);
}

/* A number or a time ("0x10", "42", "2ms"). */
static bool parse_number(struct ht_parser *p, const char *s, unsigned col, struct ht_val *v)
{
	const char *c = s;

	v->kind = HV_NUM;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		v->fmt = HF_HEX;
		return ht_parse_u64(p, s, col, UINT64_MAX, &v->num);
	}
	while (isdigit((unsigned char)*c) || *c == '.')
		c++;
	if (*c) {
		v->fmt = HF_TIME;
		return ht_parse_time(p, s, col, &v->num);
	}
	v->fmt = HF_DEC;
	return ht_parse_u64(p, s, col, UINT64_MAX, &v->num);
}

/* NAME or NAME+OFF of a live memory object: 1, 0 (not one), -1 (error). */
static int parse_memref(struct ht_parser *p, const char *s, unsigned col, struct ht_val *v)
{
	char name[HT_NAME_LEN + 1];
	const char *plus = strchr(s, '+');
	size_t n = plus ? (size_t)(plus - s) : strlen(s);
	int idx;

	if (n >= sizeof(name))
		return 0;
	snprintf(name, sizeof(name), "%.*s", (int)n, s);
	idx = ht_obj_find(p->sc, name);
	if (idx < 0 || !(HT_KMEM & HT_KMASK(p->sc->objs[idx]->kind)))
		return 0;
	v->kind = HV_ADDR;
	v->fmt = HF_HEX;
	v->addr.obj = idx;
	v->addr.off = 0;
	if (plus && !ht_parse_u64(p, plus + 1, col + chars(s, n) + 1, UINT64_MAX, &v->addr.off))
		return -1;
	return 1;
}

static void val_init(struct ht_val *v, const char *s, unsigned col)
{
	memset(v, 0, sizeof(*v));
	v->addr.obj = -1;
	v->item.addr.obj = -1;
	v->text = s;
	v->col = col;
}

/**
 * ht_parse_value() - a value: a number or time, a memory object's address
 * ("page1", "page1+0x8"), an item of object @ctx ("GERROR",
 * "EVT.STAG"; @ctx < 0: none) or a named constant.
 */
bool ht_parse_value(struct ht_parser *p, const char *s, unsigned col, int ctx,
		    struct ht_val *v)
{
	enum ht_fmt fmt;
	int r;

	val_init(v, s, col);
	if (!*s)
		return ht_err(p, col, "missing value");
	if (starts_number(s))
		return parse_number(p, s, col, v);
	r = parse_memref(p, s, col, v);
	if (r)
		return r > 0;
	if (ctx >= 0) {
		r = ht_item_of(p, ctx, s, col, 0, true, &v->item);
		if (r < 0)
			return false;
		if (r > 0) {
			v->kind = HV_ITEM;
			v->fmt = v->item.fmt;
			return true;
		}
	}
	if (ht_const_find(s, &v->num, &fmt)) {
		v->kind = HV_NUM;
		v->fmt = fmt;
		return true;
	}
	return ht_err(p, col, "unknown value '%s' (expected a number, a time, a named constant, a memory object%s%s)",
		      s, ctx >= 0 ? " or an item of " : "", ctx >= 0 ? p->sc->objs[ctx]->name : "");
}

/** ht_parse_addr() - an address: a number, or a memory object ("page1+0x10"). */
bool ht_parse_addr(struct ht_parser *p, const char *s, unsigned col, struct ht_val *v)
{
	int r;

	val_init(v, s, col);
	if (starts_number(s)) {
		v->kind = HV_NUM;
		v->fmt = HF_HEX;
		return ht_parse_u64(p, s, col, UINT64_MAX, &v->num);
	}
	r = parse_memref(p, s, col, v);
	if (r)
		return r > 0;
	if (obj_find_dead(p->sc, s) >= 0)
		return ht_err(p, col, "'%s' was freed", s);
	return ht_err(p, col, "expected an address (a number, or a buffer, page table or CD name with an optional +OFFSET), got '%s'",
		      s);
}

/* ---- expect operands ---- */

static bool operand_violations(struct ht_parser *p, const struct ht_tok *t, struct ht_val *v)
{
	int id;

	v->item.kind = HI_VIOL;
	v->item.fmt = HF_DEC;
	if (!strcasecmp(t->s, "all")) {
		v->item.idx = -1;
		p->sc->viol_all = true;
	} else {
		id = violation_by_name(t->s);
		if (id < 0)
			return ht_err(p, t->col, "unknown violation '%s' (e.g. STALE_DMA_WRITE, PRQ_UNANSWERED, WARN, or all)",
				      t->s);
		v->item.idx = id;
		p->sc->viol_named |= 1U << id;
	}
	snprintf(v->item.name, sizeof(v->item.name), "violations %s", t->s);
	return true;
}

/* "S.LINE" / "OBJ.counter": split at the dot; the object part into @obj. */
static const char *split_dot(const struct ht_tok *t, char *obj, size_t len, unsigned *col)
{
	const char *dot = strchr(t->s, '.');

	if (!dot)
		return NULL;
	snprintf(obj, len, "%.*s", (int)(dot - t->s), t->s);
	*col = t->col + chars(t->s, dot - t->s) + 1;
	return dot + 1;
}

static bool operand_irq(struct ht_parser *p, const struct ht_tok *t, struct ht_val *v)
{
	char name[HT_NAME_LEN + 1];
	struct ht_tok ot = { name, t->col };
	unsigned lcol;
	const char *line = split_dot(t, name, sizeof(name), &lcol);

	if (!line)
		return ht_err(p, t->col, "expected SMMU.LINE (e.g. smmu0.gerror), got '%s'", t->s);
	if (!ht_obj_ref(p, &ot, HT_KMASK(HT_SMMU), &v->item.obj))
		return false;
	v->item.idx = ht_irq_find(line);
	if (v->item.idx < 0)
		return ht_err(p, lcol, "unknown interrupt line '%s' (gerror, evtq, priq, cmdq_sync)", line);
	v->item.kind = HI_IRQ;
	v->item.fmt = HF_DEC;
	snprintf(v->item.name, sizeof(v->item.name), "irq %s", t->s);
	return true;
}

static bool operand_stats(struct ht_parser *p, const struct ht_tok *t, struct ht_val *v)
{
	char name[HT_NAME_LEN + 1];
	struct ht_tok ot = { name, t->col };
	const struct ht_stat *st;
	enum ht_stat_set set = HS_MEM;
	unsigned ccol;
	const char *ctr = split_dot(t, name, sizeof(name), &ccol);

	if (!ctr)
		return ht_err(p, t->col, "expected OBJECT.COUNTER (e.g. smmu0.atc_cpl_late, mem.stale_writes), got '%s'",
			      t->s);
	v->item.obj = -1;
	if (strcmp(name, "mem")) {
		if (!ht_obj_ref(p, &ot, HT_KMASK(HT_SMMU) | HT_KMASK(HT_DEV), &v->item.obj))
			return false;
		set = p->sc->objs[v->item.obj]->kind == HT_SMMU ? HS_SMMU : HS_DEV;
	}
	st = ht_stat_find(set, ctr);
	if (!st)
		return ht_err(p, ccol, "unknown counter '%s' of %s (see docs/hwtest.md, 'stats')", ctr, name);
	v->item.kind = HI_STAT;
	v->item.idx = set;
	v->item.off = st->off;
	v->item.fmt = HF_DEC;
	snprintf(v->item.name, sizeof(v->item.name), "stats %s", t->s);
	return true;
}

static bool operand_mem(struct ht_parser *p, const struct ht_tok *kw, const struct ht_tok *t,
			struct ht_val *v)
{
	struct ht_val a;

	if (!ht_parse_addr(p, t->s, t->col, &a))
		return false;
	v->item.kind = HI_MEM;
	v->item.width = !strcasecmp(kw->s, "mem32") ? 32 : 64;
	v->item.addr = a.addr;
	if (a.kind == HV_NUM)
		v->item.addr.off = a.num;
	snprintf(v->item.name, sizeof(v->item.name), "%s %s", kw->s, t->s);
	return true;
}

/* Keyword operands (violations, irq, stats, mem32, mem64, now): 1, 0, -1. */
static int operand_keyword(struct ht_parser *p, int *i, struct ht_val *v)
{
	const struct ht_tok *t = &p->ln->tok[*i];
	const struct ht_tok *n = &p->ln->tok[*i + 1];
	bool ok;

	if (!strcasecmp(t->s, "now")) {
		v->item.kind = HI_NOW;
		v->item.fmt = HF_TIME;
		snprintf(v->item.name, sizeof(v->item.name), "now");
		*i += 1;
		return 1;
	}
	if (strcasecmp(t->s, "violations") && strcasecmp(t->s, "irq") &&
	    strcasecmp(t->s, "stats") && strcasecmp(t->s, "mem32") && strcasecmp(t->s, "mem64"))
		return 0;
	if (!ht_need(p, *i + 1, "the operand after the keyword"))
		return -1;
	if (!strcasecmp(t->s, "violations"))
		ok = operand_violations(p, n, v);
	else if (!strcasecmp(t->s, "irq"))
		ok = operand_irq(p, n, v);
	else if (!strcasecmp(t->s, "stats"))
		ok = operand_stats(p, n, v);
	else
		ok = operand_mem(p, t, n, v);
	*i += 2;
	return ok ? 1 : -1;
}

/**
 * ht_parse_operand() - one operand of `expect` at token *@i, advancing
 * *@i past it: a keyword form (violations ID, irq S.LINE, stats O.C,
 * mem32/mem64 ADDR, now), OBJECT ITEM, or a value whose bare items
 * belong to object @ctx (the left operand's object; -1 for none).
 * @obj:	set to the operand's object (SMMU or device), or -1.
 */
bool ht_parse_operand(struct ht_parser *p, int *i, int ctx, struct ht_val *v, int *obj)
{
	const struct ht_tok *t;
	int r, o;

	*obj = -1;
	if (!ht_need(p, *i, "operand"))
		return false;
	t = &p->ln->tok[*i];
	val_init(v, t->s, t->col);
	v->kind = HV_ITEM;
	r = operand_keyword(p, i, v);
	if (r) {
		v->fmt = v->item.fmt;
		return r > 0;
	}
	o = ht_obj_find(p->sc, t->s);
	if (o >= 0 && (p->sc->objs[o]->kind == HT_SMMU || p->sc->objs[o]->kind == HT_DEV)) {
		if (!ht_need(p, *i + 1, "register or item after the object name"))
			return false;
		t = &p->ln->tok[*i + 1];
		if (ht_item_of(p, o, t->s, t->col, 0, false, &v->item) < 0)
			return false;
		v->fmt = v->item.fmt;
		*obj = o;
		*i += 2;
		return true;
	}
	*i += 1;
	return ht_parse_value(p, t->s, t->col, ctx, v);
}
