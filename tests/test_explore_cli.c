// SPDX-License-Identifier: MIT
/*
 * `iommusim explore`, `replay` and `shrink` end to end, through the built
 * binary (IOMMUSIM_BIN, set by meson): exit statuses, bad input with clear
 * messages (exit 2), the replay command explore prints reproducing the
 * failure, --record-schedule + replay --schedule giving the same report,
 * shrink's output replaying to the violation, no progress line when
 * stderr is not a terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

static char dir[64];

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int c;

	assert_non_null(f);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* Run `iommusim ARGS` (a shell fragment); its stdout and stderr. Return: exit status. */
static int __attribute__((format(printf, 3, 4)))
sh(char **out, char **err, const char *fmt, ...)
{
	const char *bin = getenv("IOMMUSIM_BIN");
	char args[1024], cmd[2048], o[128], e[128];
	va_list ap;
	int st;

	assert_non_null(bin);
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(o, sizeof(o), "%s/out", dir);
	snprintf(e, sizeof(e), "%s/err", dir);
	snprintf(cmd, sizeof(cmd), "env -u CI '%s' %s >%s 2>%s", bin, args, o, e);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	*out = slurp(o);
	*err = slurp(e);
	return WEXITSTATUS(st);
}

static void expect_status(int status, const char *needle_err, const char *fmt, const char *arg)
{
	char *out, *err;

	assert_int_equal(sh(&out, &err, fmt, arg), status);
	if (needle_err && !strstr(err, needle_err))
		fail_msg("stderr '%s' lacks '%s'", err, needle_err);
	free(out);
	free(err);
}

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_bad_input(void **state)
{
	char p[160];

	expect_status(2, "how many seeds? give --runs N", "explore flagship%s", "");
	expect_status(2, "iommusim explore: no shipped scenario called 'nosuch'",
		      "explore nosuch --runs 3%s", "");
	expect_status(2, "--shard: '4/4'", "explore flagship --runs 3 --shard %s", "4/4");
	expect_status(2, "which run? give --seed N", "replay flagship%s", "");
	expect_status(2, "where to? give --out SCHEDULE", "shrink flagship --seed 1%s", "");
	expect_status(2, "--schedule: cannot open '/nonexistent/s'",
		      "replay flagship --schedule %s", "/nonexistent/s");
	write_file("bad1", "iommusim-schedule 2\nseed 1\ndeviations 1\n5:x\n");
	snprintf(p, sizeof(p), "%s/bad1:4:3: expected a task id", dir);
	expect_status(2, p, "replay flagship --schedule %s/bad1", dir);
	write_file("bad2", "iommusim-schedule 2\nseed 1\noption --policy=nope=1\ndeviations 0\n");
	snprintf(p, sizeof(p), "%s/bad2:3:8: iommusim replay: --policy: unknown policy 'nope'", dir);
	expect_status(2, p, "replay flagship --schedule %s/bad2", dir);
	write_file("bad3", "iommusim-schedule 2\nseed 1\noption --json\ndeviations 0\n");
	snprintf(p, sizeof(p), "%s/bad3:3:8: 'option --json': a schedule carries only", dir);
	expect_status(2, p, "shrink flagship --out x --schedule %s/bad3", dir);
	expect_status(2, "that run has no violation: nothing to shrink",
		      "shrink smmuv2-stall-locked --seed 1 --out %s/none", dir);
	expect_status(2, "unknown command 'explode'", "explode%s", "");
}

static void test_explore_then_replay(void **state)
{
	char *out, *err, *rout, *rerr, *line, *end;

	assert_int_equal(sh(&out, &err, "explore smmuv2-stall-locked --runs 20 -j2 "
			     "--policy cfie_mask=unlocked"), 1);
	line = strstr(out, "    iommusim replay ");
	assert_non_null(line);
	assert_non_null(strstr(out, "seed 12: IRQ_STORM"));
	assert_null(strchr(err, '\r'));		/* stderr is no terminal: no progress */
	line += strlen("    iommusim ");
	end = strchr(line, '\n');
	*end = 0;
	assert_string_equal(line, "replay smmuv2-stall-locked --seed 12 --strategy random "
			    "--policy cfie_mask=unlocked");
	assert_int_equal(sh(&rout, &rerr, "%s", line), 1);
	assert_non_null(strstr(rout, "IRQ_STORM at"));
	assert_non_null(strstr(rout, "FAIL"));
	free(rout);
	free(rerr);
	free(out);
	free(err);

	assert_int_equal(sh(&out, &err, "explore smmuv2-stall-locked --runs 6 -j2"), 0);
	assert_non_null(strstr(out, "runs: 6 of 6; 6 passed, 0 failed"));
	free(out);
	free(err);
}

static void test_explore_json(void **state)
{
	char *out, *err;
	json_error_t je;
	json_t *doc;

	assert_int_equal(sh(&out, &err, "explore smmuv2-stall-locked --runs 12 -j2 --json "
			     "--keep-going --shard 1/2 --policy cfie_mask=unlocked --quiet"), 1);
	doc = json_loads(out, 0, &je);
	assert_non_null(doc);
	assert_int_equal(json_integer_value(json_object_get(doc, "runs")), 6);
	assert_true(json_integer_value(json_object_get(doc, "failed")) > 0);
	assert_int_equal(json_array_size(json_object_get(doc, "failing")),
			 json_integer_value(json_object_get(doc, "failed")));
	for (size_t i = 0; i < json_array_size(json_object_get(doc, "failing")); i++) {
		json_t *f = json_array_get(json_object_get(doc, "failing"), i);

		assert_int_equal(json_integer_value(json_object_get(f, "seed")) % 2, 0);
		assert_non_null(strstr(json_string_value(json_object_get(f, "replay")),
				       "--strategy random --policy cfie_mask=unlocked"));
	}
	json_decref(doc);
	free(out);
	free(err);
}

/* Drop the lines that name the strategy or the wall time. */
static void strip(char *s)
{
	char *w = s;

	for (char *line = s; *line;) {
		char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line + 1) : strlen(line);

		if (strncmp(line, "  strategy", 10) && strncmp(line, "  wall", 6)) {
			memmove(w, line, len);
			w += len;
		}
		line += len;
	}
	*w = 0;
}

static void test_record_and_replay(void **state)
{
	char *out, *err, *rout, *rerr;

	assert_int_equal(sh(&out, &err, "run flagship --policy atc_timeout=ignore --seed 4 "
			     "--strategy pct:3 --log --record-schedule %s/rec", dir), 1);
	assert_int_equal(sh(&rout, &rerr, "replay flagship --schedule %s/rec --log", dir), 1);
	assert_non_null(strstr(rout, "  strategy    schedule"));
	strip(out);
	strip(rout);
	assert_string_equal(out, rout);
	assert_string_equal(rerr, "");		/* it followed the schedule */
	free(out);
	free(err);
	free(rout);
	free(rerr);
	/* A policy on the command line overrides the schedule's: the run leaves it. */
	assert_int_equal(sh(&rout, &rerr, "replay flagship --schedule %s/rec --policy "
			     "atc_timeout=quarantine-retry", dir), 0);
	assert_non_null(strstr(rerr, "note: the run left the schedule"));
	free(rout);
	free(rerr);
}

static char *slurp_in_dir(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return slurp(path);
}

static void test_shrink_then_replay(void **state)
{
	char *out, *err, *rout, *rerr, *sched;

	assert_int_equal(sh(&out, &err, "shrink smmuv2-stall-unlocked --seed 12 --out %s/small",
			    dir), 0);
	assert_non_null(strstr(out, "keeps IRQ_STORM as the first violation"));
	assert_non_null(strstr(out, "  deviations            511"));
	assert_non_null(strstr(out, "minimal:"));
	free(out);
	free(err);
	sched = slurp_in_dir("small");
	assert_null(strstr(sched, "option "));	/* the scenario's policy is its own */
	assert_non_null(strstr(sched, "# replay: iommusim replay smmuv2-stall-unlocked --schedule"));
	free(sched);
	assert_int_equal(sh(&rout, &rerr, "replay smmuv2-stall-unlocked --schedule %s/small", dir), 0);
	assert_non_null(strstr(rout, "IRQ_STORM at"));
	assert_string_equal(rerr, "");
	free(rout);
	free(rerr);

	/* A policy from the command line is recorded, and a schedule shrinks again. */
	assert_int_equal(sh(&out, &err, "shrink smmuv2-stall-locked --seed 12 --policy "
			    "cfie_mask=unlocked --out %s/small2 --max-runs 30", dir), 0);
	assert_non_null(strstr(out, "stopped early: --max-runs 30 reached"));
	free(out);
	free(err);
	sched = slurp_in_dir("small2");
	assert_non_null(strstr(sched, "option --policy=cfie_mask=unlocked\n"));
	free(sched);
	assert_int_equal(sh(&rout, &rerr, "replay smmuv2-stall-locked --schedule %s/small2", dir), 1);
	assert_non_null(strstr(rout, "IRQ_STORM at"));
	free(rout);
	free(rerr);
	assert_int_equal(sh(&rout, &rerr, "shrink smmuv2-stall-locked --schedule %s/small2 "
			    "--out %s/small3", dir, dir), 0);
	assert_non_null(strstr(rout, "keeps IRQ_STORM"));
	free(rout);
	free(rerr);
}

static int setup(void **state)
{
	strcpy(dir, "/tmp/iommusim-cli-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_explore_then_replay),
		cmocka_unit_test(test_explore_json),
		cmocka_unit_test(test_record_and_replay),
		cmocka_unit_test(test_shrink_then_replay),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
