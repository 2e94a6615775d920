// SPDX-License-Identifier: MIT
/*
 * The report side of `iommusim run`: expect_eval() on hand-made results
 * (every kind of check, passing and failing), the text, JSON and log
 * reports, the `run` option parser, and the LOG_FLOOD checker.
 */
#include "simtest.h"

#include <jansson.h>

#include "check/log_flood.h"
#include "core/iommu.h"
#include "drivers/arm-smmu-v3/arm-smmu-v3.h"
#include "scenario/cli_opts.h"
#include "scenario/run.h"
#include "scenario/scenario.h"

/* ---- helpers ---- */

static const char scn_text[] =
	"name: report-test\n"
	"description: A scenario for the report tests.\n"
	"duration: 10ms\n"
	"seed: 7\n"
	"policy: {atc_timeout: ignore}\n"
	"smmus: [{name: smmu0}]\n"
	"devices:\n"
	"  - {name: nic0, smmu: smmu0, sids: [0x10], ats: true, pri: true}\n"
	"  - {name: nvme0, smmu: smmu0, sids: [0x20], ats: true}\n"
	"domains:\n"
	"  - {name: dom0, attach: [nic0, nvme0]}\n"
	"  - {name: dom1}\n"
	"expect:\n"
	"  violations: {STALE_DMA_WRITE: \">0\", WARN: \"<=1\"}\n"
	"  quarantined: [nic0]\n"
	"  not_quarantined: [nvme0]\n"
	"  at_end: {nic0: {blocked: no, ats: enabled, pri: disabled, domain: dom0}}\n"
	"  log: {\"ATC invalidate timeout\": \"<=2\"}\n";

static void load(struct scenario *scn, const char *text)
{
	struct diag d;

	diag_init(&d, "test.yaml");
	assert_int_equal(scenario_load_string("test.yaml", text, strlen(text), scn, &d), 0);
	diag_fini(&d);
}

/* A result that meets scn_text's expectations; free with run_result_free(). */
static void result_ok(struct run_result *r, const struct scenario *scn)
{
	static const char *const lines[] = {
		"arm-smmu-v3 smmu0: probed",
		"0000:00:02.0: ATC invalidate timeout",
		"0000:00:02.0: ATC invalidate timeout, quarantining",
		"iommu: nic0 reset done",
	};

	memset(r, 0, sizeof(*r));
	r->scn = scn;
	r->opts.seed = scn->seed;
	r->opts.strategy.kind = SIM_STRAT_RANDOM;
	r->opts.policy = scn->policy;
	r->end = SIM_END_DURATION;
	r->vtime = scn->duration;
	r->wall_ns = 12345678;
	r->steps = 4242;
	r->violations.count[V_STALE_DMA_WRITE] = 2;
	r->violations.count[V_WARN] = 1;
	r->ndevices = 2;
	r->devices = calloc(2, sizeof(*r->devices));
	r->devices[0] = (struct run_device){ .name = "nic0", .blocked = SCN_BLOCKED_NO,
					     .ats = true, .pri = false, .domain = 0,
					     .quarantined = 1 };
	r->devices[1] = (struct run_device){ .name = "nvme0", .blocked = SCN_BLOCKED_NO,
					     .ats = true, .domain = 0 };
	r->nlog = 4;
	r->log = calloc(4, sizeof(*r->log));
	for (int i = 0; i < 4; i++) {
		r->log[i].time = 1000000ULL * (i + 1) + 1234;
		r->log[i].level = 3;
		r->log[i].text = strdup(lines[i]);
	}
}

static void add_log(struct run_result *r, const char *text)
{
	r->log = realloc(r->log, (r->nlog + 1) * sizeof(*r->log));
	r->log[r->nlog] = (struct run_logline){ .time = 9000000, .level = 3,
						.text = strdup(text) };
	r->nlog++;
}

static void add_violation(struct run_result *r, enum violation_id id, sim_time_t t,
			  const char *task, const char *msg)
{
	struct violation_log *vl = &r->violations;
	struct violation *v;

	vl->v = realloc(vl->v, (vl->n + 1) * sizeof(*vl->v));
	v = &vl->v[vl->n++];
	memset(v, 0, sizeof(*v));
	v->id = id;
	v->time = t;
	if (task) {
		v->ntasks = 1;
		v->task_ids[0] = 3;
		snprintf(v->task_names[0], SIM_NAME_LEN, "%s", task);
	}
	snprintf(v->msg, sizeof(v->msg), "%s", msg);
	vl->count[id]++;
}

static const struct expect_check *find(const struct expect_check *c, unsigned int n,
				       const char *what, const char *cond)
{
	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(c[i].what, what) && !strcmp(c[i].cond, cond))
			return &c[i];
	fail_msg("no check '%s' '%s'", what, cond);
	return NULL;
}

static unsigned int nfailed(const struct expect_check *c, unsigned int n)
{
	unsigned int f = 0;

	for (unsigned int i = 0; i < n; i++)
		f += !c[i].ok;
	return f;
}

/*
 * expect_eval() on @r must fail exactly one check, @what/@cond, having
 * observed @observed.
 */
static void expect_one_failure(const struct scenario *scn, const struct run_result *r,
			       const char *what, const char *cond, const char *observed)
{
	struct expect_check *c;
	unsigned int n;
	const struct expect_check *k;

	assert_false(expect_eval(scn, r, &c, &n));
	assert_int_equal(nfailed(c, n), 1);
	k = find(c, n, what, cond);
	assert_false(k->ok);
	assert_string_equal(k->observed, observed);
	free(c);
}

/* ---- expect_eval ---- */

static void test_expect_pass(void **state)
{
	struct scenario scn;
	struct run_result r;
	struct expect_check *c;
	unsigned int n;

	load(&scn, scn_text);
	result_ok(&r, &scn);
	assert_true(expect_eval(&scn, &r, &c, &n));
	/* 15 IDs, quarantined, not_quarantined, 4 at_end parts, 1 log. */
	assert_int_equal(n, V_NR + 1 + 1 + 4 + 1);
	assert_int_equal(nfailed(c, n), 0);
	assert_string_equal(find(c, n, "STALE_DMA_WRITE", ">0")->observed, "2");
	assert_string_equal(find(c, n, "WARN", "<=1")->observed, "1");
	assert_string_equal(find(c, n, "DEADLOCK", "==0")->observed, "0");
	assert_string_equal(find(c, n, "quarantined nic0", ">0")->observed, "1");
	assert_string_equal(find(c, n, "not_quarantined nvme0", "==0")->observed, "0");
	assert_string_equal(find(c, n, "at_end nic0", "blocked: no")->observed, "no");
	assert_string_equal(find(c, n, "at_end nic0", "ats: enabled")->observed, "enabled");
	assert_string_equal(find(c, n, "at_end nic0", "pri: disabled")->observed, "disabled");
	assert_string_equal(find(c, n, "at_end nic0", "domain: dom0")->observed, "dom0");
	assert_string_equal(find(c, n, "log \"ATC invalidate timeout\"", "<=2")->observed, "2");
	free(c);
	run_result_free(&r);
	scenario_free(&scn);
}

static void test_expect_each_failure(void **state)
{
	struct scenario scn;
	struct run_result r;

	load(&scn, scn_text);

	result_ok(&r, &scn);
	r.violations.count[V_STALE_DMA_WRITE] = 0;
	expect_one_failure(&scn, &r, "STALE_DMA_WRITE", ">0", "0");
	run_result_free(&r);

	result_ok(&r, &scn);
	r.violations.count[V_WARN] = 2;
	expect_one_failure(&scn, &r, "WARN", "<=1", "2");
	run_result_free(&r);

	/* An ID the file does not name must be 0. */
	result_ok(&r, &scn);
	r.violations.count[V_DEADLOCK] = 1;
	expect_one_failure(&scn, &r, "DEADLOCK", "==0", "1");
	run_result_free(&r);

	result_ok(&r, &scn);
	r.devices[0].quarantined = 0;
	expect_one_failure(&scn, &r, "quarantined nic0", ">0", "0");
	run_result_free(&r);

	result_ok(&r, &scn);
	r.devices[1].quarantined = 3;
	expect_one_failure(&scn, &r, "not_quarantined nvme0", "==0", "3");
	run_result_free(&r);

	result_ok(&r, &scn);
	r.devices[0].blocked = SCN_BLOCKED_RESET_FAILED;
	expect_one_failure(&scn, &r, "at_end nic0", "blocked: no", "reset-failed");
	run_result_free(&r);

	result_ok(&r, &scn);
	r.devices[0].ats = false;
	expect_one_failure(&scn, &r, "at_end nic0", "ats: enabled", "disabled");
	run_result_free(&r);

	result_ok(&r, &scn);
	r.devices[0].pri = true;
	expect_one_failure(&scn, &r, "at_end nic0", "pri: disabled", "enabled");
	run_result_free(&r);

	result_ok(&r, &scn);
	r.devices[0].domain = 1;
	expect_one_failure(&scn, &r, "at_end nic0", "domain: dom0", "dom1");
	r.devices[0].domain = -1;
	expect_one_failure(&scn, &r, "at_end nic0", "domain: dom0", "none");
	run_result_free(&r);

	result_ok(&r, &scn);
	add_log(&r, "0000:00:02.0: ATC invalidate timeout");
	expect_one_failure(&scn, &r, "log \"ATC invalidate timeout\"", "<=2", "3");
	run_result_free(&r);

	/* A device missing from the result fails its checks. */
	result_ok(&r, &scn);
	r.ndevices = 1;
	expect_one_failure(&scn, &r, "not_quarantined nvme0", "==0",
			   "no such device in the run");
	run_result_free(&r);

	scenario_free(&scn);
}

static void test_expect_default_violations(void **state)
{
	static const char text[] =
		"name: plain\nduration: 1ms\nexpect: {violations: 0}\n";
	struct scenario scn;
	struct run_result r;
	struct expect_check *c;
	unsigned int n;

	load(&scn, text);
	memset(&r, 0, sizeof(r));
	r.scn = &scn;
	assert_true(expect_eval(&scn, &r, &c, &n));
	assert_int_equal(n, V_NR);
	for (unsigned int i = 0; i < n; i++) {
		assert_string_equal(c[i].what, violation_name(i));
		assert_string_equal(c[i].cond, "==0");
		assert_true(c[i].ok);
	}
	free(c);
	r.violations.count[V_LOG_FLOOD] = 1;
	assert_false(expect_eval(&scn, &r, &c, &n));
	assert_false(find(c, n, "LOG_FLOOD", "==0")->ok);
	free(c);
	scenario_free(&scn);
}

/* ---- reports ---- */

static char *capture_text(const struct run_result *r, const struct expect_check *c,
			  unsigned int n, bool pass)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	report_text(f, r, c, n, pass);
	fclose(f);
	return buf;
}

static char *capture_json(const struct run_result *r, const struct expect_check *c,
			  unsigned int n, bool pass)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	report_json(f, r, c, n, pass);
	fclose(f);
	return buf;
}

/* A failing result with timeline and 7 violations. */
static void result_rich(struct run_result *r, const struct scenario *scn)
{
	char msg[400];

	result_ok(r, scn);
	r->opts.seed = 0x1234;
	assert_int_equal(sim_strategy_parse("pct:3", &r->opts.strategy), 0);
	r->opts.bugs = IOMMU_BUG_STALE_BROKEN_REPORT;
	r->end = SIM_END_VIOLATION;
	r->vtime = 3500000;
	r->ntimeline = 2;
	r->timeline = calloc(2, sizeof(*r->timeline));
	r->timeline[0].time = 1000000;
	snprintf(r->timeline[0].text, sizeof(r->timeline[0].text),
		 "nic0: atc_inv = unresponsive");
	r->timeline[1].time = 2500000;
	snprintf(r->timeline[1].text, sizeof(r->timeline[1].text),
		 "smmu0: CMD_SYNC failed: CERROR_ATC_INV_SYNC");
	/* A long message, to be wrapped within 80 columns. */
	msg[0] = '\0';
	for (int i = 0; i < 30; i++)
		strcat(msg, "stale words ");
	add_violation(r, V_STALE_DMA_WRITE, 3000000, "dma-nic0", msg);
	for (int i = 0; i < 6; i++)
		add_violation(r, V_WARN, 3100000 + i, NULL, "WARN_ON(x) at y.c:1");
	r->violations.count[V_STALE_DMA_WRITE] = 1;
	r->violations.count[V_WARN] = 6;
}

static void test_report_text(void **state)
{
	struct scenario scn;
	struct run_result r;
	struct expect_check *c;
	unsigned int n;
	bool pass;
	char *out, *line, *save = NULL;

	load(&scn, scn_text);
	result_rich(&r, &scn);
	pass = expect_eval(&scn, &r, &c, &n);
	assert_false(pass);	/* WARN: 6 > 1 */
	out = capture_text(&r, c, n, pass);
	assert_non_null(strstr(out, "scenario      report-test\n"));
	assert_non_null(strstr(out, "  A scenario for the report tests.\n"));
	assert_non_null(strstr(out, "  seed        4660\n"));
	assert_non_null(strstr(out, "  strategy    pct:3\n"));
	assert_non_null(strstr(out, "atc_timeout=ignore*"));
	assert_null(strstr(out, "cmdq=lockfree*"));
	assert_non_null(strstr(out, "(* not the default)"));
	assert_non_null(strstr(out, "  bugs        stale-broken-report"));
	assert_non_null(strstr(out, "  virtual     3.500000ms of 10.000000ms\n"));
	assert_non_null(strstr(out, "  wall        12.345 ms\n"));
	assert_non_null(strstr(out, "  steps       4242 scheduling points\n"));
	assert_non_null(strstr(out, "  ended       violation\n"));
	assert_non_null(strstr(out, "1.000000ms  nic0: atc_inv = unresponsive\n"));
	assert_non_null(strstr(out, "violations    7 (STALE_DMA_WRITE 1, WARN 6)\n"));
	assert_non_null(strstr(out, "  STALE_DMA_WRITE at 3.000000ms ['dma-nic0']\n"
				    "    stale words"));
	assert_non_null(strstr(out, "  ... 2 more (all of them in --json)\n"));
	assert_non_null(strstr(out, "devices at the end  blocked       ats  pri  domain    "
				    "quarantined\n"
				    "  nic0              no            on   off  dom0      1\n"
				    "  nvme0             no            on   off  dom0      0\n"));
	assert_non_null(strstr(out, "WARN"));
	assert_non_null(strstr(out, "<=1              6            FAIL\n"));
	assert_non_null(strstr(out, "STALE_DMA_WRITE                        >0               1"
				    "            OK\n"));
	assert_non_null(strstr(out, "\nchecks                                   expected         "
				    "observed     verdict\n"));
	assert_non_null(strstr(out, "\n1 of 22 checks failed\nFAIL\n"));
	assert_int_equal(strcmp(out + strlen(out) - 6, "\nFAIL\n"), 0);
	/* 80 columns, no trailing blanks. */
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strlen(line) > 80)
			fail_msg("line over 80 columns: '%s'", line);
		if (line[strlen(line) - 1] == ' ')
			fail_msg("trailing blank: '%s'", line);
	}
	free(out);
	free(c);
	run_result_free(&r);

	result_ok(&r, &scn);
	pass = expect_eval(&scn, &r, &c, &n);
	assert_true(pass);
	out = capture_text(&r, c, n, pass);
	assert_non_null(strstr(out, "(nothing notable)"));
	assert_non_null(strstr(out, "violations    3 (STALE_DMA_WRITE 2, WARN 1)\n"));
	assert_null(strstr(out, "FAIL"));
	assert_int_equal(strcmp(out + strlen(out) - 6, "\nPASS\n"), 0);
	free(out);
	free(c);
	run_result_free(&r);
	scenario_free(&scn);
}

static json_t *key(json_t *o, const char *k, json_type type)
{
	json_t *v = json_object_get(o, k);

	if (!v)
		fail_msg("JSON: no key '%s'", k);
	if (json_typeof(v) != type)
		fail_msg("JSON: key '%s' has type %d, not %d", k, json_typeof(v), type);
	return v;
}

static void test_report_json(void **state)
{
	static const char *const keys[] = {
		"scenario", "description", "seed", "strategy", "policy",
		"virtual_time_ns", "wall_time_ns", "steps", "end", "timeline",
		"violations", "devices", "checks", "pass", NULL,
	};
	struct scenario scn;
	struct run_result r;
	struct expect_check *c;
	unsigned int n;
	json_error_t err;
	json_t *doc, *a, *e;
	bool pass;
	char *out;

	load(&scn, scn_text);
	result_rich(&r, &scn);
	/* Not UTF-8: the document must stay valid. */
	add_violation(&r, V_WARN, 3200000, "t", "bad \xff byte \"quoted\"\n");
	r.devices[1].domain = -1;
	pass = expect_eval(&scn, &r, &c, &n);
	out = capture_json(&r, c, n, pass);
	doc = json_loads(out, 0, &err);
	if (!doc)
		fail_msg("JSON does not parse: %s at line %d: %s", err.text, err.line, out);
	for (int i = 0; keys[i]; i++)
		assert_non_null(json_object_get(doc, keys[i]));
	assert_string_equal(json_string_value(key(doc, "scenario", JSON_STRING)), "report-test");
	assert_int_equal(json_integer_value(key(doc, "seed", JSON_INTEGER)), 0x1234);
	assert_string_equal(json_string_value(key(doc, "strategy", JSON_STRING)), "pct:3");
	assert_string_equal(json_string_value(key(key(doc, "policy", JSON_OBJECT),
						  "atc_timeout", JSON_STRING)), "ignore");
	assert_int_equal(json_object_size(key(doc, "policy", JSON_OBJECT)), POLICY_NR);
	assert_int_equal(json_integer_value(key(doc, "virtual_time_ns", JSON_INTEGER)), 3500000);
	assert_int_equal(json_integer_value(key(doc, "wall_time_ns", JSON_INTEGER)), 12345678);
	assert_int_equal(json_integer_value(key(doc, "steps", JSON_INTEGER)), 4242);
	assert_string_equal(json_string_value(key(doc, "end", JSON_STRING)), "violation");

	a = key(doc, "timeline", JSON_ARRAY);
	assert_int_equal(json_array_size(a), 2);
	e = json_array_get(a, 1);
	assert_int_equal(json_integer_value(key(e, "time_ns", JSON_INTEGER)), 2500000);
	assert_string_equal(json_string_value(key(e, "text", JSON_STRING)),
			    "smmu0: CMD_SYNC failed: CERROR_ATC_INV_SYNC");

	a = key(doc, "violations", JSON_ARRAY);
	assert_int_equal(json_array_size(a), 8);
	e = json_array_get(a, 0);
	assert_string_equal(json_string_value(key(e, "id", JSON_STRING)), "STALE_DMA_WRITE");
	assert_int_equal(json_integer_value(key(e, "time_ns", JSON_INTEGER)), 3000000);
	assert_string_equal(json_string_value(json_array_get(key(e, "tasks", JSON_ARRAY), 0)),
			    "dma-nic0");
	assert_non_null(strstr(json_string_value(key(e, "message", JSON_STRING)), "stale"));
	e = json_array_get(a, 7);
	assert_non_null(strstr(json_string_value(key(e, "message", JSON_STRING)),
			       "byte \"quoted\""));

	a = key(doc, "devices", JSON_ARRAY);
	assert_int_equal(json_array_size(a), 2);
	e = json_array_get(a, 0);
	assert_string_equal(json_string_value(key(e, "name", JSON_STRING)), "nic0");
	assert_string_equal(json_string_value(key(e, "blocked", JSON_STRING)), "no");
	assert_true(json_is_true(key(e, "ats", JSON_TRUE)));
	assert_true(json_is_false(key(e, "pri", JSON_FALSE)));
	assert_string_equal(json_string_value(key(e, "domain", JSON_STRING)), "dom0");
	assert_int_equal(json_integer_value(key(e, "quarantined", JSON_INTEGER)), 1);
	key(json_array_get(a, 1), "domain", JSON_NULL);

	a = key(doc, "checks", JSON_ARRAY);
	assert_int_equal(json_array_size(a), n);
	for (unsigned int i = 0; i < n; i++) {
		e = json_array_get(a, i);
		assert_string_equal(json_string_value(key(e, "what", JSON_STRING)), c[i].what);
		assert_string_equal(json_string_value(key(e, "cond", JSON_STRING)), c[i].cond);
		assert_string_equal(json_string_value(key(e, "observed", JSON_STRING)),
				    c[i].observed);
		assert_int_equal(json_is_true(json_object_get(e, "ok")), c[i].ok);
	}
	assert_true(json_is_false(key(doc, "pass", JSON_FALSE)));
	json_decref(doc);
	free(out);

	/* A seed past INT64_MAX keeps all its digits, as a string. */
	r.opts.seed = UINT64_MAX;
	out = capture_json(&r, c, n, true);
	doc = json_loads(out, 0, &err);
	assert_non_null(doc);
	assert_string_equal(json_string_value(key(doc, "seed", JSON_STRING)),
			    "18446744073709551615");
	assert_true(json_is_true(key(doc, "pass", JSON_TRUE)));
	json_decref(doc);
	free(out);
	free(c);
	run_result_free(&r);
	scenario_free(&scn);
}

static void test_report_log(void **state)
{
	struct scenario scn;
	struct run_result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	load(&scn, scn_text);
	result_ok(&r, &scn);
	r.log[3].time = 3500000000ULL + 12345678;
	f = open_memstream(&buf, &len);
	report_log(f, &r);
	fclose(f);
	assert_string_equal(buf,
		"[    0.001001] arm-smmu-v3 smmu0: probed\n"
		"[    0.002001] 0000:00:02.0: ATC invalidate timeout\n"
		"[    0.003001] 0000:00:02.0: ATC invalidate timeout, quarantining\n"
		"[    3.512345] iommu: nic0 reset done\n");
	free(buf);
	run_result_free(&r);
	scenario_free(&scn);
}

/* ---- the `run` command line ---- */

/* Parse @args (NULL-terminated, "run" first); messages into @msg. */
static int parse(struct cli_run *o, char **msg, const char *const *args)
{
	char *argv[32];
	size_t len = 0;
	int argc = 0, ret;
	FILE *f = open_memstream(msg, &len);

	while (args[argc])
		argv[argc] = (char *)args[argc], argc++;
	argv[argc] = NULL;
	ret = cli_run_parse(argc, argv, o, f);
	fclose(f);
	return ret;
}

/* @args must be refused with status 2 and a message holding @needle. */
static void refused(const char *needle, const char *const *args)
{
	struct cli_run o;
	char *msg = NULL;

	assert_int_equal(parse(&o, &msg, args), CLI_BAD);
	assert_int_equal(CLI_BAD, 2);
	if (!strstr(msg, needle))
		fail_msg("message '%s' lacks '%s'", msg, needle);
	free(msg);
}

#define ARGS(...) ((const char *const[]){ "run", __VA_ARGS__, NULL })

static void test_cli_errors(void **state)
{
	refused("--seed: 'abc' is not an unsigned 64-bit number", ARGS("x", "--seed", "abc"));
	refused("--seed: '-1'", ARGS("x", "--seed", "-1"));
	refused("--seed: '0x'", ARGS("x", "--seed", "0x"));
	refused("--seed: ' 1'", ARGS("x", "--seed", " 1"));
	refused("--seed: '12abc'", ARGS("x", "--seed", "12abc"));
	refused("--seed: '18446744073709551616'", ARGS("x", "--seed", "18446744073709551616"));
	refused("--seed: missing value", ARGS("x", "--seed"));
	refused("--strategy: invalid value 'fast' (expected one of: random, rr, pct:D",
		ARGS("x", "--strategy", "fast"));
	refused("--strategy: invalid value 'pct:0'", ARGS("x", "--strategy", "pct:0"));
	refused("--policy: unknown policy 'nope' (expected one of: atc_timeout,",
		ARGS("x", "--policy", "nope=1"));
	refused("--policy: cmdq: invalid value 'foo' (expected one of: lockfree, spinlock)",
		ARGS("x", "--policy", "cmdq=foo"));
	refused("--policy: expected KEY=VALUE, got 'cmdq'", ARGS("x", "--policy", "cmdq"));
	refused("--bug: unknown bug switch 'nope' (expected one of: failed-reset-unblocks, "
		"probe-reset-touches-iommu, stale-broken-report, cmdq-unlock-resets-lock, "
		"cmdq-wait-not-full, sync-bit-not-cleared)", ARGS("x", "--bug", "nope"));
	refused("--trace: missing value", ARGS("x", "--trace"));
	refused("--trace: empty file name", ARGS("x", "--trace="));
	refused("unknown option '--frobnicate'", ARGS("x", "--frobnicate"));
	refused("unknown option '-z'", ARGS("x", "-z"));
	refused("no scenario", ARGS("--json"));
	refused("one scenario at a time (got 'a' and 'b')", ARGS("a", "b"));
}

/* --trace FILE / --trace=FILE and --diagram reach the run options. */
static void test_cli_trace_diagram(void **state)
{
	struct cli_run o;
	struct run_opts ro;
	char *msg = NULL;

	assert_int_equal(parse(&o, &msg, ARGS("x", "--trace", "out.json", "--diagram")), CLI_OK);
	free(msg);
	assert_string_equal(o.trace_path, "out.json");
	assert_true(o.diagram);
	memset(&ro, 0, sizeof(ro));
	cli_run_apply(&o, &ro);
	assert_string_equal(ro.trace_path, "out.json");
	assert_true(ro.diagram);
	assert_int_equal(parse(&o, &msg, ARGS("--trace=t.json", "x")), CLI_OK);
	free(msg);
	assert_string_equal(o.trace_path, "t.json");
	assert_false(o.diagram);
	memset(&ro, 0, sizeof(ro));
	cli_run_apply(&o, &ro);
	assert_false(ro.diagram);
}

static void test_cli_ok(void **state)
{
	struct cli_run o;
	struct run_opts ro;
	char *msg = NULL;

	assert_int_equal(parse(&o, &msg, ARGS("--json", "flagship", "--seed", "0x10",
					      "--strategy", "pct:3", "--policy",
					      "cmdq=spinlock", "--policy", "atc_timeout=quarantine-batch",
					      "--bug", "stale-broken-report", "--bug",
					      "failed-reset-unblocks", "--log", "--keep-going")),
			 CLI_OK);
	assert_string_equal(msg, "");
	free(msg);
	assert_string_equal(o.target, "flagship");
	assert_true(o.has_seed);
	assert_int_equal(o.seed, 16);
	assert_true(o.has_strategy);
	assert_int_equal(o.strategy.kind, SIM_STRAT_PCT);
	assert_int_equal(o.strategy.pct_depth, 3);
	assert_int_equal(o.bugs, IOMMU_BUG_STALE_BROKEN_REPORT | IOMMU_BUG_FAILED_RESET_UNBLOCKS);
	assert_true(o.json && o.log && o.keep_going);

	/* Over a scenario's options: given ones replace, others stay. */
	memset(&ro, 0, sizeof(ro));
	ro.seed = 7;
	ro.strategy.kind = SIM_STRAT_RANDOM;
	ro.strategy.pct_horizon = 5000;
	policy_set_default(&ro.policy);
	assert_int_equal(policy_set_apply(&ro.policy, "atc_timeout=ignore", NULL, 0), 0);
	assert_int_equal(policy_set_apply(&ro.policy, "iopf_drain=none", NULL, 0), 0);
	cli_run_apply(&o, &ro);
	assert_int_equal(ro.seed, 16);
	assert_int_equal(ro.strategy.kind, SIM_STRAT_PCT);
	assert_int_equal(ro.strategy.pct_horizon, 5000);
	assert_int_equal(policy_get(&ro.policy, POLICY_CMDQ), POL_CMDQ_SPINLOCK);
	assert_int_equal(policy_get(&ro.policy, POLICY_ATC_TIMEOUT),
			 POL_ATC_TIMEOUT_QUARANTINE_BATCH);
	assert_int_equal(policy_get(&ro.policy, POLICY_IOPF_DRAIN), POL_IOPF_DRAIN_NONE);
	assert_true(policy_is_given(&ro.policy, POLICY_CMDQ));
	assert_true(policy_is_given(&ro.policy, POLICY_IOPF_DRAIN));
	assert_false(policy_is_given(&ro.policy, POLICY_CFIE_MASK));
	assert_true(ro.keep_going);
	assert_int_equal(ro.bugs, o.bugs);

	/* Nothing given: the scenario's seed and strategy stay. */
	assert_int_equal(parse(&o, &msg, ARGS("some/file.yaml")), CLI_OK);
	free(msg);
	assert_false(o.has_seed || o.has_strategy || o.json || o.log || o.keep_going);
	assert_int_equal(o.bugs, 0);
	assert_int_equal(o.policy.given, 0);
	memset(&ro, 0, sizeof(ro));
	ro.seed = 7;
	cli_run_apply(&o, &ro);
	assert_int_equal(ro.seed, 7);
	assert_false(ro.keep_going);

	assert_int_equal(parse(&o, &msg, ARGS("x", "--seed", "18446744073709551615")), CLI_OK);
	free(msg);
	assert_true(o.seed == UINT64_MAX);
	assert_int_equal(parse(&o, &msg, ARGS("x", "--seed=0XfF")), CLI_OK);
	free(msg);
	assert_int_equal(o.seed, 255);
	assert_int_equal(parse(&o, &msg, ARGS("x", "--seed", "0")), CLI_OK);
	free(msg);
	assert_int_equal(o.seed, 0);
}

static void test_bug_table(void **state)
{
	const char *const *names = cli_bug_names();
	int n = 0;

	for (; names[n]; n++) {
		unsigned long bit = cli_bug_by_name(names[n]);

		assert_true(bit && !(bit & (bit - 1)));
		assert_string_equal(cli_bug_name(bit), names[n]);
	}
	assert_int_equal(n, 6);
	assert_int_equal(cli_bug_by_name("failed-reset-unblocks"), IOMMU_BUG_FAILED_RESET_UNBLOCKS);
	assert_int_equal(cli_bug_by_name("probe-reset-touches-iommu"), IOMMU_BUG_PROBE_RESET_TOUCHES);
	assert_int_equal(cli_bug_by_name("stale-broken-report"), IOMMU_BUG_STALE_BROKEN_REPORT);
	assert_int_equal(cli_bug_by_name("cmdq-unlock-resets-lock"), ARM_SMMU_BUG_CMDQ_UNLOCK_RESETS);
	assert_int_equal(cli_bug_by_name("cmdq-wait-not-full"), ARM_SMMU_BUG_CMDQ_WAIT_NOT_FULL);
	assert_int_equal(cli_bug_by_name("sync-bit-not-cleared"), ARM_SMMU_BUG_SYNC_BIT_NOT_CLEARED);
	assert_int_equal(cli_bug_by_name("Stale-broken-report"), 0);
	assert_null(cli_bug_name(1ul << 20));
}

/* ---- LOG_FLOOD ---- */

static struct device flood_dev = { .name = "0000:00:02.0" };

struct flood {
	int lines;		/* of message A */
	uint64_t gap_ns;	/* between two lines */
	int other;		/* lines of message B, interleaved */
	int kind;		/* 0 pr_err, 1 dev_err, 2 dev_err_ratelimited */
};

static void flood_fn(void *arg)
{
	struct flood *fl = arg;

	for (int i = 0; i < fl->lines || i < fl->other; i++) {
		if (i < fl->lines) {
			if (fl->kind == 0)
				pr_err("ATC invalidate timeout on sid %d\n", i);
			else if (fl->kind == 1)
				dev_err(&flood_dev, "ATC invalidate timeout\n");
			else
				dev_err_ratelimited(&flood_dev, "ATC invalidate timeout\n");
		}
		if (i < fl->other)
			pr_err("ATC invalidate timeout on sid %d (B)\n", i);
		sim_delay(fl->gap_ns);
	}
}

/* Run @fl once; return the LOG_FLOOD count; @msg gets the first message. */
static unsigned int flood_run(struct flood *fl, bool keep_going, char *msg, size_t len,
			      sim_time_t *at)
{
	struct sim *s = simtest_new(1, 1, "random");
	unsigned int n;

	s->cfg.keep_going = keep_going;
	spawn(s, "flood", 0, flood_fn, fl);
	sim_run(s);
	n = s->violations->count[V_LOG_FLOOD];
	for (size_t i = 0; i < s->violations->n; i++) {
		if (s->violations->v[i].id != V_LOG_FLOOD)
			continue;
		if (msg)
			snprintf(msg, len, "%s", s->violations->v[i].msg);
		if (at)
			*at = s->violations->v[i].time;
		break;
	}
	sim_destroy(s);
	return n;
}

static void test_log_flood(void **state)
{
	const uint64_t ms = 1000000;
	char msg[VIOLATION_MSG_LEN] = "";
	sim_time_t at = 0;
	struct flood fl;

	/* 51 lines in 500 ms: one LOG_FLOOD, at the 51st, naming the format. */
	fl = (struct flood){ .lines = LOG_FLOOD_ALLOWANCE + 1, .gap_ns = 10 * ms };
	assert_int_equal(flood_run(&fl, false, msg, sizeof(msg), &at), 1);
	assert_int_equal(at, 500 * ms);
	if (!strstr(msg, "\"ATC invalidate timeout on sid %d\" logged 51 times within "
			 "500.000000ms (allowance 50 per 1000 ms"))
		fail_msg("message: %s", msg);

	/* 50: none. */
	fl.lines = LOG_FLOOD_ALLOWANCE;
	assert_int_equal(flood_run(&fl, false, NULL, 0, NULL), 0);

	/* Once per message per run, however long it goes on. */
	fl = (struct flood){ .lines = 500, .gap_ns = 1 * ms };
	assert_int_equal(flood_run(&fl, true, NULL, 0, NULL), 1);
	/* ... and again in the next run. */
	assert_int_equal(flood_run(&fl, true, NULL, 0, NULL), 1);

	/* The window: 51 lines 20 ms apart span exactly 1 s: none; 19 ms: one. */
	fl = (struct flood){ .lines = 200, .gap_ns = 20 * ms };
	if (flood_run(&fl, true, msg, sizeof(msg), &at))
		fail_msg("at %llu: %s", (unsigned long long)at, msg);
	fl.gap_ns = 19 * ms;
	assert_int_equal(flood_run(&fl, true, NULL, 0, NULL), 1);

	/* Two messages count apart: 2 x 30 is no flood. */
	fl = (struct flood){ .lines = 30, .other = 30, .gap_ns = 1 * ms };
	assert_int_equal(flood_run(&fl, true, NULL, 0, NULL), 0);
	/* Both over: one each. */
	fl = (struct flood){ .lines = 60, .other = 60, .gap_ns = 1 * ms };
	assert_int_equal(flood_run(&fl, true, NULL, 0, NULL), 2);

	/* dev_printk() counts too. */
	fl = (struct flood){ .lines = 51, .gap_ns = 1 * ms, .kind = 1 };
	assert_int_equal(flood_run(&fl, true, msg, sizeof(msg), NULL), 1);
	assert_non_null(strstr(msg, "\"ATC invalidate timeout\" logged 51 times"));

	/* Ratelimited lines never flood: 500 tried, 10 printed. */
	fl = (struct flood){ .lines = 500, .gap_ns = 1 * ms, .kind = 2 };
	assert_int_equal(flood_run(&fl, true, NULL, 0, NULL), 0);

	/* Nothing carries over between runs: 30 + 30 of one message is no flood. */
	fl = (struct flood){ .lines = 30, .gap_ns = 1 * ms };
	assert_int_equal(flood_run(&fl, true, NULL, 0, NULL), 0);
	assert_int_equal(flood_run(&fl, true, NULL, 0, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expect_pass),
		cmocka_unit_test(test_expect_each_failure),
		cmocka_unit_test(test_expect_default_violations),
		cmocka_unit_test(test_report_text),
		cmocka_unit_test(test_report_json),
		cmocka_unit_test(test_report_log),
		cmocka_unit_test(test_cli_errors),
		cmocka_unit_test(test_cli_ok),
		cmocka_unit_test(test_cli_trace_diagram),
		cmocka_unit_test(test_bug_table),
		cmocka_unit_test(test_log_flood),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
