// SPDX-License-Identifier: MIT
/*
 * `iommusim explore` in the library: the seeds of a shard, the merge that
 * makes a summary independent of the number of workers, the worker pool
 * (with stand-in runs that fail, die or take scrambled time, then with the
 * real scenario), the option parsers of explore/replay/shrink, and the
 * progress line's rules.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "explore/explore.h"
#include "explore/explore_opts.h"
#include "explore/progress.h"
#include "explore/report.h"
#include "explore/shrink_opts.h"
#include "scenario/cli_opts.h"
#include "scenario/diag.h"
#include "scenario/run.h"
#include "scenario/scenario.h"
#include "shipped.h"

/* ---- the seeds of a shard ---- */

static void test_plan_partition(void **state)
{
	static const uint64_t runs[] = { 1, 2, 7, 30, 101 };
	static const unsigned int shards[] = { 1, 2, 3, 8, 40 };

	for (size_t a = 0; a < sizeof(runs) / sizeof(runs[0]); a++) {
		for (size_t b = 0; b < sizeof(shards) / sizeof(shards[0]); b++) {
			uint64_t n = runs[a], first = 1000, total = 0;
			unsigned char *seen = calloc(n, 1);

			for (unsigned int i = 0; i < shards[b]; i++) {
				struct explore_plan p = { first, n, i, shards[b] };
				uint64_t len = explore_plan_len(&p);

				total += len;
				for (uint64_t k = 0; k < len; k++) {
					uint64_t s = explore_plan_seed(&p, k);

					assert_true(s >= first && s < first + n);
					assert_int_equal(seen[s - first], 0);	/* disjoint */
					seen[s - first] = 1;
					if (k)	/* in seed order */
						assert_true(s > explore_plan_seed(&p, k - 1));
				}
			}
			assert_int_equal(total, n);
			for (uint64_t s = 0; s < n; s++)	/* the union is the campaign */
				assert_int_equal(seen[s], 1);
			free(seen);
		}
	}
	/* The edge of the seed space. */
	struct explore_plan top = { UINT64_MAX - 9, 10, 3, 4 };

	assert_int_equal(explore_plan_len(&top), 2);
	assert_true(explore_plan_seed(&top, 1) == UINT64_MAX - 9 + 7);
}

/* ---- the merge ---- */

static struct explore_result res(uint64_t index, bool fail)
{
	struct explore_result r;

	memset(&r, 0, sizeof(r));
	r.index = index;
	r.seed = 100 + index;
	r.first_violation = fail ? V_IRQ_STORM : -1;
	r.count[V_IRQ_STORM] = fail;
	r.pass = !fail;
	r.steps = 10 + index;
	return r;
}

/* Feed @n results (failing where @fails has 1) in the order @perm; summarise. */
static void merge_in(const uint64_t *perm, size_t n, const char *fails, bool keep_going,
		     struct explore_summary *sum)
{
	struct explore_merge m;

	explore_merge_init(&m, sum, n, keep_going);
	for (size_t i = 0; i < n; i++) {
		struct explore_result r = res(perm[i], fails[perm[i]] == '1');

		explore_merge_add(&m, &r);
	}
	explore_merge_finish(&m, false);
}

static void test_merge_any_order(void **state)
{
	const char *fails = "0001000100";
	uint64_t perm[10];
	struct explore_summary want, got;

	for (int i = 0; i < 10; i++)
		perm[i] = i;
	merge_in(perm, 10, fails, false, &want);
	assert_int_equal(want.runs, 4);		/* seeds 100..103: the first failure */
	assert_int_equal(want.failed, 1);
	assert_int_equal(want.fails[0].seed, 103);
	assert_int_equal(want.stop, EXPLORE_FIRST_FAILURE);
	assert_int_equal(want.steps, 10 + 11 + 12 + 13);
	assert_int_equal(want.runs_with[V_IRQ_STORM], 1);
	/* Every order gives the same summary: shuffle with a fixed LCG. */
	uint64_t x = 12345;

	for (int round = 0; round < 200; round++) {
		for (int i = 9; i > 0; i--) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			int j = (int)((x >> 33) % (uint64_t)(i + 1));
			uint64_t t = perm[i];

			perm[i] = perm[j];
			perm[j] = t;
		}
		merge_in(perm, 10, fails, false, &got);
		assert_int_equal(got.runs, want.runs);
		assert_int_equal(got.failed, want.failed);
		assert_int_equal(got.nfails, 1);
		assert_int_equal(got.fails[0].seed, 103);
		assert_int_equal(got.steps, want.steps);
		assert_int_equal(got.stop, want.stop);
		explore_summary_free(&got);
		merge_in(perm, 10, fails, true, &got);
		assert_int_equal(got.runs, 10);
		assert_int_equal(got.failed, 2);
		assert_int_equal(got.fails[0].seed, 103);
		assert_int_equal(got.fails[1].seed, 107);
		assert_int_equal(got.stop, EXPLORE_COMPLETE);
		explore_summary_free(&got);
	}
	explore_summary_free(&want);
}

static void test_merge_cap_and_gaps(void **state)
{
	struct explore_merge m;
	struct explore_summary sum;
	struct explore_result r;

	explore_merge_init(&m, &sum, 10, false);
	r = res(5, true);
	assert_true(explore_merge_add(&m, &r));
	assert_false(explore_merge_wanted(&m, 6));	/* above the lowest failure */
	assert_true(explore_merge_wanted(&m, 4));
	r = res(7, false);
	assert_false(explore_merge_add(&m, &r));	/* dropped */
	r = res(2, true);				/* a lower failure */
	assert_true(explore_merge_add(&m, &r));
	assert_false(explore_merge_wanted(&m, 3));
	r = res(0, false);
	explore_merge_add(&m, &r);
	assert_int_equal(sum.runs, 1);			/* 1 is missing */
	r = res(1, false);
	explore_merge_add(&m, &r);
	explore_merge_finish(&m, false);
	assert_int_equal(sum.runs, 3);
	assert_int_equal(sum.nfails, 1);
	assert_int_equal(sum.fails[0].index, 2);
	explore_summary_free(&sum);

	/* A time limit: what is not counted is not run; the gap ends the prefix. */
	explore_merge_init(&m, &sum, 10, false);
	r = res(0, false);
	explore_merge_add(&m, &r);
	r = res(2, false);
	explore_merge_add(&m, &r);
	explore_merge_finish(&m, true);
	assert_int_equal(sum.runs, 1);
	assert_int_equal(sum.stop, EXPLORE_TIME_LIMIT);
	explore_summary_free(&sum);
}

/* ---- the worker pool, with stand-in runs ---- */

/* Fails when seed % 7 == 3; sleeps a scrambled while so workers finish out of order. */
static void fake_run(const struct explore_campaign *c, uint64_t seed, struct explore_result *out)
{
	memset(out, 0, sizeof(*out));
	out->seed = seed;
	out->status = EXPLORE_RAN;
	out->pass = seed % 7 != 3;
	out->first_violation = out->pass ? -1 : V_DEADLOCK;
	out->count[V_DEADLOCK] = !out->pass;
	out->steps = seed * 3;
	usleep((useconds_t)((seed * 2654435761u) % 3000));
}

/* Dies (SIGKILL) on seed 5, exits on seed 9; else fake_run(). */
static void dying_run(const struct explore_campaign *c, uint64_t seed, struct explore_result *out)
{
	if (seed == 5)
		raise(SIGKILL);
	if (seed == 9)
		_exit(3);
	fake_run(c, seed, out);
	out->pass = true;
	out->count[V_DEADLOCK] = 0;
	out->first_violation = -1;
}

static void campaign(void (*fn)(const struct explore_campaign *, uint64_t,
				struct explore_result *),
		     uint64_t first, uint64_t runs, unsigned int shard, unsigned int nshards,
		     unsigned int jobs, bool keep_going, struct explore_summary *sum)
{
	struct explore_campaign c;

	memset(&c, 0, sizeof(c));
	c.plan = (struct explore_plan){ first, runs, shard, nshards };
	c.jobs = jobs;
	c.keep_going = keep_going;
	c.run_one = fn;
	assert_int_equal(explore_run(&c, sum), 0);
}

static void test_pool_deterministic(void **state)
{
	for (int kg = 0; kg < 2; kg++) {
		struct explore_summary one;

		campaign(fake_run, 1, 40, 0, 1, 1, kg, &one);
		if (kg) {
			assert_int_equal(one.runs, 40);
			assert_int_equal(one.failed, 6);	/* 3, 10, 17, 24, 31, 38 */
			assert_int_equal(one.fails[5].seed, 38);
		} else {
			assert_int_equal(one.runs, 3);
			assert_int_equal(one.fails[0].seed, 3);
			assert_int_equal(one.stop, EXPLORE_FIRST_FAILURE);
		}
		for (unsigned int j = 2; j <= 6; j += 2) {
			struct explore_summary many;

			campaign(fake_run, 1, 40, 0, 1, j, kg, &many);
			assert_int_equal(many.runs, one.runs);
			assert_int_equal(many.failed, one.failed);
			assert_int_equal(many.steps, one.steps);
			assert_int_equal(many.stop, one.stop);
			assert_int_equal(many.nfails, one.nfails);
			for (size_t i = 0; i < one.nfails; i++)
				assert_int_equal(many.fails[i].seed, one.fails[i].seed);
			assert_int_equal(many.jobs, j);
			explore_summary_free(&many);
		}
		explore_summary_free(&one);
	}
}

static void test_pool_shards(void **state)
{
	struct explore_summary whole;
	uint64_t runs = 0, failed = 0;
	unsigned char seen[64] = { 0 };

	campaign(fake_run, 1, 50, 0, 1, 2, true, &whole);
	for (unsigned int i = 0; i < 3; i++) {
		struct explore_summary part;

		campaign(fake_run, 1, 50, i, 3, 2, true, &part);
		runs += part.runs;
		failed += part.failed;
		for (size_t k = 0; k < part.nfails; k++) {
			assert_int_equal((part.fails[k].seed - 1) % 3, i);
			seen[part.fails[k].seed]++;
		}
		explore_summary_free(&part);
	}
	assert_int_equal(runs, whole.runs);
	assert_int_equal(failed, whole.failed);
	for (size_t k = 0; k < whole.nfails; k++)
		assert_int_equal(seen[whole.fails[k].seed], 1);
	explore_summary_free(&whole);
}

static void test_pool_worker_dies(void **state)
{
	struct explore_summary sum;

	campaign(dying_run, 1, 12, 0, 1, 2, true, &sum);
	assert_int_equal(sum.runs, 12);		/* the dead are replaced */
	assert_int_equal(sum.failed, 2);
	assert_int_equal(sum.fails[0].seed, 5);
	assert_int_equal(sum.fails[0].status, EXPLORE_CRASHED);
	assert_int_equal(sum.fails[0].signal, SIGKILL);
	assert_non_null(strstr(sum.fails[0].failed, "signal 9"));
	assert_int_equal(sum.fails[1].seed, 9);
	assert_non_null(strstr(sum.fails[1].failed, "exited with status 3"));
	explore_summary_free(&sum);
	campaign(dying_run, 1, 12, 0, 1, 3, false, &sum);
	assert_int_equal(sum.runs, 5);
	assert_int_equal(sum.fails[0].seed, 5);
	explore_summary_free(&sum);
}

static void test_pool_time_limit(void **state)
{
	struct explore_campaign c;
	struct explore_summary sum;

	memset(&c, 0, sizeof(c));
	c.plan = (struct explore_plan){ 1, 100000, 0, 1 };
	c.jobs = 2;
	c.keep_going = true;
	c.run_one = fake_run;
	c.time_limit_ns = 1;		/* over before the first run could start */
	assert_int_equal(explore_run(&c, &sum), 0);
	/* Whatever ran is a prefix, counted whole. */
	assert_int_equal(sum.runs, sum.started);
	assert_true(sum.runs < sum.planned);
	assert_int_equal(sum.stop, EXPLORE_TIME_LIMIT);
	explore_summary_free(&sum);
}

/* ---- the pool with the real scenario: -j1, -j2, -j4 give the same summary ---- */

/* The JSON summary of @sum without its "wall" member. */
static char *json_without_wall(const struct explore_opts *o, const struct scenario *scn,
			       const struct explore_plan *plan, const struct explore_summary *sum)
{
	char *buf = NULL, *wall;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	explore_report_json(f, o, scn, plan, sum);
	fclose(f);
	wall = strstr(buf, "\"wall\"");
	assert_non_null(wall);
	*wall = 0;
	return buf;
}

static void test_real_campaign_jobs(void **state)
{
	struct scenario scn;
	struct explore_opts o;
	char *argv[] = { "explore", "smmuv2-stall-locked", "--runs", "24",
			 "--policy", "cfie_mask=unlocked", NULL, NULL };
	char *want[2] = { NULL, NULL };

	load_shipped("smmuv2-stall-locked", &scn);
	for (int kg = 0; kg < 2; kg++) {
		argv[6] = kg ? "--keep-going" : NULL;
		assert_int_equal(explore_parse(kg ? 7 : 6, argv, &o, stderr), CLI_OK);
		for (unsigned int j = 1; j <= 4; j *= 2) {
			struct explore_campaign c;
			struct explore_summary sum;
			struct cli_run cr;
			char *doc;

			memset(&c, 0, sizeof(c));
			c.scn = &scn;
			run_opts_default(&c.base, &scn);
			memset(&cr, 0, sizeof(cr));
			cr.policy = o.policy;
			cli_run_apply(&cr, &c.base);
			c.plan = (struct explore_plan){ 1, o.runs, 0, 1 };
			c.jobs = j;
			c.keep_going = o.keep_going;
			assert_int_equal(explore_run(&c, &sum), 0);
			/* The unlocked mask storms on some seeds (tests/test_arm_smmu_v2.c). */
			assert_true(sum.failed > 0);
			assert_int_equal(sum.fails[0].first_violation, V_IRQ_STORM);
			if (!kg)
				assert_int_equal(sum.runs, sum.fails[0].seed);
			doc = json_without_wall(&o, &scn, &c.plan, &sum);
			if (!want[kg])
				want[kg] = doc;
			else {
				assert_string_equal(doc, want[kg]);
				free(doc);
			}
			explore_summary_free(&sum);
		}
	}
	assert_non_null(strstr(want[0], "\"stopped\": \"first-failure\""));
	assert_non_null(strstr(want[0], "iommusim replay smmuv2-stall-locked --seed 12 "
			       "--strategy random --policy cfie_mask=unlocked"));
	assert_non_null(strstr(want[1], "\"stopped\": \"complete\""));
	free(want[0]);
	free(want[1]);
	scenario_free(&scn);
}

/* ---- option parsers ---- */

#define ARGV(...) ((const char *const[]){ __VA_ARGS__, NULL })

static int argc_of(const char *const *a)
{
	int n = 0;

	while (a[n])
		n++;
	return n;
}

enum which { EXPLORE, REPLAY, SHRINK, RUN };

static int parse_any(enum which w, const char *const *args, char **msg)
{
	size_t len = 0;
	FILE *f = open_memstream(msg, &len);
	char **argv = (char **)args;
	union {
		struct explore_opts e;
		struct cli_run r;
		struct shrink_opts s;
	} u;
	int ret;

	switch (w) {
	case EXPLORE:
		ret = explore_parse(argc_of(args), argv, &u.e, f);
		break;
	case SHRINK:
		ret = shrink_parse(argc_of(args), argv, &u.s, f);
		break;
	case REPLAY:
		ret = cli_replay_parse(argc_of(args), argv, &u.r, f);
		break;
	default:
		ret = cli_run_parse(argc_of(args), argv, &u.r, f);
		break;
	}
	fclose(f);
	return ret;
}

static void refused(enum which w, const char *needle, const char *const *args)
{
	char *msg = NULL;

	assert_int_equal(parse_any(w, args, &msg), CLI_BAD);
	if (!strstr(msg, needle))
		fail_msg("message '%s' lacks '%s'", msg, needle);
	free(msg);
}

static void test_explore_parse_errors(void **state)
{
#define E(needle, ...) refused(EXPLORE, needle, ARGV("explore", __VA_ARGS__))
	E("iommusim explore: how many seeds? give --runs N", "x");
	E("--runs: '0' is not a count", "x", "--runs", "0");
	E("--runs: '-3' is not a count", "x", "--runs", "-3");
	E("--runs: '10k' is not a count", "x", "--runs", "10k");
	E("--runs: missing value", "x", "--runs");
	E("-j/--jobs: '0' is not a number of worker processes (1 to 1024)", "x", "--runs",
	  "5", "-j", "0");
	E("-j/--jobs: '5000'", "x", "--runs", "5", "--jobs", "5000");
	E("--shard: '3/3' is not I/N with 0 <= I < N", "x", "--runs", "5", "--shard", "3/3");
	E("--shard: '1'", "x", "--runs", "5", "--shard", "1");
	E("--shard: '/2'", "x", "--runs", "5", "--shard", "/2");
	E("--shard: '1/0'", "x", "--runs", "5", "--shard", "1/0");
	E("--shard: 'a/2'", "x", "--runs", "5", "--shard", "a/2");
	E("--time-limit: '10' is not a wall time with a unit", "x", "--runs", "5",
	  "--time-limit", "10");
	E("--time-limit: '5 s'", "x", "--runs", "5", "--time-limit", "5 s");
	E("--time-limit: '0s'", "x", "--runs", "5", "--time-limit", "0s");
	E("--time-limit: '3days'", "x", "--runs", "5", "--time-limit", "3days");
	E("--strategy: invalid value 'pct:17'", "x", "--runs", "5", "--strategy", "pct:17");
	E("--policy: unknown policy 'nope'", "x", "--runs", "5", "--policy", "nope=1");
	E("--bug: unknown bug switch 'nope' (expected one of: failed-reset-unblocks",
	  "x", "--runs", "5", "--bug", "nope");
	E("--first-seed: 'x1'", "x", "--runs", "5", "--first-seed", "x1");
	E("goes past the last seed", "x", "--runs", "2", "--first-seed",
	  "18446744073709551615");
	E("unknown option '--seed'", "x", "--runs", "5", "--seed", "1");
	E("no scenario", "--runs", "5");
	E("one scenario at a time", "a", "b", "--runs", "5");
#undef E
}

static void test_replay_shrink_parse_errors(void **state)
{
#define R(needle, ...) refused(REPLAY, needle, ARGV("replay", __VA_ARGS__))
#define S(needle, ...) refused(SHRINK, needle, ARGV("shrink", __VA_ARGS__))
	R("iommusim replay: which run? give --seed N", "x");
	R("--seed and --schedule exclude each other", "x", "--seed", "1", "--schedule", "f");
	R("--strategy and --schedule exclude each other", "x", "--strategy", "rr",
	  "--schedule", "f");
	R("iommusim replay: --seed: 'z'", "x", "--seed", "z");
	R("iommusim replay: --policy: unknown policy", "x", "--seed", "1", "--policy", "a=b");
	R("iommusim replay: unknown option '--runs'", "x", "--seed", "1", "--runs", "3");
	refused(RUN, "iommusim run: --schedule: only `iommusim replay`",
		ARGV("run", "x", "--schedule", "f"));
	S("iommusim shrink: which run? give --seed N", "x", "--out", "o");
	S("where to? give --out SCHEDULE", "x", "--seed", "1");
	S("--seed and --schedule exclude each other", "x", "--seed", "1", "--schedule", "f",
	  "--out", "o");
	S("--strategy and --schedule exclude each other", "x", "--strategy", "rr",
	  "--schedule", "f", "--out", "o");
	S("--violation: unknown violation 'NOPE' (expected one of: STALE_DMA_WRITE",
	  "x", "--seed", "1", "--out", "o", "--violation", "NOPE");
	S("--max-runs: '0'", "x", "--seed", "1", "--out", "o", "--max-runs", "0");
	S("--time-limit: 'soon'", "x", "--seed", "1", "--out", "o", "--time-limit", "soon");
	S("--out: an empty file name", "x", "--seed", "1", "--out", "");
	S("--strategy: invalid value 'bfs'", "x", "--seed", "1", "--out", "o", "--strategy",
	  "bfs");
	S("unknown option '--json'", "x", "--seed", "1", "--out", "o", "--json");
#undef R
#undef S
}

static void test_parse_ok(void **state)
{
	struct explore_opts e;
	struct shrink_opts s;
	struct cli_run r;
	uint64_t ns;
	char strat[16];

	assert_int_equal(explore_parse(8, (char **)ARGV("explore", "flagship", "--runs", "9",
							 "-j3", "--shard", "2/5",
							 "--time-limit=1.5min"), &e, stderr), CLI_OK);
	assert_string_equal(e.target, "flagship");
	assert_int_equal(e.runs, 9);
	assert_int_equal(e.jobs, 3);
	assert_int_equal(e.shard, 2);
	assert_int_equal(e.nshards, 5);
	assert_int_equal(e.time_limit_ns, 90000000000ULL);
	assert_int_equal(e.first_seed, 1);
	assert_string_equal(sim_strategy_format(&e.strategy, strat, sizeof(strat)), "random");
	assert_true(cli_parse_duration("250ms", &ns) && ns == 250000000ULL);
	assert_true(cli_parse_duration("2h", &ns) && ns == 7200000000000ULL);
	assert_int_equal(cli_replay_parse(5, (char **)ARGV("replay", "x", "--schedule", "f",
							    "--log"), &r, stderr), CLI_OK);
	assert_string_equal(r.schedule, "f");
	assert_true(r.log);
	assert_int_equal(shrink_parse(7, (char **)ARGV("shrink", "x", "--seed", "7", "--out",
						       "o", "--quiet"), &s, stderr), CLI_OK);
	assert_int_equal(s.seed, 7);
	assert_int_equal(s.violation, -1);
	assert_int_equal(s.max_runs, SHRINK_DEFAULT_MAX_RUNS);
}

static void test_shell_word(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cli_shell_word(f, "scenarios/flagship.yaml");
	fputc(' ', f);
	cli_shell_word(f, "my file's.yaml");
	fputc(' ', f);
	cli_shell_word(f, "");
	fclose(f);
	assert_string_equal(buf, "scenarios/flagship.yaml 'my file'\\''s.yaml' ''");
	free(buf);
}

/* ---- the progress line ---- */

static void test_progress_rules(void **state)
{
	struct progress p;
	char *buf = NULL, text[160];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	/* Not a terminal, CI, --quiet: no line. */
	assert_false(progress_wanted(f, false));
	setenv("CI", "true", 1);
	assert_false(progress_wanted(stderr, false));
	unsetenv("CI");
	assert_false(progress_wanted(stderr, true));
	setenv("NO_COLOR", "1", 1);
	assert_false(progress_color_wanted());
	unsetenv("NO_COLOR");

	/* At most ten redraws a second; forced ones always; a newline at the end. */
	progress_init(&p, f, true, false);
	assert_true(progress_update(&p, 1000, false, "a"));
	assert_false(progress_update(&p, 1000 + PROGRESS_PERIOD_NS - 1, false, "b"));
	assert_true(progress_update(&p, 1000 + PROGRESS_PERIOD_NS, false, "c"));
	assert_true(progress_update(&p, 1000 + PROGRESS_PERIOD_NS + 1, true, "d"));
	for (uint64_t t = 0; t < 1000000000ULL; t += 1000000)	/* 1000 updates in 1 s */
		progress_update(&p, 2000000000ULL + t, false, "e");
	assert_int_equal(p.redraws, 3 + 10);
	progress_end(&p);
	fflush(f);
	assert_int_equal(buf[len - 1], '\n');
	assert_null(strstr(buf, "b"));
	fclose(f);
	free(buf);

	/* Off: nothing at all. */
	buf = NULL;
	f = open_memstream(&buf, &len);
	progress_init(&p, f, false, false);
	progress_update(&p, 0, true, "x");
	progress_end(&p);
	fclose(f);
	assert_int_equal(len, 0);
	free(buf);

	progress_explore_text(text, sizeof(text), 50, 200, 1, 2000000000ULL, false, false);
	assert_string_equal(text, "explore: 50/200 runs, 25.0 runs/s, 1 violation, ETA 6s");
	assert_null(strchr(text, '\033'));
	progress_explore_text(text, sizeof(text), 50, 200, 2, 2000000000ULL, true, true);
	assert_non_null(strstr(text, "\033[1;31m2 violations\033[0m, ETA -"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_partition),
		cmocka_unit_test(test_merge_any_order),
		cmocka_unit_test(test_merge_cap_and_gaps),
		cmocka_unit_test(test_pool_deterministic),
		cmocka_unit_test(test_pool_shards),
		cmocka_unit_test(test_pool_worker_dies),
		cmocka_unit_test(test_pool_time_limit),
		cmocka_unit_test(test_real_campaign_jobs),
		cmocka_unit_test(test_explore_parse_errors),
		cmocka_unit_test(test_replay_shrink_parse_errors),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_shell_word),
		cmocka_unit_test(test_progress_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
