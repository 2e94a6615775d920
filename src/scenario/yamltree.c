// SPDX-License-Identifier: MIT
/*
 * yamltree: libyaml events -> a tree of positioned nodes, and typed,
 * strictly checked accessors on it. See yamltree.h for the rules.
 */
#include "scenario/yamltree.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ------------------------------------------------------------------ */
/* Text helpers for messages                                           */
/* ------------------------------------------------------------------ */

/* Characters of user text shown in a message before it is cut with "...". */
#define QUOTE_CHARS 48
/* Enough for QUOTE_CHARS characters of up to 4 bytes, quotes, "...", NUL. */
#define QBUF 224

/*
 * Write @s into @buf between single quotes, control characters escaped as
 * \xNN, cut after QUOTE_CHARS characters (or earlier if @s is not valid
 * UTF-8 and its bytes would overflow @buf). Return @buf.
 */
static const char *quote(char buf[QBUF], const char *s)
{
	size_t o = 0, chars = 0;

	buf[o++] = '\'';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (((c & 0xc0) != 0x80 && chars++ == QUOTE_CHARS) ||
		    o > QBUF - 10) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, QBUF - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	return buf;
}

/* "a, b, c" from a NULL-terminated list; caller frees; NULL if OOM. */
static char *join_list(const char *const list[])
{
	size_t i, size = 1;
	char *s, *p;

	for (i = 0; list[i]; i++)
		size += strlen(list[i]) + 2;
	s = malloc(size);
	if (!s)
		return NULL;
	p = s;
	*p = '\0';
	for (i = 0; list[i]; i++)
		p += sprintf(p, "%s%s", i ? ", " : "", list[i]);
	return s;
}

static char fold(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Longest strings edit_distance() compares; longer ones get no suggestion. */
#define ED_MAX 64

/*
 * Optimal string alignment distance, ignoring ASCII case: insertions,
 * deletions, substitutions and swaps of two adjacent characters cost 1.
 * Returns UINT_MAX if either string is longer than ED_MAX.
 */
static unsigned int edit_distance(const char *a, const char *b)
{
	/* Row i of the distance matrix lives in rows[i % 3]. */
	unsigned int rows[3][ED_MAX + 1];
	unsigned int *pp, *prev, *cur;
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > ED_MAX || lb > ED_MAX)
		return UINT_MAX;
	for (j = 0; j <= lb; j++)
		rows[0][j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		cur = rows[i % 3];
		prev = rows[(i + 2) % 3];
		pp = rows[(i + 1) % 3];
		cur[0] = (unsigned int)i;
		for (j = 1; j <= lb; j++) {
			char ca = fold(a[i - 1]), cb = fold(b[j - 1]);
			unsigned int v = prev[j - 1] + (ca != cb);

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && ca == fold(b[j - 2]) &&
			    fold(a[i - 2]) == cb && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
		}
	}
	return rows[la % 3][lb];
}

/* The suggestion threshold for a mistyped word of @len characters. */
static unsigned int suggest_limit(size_t len)
{
	if (len <= 4)
		return 1;
	return len <= 8 ? 2 : 3;
}

/* The first word in @list closest to @word within @limit edits, or NULL. */
static const char *suggest(const char *word, const char *const list[],
			   unsigned int limit)
{
	const char *best = NULL;
	unsigned int best_d = limit + 1;
	size_t i;

	for (i = 0; list[i]; i++) {
		unsigned int dist = edit_distance(word, list[i]);

		if (dist < best_d) {
			best_d = dist;
			best = list[i];
		}
	}
	return best;
}

/* Report "PREFIX (expected one of: LIST)[; did you mean 'X'?]". */
static void report_not_in_list(struct diag *d, unsigned int line,
			       unsigned int col, const char *what,
			       const char *word, const char *const list[])
{
	const char *hint = suggest(word, list, suggest_limit(strlen(word)));
	char *all = join_list(list);
	char q[QBUF];

	diag_error(d, line, col, "%s %s (expected one of: %s)%s%s%s", what,
		   quote(q, word), all ? all : "(out of memory)",
		   hint ? "; did you mean '" : "", hint ? hint : "",
		   hint ? "'?" : "");
	free(all);
}

/* ------------------------------------------------------------------ */
/* Nodes                                                               */
/* ------------------------------------------------------------------ */

static unsigned int mark_num(size_t zero_based)
{
	return zero_based >= UINT_MAX ? UINT_MAX : (unsigned int)zero_based + 1;
}

static struct yt_node *node_new(enum yt_kind kind, yaml_mark_t mark)
{
	struct yt_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->kind = kind;
	n->line = mark_num(mark.line);
	n->col = mark_num(mark.column);
	return n;
}

static struct yt_node *scalar_new(yaml_mark_t mark, const char *text,
				  bool quoted)
{
	struct yt_node *n = node_new(YT_SCALAR, mark);

	if (!n)
		return NULL;
	n->scalar.text = strdup(text);
	if (!n->scalar.text) {
		free(n);
		return NULL;
	}
	n->scalar.len = strlen(text);
	n->scalar.quoted = quoted;
	return n;
}

void yt_free(struct yt_node *n)
{
	size_t i;

	if (!n)
		return;
	switch (n->kind) {
	case YT_SCALAR:
		free(n->scalar.text);
		break;
	case YT_SEQ:
		for (i = 0; i < n->seq.n; i++)
			yt_free(n->seq.items[i]);
		free(n->seq.items);
		break;
	case YT_MAP:
		for (i = 0; i < n->map.n; i++) {
			yt_free(n->map.pairs[i].key);
			yt_free(n->map.pairs[i].value);
		}
		free(n->map.pairs);
		break;
	}
	free(n);
}

/*
 * Make room for one more element in @array, which holds @n elements of
 * @size bytes. Capacity is implicit: 4, then doubled at every power of two.
 * Returns the (possibly moved) array, or NULL if memory ran out (@array is
 * then unchanged).
 */
static void *grow(void *array, size_t n, size_t size)
{
	if (n && (n < 4 || (n & (n - 1))))
		return array;
	return realloc(array, (n ? n * 2 : 4) * size);
}

/* ------------------------------------------------------------------ */
/* Loader                                                              */
/* ------------------------------------------------------------------ */

/* An open collection; for a mapping, a hash of its keys' pair indexes. */
struct yt_frame {
	struct yt_node *node;
	size_t *slots;		/* pair index + 1, 0 = empty */
	size_t cap;		/* slots, a power of two, or 0 */
	size_t used;
};

struct yt_builder {
	struct diag *d;
	const char *buf;
	size_t len;
	struct yt_node *root;
	struct yt_frame stack[YT_MAX_DEPTH];
	unsigned int depth;
	unsigned int docs;
	yaml_mark_t doc_mark;	/* where the document starts */
	bool failed;		/* an error was reported */
};

static void report_oom(struct yt_builder *b)
{
	diag_error(b->d, 0, 0, "out of memory while loading");
	b->failed = true;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/*
 * Find @key among the keys hashed in @f: return the slot holding it, or
 * the empty slot where it belongs.
 */
static size_t *key_slot(const struct yt_frame *f, const char *key)
{
	const struct yt_pair *pairs = f->node->map.pairs;
	size_t i = (size_t)hash_str(key) & (f->cap - 1);

	while (f->slots[i] &&
	       strcmp(pairs[f->slots[i] - 1].key->scalar.text, key))
		i = (i + 1) & (f->cap - 1);
	return &f->slots[i];
}

/* Double the hash of @f and re-insert the scalar keys seen so far. */
static bool keys_grow(struct yt_frame *f)
{
	size_t cap = f->cap ? f->cap * 2 : 16, i, *slot;
	const struct yt_pair *pairs = f->node->map.pairs;

	free(f->slots);
	f->slots = calloc(cap, sizeof(*f->slots));
	if (!f->slots)
		return false;
	f->cap = cap;
	f->used = 0;
	/* The last pair is the new key: key_add() inserts it. */
	for (i = 0; i + 1 < f->node->map.n; i++) {
		if (pairs[i].key->kind != YT_SCALAR)
			continue;
		slot = key_slot(f, pairs[i].key->scalar.text);
		if (!*slot) {
			*slot = i + 1;
			f->used++;
		}
	}
	return true;
}

/*
 * The key just appended to the map of @f: check it, remember it. False if
 * memory ran out (reported).
 */
static bool key_add(struct yt_builder *b, struct yt_frame *f)
{
	size_t idx = f->node->map.n - 1, *slot;
	const struct yt_node *key = f->node->map.pairs[idx].key;
	const struct yt_node *first;
	char q[QBUF];

	if (key->kind != YT_SCALAR) {
		diag_error(b->d, key->line, key->col,
			   "mapping keys must be scalars, not %s",
			   yt_kind_name(key->kind));
		b->failed = true;
		return true;
	}
	if ((f->used + 1) * 2 > f->cap && !keys_grow(f)) {
		report_oom(b);
		return false;
	}
	slot = key_slot(f, key->scalar.text);
	if (*slot) {
		first = f->node->map.pairs[*slot - 1].key;
		diag_error(b->d, key->line, key->col,
			   "duplicate key %s (first defined at line %u, column %u)",
			   quote(q, key->scalar.text), first->line, first->col);
		b->failed = true;
		return true;
	}
	*slot = idx + 1;
	f->used++;
	return true;
}

/*
 * Hang a new node @n (NULL if its allocation failed) under the innermost
 * open collection, or make it the root. Takes ownership of @n: on failure
 * (out of memory, reported) it is freed or already part of the tree.
 */
static bool attach(struct yt_builder *b, struct yt_node *n)
{
	struct yt_node **items, *p;
	struct yt_pair *pairs;
	struct yt_frame *f;

	if (!n)
		goto oom;
	if (!b->depth) {
		b->root = n;
		return true;
	}
	f = &b->stack[b->depth - 1];
	p = f->node;
	if (p->kind == YT_SEQ) {
		items = grow(p->seq.items, p->seq.n, sizeof(*items));
		if (!items)
			goto oom_free;
		p->seq.items = items;
		p->seq.items[p->seq.n++] = n;
		return true;
	}
	if (p->map.n && !p->map.pairs[p->map.n - 1].value) {
		p->map.pairs[p->map.n - 1].value = n;
		return true;
	}
	pairs = grow(p->map.pairs, p->map.n, sizeof(*pairs));
	if (!pairs)
		goto oom_free;
	p->map.pairs = pairs;
	p->map.pairs[p->map.n].key = n;
	p->map.pairs[p->map.n].value = NULL;
	p->map.n++;
	return key_add(b, f);

oom_free:
	yt_free(n);
oom:
	report_oom(b);
	return false;
}

static void frames_free(struct yt_builder *b)
{
	while (b->depth)
		free(b->stack[--b->depth].slots);
}

/* Explicit tags are not supported; report one and carry on. */
static void check_tag(struct yt_builder *b, const yaml_char_t *tag,
		      yaml_mark_t mark)
{
	static const char yaml_prefix[] = "tag:yaml.org,2002:";
	const char *t = (const char *)tag;
	char q[QBUF], shown[QBUF];

	if (!t)
		return;
	/* Show "!!str" as written rather than its expansion. */
	if (!strncmp(t, yaml_prefix, sizeof(yaml_prefix) - 1))
		snprintf(shown, sizeof(shown), "!!%s",
			 t + sizeof(yaml_prefix) - 1);
	else
		snprintf(shown, sizeof(shown), "%s", t);
	diag_error(b->d, mark_num(mark.line), mark_num(mark.column),
		   "YAML tags are not supported (found tag %s); quote a value that starts with '!'",
		   quote(q, shown));
	b->failed = true;
}

static bool on_scalar(struct yt_builder *b, const yaml_event_t *ev)
{
	const char *text = (const char *)ev->data.scalar.value;

	check_tag(b, ev->data.scalar.tag, ev->start_mark);
	if (strlen(text) != ev->data.scalar.length) {
		diag_error(b->d, mark_num(ev->start_mark.line),
			   mark_num(ev->start_mark.column),
			   "NUL characters are not allowed in values");
		b->failed = true;
	}
	return attach(b, scalar_new(ev->start_mark, text,
				    ev->data.scalar.style !=
				    YAML_PLAIN_SCALAR_STYLE));
}

static bool on_alias(struct yt_builder *b, const yaml_event_t *ev)
{
	char q[QBUF];

	diag_error(b->d, mark_num(ev->start_mark.line),
		   mark_num(ev->start_mark.column),
		   "YAML aliases are not supported (found alias %s); write the value out",
		   quote(q, (const char *)ev->data.alias.anchor));
	b->failed = true;
	/* A placeholder keeps the key/value pairing of the parent intact. */
	return attach(b, scalar_new(ev->start_mark, "", false));
}

static bool on_collection_start(struct yt_builder *b, const yaml_event_t *ev,
				enum yt_kind kind, const yaml_char_t *tag)
{
	struct yt_node *n;

	check_tag(b, tag, ev->start_mark);
	if (b->depth == YT_MAX_DEPTH) {
		diag_error(b->d, mark_num(ev->start_mark.line),
			   mark_num(ev->start_mark.column),
			   "nesting too deep (more than %d levels)",
			   YT_MAX_DEPTH);
		b->failed = true;
		return false;
	}
	n = node_new(kind, ev->start_mark);
	if (!attach(b, n))
		return false;
	b->stack[b->depth].node = n;
	b->stack[b->depth].slots = NULL;
	b->stack[b->depth].cap = 0;
	b->stack[b->depth].used = 0;
	b->depth++;
	return true;
}

/*
 * Handle one parser event. Returns false to stop loading, after reporting
 * why: out of memory, or an error after which the rest of the file is not
 * worth reading. Other errors are reported and loading goes on.
 */
static bool on_event(struct yt_builder *b, const yaml_event_t *ev, bool *done)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (b->docs++) {
			diag_error(b->d, mark_num(ev->start_mark.line),
				   mark_num(ev->start_mark.column),
				   "a second YAML document; a file holds exactly one");
			b->failed = true;
			return false;
		}
		b->doc_mark = ev->start_mark;
		return true;
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_collection_start(b, ev, YT_SEQ,
					   ev->data.sequence_start.tag);
	case YAML_MAPPING_START_EVENT:
		return on_collection_start(b, ev, YT_MAP,
					   ev->data.mapping_start.tag);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth)
			free(b->stack[--b->depth].slots);
		return true;
	case YAML_STREAM_END_EVENT:
		*done = true;
		return true;
	default:	/* stream start, document end */
		return true;
	}
}

/*
 * Length of the line break at @s (@n bytes left), 0 if none: the breaks
 * libyaml counts lines by, LF, CR LF, CR, NEL, LS and PS.
 */
static size_t break_len(const char *s, size_t n)
{
	if (s[0] == '\n')
		return 1;
	if (s[0] == '\r')
		return n >= 2 && s[1] == '\n' ? 2 : 1;
	if (n >= 2 && !memcmp(s, "\xc2\x85", 2))
		return 2;
	if (n >= 3 && (!memcmp(s, "\xe2\x80\xa8", 3) ||
		       !memcmp(s, "\xe2\x80\xa9", 3)))
		return 3;
	return 0;
}

/*
 * 1-based line and column, as libyaml's marks count them, of byte @off of
 * the input (reader errors give an offset, not a mark).
 */
static void offset_pos(const struct yt_builder *b, size_t off,
		       unsigned int *line, unsigned int *col)
{
	size_t i = 0, brk;

	*line = 1;
	*col = 1;
	/* libyaml skips a UTF-8 byte order mark; so do its columns. */
	if (b->len >= 3 && !memcmp(b->buf, "\xef\xbb\xbf", 3))
		i = 3;
	if (off > b->len)
		off = b->len;
	while (i < off) {
		brk = break_len(b->buf + i, b->len - i);
		if (brk) {
			++*line;
			*col = 1;
			i += brk;
			continue;
		}
		if (((unsigned char)b->buf[i] & 0xc0) != 0x80)
			++*col;
		i++;
	}
}

static void report_parser_error(struct yt_builder *b, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "unknown error";
	unsigned int line, col;

	b->failed = true;
	switch (p->error) {
	case YAML_MEMORY_ERROR:
		diag_error(b->d, 0, 0, "out of memory while parsing");
		return;
	case YAML_READER_ERROR:
		offset_pos(b, p->problem_offset, &line, &col);
		if (p->problem_value >= 0)
			diag_error(b->d, line, col, "invalid input: %s (0x%02x)",
				   problem, (unsigned int)p->problem_value);
		else
			diag_error(b->d, line, col, "invalid input: %s",
				   problem);
		return;
	default:
		line = mark_num(p->problem_mark.line);
		col = mark_num(p->problem_mark.column);
		if (p->context)
			diag_error(b->d, line, col,
				   "syntax error: %s (%s at line %u, column %u)",
				   problem, p->context,
				   mark_num(p->context_mark.line),
				   mark_num(p->context_mark.column));
		else
			diag_error(b->d, line, col, "syntax error: %s", problem);
		return;
	}
}

/* Run the parser over the whole input; false if loading must stop. */
static bool build(struct yt_builder *b, yaml_parser_t *p)
{
	yaml_event_t ev;
	bool done = false, ok = true;

	while (ok && !done) {
		if (!yaml_parser_parse(p, &ev)) {
			report_parser_error(b, p);
			return false;
		}
		ok = on_event(b, &ev, &done);
		yaml_event_delete(&ev);
	}
	return ok;
}

/* After a clean parse: there must be one, non-empty, document. */
static void check_document(struct yt_builder *b)
{
	if (!b->docs) {
		diag_error(b->d, 1, 1,
			   "empty file: expected one YAML document");
		b->failed = true;
	} else if (b->root && yt_is_null(b->root)) {
		diag_error(b->d, mark_num(b->doc_mark.line),
			   mark_num(b->doc_mark.column),
			   "empty document");
		b->failed = true;
	}
}

static bool is_utf16_bom(const char *buf, size_t len)
{
	const unsigned char *u = (const unsigned char *)buf;

	return len >= 2 && ((u[0] == 0xfe && u[1] == 0xff) ||
			    (u[0] == 0xff && u[1] == 0xfe));
}

struct yt_node *yt_load_string(struct diag *d, const char *buf, size_t len)
{
	struct yt_builder b = { .d = d, .buf = buf, .len = len };
	yaml_parser_t p;
	bool ok;

	if (len > YT_MAX_INPUT) {
		diag_error(d, 0, 0, "input too large (%zu bytes; at most %u)",
			   len, YT_MAX_INPUT);
		return NULL;
	}
	if (is_utf16_bom(buf, len)) {
		diag_error(d, 1, 1, "UTF-16 input is not supported; use UTF-8");
		return NULL;
	}
	if (!yaml_parser_initialize(&p)) {
		diag_error(d, 0, 0, "out of memory while parsing");
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	ok = build(&b, &p);
	yaml_parser_delete(&p);
	frames_free(&b);
	if (ok)
		check_document(&b);
	if (!ok || b.failed) {
		yt_free(b.root);
		return NULL;
	}
	return b.root;
}

/*
 * Read @f to its end, or to YT_MAX_INPUT + 1 bytes if it is longer (so a
 * length above YT_MAX_INPUT means too large). NULL on error, errno set.
 */
static char *read_all(FILE *f, size_t *len)
{
	const size_t limit = (size_t)YT_MAX_INPUT + 1;
	size_t cap = 0, n = 0;
	char *buf = NULL, *p;

	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			if (cap > limit)
				cap = limit;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = p;
		}
		n += fread(buf + n, 1, cap - n, f);
	} while (n == cap && n < limit);
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

struct yt_node *yt_load_file(struct diag *d, const char *path)
{
	struct yt_node *root;
	size_t len = 0;
	char *buf;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		diag_error(d, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	errno = 0;
	buf = read_all(f, &len);
	if (!buf) {
		diag_error(d, 0, 0, "cannot read: %s",
			   strerror(errno ? errno : EIO));
		fclose(f);
		return NULL;
	}
	fclose(f);
	if (len > YT_MAX_INPUT) {
		diag_error(d, 0, 0, "file too large (more than %u bytes)",
			   YT_MAX_INPUT);
		free(buf);
		return NULL;
	}
	root = yt_load_string(d, buf, len);
	free(buf);
	return root;
}

/* ------------------------------------------------------------------ */
/* Tree queries                                                        */
/* ------------------------------------------------------------------ */

const char *yt_kind_name(enum yt_kind kind)
{
	switch (kind) {
	case YT_SCALAR:
		return "a scalar";
	case YT_SEQ:
		return "a sequence";
	case YT_MAP:
		return "a mapping";
	}
	return "a node";
}

bool yt_is_null(const struct yt_node *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	size_t i;

	if (n->kind != YT_SCALAR || n->scalar.quoted)
		return false;
	for (i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (!strcmp(n->scalar.text, nulls[i]))
			return true;
	return false;
}

const struct yt_pair *yt_map_get_pair(const struct yt_node *map,
				      const char *key)
{
	size_t i;

	if (map->kind != YT_MAP)
		return NULL;
	for (i = 0; i < map->map.n; i++) {
		const struct yt_node *k = map->map.pairs[i].key;

		if (k->kind == YT_SCALAR && !strcmp(k->scalar.text, key))
			return &map->map.pairs[i];
	}
	return NULL;
}

const struct yt_node *yt_map_get(const struct yt_node *map, const char *key)
{
	const struct yt_pair *pair = yt_map_get_pair(map, key);

	return pair ? pair->value : NULL;
}

/* "a mapping", "no value", "null", "'text'", "a quoted string 'text'". */
static const char *describe(char buf[QBUF + 32], const struct yt_node *n)
{
	char q[QBUF];

	if (n->kind != YT_SCALAR)
		return yt_kind_name(n->kind);
	if (yt_is_null(n))
		return n->scalar.len ? "null" : "no value";
	quote(q, n->scalar.text);
	snprintf(buf, QBUF + 32, "%s%s",
		 n->scalar.quoted ? "a quoted string " : "", q);
	return buf;
}

/* "expected WHAT, got DESCRIPTION[ (HINT)]" at @n. */
static void type_error(struct diag *d, const struct yt_node *n,
		       const char *what, const char *hint)
{
	char buf[QBUF + 32];

	diag_error(d, n->line, n->col, "expected %s, got %s%s%s%s", what,
		   describe(buf, n), hint ? " (" : "", hint ? hint : "",
		   hint ? ")" : "");
}

bool yt_expect_map(struct diag *d, const struct yt_node *n)
{
	if (n->kind == YT_MAP)
		return true;
	type_error(d, n, "a mapping", NULL);
	return false;
}

bool yt_expect_seq(struct diag *d, const struct yt_node *n)
{
	if (n->kind == YT_SEQ)
		return true;
	type_error(d, n, "a sequence", NULL);
	return false;
}

const struct yt_node *yt_map_require(struct diag *d,
				     const struct yt_node *map,
				     const char *key)
{
	const struct yt_node *v;

	if (!yt_expect_map(d, map))
		return NULL;
	v = yt_map_get(map, key);
	if (!v)
		diag_error(d, map->line, map->col, "missing required key '%s'",
			   key);
	return v;
}

static bool in_list(const char *word, const char *const list[],
		    unsigned int *index)
{
	unsigned int i;

	for (i = 0; list[i]; i++) {
		if (!strcmp(word, list[i])) {
			if (index)
				*index = i;
			return true;
		}
	}
	return false;
}

bool yt_map_check_keys(struct diag *d, const struct yt_node *map,
		       const char *const allowed[])
{
	bool ok = true;
	size_t i;

	if (!yt_expect_map(d, map))
		return false;
	for (i = 0; i < map->map.n; i++) {
		const struct yt_node *k = map->map.pairs[i].key;

		if (k->kind != YT_SCALAR || in_list(k->scalar.text, allowed,
						    NULL))
			continue;
		report_not_in_list(d, k->line, k->col, "unknown key",
				   k->scalar.text, allowed);
		ok = false;
	}
	return ok;
}

void yt_report_not_in_list(struct diag *d, unsigned int line,
			   unsigned int col, const char *what,
			   const char *word, const char *const list[])
{
	report_not_in_list(d, line, col, what, word, list);
}

/* ------------------------------------------------------------------ */
/* Text parsers                                                        */
/* ------------------------------------------------------------------ */

/*
 * Decimal digits at @s: return how many, the value in *@v (meaningless if
 * *@ovf, set when the value exceeds UINT64_MAX).
 */
static size_t scan_dec(const char *s, uint64_t *v, bool *ovf)
{
	uint64_t x = 0;
	size_t i;

	*ovf = false;
	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned int digit = (unsigned int)(s[i] - '0');

		if (x > (UINT64_MAX - digit) / 10)
			*ovf = true;
		else
			x = x * 10 + digit;
	}
	*v = x;
	return i;
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t scan_hex(const char *s, uint64_t *v, bool *ovf)
{
	uint64_t x = 0;
	size_t i;

	*ovf = false;
	for (i = 0; hex_val(s[i]) >= 0; i++) {
		if (x > (UINT64_MAX >> 4))
			*ovf = true;
		else
			x = (x << 4) | (uint64_t)hex_val(s[i]);
	}
	*v = x;
	return i;
}

enum num_status {
	NUM_OK,
	NUM_INVALID,
	NUM_LEADING_ZERO,
	NUM_OVERFLOW,
};

/* A whole string of decimal digits, no leading zeros. */
static enum num_status parse_dec_strict(const char *s, uint64_t *v)
{
	bool ovf;
	size_t n = scan_dec(s, v, &ovf);

	if (!n || s[n])
		return NUM_INVALID;
	if (n > 1 && s[0] == '0')
		return NUM_LEADING_ZERO;
	return ovf ? NUM_OVERFLOW : NUM_OK;
}

static void report_range(struct diag *d, unsigned int line, unsigned int col,
			 const char *text, bool hex, uint64_t min, uint64_t max)
{
	char lo[24], hi[24];

	if (hex) {
		snprintf(lo, sizeof(lo), "0x%" PRIx64, min);
		snprintf(hi, sizeof(hi), "0x%" PRIx64, max);
	} else {
		snprintf(lo, sizeof(lo), "%" PRIu64, min);
		snprintf(hi, sizeof(hi), "%" PRIu64, max);
	}
	if (max == UINT64_MAX)
		diag_error(d, line, col,
			   "value %s is out of range (expected at least %s)",
			   text, lo);
	else if (min == 0)
		diag_error(d, line, col,
			   "value %s is out of range (expected at most %s)",
			   text, hi);
	else
		diag_error(d, line, col,
			   "value %s is out of range (expected %s to %s)",
			   text, lo, hi);
}

bool yt_parse_u64(struct diag *d, unsigned int line, unsigned int col,
		  const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	enum num_status st;
	char q[QBUF];
	bool hex = false, ovf;
	uint64_t v;
	size_t n;

	if (!*text) {
		diag_error(d, line, col, "expected an integer, got no value");
		return false;
	}
	if (text[0] == '-' && text[1] >= '0' && text[1] <= '9') {
		diag_error(d, line, col, "negative value %s is not allowed",
			   quote(q, text));
		return false;
	}
	if (text[0] == '0' && text[1] == 'x') {
		hex = true;
		n = scan_hex(text + 2, &v, &ovf);
		st = (!n || text[2 + n]) ? NUM_INVALID :
		     ovf ? NUM_OVERFLOW : NUM_OK;
	} else {
		st = parse_dec_strict(text, &v);
	}
	switch (st) {
	case NUM_INVALID:
		diag_error(d, line, col,
			   "invalid integer %s (expected decimal digits, or 0x and hex digits)",
			   quote(q, text));
		return false;
	case NUM_LEADING_ZERO:
		diag_error(d, line, col,
			   "invalid integer %s (leading zeros are not allowed; YAML 1.1 reads them as octal)",
			   quote(q, text));
		return false;
	case NUM_OVERFLOW:
		diag_error(d, line, col,
			   "integer %s is too large (the maximum is %" PRIu64 ")",
			   quote(q, text), UINT64_MAX);
		return false;
	case NUM_OK:
		break;
	}
	if (v < min || v > max) {
		report_range(d, line, col, text, hex, min, max);
		return false;
	}
	*out = v;
	return true;
}

bool yt_parse_bool(struct diag *d, unsigned int line, unsigned int col,
		   const char *text, bool *out)
{
	static const char *const words[] = {
		"true", "false", "yes", "no", "on", "off", NULL
	};
	unsigned int i;
	char q[QBUF];

	if (!in_list(text, words, &i)) {
		diag_error(d, line, col,
			   "invalid boolean %s (expected true, false, yes, no, on or off, in lower case)",
			   quote(q, text));
		return false;
	}
	*out = !(i & 1);
	return true;
}

bool yt_parse_enum(struct diag *d, unsigned int line, unsigned int col,
		   const char *text, const char *const values[],
		   unsigned int *index)
{
	if (in_list(text, values, index))
		return true;
	report_not_in_list(d, line, col, "invalid value", text, values);
	return false;
}

struct unit {
	const char *name;
	unsigned int shift;	/* power of ten (time) or of two (size) */
};

static const struct unit time_units[] = {
	{ "ns", 0 }, { "us", 3 }, { "ms", 6 }, { "s", 9 }, { NULL, 0 }
};
static const char *const time_unit_names[] = { "ns", "us", "ms", "s", NULL };

static const struct unit size_units[] = {
	{ "B", 0 }, { "KiB", 10 }, { "MiB", 20 }, { "GiB", 30 }, { NULL, 0 }
};
static const char *const size_unit_names[] = {
	"B", "KiB", "MiB", "GiB", NULL
};

static const struct unit *find_unit(const struct unit *units, const char *s)
{
	for (; units->name; units++)
		if (!strcmp(units->name, s))
			return units;
	return NULL;
}

/* The time unit someone who wrote @u probably meant, or NULL. */
static const char *time_unit_hint(const char *u)
{
	if (!strcmp(u, "\xc2\xb5s") || !strcmp(u, "\xce\xbcs"))	/* µs, μs */
		return "us";
	return suggest(u, time_unit_names, 0);	/* case only: "MS" */
}

/* The size unit someone who wrote @u probably meant, or NULL. */
static const char *size_unit_hint(const char *u)
{
	const char *exact = suggest(u, size_unit_names, 0);

	if (exact || strlen(u) > 3)
		return exact;
	switch (fold(u[0])) {
	case 'k':
		return "KiB";
	case 'm':
		return "MiB";
	case 'g':
		return "GiB";
	}
	return NULL;
}

static uint64_t pow10_u64(unsigned int e)
{
	uint64_t v = 1;

	while (e--)
		v *= 10;
	return v;
}

bool yt_parse_time_ns(struct diag *d, unsigned int line, unsigned int col,
		      const char *text, uint64_t *ns)
{
	const char *p = text, *frac = NULL, *hint;
	const struct unit *u;
	uint64_t whole, part = 0, mul;
	size_t n, k = 0, i;
	char q[QBUF], qu[QBUF];
	bool ovf;

	if (!*p) {
		diag_error(d, line, col,
			   "expected a time with a unit (ns, us, ms or s), got no value");
		return false;
	}
	if (p[0] == '-' && ((p[1] >= '0' && p[1] <= '9') || p[1] == '.')) {
		diag_error(d, line, col, "negative time %s is not allowed",
			   quote(q, text));
		return false;
	}
	n = scan_dec(p, &whole, &ovf);
	p += n;
	if (n && *p == '.') {
		frac = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		k = (size_t)(p - frac);
	}
	if (!n || (frac && !k)) {
		diag_error(d, line, col,
			   "invalid time %s (expected a number and a unit, e.g. '2us' or '1.5ms')",
			   quote(q, text));
		return false;
	}
	if (!*p) {
		diag_error(d, line, col,
			   "time %s has no unit (a unit is required: ns, us, ms or s)",
			   quote(q, text));
		return false;
	}
	if (*p == ' ' || *p == '\t') {
		diag_error(d, line, col,
			   "invalid time %s (no space is allowed between the number and the unit)",
			   quote(q, text));
		return false;
	}
	u = find_unit(time_units, p);
	if (!u) {
		hint = time_unit_hint(p);
		diag_error(d, line, col,
			   "unknown time unit %s in %s (expected ns, us, ms or s)%s%s%s",
			   quote(qu, p), quote(q, text),
			   hint ? "; did you mean '" : "", hint ? hint : "",
			   hint ? "'?" : "");
		return false;
	}
	while (k && frac[k - 1] == '0')
		k--;
	if (k > u->shift) {
		diag_error(d, line, col,
			   "time %s is not a whole number of nanoseconds",
			   quote(q, text));
		return false;
	}
	for (i = 0; i < k; i++)
		part = part * 10 + (uint64_t)(frac[i] - '0');
	part *= pow10_u64(u->shift - (unsigned int)k);
	mul = pow10_u64(u->shift);
	if (ovf || whole > (UINT64_MAX - part) / mul) {
		diag_error(d, line, col,
			   "time %s is too large (the maximum is %" PRIu64 "ns)",
			   quote(q, text), UINT64_MAX);
		return false;
	}
	*ns = whole * mul + part;
	return true;
}

bool yt_parse_size_bytes(struct diag *d, unsigned int line, unsigned int col,
			 const char *text, uint64_t *bytes)
{
	const char *p = text, *hint;
	const struct unit *u;
	char q[QBUF], qu[QBUF];
	uint64_t v;
	size_t n;
	bool ovf;

	if (!*p) {
		diag_error(d, line, col,
			   "expected a size with a unit (B, KiB, MiB or GiB), got no value");
		return false;
	}
	if (p[0] == '-' && p[1] >= '0' && p[1] <= '9') {
		diag_error(d, line, col, "negative size %s is not allowed",
			   quote(q, text));
		return false;
	}
	n = scan_dec(p, &v, &ovf);
	p += n;
	if (!n) {
		diag_error(d, line, col,
			   "invalid size %s (expected a whole number and a unit, e.g. '4KiB')",
			   quote(q, text));
		return false;
	}
	if (*p == '.') {
		diag_error(d, line, col,
			   "invalid size %s (fractions are not allowed; use a smaller unit)",
			   quote(q, text));
		return false;
	}
	if (!*p) {
		diag_error(d, line, col,
			   "size %s has no unit (a unit is required: B, KiB, MiB or GiB)",
			   quote(q, text));
		return false;
	}
	if (*p == ' ' || *p == '\t') {
		diag_error(d, line, col,
			   "invalid size %s (no space is allowed between the number and the unit)",
			   quote(q, text));
		return false;
	}
	u = find_unit(size_units, p);
	if (!u) {
		hint = size_unit_hint(p);
		diag_error(d, line, col,
			   "unknown size unit %s in %s (expected B, KiB, MiB or GiB)%s%s%s",
			   quote(qu, p), quote(q, text),
			   hint ? "; did you mean '" : "", hint ? hint : "",
			   hint ? "'?" : "");
		return false;
	}
	if (ovf || v > (UINT64_MAX >> u->shift)) {
		diag_error(d, line, col,
			   "size %s is too large (the maximum is %" PRIu64 "B)",
			   quote(q, text), UINT64_MAX);
		return false;
	}
	*bytes = v << u->shift;
	return true;
}

static const char *const count_op_text[] = {
	[COUNT_EQ] = "==", [COUNT_NE] = "!=", [COUNT_LT] = "<",
	[COUNT_LE] = "<=", [COUNT_GT] = ">", [COUNT_GE] = ">=",
};

/* The operator at the start of @s (COUNT_EQ if none); its length in *@len. */
static enum count_op count_op_scan(const char *s, size_t *len)
{
	static const enum count_op order[] = {
		/* two-character operators first */
		COUNT_EQ, COUNT_NE, COUNT_LE, COUNT_GE, COUNT_LT, COUNT_GT,
	};
	size_t i, l;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		l = strlen(count_op_text[order[i]]);
		if (!strncmp(s, count_op_text[order[i]], l)) {
			*len = l;
			return order[i];
		}
	}
	*len = 0;
	return COUNT_EQ;
}

bool yt_parse_count_cond(struct diag *d, unsigned int line, unsigned int col,
			 const char *text, struct count_cond *cond)
{
	struct count_cond c;
	char q[QBUF];
	size_t len;

	c.op = count_op_scan(text, &len);
	switch (parse_dec_strict(text + len, &c.value)) {
	case NUM_INVALID:
		diag_error(d, line, col,
			   "invalid count condition %s (expected N, ==N, !=N, <N, <=N, >N or >=N, e.g. 0, '>0', '<=2')",
			   quote(q, text));
		return false;
	case NUM_LEADING_ZERO:
		diag_error(d, line, col,
			   "invalid count condition %s (leading zeros are not allowed)",
			   quote(q, text));
		return false;
	case NUM_OVERFLOW:
		diag_error(d, line, col,
			   "count in %s is too large (the maximum is %" PRIu64 ")",
			   quote(q, text), UINT64_MAX);
		return false;
	case NUM_OK:
		break;
	}
	if (c.op == COUNT_LT && c.value == 0) {
		diag_error(d, line, col, "count condition %s can never hold",
			   quote(q, text));
		return false;
	}
	*cond = c;
	return true;
}

bool count_cond_holds(struct count_cond c, uint64_t count)
{
	switch (c.op) {
	case COUNT_EQ:
		return count == c.value;
	case COUNT_NE:
		return count != c.value;
	case COUNT_LT:
		return count < c.value;
	case COUNT_LE:
		return count <= c.value;
	case COUNT_GT:
		return count > c.value;
	case COUNT_GE:
		return count >= c.value;
	}
	return false;
}

char *count_cond_format(struct count_cond c, char *buf)
{
	const char *op = (unsigned int)c.op <= COUNT_GE ?
			 count_op_text[c.op] : "?";

	snprintf(buf, COUNT_COND_BUFSZ, "%s%" PRIu64, op, c.value);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Typed accessors                                                     */
/* ------------------------------------------------------------------ */

/* A scalar with a value: not a collection, not null. */
static bool has_text(const struct yt_node *n)
{
	return n->kind == YT_SCALAR && !yt_is_null(n);
}

bool yt_get_u64(struct diag *d, const struct yt_node *n,
		uint64_t min, uint64_t max, uint64_t *out)
{
	if (!has_text(n)) {
		type_error(d, n, "an integer", NULL);
		return false;
	}
	if (n->scalar.quoted) {
		type_error(d, n, "an integer",
			   "numbers are written without quotes");
		return false;
	}
	return yt_parse_u64(d, n->line, n->col, n->scalar.text, min, max, out);
}

bool yt_get_bool(struct diag *d, const struct yt_node *n, bool *out)
{
	if (!has_text(n)) {
		type_error(d, n, "a boolean", NULL);
		return false;
	}
	if (n->scalar.quoted) {
		type_error(d, n, "a boolean",
			   "booleans are written without quotes");
		return false;
	}
	return yt_parse_bool(d, n->line, n->col, n->scalar.text, out);
}

bool yt_get_str(struct diag *d, const struct yt_node *n, const char **out)
{
	if (n->kind != YT_SCALAR || yt_is_null(n)) {
		type_error(d, n, "a string",
			   n->kind == YT_SCALAR && n->scalar.len ?
			   "quote it to use it as text" : NULL);
		return false;
	}
	*out = n->scalar.text;
	return true;
}

bool yt_get_enum(struct diag *d, const struct yt_node *n,
		 const char *const values[], unsigned int *index)
{
	char buf[QBUF + 32];
	char *all;

	if (!has_text(n)) {
		all = join_list(values);
		diag_error(d, n->line, n->col, "expected one of: %s; got %s",
			   all ? all : "(out of memory)", describe(buf, n));
		free(all);
		return false;
	}
	return yt_parse_enum(d, n->line, n->col, n->scalar.text, values,
			     index);
}

bool yt_get_time_ns(struct diag *d, const struct yt_node *n, uint64_t *ns)
{
	if (!has_text(n)) {
		type_error(d, n, "a time with a unit (ns, us, ms or s)", NULL);
		return false;
	}
	return yt_parse_time_ns(d, n->line, n->col, n->scalar.text, ns);
}

bool yt_get_size_bytes(struct diag *d, const struct yt_node *n,
		       uint64_t *bytes)
{
	if (!has_text(n)) {
		type_error(d, n, "a size with a unit (B, KiB, MiB or GiB)",
			   NULL);
		return false;
	}
	return yt_parse_size_bytes(d, n->line, n->col, n->scalar.text, bytes);
}

bool yt_get_count_cond(struct diag *d, const struct yt_node *n,
		       struct count_cond *cond)
{
	if (!has_text(n)) {
		type_error(d, n,
			   "a count condition (N, ==N, !=N, <N, <=N, >N or >=N)",
			   NULL);
		return false;
	}
	return yt_parse_count_cond(d, n->line, n->col, n->scalar.text, cond);
}
