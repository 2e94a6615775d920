// SPDX-License-Identifier: MIT
/*
 * `iommusim shrink`: the smallest schedule that still fails. See
 * explore/shrink.h and docs/explore.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/run.h"
#include "explore/explore.h"
#include "explore/explore_opts.h"
#include "explore/progress.h"
#include "explore/shrink.h"
#include "explore/shrink_opts.h"
#include "scenario/run.h"
#include "scenario/scenario.h"

struct shrink_cli_progress {
	struct progress line;
	uint64_t before;
};

static void on_progress(void *arg, const struct shrink_size *now, uint64_t runs)
{
	struct shrink_cli_progress *p = arg;
	char text[128];

	snprintf(text, sizeof(text), "shrink: %llu -> %llu deviations, %llu steps, %llu runs",
		 (unsigned long long)p->before, (unsigned long long)now->deviations,
		 (unsigned long long)now->steps, (unsigned long long)runs);
	progress_update(&p->line, explore_now_ns(), false, text);
}

static void row(const char *what, uint64_t a, uint64_t b)
{
	printf("  %-12s %12llu %12llu\n", what, (unsigned long long)a, (unsigned long long)b);
}

static void report(const struct shrink_opts *o, const struct scenario *scn,
		   const struct shrink_result *res)
{
	char strat[32];

	printf("shrink %s: ", scn->name);
	if (o->schedule)
		printf("the schedule %s", o->schedule);
	else
		printf("seed %llu, strategy %s", (unsigned long long)o->seed,
		       sim_strategy_format(&o->strategy, strat, sizeof(strat)));
	printf(": keeps %s as the first violation\n", violation_name(res->violation));
	printf("  %-12s %12s %12s\n", "", "before", "after");
	row("deviations", res->before.deviations, res->after.deviations);
	row("preemptions", res->before.preemptions, res->after.preemptions);
	row("steps", res->before.steps, res->after.steps);
	row("decisions", res->before.decisions, res->after.decisions);
	row("switches", res->before.switches, res->after.switches);
	printf("  %-12s %9llu us %9llu us\n", "violation at",
	       (unsigned long long)(res->before.vtime / 1000),
	       (unsigned long long)(res->after.vtime / 1000));
	printf("runs: %llu, %.2f s wall; ", (unsigned long long)res->runs,
	       (double)res->wall_ns / 1e9);
	switch (res->stop) {
	case SHRINK_MINIMAL:
		printf("minimal: removing any one deviation loses the violation or "
		       "lengthens the run\n");
		break;
	case SHRINK_MAX_RUNS:
		printf("stopped early: --max-runs %llu reached (smaller may exist)\n",
		       (unsigned long long)o->max_runs);
		break;
	case SHRINK_TIME_LIMIT:
		printf("stopped early: the time limit was reached (smaller may exist)\n");
		break;
	}
}

/* Write @res->sched with @eff's run options to @o->out.  Return: 0 or 2. */
static int write_out(const struct shrink_opts *o, const struct cli_run *eff,
		     const struct scenario *scn, struct shrink_result *res)
{
	struct sim_schedule sch = res->sched;
	char *comment = NULL;
	size_t len = 0;
	FILE *m, *f = fopen(o->out, "w");
	int ret;

	if (!f) {
		fprintf(stderr, "iommusim shrink: --out: cannot write '%s': %s\n", o->out,
			strerror(errno));
		return 2;
	}
	m = open_memstream(&comment, &len);
	fprintf(m, "scenario %s: %s, shrunk from %llu to %llu deviations, %llu to %llu "
		"steps\nreplay: iommusim replay ", scn->name, violation_name(res->violation),
		(unsigned long long)res->before.deviations,
		(unsigned long long)res->after.deviations,
		(unsigned long long)res->before.steps, (unsigned long long)res->after.steps);
	cli_shell_word(m, o->target);
	fprintf(m, " --schedule ");
	cli_shell_word(m, o->out);
	fclose(m);
	sch.noptions = cli_run_option_words(eff, &sch.options);
	sch.option_lines = NULL;
	ret = sim_schedule_save(f, &sch, comment);
	cli_words_free(sch.options, sch.noptions);
	free(comment);
	if (fclose(f) || ret) {
		fprintf(stderr, "iommusim shrink: --out: cannot write '%s'\n", o->out);
		return 2;
	}
	return 0;
}

int cli_shrink_main(int argc, char **argv)
{
	struct shrink_opts o;
	struct shrink_config c;
	struct shrink_result res;
	struct shrink_cli_progress prog;
	struct sim_schedule sch = { 0 };
	struct cli_run eff, fo;
	struct scenario scn;
	char *path = NULL;
	int ret = shrink_parse(argc, argv, &o, stderr);

	if (ret == CLI_HELP)
		return 0;
	if (ret != CLI_OK)
		return 2;
	memset(&eff, 0, sizeof(eff));
	eff.policy = o.policy;
	eff.bugs = o.bugs;
	if (o.schedule) {
		if (cli_schedule_open("shrink", o.schedule, &sch))
			return 2;
		if (cli_schedule_options("shrink", o.schedule, &sch, &fo)) {
			sim_schedule_free(&sch);
			return 2;
		}
		cli_run_merge_under(&eff, &fo);
		eff.keep_going = false;
	} else {
		eff.has_seed = true;
		eff.seed = o.seed;
		eff.has_strategy = true;
		eff.strategy = o.strategy;
	}
	if (cli_load("shrink", o.target, &scn, &path)) {
		sim_schedule_free(&sch);
		return 2;
	}
	memset(&c, 0, sizeof(c));
	c.scn = &scn;
	run_opts_default(&c.base, &scn);
	cli_run_apply(&eff, &c.base);
	if (o.schedule) {
		c.base.seed = sch.seed;
		sim_schedule_strategy(&sch, &c.base.strategy);
	}
	c.violation = o.violation;
	c.max_runs = o.max_runs;
	c.time_limit_ns = o.time_limit_ns;
	progress_init(&prog.line, stderr, progress_wanted(stderr, o.quiet),
		      progress_color_wanted());
	c.progress = on_progress;
	c.progress_arg = &prog;
	prog.before = 0;
	ret = shrink_run(&c, &res);
	progress_end(&prog.line);
	if (ret == -ENOENT) {
		fprintf(stderr, "iommusim shrink: %s: that run has %s: nothing to shrink "
			"(`iommusim explore` finds failing seeds)\n", o.target,
			o.violation >= 0 ? "another first violation, or none" : "no violation");
		ret = 2;
	} else if (ret == -EPROTO) {
		fprintf(stderr, "iommusim shrink: %s: the run's own schedule did not reproduce "
			"it (an executor bug: please report it)\n", o.target);
		ret = 2;
	} else if (ret) {
		fprintf(stderr, "iommusim shrink: %s: the run could not start (%s)\n", o.target,
			strerror(-ret));
		ret = 2;
	} else {
		report(&o, &scn, &res);
		ret = write_out(&o, &eff, &scn, &res);
		if (!ret) {
			printf("wrote %s; replay: iommusim replay ", o.out);
			cli_shell_word(stdout, o.target);
			printf(" --schedule ");
			cli_shell_word(stdout, o.out);
			putchar('\n');
		}
		sim_schedule_free(&res.sched);
	}
	sim_schedule_free(&sch);
	scenario_free(&scn);
	free(path);
	return ret;
}
