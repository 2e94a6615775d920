// SPDX-License-Identifier: MIT
/*
 * Tests of src/scenario/diag.c and src/scenario/yamltree.c: loading YAML
 * into a positioned tree, every loader error as an exact
 * "FILE:LINE:COL: message", and the typed accessors' rules and messages.
 *
 * Build with -fsanitize=address to check that every tree, including the
 * partial trees of failed loads, is freed.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scenario/diag.h"
#include "scenario/yamltree.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Load @yaml as "s.yaml" with a silent diag. */
static struct yt_node *load(struct diag *d, const char *yaml)
{
	diag_init(d, "s.yaml");
	diag_set_sink(d, NULL);
	return yt_load_string(d, yaml, strlen(yaml));
}

/* The load of @yaml fails with exactly the messages @msgs (NULL-ended). */
static void expect_load_errors(const char *yaml, const char *const msgs[])
{
	struct diag d;
	struct yt_node *root = load(&d, yaml);
	unsigned int i;

	assert_null(root);
	for (i = 0; msgs[i]; i++) {
		assert_non_null(diag_message(&d, i));
		assert_string_equal(diag_message(&d, i), msgs[i]);
	}
	assert_int_equal(diag_count(&d), i);
	diag_fini(&d);
}

static void expect_load_error(const char *yaml, const char *msg)
{
	const char *const msgs[] = { msg, NULL };

	expect_load_errors(yaml, msgs);
}

/* A document "v: VALUE" and its value node (at line 1, column 4). */
struct one {
	struct diag d;
	struct yt_node *root;
	const struct yt_node *v;
};

static void one_load(struct one *o, const char *value)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "v: %s\n", value);
	o->root = load(&o->d, buf);
	if (!o->root)
		fail_msg("'%s' did not load: %s", buf,
			 diag_message(&o->d, 0));
	o->v = yt_map_get(o->root, "v");
	assert_non_null(o->v);
}

static void one_done(struct one *o)
{
	yt_free(o->root);
	diag_fini(&o->d);
}

/*
 * After an accessor on "v: IN": if @err is NULL it must have succeeded with
 * no message, else failed with exactly "s.yaml:1:4: ERR" (1:3, right after
 * the colon, when IN is empty).
 */
static void one_check(struct one *o, const char *in, bool ok, const char *err)
{
	char want[512];
	int col = in[0] ? 4 : 3;

	if (!err) {
		if (!ok || diag_failed(&o->d))
			fail_msg("'%s' rejected: %s", in,
				 diag_message(&o->d, 0));
		return;
	}
	if (ok)
		fail_msg("'%s' accepted, expected: %s", in, err);
	snprintf(want, sizeof(want), "s.yaml:1:%d: %s", col, err);
	assert_int_equal(diag_count(&o->d), 1);
	assert_string_equal(diag_message(&o->d, 0), want);
}

static void assert_pos(const struct yt_node *n, unsigned int line,
		       unsigned int col)
{
	assert_non_null(n);
	assert_int_equal(n->line, line);
	assert_int_equal(n->col, col);
}

/* Follow a path of map keys; "[N]" steps into a sequence. */
static const struct yt_node *at(const struct yt_node *n, const char *path)
{
	char buf[256], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && n;
	     tok = strtok_r(NULL, ".", &save)) {
		if (tok[0] == '[') {
			size_t i = strtoul(tok + 1, NULL, 10);

			if (n->kind != YT_SEQ || i >= n->seq.n)
				return NULL;
			n = n->seq.items[i];
		} else {
			n = yt_map_get(n, tok);
		}
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* The example of DESIGN.md section 7                                  */
/* ------------------------------------------------------------------ */

static const char design_example[] =
	"name: atc-timeout-quarantine\n"	/* 1 */
	"description: An endpoint stops answering ATC invalidations while its mappings churn.\n"	/* 2 */
	"duration: 200ms            # virtual time\n"	/* 3 */
	"cpus: 4\n"	/* 4 */
	"seed: 1                    # default; --seed overrides\n"	/* 5 */
	"policy:                    # any policy from section 5; unnamed ones take their defaults\n"	/* 6 */
	"  atc_timeout: quarantine-retry\n"	/* 7 */
	"smmus:\n"	/* 8 */
	"  - name: smmu0\n"	/* 9 */
	"    cmdq_entries: 256\n"	/* 10 */
	"    evtq_entries: 128\n"	/* 11 */
	"    priq_entries: 128\n"	/* 12 */
	"    sync: msi              # msi | cons\n"	/* 13 */
	"    irq_affinity: {gerror: 0, evtq: 1, priq: 1}\n"	/* 14 */
	"devices:\n"	/* 15 */
	"  - name: nic0\n"	/* 16 */
	"    smmu: smmu0\n"	/* 17 */
	"    sids: [0x10]\n"	/* 18 */
	"    ats: true\n"	/* 19 */
	"    pri: false\n"	/* 20 */
	"    atc_entries: 64\n"	/* 21 */
	"    atc_inv_latency: 2us\n"	/* 22 */
	"    completion_timeout: 50ms\n"	/* 23 */
	"  - name: nvme0\n"	/* 24 */
	"    smmu: smmu0\n"	/* 25 */
	"    sids: [0x20, 0x21]\n"	/* 26 */
	"    ats: true\n"	/* 27 */
	"domains:\n"	/* 28 */
	"  - name: dom0\n"	/* 29 */
	"    type: paging           # paging | identity | blocking | sva\n"	/* 30 */
	"    attach: [nic0, nvme0]\n"	/* 31 */
	"workload:\n"	/* 32 */
	"  - dma:   {device: nic0, domain: dom0, pages: 32, op: write, interval: 1us}\n"	/* 33 */
	"  - churn: {domain: dom0, pages: 32, interval: 20us}   # unmap + invalidate + free + remap\n"	/* 34 */
	"  - dma:   {device: nvme0, domain: dom0, pages: 16, op: read, interval: 3us}\n"	/* 35 */
	"events:\n"	/* 36 */
	"  - {at: 10ms, device: nic0, set: {atc_inv: unresponsive}}\n"	/* 37 */
	"  - {at: 120ms, device: nic0, reset: flr, outcome: ok, set: {atc_inv: ok}}\n"	/* 38 */
	"expect:                    # the run fails (exit 1) if any of these does not hold\n"	/* 39 */
	"  violations: 0            # or a map: {STALE_DMA_WRITE: \">0\", LOG_FLOOD: 0}\n"	/* 40 */
	"  quarantined: [nic0]      # devices that must have been quarantined at some point\n"	/* 41 */
	"  not_quarantined: [nvme0]\n"	/* 42 */
	"  at_end: {nic0: {blocked: no, ats: enabled}}\n"	/* 43 */
	"  log: {\"ATC invalidate timeout\": \"<=2\"}\n";	/* 44 */

static const char *const top_keys[] = {
	"name", "description", "duration", "cpus", "seed", "policy", "smmus",
	"devices", "domains", "workload", "events", "expect", NULL
};

static void test_design_example_structure(void **state)
{
	struct diag d;
	struct yt_node *root = load(&d, design_example);
	const struct yt_node *n;
	size_t i;

	assert_non_null(root);
	assert_false(diag_failed(&d));
	assert_int_equal(root->kind, YT_MAP);
	assert_pos(root, 1, 1);
	assert_true(yt_map_check_keys(&d, root, top_keys));

	/* Keys in file order, each at column 1 of its line. */
	assert_int_equal(root->map.n, 12);
	for (i = 0; i < root->map.n; i++) {
		assert_string_equal(root->map.pairs[i].key->scalar.text,
				    top_keys[i]);
		assert_int_equal(root->map.pairs[i].key->col, 1);
	}
	assert_int_equal(root->map.pairs[11].key->line, 39);

	/* Block sequence at the dash, its mapping at the first key. */
	n = yt_map_get(root, "smmus");
	assert_int_equal(n->kind, YT_SEQ);
	assert_pos(n, 9, 3);
	assert_int_equal(n->seq.n, 1);
	assert_pos(n->seq.items[0], 9, 5);

	/* Flow collections at their bracket. */
	assert_pos(at(root, "smmus.[0].irq_affinity"), 14, 19);
	assert_pos(at(root, "devices.[1].sids"), 26, 11);
	assert_int_equal(at(root, "devices.[1].sids")->seq.n, 2);
	assert_pos(at(root, "events.[1]"), 38, 5);

	/* Scalars at their first character, quoted ones at the quote. */
	n = at(root, "description");
	assert_pos(n, 2, 14);
	assert_string_equal(n->scalar.text,
			    "An endpoint stops answering ATC invalidations while its mappings churn.");
	assert_false(n->scalar.quoted);
	n = at(root, "expect.log");
	assert_pos(n, 44, 8);
	assert_int_equal(n->map.n, 1);
	assert_pos(n->map.pairs[0].key, 44, 9);
	assert_true(n->map.pairs[0].key->scalar.quoted);
	assert_string_equal(n->map.pairs[0].key->scalar.text,
			    "ATC invalidate timeout");
	assert_pos(n->map.pairs[0].value, 44, 35);
	assert_true(n->map.pairs[0].value->scalar.quoted);

	/* yt_map_get_pair() reaches the key's own position. */
	assert_pos(yt_map_get_pair(at(root, "events.[1]"), "outcome")->key,
		   38, 43);
	assert_pos(at(root, "events.[1].outcome"), 38, 52);
	assert_null(yt_map_get(root, "nope"));
	assert_null(yt_map_get(at(root, "smmus"), "name"));

	assert_false(diag_failed(&d));
	yt_free(root);
	diag_fini(&d);
}

static void test_design_example_values(void **state)
{
	static const char *const sync_modes[] = { "msi", "cons", NULL };
	static const char *const blocked[] = {
		"no", "resetting", "reset-failed", "broken", NULL
	};
	static const char *const resets[] = { "flr", NULL };
	struct diag d;
	struct yt_node *root = load(&d, design_example);
	const struct yt_node *n;
	struct count_cond cc;
	const char *s;
	unsigned int idx;
	uint64_t v;
	bool b;

	assert_non_null(root);
	assert_true(yt_get_str(&d, at(root, "name"), &s));
	assert_string_equal(s, "atc-timeout-quarantine");
	assert_true(yt_get_time_ns(&d, at(root, "duration"), &v));
	assert_int_equal(v, 200000000);
	assert_pos(at(root, "duration"), 3, 11);
	assert_true(yt_get_u64(&d, at(root, "cpus"), 1, 64, &v));
	assert_int_equal(v, 4);
	assert_pos(at(root, "cpus"), 4, 7);
	assert_true(yt_get_u64(&d, at(root, "seed"), 0, UINT64_MAX, &v));
	assert_int_equal(v, 1);
	assert_true(yt_get_str(&d, at(root, "policy.atc_timeout"), &s));
	assert_string_equal(s, "quarantine-retry");
	assert_pos(at(root, "policy.atc_timeout"), 7, 16);

	assert_true(yt_get_u64(&d, at(root, "smmus.[0].cmdq_entries"), 1,
			       1 << 20, &v));
	assert_int_equal(v, 256);
	assert_true(yt_get_enum(&d, at(root, "smmus.[0].sync"), sync_modes,
				&idx));
	assert_int_equal(idx, 0);
	n = at(root, "smmus.[0].irq_affinity.evtq");
	assert_true(yt_get_u64(&d, n, 0, 3, &v));
	assert_int_equal(v, 1);
	assert_pos(n, 14, 37);
	assert_pos(at(root, "smmus.[0].irq_affinity.priq"), 14, 46);

	n = at(root, "devices.[0].sids.[0]");
	assert_true(yt_get_u64(&d, n, 0, 0xffff, &v));
	assert_int_equal(v, 0x10);
	assert_pos(n, 18, 12);
	n = at(root, "devices.[1].sids.[1]");
	assert_true(yt_get_u64(&d, n, 0, 0xffff, &v));
	assert_int_equal(v, 0x21);
	assert_pos(n, 26, 18);
	assert_true(yt_get_bool(&d, at(root, "devices.[0].ats"), &b));
	assert_true(b);
	assert_true(yt_get_bool(&d, at(root, "devices.[0].pri"), &b));
	assert_false(b);
	n = at(root, "devices.[0].atc_inv_latency");
	assert_true(yt_get_time_ns(&d, n, &v));
	assert_int_equal(v, 2000);
	assert_pos(n, 22, 22);
	assert_true(yt_get_time_ns(&d, at(root, "devices.[0].completion_timeout"),
				   &v));
	assert_int_equal(v, 50000000);

	assert_true(yt_get_str(&d, at(root, "domains.[0].attach.[1]"), &s));
	assert_string_equal(s, "nvme0");
	assert_pos(at(root, "domains.[0].attach.[1]"), 31, 20);

	n = at(root, "workload.[1].churn.interval");
	assert_true(yt_get_time_ns(&d, n, &v));
	assert_int_equal(v, 20000);
	assert_pos(n, 34, 48);
	assert_true(yt_get_u64(&d, at(root, "workload.[2].dma.pages"), 1, 4096,
			       &v));
	assert_int_equal(v, 16);
	assert_pos(at(root, "workload.[2].dma.pages"), 35, 49);

	n = at(root, "events.[1].at");
	assert_true(yt_get_time_ns(&d, n, &v));
	assert_int_equal(v, 120000000);
	assert_pos(n, 38, 10);
	assert_true(yt_get_enum(&d, at(root, "events.[1].reset"), resets,
				&idx));
	assert_pos(at(root, "events.[1].set.atc_inv"), 38, 71);
	assert_pos(at(root, "events.[0].set.atc_inv"), 37, 45);

	n = at(root, "expect.violations");
	assert_true(yt_get_count_cond(&d, n, &cc));
	assert_int_equal(cc.op, COUNT_EQ);
	assert_int_equal(cc.value, 0);
	assert_pos(n, 40, 15);
	/* "no" is text here, not a YAML 1.1 boolean. */
	n = at(root, "expect.at_end.nic0.blocked");
	assert_true(yt_get_enum(&d, n, blocked, &idx));
	assert_int_equal(idx, 0);
	assert_pos(n, 43, 28);
	n = at(root, "expect.log.ATC invalidate timeout");
	assert_true(yt_get_count_cond(&d, n, &cc));
	assert_int_equal(cc.op, COUNT_LE);
	assert_int_equal(cc.value, 2);

	assert_false(diag_failed(&d));
	yt_free(root);
	diag_fini(&d);
}

/* ------------------------------------------------------------------ */
/* Loader errors                                                       */
/* ------------------------------------------------------------------ */

static void test_syntax_errors(void **state)
{
	expect_load_error("a: 1\n b: 2\n",
			  "s.yaml:2:3: syntax error: mapping values are not allowed in this context");
	expect_load_error("a: {b: 1\n",
			  "s.yaml:2:1: syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 1, column 4)");
	expect_load_error("a: [1, 2\n",
			  "s.yaml:2:1: syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4)");
	expect_load_error("a: \"abc\n",
			  "s.yaml:2:1: syntax error: found unexpected end of stream (while scanning a quoted scalar at line 1, column 4)");
	/* A tab cannot indent; the column is the tab's. */
	expect_load_error("a:\n\tb: 1\n",
			  "s.yaml:2:1: syntax error: found character that cannot start any token (while scanning for the next token at line 2, column 1)");
	/* '>' starts a folded scalar: count conditions must be quoted. */
	expect_load_error("v: >0\n",
			  "s.yaml:1:5: syntax error: found an indentation indicator equal to 0 (while scanning a block scalar at line 1, column 4)");
	/* Columns count characters, not bytes. */
	expect_load_error("\xc3\xa9t\xc3\xa9: [1, 2\n",
			  "s.yaml:2:1: syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 6)");
}

static void test_reader_errors(void **state)
{
	expect_load_error("a: 1\nbc\x01: 2\n",
			  "s.yaml:2:3: invalid input: control characters are not allowed (0x01)");
	expect_load_error("a: \xc3\xa9\xff\n",
			  "s.yaml:1:5: invalid input: invalid leading UTF-8 octet (0xff)");
	/* CR LF and a lone CR are one line break each */
	expect_load_error("a: 1\r\nb\x01: 2\n",
			  "s.yaml:2:2: invalid input: control characters are not allowed (0x01)");
	expect_load_error("a: 1\rb\x01: 2\n",
			  "s.yaml:2:2: invalid input: control characters are not allowed (0x01)");
	/* so are the Unicode breaks NEL and LS */
	expect_load_error("a: 1\xc2\x85" "b\x01: 2\n",
			  "s.yaml:2:2: invalid input: control characters are not allowed (0x01)");
	expect_load_error("a: 1\xe2\x80\xa8" "b\x01: 2\n",
			  "s.yaml:2:2: invalid input: control characters are not allowed (0x01)");
	/* a UTF-8 byte order mark takes no column */
	expect_load_error("\xef\xbb\xbf" "a\x01: 1\n",
			  "s.yaml:1:2: invalid input: control characters are not allowed (0x01)");
	expect_load_error("\xff\xfe" "a\0:\0",
			  "s.yaml:1:1: UTF-16 input is not supported; use UTF-8");
}

static void test_empty_inputs(void **state)
{
	expect_load_error("", "s.yaml:1:1: empty file: expected one YAML document");
	expect_load_error("\n\n# only a comment\n   \n",
			  "s.yaml:1:1: empty file: expected one YAML document");
	expect_load_error("# header\n---\n# nothing\n",
			  "s.yaml:2:1: empty document");
	expect_load_error("--- ~\n", "s.yaml:1:1: empty document");
}

static void test_multiple_documents(void **state)
{
	expect_load_error("a: 1\n---\nb: 2\n",
			  "s.yaml:2:1: a second YAML document; a file holds exactly one");
	expect_load_error("---\na: 1\n...\n---\nb: 2\n",
			  "s.yaml:4:1: a second YAML document; a file holds exactly one");
}

static void test_duplicate_keys(void **state)
{
	expect_load_error("a: 1\nb: 2\na: 3\n",
			  "s.yaml:3:1: duplicate key 'a' (first defined at line 1, column 1)");
	/* a quoted key is the same key as a plain one with the same text */
	expect_load_errors("b: {c: 1, c: 2, \"c\": 3}\n", (const char *const[]){
		"s.yaml:1:11: duplicate key 'c' (first defined at line 1, column 5)",
		"s.yaml:1:17: duplicate key 'c' (first defined at line 1, column 5)",
		NULL });
	/* all reported, in file order (inner maps too) */
	expect_load_errors("a: 1\na: 2\nb: {c: 1, c: 2, 'c': 3}\nd:\n  - x: 1\n    x: 2\n",
			   (const char *const[]){
		"s.yaml:2:1: duplicate key 'a' (first defined at line 1, column 1)",
		"s.yaml:3:11: duplicate key 'c' (first defined at line 3, column 5)",
		"s.yaml:3:17: duplicate key 'c' (first defined at line 3, column 5)",
		"s.yaml:6:5: duplicate key 'x' (first defined at line 5, column 5)",
		NULL });
	/* positions after CR LF line breaks and a byte order mark */
	expect_load_error("a: 1\r\nb: x\r\nb: 2\r\n",
			  "s.yaml:3:1: duplicate key 'b' (first defined at line 2, column 1)");
	expect_load_error("\xef\xbb\xbf" "a: 1\na: 2\n",
			  "s.yaml:2:1: duplicate key 'a' (first defined at line 1, column 1)");
	/* the same key in different maps is fine */
	{
		struct diag d;
		struct yt_node *r = load(&d, "a: {x: 1}\nb: {x: 2}\n");

		assert_non_null(r);
		yt_free(r);
		diag_fini(&d);
	}
}

/* Enough keys to grow the key hash several times; the duplicate is last. */
static void test_duplicate_key_in_large_map(void **state)
{
	char *yaml = malloc(500 * 16), *p = yaml;
	struct diag d;
	struct yt_node *root;
	int i;

	assert_non_null(yaml);
	for (i = 0; i < 500; i++)
		p += sprintf(p, "k%d: %d\n", i, i);
	sprintf(p, "k123: dup\n");
	root = load(&d, yaml);
	assert_null(root);
	assert_int_equal(diag_count(&d), 1);
	assert_string_equal(diag_message(&d, 0),
			    "s.yaml:501:1: duplicate key 'k123' (first defined at line 124, column 1)");
	diag_fini(&d);

	*p = '\0';
	root = load(&d, yaml);
	assert_non_null(root);
	assert_int_equal(root->map.n, 500);
	assert_pos(yt_map_get_pair(root, "k499")->key, 500, 1);
	yt_free(root);
	diag_fini(&d);
	free(yaml);
}

static void test_aliases_tags_and_keys(void **state)
{
	expect_load_errors("base: &b {x: 1}\nother: *b\nn: !!int 3\nc: !=0\n",
			   (const char *const[]){
		"s.yaml:2:8: YAML aliases are not supported (found alias 'b'); write the value out",
		"s.yaml:3:4: YAML tags are not supported (found tag '!!int'); quote a value that starts with '!'",
		"s.yaml:4:4: YAML tags are not supported (found tag '!=0'); quote a value that starts with '!'",
		NULL });
	expect_load_error("a: !local {x: 1}\n",
			  "s.yaml:1:4: YAML tags are not supported (found tag '!local'); quote a value that starts with '!'");
	expect_load_error("a: 1\n? [x, y]\n: 2\n",
			  "s.yaml:2:3: mapping keys must be scalars, not a sequence");
	expect_load_error("{{a: 1}: 2}\n",
			  "s.yaml:1:2: mapping keys must be scalars, not a mapping");
	expect_load_error("a: \"x\\0y\"\n",
			  "s.yaml:1:4: NUL characters are not allowed in values");

	/* An anchor alone changes nothing and is accepted. */
	{
		struct diag d;
		struct yt_node *r = load(&d, "a: &x 5\n");
		uint64_t v;

		assert_non_null(r);
		assert_true(yt_get_u64(&d, yt_map_get(r, "a"), 0, 9, &v));
		assert_int_equal(v, 5);
		assert_pos(yt_map_get(r, "a"), 1, 4);
		yt_free(r);
		diag_fini(&d);
	}
}

/* Flow style at the top level. */
static void test_flow_root(void **state)
{
	struct diag d;
	struct yt_node *root = load(&d, "{a: 1, b: [1,2], 'c': {}}  # flow\n");
	const struct yt_node *b;
	uint64_t v;

	assert_non_null(root);
	assert_pos(root, 1, 1);
	assert_int_equal(root->map.n, 3);
	assert_pos(root->map.pairs[0].key, 1, 2);
	assert_pos(root->map.pairs[0].value, 1, 5);
	b = yt_map_get(root, "b");
	assert_int_equal(b->kind, YT_SEQ);
	assert_pos(b, 1, 11);
	assert_int_equal(b->seq.n, 2);
	assert_pos(b->seq.items[1], 1, 14);
	assert_true(yt_get_u64(&d, b->seq.items[1], 0, 9, &v));
	assert_int_equal(v, 2);
	assert_pos(root->map.pairs[2].key, 1, 18);
	assert_true(root->map.pairs[2].key->scalar.quoted);
	assert_int_equal(yt_map_get(root, "c")->kind, YT_MAP);
	assert_int_equal(yt_map_get(root, "c")->map.n, 0);
	yt_free(root);
	diag_fini(&d);
}

static void test_nesting_limit(void **state)
{
	char deep[2 * YT_MAX_DEPTH + 8];
	char msg[128];

	memset(deep, '[', YT_MAX_DEPTH + 1);
	memset(deep + YT_MAX_DEPTH + 1, ']', YT_MAX_DEPTH + 1);
	deep[2 * YT_MAX_DEPTH + 2] = '\0';
	snprintf(msg, sizeof(msg),
		 "s.yaml:1:%d: nesting too deep (more than %d levels)",
		 YT_MAX_DEPTH + 1, YT_MAX_DEPTH);
	expect_load_error(deep, msg);

	/* exactly YT_MAX_DEPTH levels load */
	{
		struct diag d;
		struct yt_node *r;

		deep[YT_MAX_DEPTH] = ' ';
		deep[YT_MAX_DEPTH + 1] = ' ';
		r = load(&d, deep);
		assert_non_null(r);
		yt_free(r);
		diag_fini(&d);
	}
}

static void test_files(void **state)
{
	char path[] = "/tmp/test_yamltree_XXXXXX";
	const char *yaml = "# c\nname: x\ncpus: 0x8\n";
	struct yt_node *root;
	struct diag d;
	uint64_t v;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, strlen(yaml)), (ssize_t)strlen(yaml));
	close(fd);

	diag_init(&d, "scenario.yaml");
	diag_set_sink(&d, NULL);
	root = yt_load_file(&d, path);
	assert_non_null(root);
	assert_true(yt_get_u64(&d, yt_map_get(root, "cpus"), 1, 8, &v));
	assert_int_equal(v, 8);
	assert_pos(yt_map_get(root, "cpus"), 3, 7);
	yt_free(root);
	unlink(path);

	root = yt_load_file(&d, path);
	assert_null(root);
	assert_string_equal(diag_message(&d, 0),
			    "scenario.yaml: cannot open: No such file or directory");
	root = yt_load_file(&d, "/");
	assert_null(root);
	assert_string_equal(diag_message(&d, 1),
			    "scenario.yaml: cannot read: Is a directory");
	diag_fini(&d);
}

/* A file whose size is exactly the reader's first buffer, then too large. */
static void test_file_sizes(void **state)
{
	char path[] = "/tmp/test_yamltree_XXXXXX";
	char *yaml = malloc(8192), want[128];
	struct yt_node *root;
	struct diag d;
	int fd;

	assert_non_null(yaml);
	memcpy(yaml, "a: ", 3);
	memset(yaml + 3, 'x', 8192 - 4);
	yaml[8191] = '\n';
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, 8192), 8192);

	diag_init(&d, "big.yaml");
	diag_set_sink(&d, NULL);
	root = yt_load_file(&d, path);
	assert_non_null(root);
	assert_int_equal(yt_map_get(root, "a")->scalar.len, 8192 - 4);
	yt_free(root);

	assert_int_equal(ftruncate(fd, (off_t)YT_MAX_INPUT + 1), 0);
	close(fd);
	assert_null(yt_load_file(&d, path));
	snprintf(want, sizeof(want),
		 "big.yaml: file too large (more than %u bytes)", YT_MAX_INPUT);
	assert_string_equal(diag_message(&d, 0), want);
	assert_int_equal(diag_count(&d), 1);
	diag_fini(&d);
	unlink(path);
	free(yaml);
}

static void test_input_too_large(void **state)
{
	size_t len = (size_t)YT_MAX_INPUT + 1;
	char *big = malloc(len);
	char want[128];
	struct diag d;

	assert_non_null(big);
	memset(big, ' ', len);
	diag_init(&d, "big.yaml");
	diag_set_sink(&d, NULL);
	assert_null(yt_load_string(&d, big, len));
	snprintf(want, sizeof(want),
		 "big.yaml: input too large (%zu bytes; at most %u)", len,
		 YT_MAX_INPUT);
	assert_string_equal(diag_message(&d, 0), want);
	diag_fini(&d);
	free(big);
}

/* ------------------------------------------------------------------ */
/* Maps: strict keys, required keys, kinds                             */
/* ------------------------------------------------------------------ */

static void test_unknown_keys(void **state)
{
	static const char *const allowed[] = {
		"name", "description", "duration", "cpus", "seed", NULL
	};
	struct diag d;
	struct yt_node *root;

	root = load(&d, "name: x\ncpus: 4\ncpuz: 4\nflavour: 1\nDURATION: 1s\nsede: 1\n");
	assert_non_null(root);
	assert_false(yt_map_check_keys(&d, root, allowed));
	assert_int_equal(diag_count(&d), 4);
	assert_string_equal(diag_message(&d, 0),
			    "s.yaml:3:1: unknown key 'cpuz' (expected one of: name, description, duration, cpus, seed); did you mean 'cpus'?");
	assert_string_equal(diag_message(&d, 1),
			    "s.yaml:4:1: unknown key 'flavour' (expected one of: name, description, duration, cpus, seed)");
	/* case-only difference: distance 0 */
	assert_string_equal(diag_message(&d, 2),
			    "s.yaml:5:1: unknown key 'DURATION' (expected one of: name, description, duration, cpus, seed); did you mean 'duration'?");
	/* an adjacent swap is one edit */
	assert_string_equal(diag_message(&d, 3),
			    "s.yaml:6:1: unknown key 'sede' (expected one of: name, description, duration, cpus, seed); did you mean 'seed'?");
	yt_free(root);
	diag_fini(&d);

	root = load(&d, "a: {name: x, descripton: y, zz: 1}\n");
	assert_false(yt_map_check_keys(&d, yt_map_get(root, "a"), allowed));
	assert_int_equal(diag_count(&d), 2);
	assert_string_equal(diag_message(&d, 0),
			    "s.yaml:1:14: unknown key 'descripton' (expected one of: name, description, duration, cpus, seed); did you mean 'description'?");
	/* two edits on a two-character key: no suggestion */
	assert_string_equal(diag_message(&d, 1),
			    "s.yaml:1:29: unknown key 'zz' (expected one of: name, description, duration, cpus, seed)");
	yt_free(root);
	diag_fini(&d);

	/* up to 8 characters, 2 edits suggest and 3 do not */
	root = load(&d, "dratoin: 1\ncpusxyz: 2\n");
	assert_false(yt_map_check_keys(&d, root, allowed));
	assert_int_equal(diag_count(&d), 2);
	assert_string_equal(diag_message(&d, 0),
			    "s.yaml:1:1: unknown key 'dratoin' (expected one of: name, description, duration, cpus, seed); did you mean 'duration'?");
	assert_string_equal(diag_message(&d, 1),
			    "s.yaml:2:1: unknown key 'cpusxyz' (expected one of: name, description, duration, cpus, seed)");
	yt_free(root);
	diag_fini(&d);
}

static void test_unknown_key_far(void **state)
{
	static const char *const allowed[] = { "cpus", NULL };
	struct diag d;
	struct yt_node *root = load(&d, "cpus: 1\ndescripton: y\n");

	assert_false(yt_map_check_keys(&d, root, allowed));
	assert_int_equal(diag_count(&d), 1);
	/* long unknown key, far from anything: no suggestion */
	assert_string_equal(diag_message(&d, 0),
			    "s.yaml:2:1: unknown key 'descripton' (expected one of: cpus)");
	yt_free(root);
	diag_fini(&d);
}

static void test_map_require_and_kinds(void **state)
{
	struct diag d;
	struct yt_node *root = load(&d, "a:\n  x: 1\nb: [1]\nc: 3\n");

	assert_non_null(root);
	assert_non_null(yt_map_require(&d, yt_map_get(root, "a"), "x"));
	assert_null(yt_map_require(&d, yt_map_get(root, "a"), "y"));
	assert_string_equal(diag_message(&d, 0),
			    "s.yaml:2:3: missing required key 'y'");
	assert_false(yt_expect_map(&d, yt_map_get(root, "b")));
	assert_string_equal(diag_message(&d, 1),
			    "s.yaml:3:4: expected a mapping, got a sequence");
	assert_false(yt_expect_seq(&d, yt_map_get(root, "c")));
	assert_string_equal(diag_message(&d, 2),
			    "s.yaml:4:4: expected a sequence, got '3'");
	assert_true(yt_expect_seq(&d, yt_map_get(root, "b")));
	assert_false(yt_map_check_keys(&d, yt_map_get(root, "b"),
				       (const char *const[]){ "x", NULL }));
	assert_string_equal(diag_message(&d, 3),
			    "s.yaml:3:4: expected a mapping, got a sequence");
	assert_int_equal(diag_count(&d), 4);
	yt_free(root);
	diag_fini(&d);
}

/* An empty value sits right after the colon (or the dash). */
static void test_empty_value_positions(void **state)
{
	struct diag d;
	struct yt_node *root = load(&d, "cpus:\nlist:\n  -\n  - ~\n");
	const struct yt_node *n;
	uint64_t v;

	assert_non_null(root);
	n = yt_map_get(root, "cpus");
	assert_pos(n, 1, 6);
	assert_true(yt_is_null(n));
	assert_false(yt_get_u64(&d, n, 0, 9, &v));
	assert_string_equal(diag_message(&d, 0),
			    "s.yaml:1:6: expected an integer, got no value");
	n = yt_map_get(root, "list");
	assert_int_equal(n->seq.n, 2);
	assert_pos(n->seq.items[0], 3, 4);
	assert_pos(n->seq.items[1], 4, 5);
	assert_false(yt_get_time_ns(&d, n->seq.items[1], &v));
	assert_string_equal(diag_message(&d, 1),
			    "s.yaml:4:5: expected a time with a unit (ns, us, ms or s), got null");
	yt_free(root);
	diag_fini(&d);
}

/* ------------------------------------------------------------------ */
/* Scalars                                                             */
/* ------------------------------------------------------------------ */

struct u64_case {
	const char *in;
	uint64_t min, max;
	uint64_t want;
	const char *err;	/* NULL: accepted with @want */
};

static void test_u64(void **state)
{
	static const struct u64_case cases[] = {
		{ "0", 0, UINT64_MAX, 0, NULL },
		{ "42", 0, UINT64_MAX, 42, NULL },
		{ "18446744073709551615", 0, UINT64_MAX, UINT64_MAX, NULL },
		{ "0x0", 0, UINT64_MAX, 0, NULL },
		{ "0xFFffFFffFFffFFff", 0, UINT64_MAX, UINT64_MAX, NULL },
		{ "0x0000000000000000001", 0, UINT64_MAX, 1, NULL },
		{ "18446744073709551616", 0, UINT64_MAX, 0,
		  "integer '18446744073709551616' is too large (the maximum is 18446744073709551615)" },
		{ "99999999999999999999999", 0, UINT64_MAX, 0,
		  "integer '99999999999999999999999' is too large (the maximum is 18446744073709551615)" },
		{ "0x10000000000000000", 0, UINT64_MAX, 0,
		  "integer '0x10000000000000000' is too large (the maximum is 18446744073709551615)" },
		{ "-1", 0, UINT64_MAX, 0,
		  "negative value '-1' is not allowed" },
		{ "+1", 0, UINT64_MAX, 0,
		  "invalid integer '+1' (expected decimal digits, or 0x and hex digits)" },
		{ "4x", 0, UINT64_MAX, 0,
		  "invalid integer '4x' (expected decimal digits, or 0x and hex digits)" },
		{ "1_000", 0, UINT64_MAX, 0,
		  "invalid integer '1_000' (expected decimal digits, or 0x and hex digits)" },
		{ "0x", 0, UINT64_MAX, 0,
		  "invalid integer '0x' (expected decimal digits, or 0x and hex digits)" },
		{ "0X10", 0, UINT64_MAX, 0,
		  "invalid integer '0X10' (expected decimal digits, or 0x and hex digits)" },
		{ "0x1g", 0, UINT64_MAX, 0,
		  "invalid integer '0x1g' (expected decimal digits, or 0x and hex digits)" },
		{ "1.0", 0, UINT64_MAX, 0,
		  "invalid integer '1.0' (expected decimal digits, or 0x and hex digits)" },
		{ "010", 0, UINT64_MAX, 0,
		  "invalid integer '010' (leading zeros are not allowed; YAML 1.1 reads them as octal)" },
		{ "4", 1, 4, 4, NULL },
		{ "1", 1, 4, 1, NULL },
		{ "5", 1, 4, 0, "value 5 is out of range (expected 1 to 4)" },
		{ "0", 1, 4, 0, "value 0 is out of range (expected 1 to 4)" },
		{ "0", 1, UINT64_MAX, 0,
		  "value 0 is out of range (expected at least 1)" },
		{ "300", 0, 255, 0,
		  "value 300 is out of range (expected at most 255)" },
		{ "0x10000", 0, 0xffff, 0,
		  "value 0x10000 is out of range (expected at most 0xffff)" },
		{ "0x1", 0x10, 0x1f, 0,
		  "value 0x1 is out of range (expected 0x10 to 0x1f)" },
		{ "\"4\"", 0, UINT64_MAX, 0,
		  "expected an integer, got a quoted string '4' (numbers are written without quotes)" },
		{ "~", 0, UINT64_MAX, 0, "expected an integer, got null" },
		{ "{a: 1}", 0, UINT64_MAX, 0,
		  "expected an integer, got a mapping" },
		{ "[1]", 0, UINT64_MAX, 0,
		  "expected an integer, got a sequence" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct u64_case *c = &cases[i];
		struct one o;
		uint64_t v = 12345;
		bool ok;

		one_load(&o, c->in);
		ok = yt_get_u64(&o.d, o.v, c->min, c->max, &v);
		one_check(&o, c->in, ok, c->err);
		if (!c->err && v != c->want)
			fail_msg("'%s' gave %" PRIu64, c->in, v);
		if (c->err && v != 12345)
			fail_msg("'%s' changed the output on failure", c->in);
		one_done(&o);
	}
}

static void test_bool(void **state)
{
	static const struct {
		const char *in;
		bool want;
		const char *err;
	} cases[] = {
		{ "true", true, NULL }, { "yes", true, NULL },
		{ "on", true, NULL }, { "false", false, NULL },
		{ "no", false, NULL }, { "off", false, NULL },
		{ "True", false,
		  "invalid boolean 'True' (expected true, false, yes, no, on or off, in lower case)" },
		{ "y", false,
		  "invalid boolean 'y' (expected true, false, yes, no, on or off, in lower case)" },
		{ "1", false,
		  "invalid boolean '1' (expected true, false, yes, no, on or off, in lower case)" },
		{ "'true'", false,
		  "expected a boolean, got a quoted string 'true' (booleans are written without quotes)" },
		{ "", false, "expected a boolean, got no value" },
		{ "[true]", false, "expected a boolean, got a sequence" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct one o;
		bool b = !cases[i].want, ok;

		one_load(&o, cases[i].in);
		ok = yt_get_bool(&o.d, o.v, &b);
		one_check(&o, cases[i].in, ok, cases[i].err);
		if (!cases[i].err && b != cases[i].want)
			fail_msg("'%s' gave %d", cases[i].in, b);
		one_done(&o);
	}
}

static void test_str(void **state)
{
	static const struct {
		const char *in;
		const char *want;
		const char *err;
	} cases[] = {
		{ "nic0", "nic0", NULL },
		{ "two words", "two words", NULL },
		{ "\"\"", "", NULL },
		{ "'null'", "null", NULL },
		{ "\"tab\\there\"", "tab\there", NULL },
		{ "no", "no", NULL },		/* text, not a boolean */
		{ "010", "010", NULL },		/* text, not octal */
		{ "", NULL, "expected a string, got no value" },
		{ "null", NULL,
		  "expected a string, got null (quote it to use it as text)" },
		{ "{a: b}", NULL, "expected a string, got a mapping" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *s = NULL;
		struct one o;
		bool ok;

		one_load(&o, cases[i].in);
		ok = yt_get_str(&o.d, o.v, &s);
		one_check(&o, cases[i].in, ok, cases[i].err);
		if (!cases[i].err)
			assert_string_equal(s, cases[i].want);
		one_done(&o);
	}
}

static void test_enum(void **state)
{
	static const char *const types[] = {
		"paging", "identity", "blocking", "sva", NULL
	};
	static const struct {
		const char *in;
		unsigned int want;
		const char *err;
	} cases[] = {
		{ "paging", 0, NULL },
		{ "sva", 3, NULL },
		{ "\"blocking\"", 2, NULL },
		{ "pagin", 0,
		  "invalid value 'pagin' (expected one of: paging, identity, blocking, sva); did you mean 'paging'?" },
		{ "Identity", 0,
		  "invalid value 'Identity' (expected one of: paging, identity, blocking, sva); did you mean 'identity'?" },
		{ "dma", 0,
		  "invalid value 'dma' (expected one of: paging, identity, blocking, sva)" },
		{ "", 0,
		  "expected one of: paging, identity, blocking, sva; got no value" },
		{ "[sva]", 0,
		  "expected one of: paging, identity, blocking, sva; got a sequence" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int idx = 99;
		struct one o;
		bool ok;

		one_load(&o, cases[i].in);
		ok = yt_get_enum(&o.d, o.v, types, &idx);
		one_check(&o, cases[i].in, ok, cases[i].err);
		if (!cases[i].err && idx != cases[i].want)
			fail_msg("'%s' gave index %u", cases[i].in, idx);
		one_done(&o);
	}
}

struct num_case {
	const char *in;
	uint64_t want;
	const char *err;	/* NULL: accepted with @want */
};

static void test_time(void **state)
{
	static const struct num_case cases[] = {
		{ "0ns", 0, NULL },
		{ "0s", 0, NULL },
		{ "2us", 2000, NULL },
		{ "200ms", 200000000, NULL },
		{ "1s", 1000000000, NULL },
		{ "1.5us", 1500, NULL },
		{ "1.5ms", 1500000, NULL },
		{ "0.001us", 1, NULL },
		{ "1.0000us", 1000, NULL },
		{ "1.000000001s", 1000000001, NULL },
		{ "007ms", 7000000, NULL },
		{ "\"2us\"", 2000, NULL },
		{ "18446744073709551615ns", UINT64_MAX, NULL },
		{ "18446744073.709551615s", UINT64_MAX, NULL },
		{ "1.0005us", 0,
		  "time '1.0005us' is not a whole number of nanoseconds" },
		{ "0.5ns", 0,
		  "time '0.5ns' is not a whole number of nanoseconds" },
		{ "1.0000000001s", 0,
		  "time '1.0000000001s' is not a whole number of nanoseconds" },
		{ "200", 0,
		  "time '200' has no unit (a unit is required: ns, us, ms or s)" },
		{ "0", 0,
		  "time '0' has no unit (a unit is required: ns, us, ms or s)" },
		{ "1.5", 0,
		  "time '1.5' has no unit (a unit is required: ns, us, ms or s)" },
		{ "5sec", 0,
		  "unknown time unit 'sec' in '5sec' (expected ns, us, ms or s)" },
		{ "5MS", 0,
		  "unknown time unit 'MS' in '5MS' (expected ns, us, ms or s); did you mean 'ms'?" },
		{ "5\xc2\xb5s", 0,
		  "unknown time unit '\xc2\xb5s' in '5\xc2\xb5s' (expected ns, us, ms or s); did you mean 'us'?" },
		{ "1e3ns", 0,
		  "unknown time unit 'e3ns' in '1e3ns' (expected ns, us, ms or s)" },
		{ "5 ms", 0,
		  "invalid time '5 ms' (no space is allowed between the number and the unit)" },
		{ "-5ms", 0, "negative time '-5ms' is not allowed" },
		{ ".5ms", 0,
		  "invalid time '.5ms' (expected a number and a unit, e.g. '2us' or '1.5ms')" },
		{ "5.ms", 0,
		  "invalid time '5.ms' (expected a number and a unit, e.g. '2us' or '1.5ms')" },
		{ "ms", 0,
		  "invalid time 'ms' (expected a number and a unit, e.g. '2us' or '1.5ms')" },
		{ "18446744073709551616ns", 0,
		  "time '18446744073709551616ns' is too large (the maximum is 18446744073709551615ns)" },
		{ "18446744074s", 0,
		  "time '18446744074s' is too large (the maximum is 18446744073709551615ns)" },
		{ "18446744073.709551616s", 0,
		  "time '18446744073.709551616s' is too large (the maximum is 18446744073709551615ns)" },
		{ "", 0,
		  "expected a time with a unit (ns, us, ms or s), got no value" },
		{ "{at: 1ms}", 0,
		  "expected a time with a unit (ns, us, ms or s), got a mapping" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct one o;
		uint64_t v = 12345;
		bool ok;

		one_load(&o, cases[i].in);
		ok = yt_get_time_ns(&o.d, o.v, &v);
		one_check(&o, cases[i].in, ok, cases[i].err);
		if (!cases[i].err && v != cases[i].want)
			fail_msg("'%s' gave %" PRIu64 " ns", cases[i].in, v);
		if (cases[i].err && v != 12345)
			fail_msg("'%s' changed the output on failure",
				 cases[i].in);
		one_done(&o);
	}
}

static void test_size(void **state)
{
	static const struct num_case cases[] = {
		{ "0B", 0, NULL },
		{ "64B", 64, NULL },
		{ "4KiB", 4096, NULL },
		{ "2MiB", 2 << 20, NULL },
		{ "1GiB", 1 << 30, NULL },
		{ "'4KiB'", 4096, NULL },
		{ "17179869183GiB", 17179869183ULL << 30, NULL },
		{ "18446744073709551615B", UINT64_MAX, NULL },
		{ "17179869184GiB", 0,
		  "size '17179869184GiB' is too large (the maximum is 18446744073709551615B)" },
		{ "18446744073709551616B", 0,
		  "size '18446744073709551616B' is too large (the maximum is 18446744073709551615B)" },
		{ "4096", 0,
		  "size '4096' has no unit (a unit is required: B, KiB, MiB or GiB)" },
		{ "4KB", 0,
		  "unknown size unit 'KB' in '4KB' (expected B, KiB, MiB or GiB); did you mean 'KiB'?" },
		{ "4K", 0,
		  "unknown size unit 'K' in '4K' (expected B, KiB, MiB or GiB); did you mean 'KiB'?" },
		{ "4kib", 0,
		  "unknown size unit 'kib' in '4kib' (expected B, KiB, MiB or GiB); did you mean 'KiB'?" },
		{ "2MB", 0,
		  "unknown size unit 'MB' in '2MB' (expected B, KiB, MiB or GiB); did you mean 'MiB'?" },
		{ "1G", 0,
		  "unknown size unit 'G' in '1G' (expected B, KiB, MiB or GiB); did you mean 'GiB'?" },
		{ "1TiB", 0,
		  "unknown size unit 'TiB' in '1TiB' (expected B, KiB, MiB or GiB)" },
		{ "4 KiB", 0,
		  "invalid size '4 KiB' (no space is allowed between the number and the unit)" },
		{ "1.5KiB", 0,
		  "invalid size '1.5KiB' (fractions are not allowed; use a smaller unit)" },
		{ "-4KiB", 0, "negative size '-4KiB' is not allowed" },
		{ "KiB", 0,
		  "invalid size 'KiB' (expected a whole number and a unit, e.g. '4KiB')" },
		{ "~", 0,
		  "expected a size with a unit (B, KiB, MiB or GiB), got null" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct one o;
		uint64_t v = 12345;
		bool ok;

		one_load(&o, cases[i].in);
		ok = yt_get_size_bytes(&o.d, o.v, &v);
		one_check(&o, cases[i].in, ok, cases[i].err);
		if (!cases[i].err && v != cases[i].want)
			fail_msg("'%s' gave %" PRIu64 " B", cases[i].in, v);
		one_done(&o);
	}
}

static void test_count_cond_parse(void **state)
{
	static const struct {
		const char *in;
		enum count_op op;
		uint64_t value;
		const char *text;	/* count_cond_format() */
		const char *err;
	} cases[] = {
		{ "0", COUNT_EQ, 0, "==0", NULL },
		{ "\"3\"", COUNT_EQ, 3, "==3", NULL },
		{ "\">0\"", COUNT_GT, 0, ">0", NULL },
		{ "\"<=2\"", COUNT_LE, 2, "<=2", NULL },
		{ "<=2", COUNT_LE, 2, "<=2", NULL },	/* plain is fine here */
		{ "\"==3\"", COUNT_EQ, 3, "==3", NULL },
		{ "==3", COUNT_EQ, 3, "==3", NULL },
		{ "\">=1\"", COUNT_GE, 1, ">=1", NULL },
		{ "'<5'", COUNT_LT, 5, "<5", NULL },
		{ "\"!=0\"", COUNT_NE, 0, "!=0", NULL },
		{ "\">=0\"", COUNT_GE, 0, ">=0", NULL },
		{ "\"<=18446744073709551615\"", COUNT_LE, UINT64_MAX,
		  "<=18446744073709551615", NULL },
		{ "\"<0\"", 0, 0, NULL, "count condition '<0' can never hold" },
		{ "\"=3\"", 0, 0, NULL,
		  "invalid count condition '=3' (expected N, ==N, !=N, <N, <=N, >N or >=N, e.g. 0, '>0', '<=2')" },
		{ "\"> 0\"", 0, 0, NULL,
		  "invalid count condition '> 0' (expected N, ==N, !=N, <N, <=N, >N or >=N, e.g. 0, '>0', '<=2')" },
		{ "\"=>1\"", 0, 0, NULL,
		  "invalid count condition '=>1' (expected N, ==N, !=N, <N, <=N, >N or >=N, e.g. 0, '>0', '<=2')" },
		{ "-1", 0, 0, NULL,
		  "invalid count condition '-1' (expected N, ==N, !=N, <N, <=N, >N or >=N, e.g. 0, '>0', '<=2')" },
		{ "0x1", 0, 0, NULL,
		  "invalid count condition '0x1' (expected N, ==N, !=N, <N, <=N, >N or >=N, e.g. 0, '>0', '<=2')" },
		{ "\"<\"", 0, 0, NULL,
		  "invalid count condition '<' (expected N, ==N, !=N, <N, <=N, >N or >=N, e.g. 0, '>0', '<=2')" },
		{ "\">007\"", 0, 0, NULL,
		  "invalid count condition '>007' (leading zeros are not allowed)" },
		{ "\">18446744073709551616\"", 0, 0, NULL,
		  "count in '>18446744073709551616' is too large (the maximum is 18446744073709551615)" },
		{ "", 0, 0, NULL,
		  "expected a count condition (N, ==N, !=N, <N, <=N, >N or >=N), got no value" },
		{ "{LOG_FLOOD: 0}", 0, 0, NULL,
		  "expected a count condition (N, ==N, !=N, <N, <=N, >N or >=N), got a mapping" },
	};
	char buf[COUNT_COND_BUFSZ];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct count_cond cc = { COUNT_NE, 777 };
		struct one o;
		bool ok;

		one_load(&o, cases[i].in);
		ok = yt_get_count_cond(&o.d, o.v, &cc);
		one_check(&o, cases[i].in, ok, cases[i].err);
		if (!cases[i].err) {
			assert_int_equal(cc.op, cases[i].op);
			assert_int_equal(cc.value, cases[i].value);
			assert_string_equal(count_cond_format(cc, buf),
					    cases[i].text);
		} else {
			assert_int_equal(cc.value, 777);
		}
		one_done(&o);
	}
}

static void test_count_cond_holds(void **state)
{
	static const struct {
		const char *cond;
		bool at[4];	/* holds for counts 0, 1, 2, 3 */
	} cases[] = {
		{ "0", { 1, 0, 0, 0 } },
		{ "==2", { 0, 0, 1, 0 } },
		{ "!=0", { 0, 1, 1, 1 } },
		{ "<2", { 1, 1, 0, 0 } },
		{ "<=2", { 1, 1, 1, 0 } },
		{ ">0", { 0, 1, 1, 1 } },
		{ ">=3", { 0, 0, 0, 1 } },
	};
	struct count_cond c, back;
	struct diag d;
	char buf[COUNT_COND_BUFSZ];
	size_t i, n;

	diag_init(&d, "x");
	diag_set_sink(&d, NULL);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_true(yt_parse_count_cond(&d, 1, 1, cases[i].cond, &c));
		for (n = 0; n < 4; n++)
			if (count_cond_holds(c, n) != cases[i].at[n])
				fail_msg("'%s' on %zu", cases[i].cond, n);
		/* the formatted text parses back to the same condition */
		assert_true(yt_parse_count_cond(&d, 1, 1,
						count_cond_format(c, buf),
						&back));
		assert_int_equal(back.op, c.op);
		assert_int_equal(back.value, c.value);
	}
	c = (struct count_cond){ COUNT_LE, UINT64_MAX };
	assert_true(count_cond_holds(c, UINT64_MAX));
	c = (struct count_cond){ COUNT_GT, UINT64_MAX };
	assert_false(count_cond_holds(c, UINT64_MAX));
	assert_false(diag_failed(&d));
	diag_fini(&d);
}

/* The text parsers report at the position they are given. */
static void test_text_parsers(void **state)
{
	static const char *const modes[] = { "msi", "cons", NULL };
	unsigned int idx;
	struct diag d;
	uint64_t v;
	bool b;

	diag_init(&d, "script.hw");
	diag_set_sink(&d, NULL);
	assert_true(yt_parse_time_ns(&d, 7, 12, "3ms", &v));
	assert_int_equal(v, 3000000);
	assert_false(yt_parse_time_ns(&d, 7, 12, "3", &v));
	assert_true(yt_parse_u64(&d, 2, 1, "0x20", 0, 0xff, &v));
	assert_int_equal(v, 0x20);
	assert_false(yt_parse_bool(&d, 3, 9, "maybe", &b));
	assert_true(yt_parse_enum(&d, 4, 2, "cons", modes, &idx));
	assert_int_equal(idx, 1);
	assert_false(yt_parse_enum(&d, 4, 2, "ms", modes, &idx));
	assert_true(yt_parse_size_bytes(&d, 5, 5, "2MiB", &v));
	assert_int_equal(v, 2 << 20);
	assert_false(yt_parse_u64(&d, 6, 3, "", 0, 1, &v));
	assert_int_equal(diag_count(&d), 4);
	assert_string_equal(diag_message(&d, 0),
			    "script.hw:7:12: time '3' has no unit (a unit is required: ns, us, ms or s)");
	assert_string_equal(diag_message(&d, 1),
			    "script.hw:3:9: invalid boolean 'maybe' (expected true, false, yes, no, on or off, in lower case)");
	assert_string_equal(diag_message(&d, 2),
			    "script.hw:4:2: invalid value 'ms' (expected one of: msi, cons); did you mean 'msi'?");
	assert_string_equal(diag_message(&d, 3),
			    "script.hw:6:3: expected an integer, got no value");
	diag_fini(&d);
}

/* User text in messages is escaped and cut, never printed raw. */
static void test_message_quoting(void **state)
{
	char in[128], want[256];
	struct one o;
	uint64_t v;
	bool b;

	one_load(&o, "\"a\\x01b\\nc\"");
	assert_false(yt_get_time_ns(&o.d, o.v, &v));
	one_check(&o, "ctl", false,
		  "invalid time 'a\\x01b\\x0ac' (expected a number and a unit, e.g. '2us' or '1.5ms')");
	one_done(&o);

	memset(in, 'z', 60);
	in[60] = '\0';
	one_load(&o, in);
	assert_false(yt_get_bool(&o.d, o.v, &b));
	snprintf(want, sizeof(want),
		 "invalid boolean '%.48s...' (expected true, false, yes, no, on or off, in lower case)",
		 in);
	one_check(&o, "long", false, want);
	one_done(&o);

	/* bytes that are not UTF-8 (from a non-YAML caller) stay bounded */
	{
		char junk[400];
		struct diag d;

		junk[0] = 'a';
		memset(junk + 1, 0x80, sizeof(junk) - 2);
		junk[sizeof(junk) - 1] = '\0';
		diag_init(&d, "x");
		diag_set_sink(&d, NULL);
		assert_false(yt_parse_bool(&d, 1, 1, junk, &b));
		assert_true(strlen(diag_message(&d, 0)) < 400);
		diag_fini(&d);
	}
}

/* ------------------------------------------------------------------ */
/* diag                                                                */
/* ------------------------------------------------------------------ */

static void test_diag_sink_and_format(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	struct diag d;
	FILE *mem;

	mem = open_memstream(&buf, &len);
	assert_non_null(mem);
	diag_init(&d, "dir/s.yaml");
	assert_ptr_equal(d.sink, stderr);
	diag_set_sink(&d, mem);
	assert_false(diag_failed(&d));
	diag_error(&d, 3, 14, "unknown key '%s'", "cpuz");
	diag_error(&d, 0, 0, "cannot open: %s", "No such file");
	diag_error(&d, 9, 0, "column 0 means 1");
	fclose(mem);

	assert_true(diag_failed(&d));
	assert_int_equal(diag_count(&d), 3);
	assert_string_equal(buf,
			    "dir/s.yaml:3:14: unknown key 'cpuz'\n"
			    "dir/s.yaml: cannot open: No such file\n"
			    "dir/s.yaml:9:1: column 0 means 1\n");
	assert_string_equal(diag_message(&d, 0),
			    "dir/s.yaml:3:14: unknown key 'cpuz'");
	assert_null(diag_message(&d, 3));
	free(buf);
	diag_fini(&d);
}

static void test_diag_keeps_first_n(void **state)
{
	struct diag d;
	unsigned int i;
	char want[64];

	diag_init(&d, "f");
	diag_set_sink(&d, NULL);
	for (i = 1; i <= DIAG_KEEP + 10; i++)
		diag_error(&d, i, 1, "error %u", i);
	assert_int_equal(diag_count(&d), DIAG_KEEP + 10);
	assert_string_equal(diag_message(&d, 0), "f:1:1: error 1");
	snprintf(want, sizeof(want), "f:%u:1: error %u", DIAG_KEEP, DIAG_KEEP);
	assert_string_equal(diag_message(&d, DIAG_KEEP - 1), want);
	assert_null(diag_message(&d, DIAG_KEEP));
	diag_fini(&d);
	/* re-initialised after fini, it starts clean */
	diag_init(&d, "g");
	assert_false(diag_failed(&d));
	diag_fini(&d);
}

/* A failed load prints its message to the sink, once, with a newline. */
static void test_load_error_reaches_sink(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	struct diag d;
	FILE *mem = open_memstream(&buf, &len);

	diag_init(&d, "scenario.yaml");
	diag_set_sink(&d, mem);
	assert_null(yt_load_string(&d, "name: x\ncpus: 4\nname: y\n", 23));
	fclose(mem);
	assert_string_equal(buf,
			    "scenario.yaml:3:1: duplicate key 'name' (first defined at line 1, column 1)\n");
	free(buf);
	diag_fini(&d);
}

/* Many loads, good and bad, for the leak checker to look at. */
static void test_no_leaks(void **state)
{
	static const char *const inputs[] = {
		"a: [1, {b: [2, 3]}, 'x']\nc: {d: e}\n",
		"a: 1\na: 2\nb: *x\n",			/* errors after nodes */
		"a: [1, {b: [2, 3\n",			/* syntax error midway */
		"a: 1\n---\nb: [1, 2]\n",		/* second document */
		"a: {? [1]: 2}\n",			/* non-scalar key */
		"- - - - x\n- {a: {b: {c: d}}}\n",
	};
	unsigned int round, i;

	for (round = 0; round < 20; round++) {
		for (i = 0; i < ARRAY_SIZE(inputs); i++) {
			struct diag d;

			yt_free(load(&d, inputs[i]));
			diag_fini(&d);
		}
	}
	yt_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_example_structure),
		cmocka_unit_test(test_design_example_values),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_reader_errors),
		cmocka_unit_test(test_empty_inputs),
		cmocka_unit_test(test_multiple_documents),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_duplicate_key_in_large_map),
		cmocka_unit_test(test_aliases_tags_and_keys),
		cmocka_unit_test(test_flow_root),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_file_sizes),
		cmocka_unit_test(test_input_too_large),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_unknown_key_far),
		cmocka_unit_test(test_map_require_and_kinds),
		cmocka_unit_test(test_empty_value_positions),
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_count_cond_parse),
		cmocka_unit_test(test_count_cond_holds),
		cmocka_unit_test(test_text_parsers),
		cmocka_unit_test(test_message_quoting),
		cmocka_unit_test(test_diag_sink_and_format),
		cmocka_unit_test(test_diag_keeps_first_n),
		cmocka_unit_test(test_load_error_reaches_sink),
		cmocka_unit_test(test_no_leaks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
