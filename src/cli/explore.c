// SPDX-License-Identifier: MIT
/*
 * `iommusim explore`: a campaign of seeds in worker processes. See
 * explore/explore.h and docs/explore.md.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/run.h"
#include "explore/explore.h"
#include "explore/explore_opts.h"
#include "explore/progress.h"
#include "explore/report.h"
#include "scenario/run.h"
#include "scenario/scenario.h"

struct explore_cli_progress {
	struct progress line;
	uint64_t t0;
	bool keep_going;
};

static void on_progress(void *arg, const struct explore_summary *sum, uint64_t received,
			uint64_t received_failed, bool final)
{
	struct explore_cli_progress *p = arg;
	uint64_t now = explore_now_ns();
	char text[160];

	progress_explore_text(text, sizeof(text), final ? sum->runs : received, sum->planned,
			      final ? sum->failed : received_failed, now - p->t0,
			      received_failed && !p->keep_going, p->line.color);
	progress_update(&p->line, now, final, text);
	if (final)
		progress_end(&p->line);
}

int cli_explore_main(int argc, char **argv)
{
	struct explore_opts o;
	struct explore_campaign c;
	struct explore_summary sum;
	struct explore_cli_progress prog;
	struct cli_run cr;
	struct scenario scn;
	char *path = NULL;
	int ret = explore_parse(argc, argv, &o, stderr);

	if (ret == CLI_HELP)
		return 0;
	if (ret != CLI_OK)
		return 2;
	if (cli_load("explore", o.target, &scn, &path))
		return 2;
	memset(&c, 0, sizeof(c));
	c.scn = &scn;
	run_opts_default(&c.base, &scn);
	/* The run options through the same merge as `iommusim run`. */
	memset(&cr, 0, sizeof(cr));
	cr.has_strategy = true;
	cr.strategy = o.strategy;
	cr.policy = o.policy;
	cr.bugs = o.bugs;
	cli_run_apply(&cr, &c.base);
	c.plan.first_seed = o.first_seed;
	c.plan.runs = o.runs;
	c.plan.shard = o.shard;
	c.plan.nshards = o.nshards;
	c.jobs = o.jobs;
	if (!c.jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		c.jobs = n < 1 ? 1 : n > EXPLORE_MAX_JOBS ? EXPLORE_MAX_JOBS : (unsigned int)n;
	}
	c.keep_going = o.keep_going;
	c.time_limit_ns = o.time_limit_ns;
	progress_init(&prog.line, stderr, progress_wanted(stderr, o.quiet),
		      progress_color_wanted());
	prog.t0 = explore_now_ns();
	prog.keep_going = o.keep_going;
	c.progress = on_progress;
	c.progress_arg = &prog;
	ret = explore_run(&c, &sum);
	if (ret) {
		explore_summary_free(&sum);
		scenario_free(&scn);
		free(path);
		return 2;
	}
	if (o.json)
		explore_report_json(stdout, &o, &scn, &c.plan, &sum);
	else
		explore_report_text(stdout, &o, &scn, &c.plan, &sum);
	fflush(stdout);
	ret = sum.failed ? 1 : 0;
	explore_summary_free(&sum);
	scenario_free(&scn);
	free(path);
	return ret;
}
