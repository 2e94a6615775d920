/* SPDX-License-Identifier: MIT */
/*
 * yamltree: a YAML file loaded with libyaml into a small in-memory tree,
 * every node with the 1-based line and column where it starts, plus typed
 * accessors that report bad values as "FILE:LINE:COL: message" into a
 * struct diag (see diag.h) and return false.
 *
 * What the loader accepts (anything else is a positioned error, and the load
 * returns NULL):
 *  - exactly one YAML document, block or flow style, comments anywhere;
 *    an empty file (nothing but whitespace and comments) or an empty
 *    document ("---" alone) is an error; a second document is an error;
 *  - mapping keys are scalars (plain or quoted) and unique within their map;
 *  - anchors (&name) are accepted and have no effect; aliases (*name) and
 *    merge keys built on them are rejected: write the value out;
 *  - explicit tags (!!str, !foo) are rejected; a plain scalar starting with
 *    '!' is a tag in YAML, so such a value (e.g. "!=0") must be quoted;
 *  - UTF-8 input only; scalars may not contain NUL characters;
 *  - at most YT_MAX_DEPTH levels of nested collections, at most
 *    YT_MAX_INPUT bytes of input.
 *
 * No implicit typing: the tree stores every scalar as text, so "no", "on",
 * "010" and "1e3" stay exactly what was written (no YAML 1.1 surprises); the
 * yt_get_*() accessors decide what a value means, and reject what they do
 * not understand. Quoting is recorded: yt_get_u64() and yt_get_bool()
 * reject quoted scalars (in YAML "4" is a string, not a number), while
 * strings, enums, times, sizes and count conditions accept both forms.
 *
 * Lifetime: the tree returned by a load owns all its nodes and text; one
 * yt_free() on the root frees everything. Pointers into the tree (nodes,
 * scalar text returned by yt_get_str()) live until then. Not thread-safe
 * per tree; separate trees are independent.
 */
#ifndef IOMMUSIM_SCENARIO_YAMLTREE_H
#define IOMMUSIM_SCENARIO_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario/diag.h"

/* Deepest nesting of sequences and mappings a file may have. */
#define YT_MAX_DEPTH 64
/* Largest input the loader reads, in bytes (16 MiB). */
#define YT_MAX_INPUT (16u << 20)

enum yt_kind {
	YT_SCALAR,
	YT_SEQ,
	YT_MAP,
};

struct yt_node;

/* One entry of a mapping, in file order. */
struct yt_pair {
	struct yt_node *key;	/* a YT_SCALAR in every loaded tree */
	struct yt_node *value;
};

struct yt_node {
	enum yt_kind kind;
	unsigned int line;	/* 1-based line of the node's first char */
	unsigned int col;	/* 1-based column, counted in characters */
	union {
		struct {
			char *text;	/* NUL-terminated, never NULL */
			size_t len;	/* strlen(text) */
			bool quoted;	/* '...', "...", | or > (not plain) */
		} scalar;
		struct {
			struct yt_node **items;
			size_t n;
		} seq;
		struct {
			struct yt_pair *pairs;
			size_t n;
		} map;
	};
};

/**
 * yt_load_file() - read and parse a YAML file into a tree
 * @d:    diagnostics for the file; errors are reported there (the file name
 *        printed is the one @d was initialised with)
 * @path: the file to open
 *
 * Return: the root node, owned by the caller (free with yt_free()), or NULL
 * after reporting at least one error into @d: the file cannot be read
 * ("FILE: cannot open: ...", "FILE: cannot read: ..."), is larger than
 * YT_MAX_INPUT, or holds a YAML syntax error or anything the loader rejects
 * (see the top of this file). Errors that leave the YAML readable (duplicate
 * keys, aliases, tags, non-scalar keys, NUL characters) are reported and
 * loading goes on, so one run reports them all; a syntax or encoding error,
 * a second document or too deep nesting stops the load at that point.
 */
struct yt_node *yt_load_file(struct diag *d, const char *path);

/**
 * yt_load_string() - parse YAML held in memory into a tree
 * @d:   diagnostics; errors are reported as for yt_load_file()
 * @buf: the YAML text, not necessarily NUL-terminated; only read during
 *       the call
 * @len: its length in bytes
 *
 * Return: as yt_load_file().
 */
struct yt_node *yt_load_string(struct diag *d, const char *buf, size_t len);

/**
 * yt_free() - free a tree returned by a load: all nodes and all text
 * @root: the root node, or NULL (nothing happens)
 *
 * Only call it on a root; subtrees are freed with their root.
 */
void yt_free(struct yt_node *root);

/** yt_kind_name() - "a scalar", "a sequence" or "a mapping", for messages */
const char *yt_kind_name(enum yt_kind kind);

/**
 * yt_is_null() - true for a plain scalar that YAML reads as null: empty
 * (e.g. "key:" with no value), "~", "null", "Null" or "NULL"
 */
bool yt_is_null(const struct yt_node *node);

/**
 * yt_map_get() - the value stored under @key in a mapping
 * @map: any node (not NULL)
 * @key: the key text, compared exactly (case-sensitive)
 *
 * Return: the value node, or NULL if @map is not a mapping or has no such
 * key. Reports nothing.
 */
const struct yt_node *yt_map_get(const struct yt_node *map, const char *key);

/**
 * yt_map_get_pair() - like yt_map_get(), but the pair, to reach the key's
 * own position; NULL if absent
 */
const struct yt_pair *yt_map_get_pair(const struct yt_node *map,
				      const char *key);

/**
 * yt_map_require() - the value under @key, which must be present
 * @d:   diagnostics
 * @map: a mapping (not NULL)
 * @key: the key
 *
 * Return: the value, or NULL after reporting "missing required key 'KEY'"
 * at the mapping's position (or "expected a mapping, got ..." if @map is
 * not one).
 */
const struct yt_node *yt_map_require(struct diag *d,
				     const struct yt_node *map,
				     const char *key);

/**
 * yt_expect_map() - check that @node is a mapping
 *
 * Return: true if it is; otherwise reports "expected a mapping, got ..."
 * at @node and returns false.
 */
bool yt_expect_map(struct diag *d, const struct yt_node *node);

/** yt_expect_seq() - as yt_expect_map(), for a sequence */
bool yt_expect_seq(struct diag *d, const struct yt_node *node);

/**
 * yt_map_check_keys() - reject keys a mapping may not have
 * @d:       diagnostics
 * @map:     the mapping to check (not NULL)
 * @allowed: the keys it may have, a NULL-terminated array, in the order
 *           they should be listed in the message
 *
 * Reports every unknown key at the key's own position:
 * "unknown key 'cpuz' (expected one of: name, cpus, seed); did you mean
 * 'cpus'?". The suggestion is the first allowed key at the smallest edit
 * distance (insertions, deletions, substitutions and swaps of adjacent
 * characters, ignoring case) when that distance is at most 1 for keys of up
 * to 4 characters, 2 up to 8 characters, 3 beyond. Whether a key is
 * present is not checked here (see yt_map_require()).
 *
 * Return: true if every key is allowed (and @map is a mapping).
 */
bool yt_map_check_keys(struct diag *d, const struct yt_node *map,
		       const char *const allowed[]);

/**
 * yt_report_not_in_list() - report a word that is not one of a list, in
 * the words of yt_map_check_keys() and yt_get_enum()
 * @d:     diagnostics
 * @line:  1-based line (0: no position, see diag_error())
 * @col:   1-based column
 * @what:  what the word is, e.g. "unknown device"
 * @word:  the word as written (quoted and cut in the message)
 * @list:  the accepted words, a NULL-terminated array
 *
 * Reports "WHAT 'WORD' (expected one of: a, b); did you mean 'a'?", the
 * suggestion chosen as in yt_map_check_keys(). Context: any.
 */
void yt_report_not_in_list(struct diag *d, unsigned int line,
			   unsigned int col, const char *what,
			   const char *word, const char *const list[]);

/**
 * yt_get_u64() - an unsigned integer within [@min, @max]
 * @d:    diagnostics
 * @node: the value (not NULL)
 * @min:  smallest value accepted
 * @max:  largest value accepted
 * @out:  set on success only
 *
 * Accepts a plain scalar: decimal digits without leading zeros ("0", "42")
 * or "0x" and hex digits in either case ("0x10", "0xFF"). Rejects quoted
 * scalars, signs ("-1", "+1"), leading zeros ("010", which YAML 1.1 reads
 * as octal), "0X", "_" separators, trailing characters, values above
 * UINT64_MAX and values outside [@min, @max], each with its own message.
 */
bool yt_get_u64(struct diag *d, const struct yt_node *node,
		uint64_t min, uint64_t max, uint64_t *out);

/**
 * yt_get_bool() - a boolean
 *
 * Accepts exactly these plain scalars, lower case only: true, yes, on
 * (true) and false, no, off (false). Rejects quoted scalars and every other
 * spelling, including YAML 1.1's y/n and capitalised forms, listing what is
 * accepted. @out is set on success only.
 */
bool yt_get_bool(struct diag *d, const struct yt_node *node, bool *out);

/**
 * yt_get_str() - a string
 *
 * Accepts any quoted scalar (including "") and any plain scalar that is not
 * null (see yt_is_null()). @out points into the tree and lives until
 * yt_free(); it is set on success only.
 */
bool yt_get_str(struct diag *d, const struct yt_node *node, const char **out);

/**
 * yt_get_enum() - one of a fixed set of words
 * @values: the accepted values, a NULL-terminated array
 * @index:  set to the index of the value matched, on success only
 *
 * Accepts a plain or quoted scalar equal (case-sensitive) to one of
 * @values; otherwise reports "invalid value 'X' (expected one of: a, b)",
 * with "; did you mean 'a'?" when one is close (as in yt_map_check_keys()).
 */
bool yt_get_enum(struct diag *d, const struct yt_node *node,
		 const char *const values[], unsigned int *index);

/**
 * yt_get_time_ns() - a duration, in nanoseconds of virtual time
 *
 * A number immediately followed by a unit: ns, us, ms or s (lower case;
 * no space between them), plain or quoted: "0ns", "2us", "200ms", "1s".
 * The number is decimal; it may have a fraction ("1.5ms") as long as the
 * result is a whole number of nanoseconds ("1.5us" is 1500 ns, "1.0005us"
 * and "0.5ns" are errors). A bare number ("200") is an error: the unit is
 * required, even for 0. Negative values, exponents, other units and
 * results above UINT64_MAX ns are errors. @ns is set on success only.
 */
bool yt_get_time_ns(struct diag *d, const struct yt_node *node, uint64_t *ns);

/**
 * yt_get_size_bytes() - a size in bytes
 *
 * A whole decimal number immediately followed by a unit: B, KiB (1024),
 * MiB (1024^2) or GiB (1024^3), case-sensitive, plain or quoted: "4KiB",
 * "2MiB", "64B". A bare number is an error (the unit is required, even
 * for bytes); so are fractions, SI and shorthand units (KB, kB, K, M, G,
 * which get a "did you mean 'KiB'?" hint) and results above UINT64_MAX.
 * @bytes is set on success only.
 */
bool yt_get_size_bytes(struct diag *d, const struct yt_node *node,
		       uint64_t *bytes);

/* A condition on a count, as written in `expect` blocks. */
enum count_op {
	COUNT_EQ,	/* "N" or "==N" */
	COUNT_NE,	/* "!=N" */
	COUNT_LT,	/* "<N" */
	COUNT_LE,	/* "<=N" */
	COUNT_GT,	/* ">N" */
	COUNT_GE,	/* ">=N" */
};

struct count_cond {
	enum count_op op;
	uint64_t value;
};

/* Buffer size count_cond_format() needs: "!=" + 20 digits + NUL. */
#define COUNT_COND_BUFSZ 24

/**
 * yt_get_count_cond() - a count condition
 *
 * A plain or quoted scalar: an operator (==, !=, <, <=, >, >=, or none,
 * meaning ==) immediately followed by a decimal count without leading zeros
 * and without spaces: 0, "==3", ">0", "<=2", "!=0". Plain scalars starting
 * with '>' or '!' are YAML syntax (folded scalar, tag), so those must be
 * quoted. "<0" is an error (it can never hold). @cond is set on success
 * only.
 */
bool yt_get_count_cond(struct diag *d, const struct yt_node *node,
		       struct count_cond *cond);

/** count_cond_holds() - whether @count satisfies @cond */
bool count_cond_holds(struct count_cond cond, uint64_t count);

/**
 * count_cond_format() - @cond as text, with its operator always written
 * ("==3", ">0"); parsing the text gives @cond back
 * @buf: at least COUNT_COND_BUFSZ bytes
 *
 * Return: @buf.
 */
char *count_cond_format(struct count_cond cond, char *buf);

/*
 * The parsers behind the typed accessors, for text that does not come from
 * a YAML node (a line-oriented script, a command-line option). Same rules
 * and messages as the yt_get_*() above, minus the checks on the node (kind,
 * quoting, null); errors are reported at @line, @col (see diag_error()).
 * @text must be a NUL-terminated string.
 */
bool yt_parse_u64(struct diag *d, unsigned int line, unsigned int col,
		  const char *text, uint64_t min, uint64_t max, uint64_t *out);
bool yt_parse_bool(struct diag *d, unsigned int line, unsigned int col,
		   const char *text, bool *out);
bool yt_parse_enum(struct diag *d, unsigned int line, unsigned int col,
		   const char *text, const char *const values[],
		   unsigned int *index);
bool yt_parse_time_ns(struct diag *d, unsigned int line, unsigned int col,
		      const char *text, uint64_t *ns);
bool yt_parse_size_bytes(struct diag *d, unsigned int line, unsigned int col,
			 const char *text, uint64_t *bytes);
bool yt_parse_count_cond(struct diag *d, unsigned int line, unsigned int col,
			 const char *text, struct count_cond *cond);

#endif /* IOMMUSIM_SCENARIO_YAMLTREE_H */
