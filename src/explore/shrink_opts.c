// SPDX-License-Identifier: MIT
/*
 * `iommusim shrink` options. See shrink_opts.h and docs/explore.md.
 */
#include "explore/shrink_opts.h"

#include <getopt.h>
#include <string.h>

#include "check/violation.h"
#include "explore/explore_opts.h"

void shrink_usage(FILE *f)
{
	fputs("usage: iommusim shrink FILE|NAME --seed N [--strategy S] --out SCHEDULE\n"
	      "                       [--policy K=V]... [--bug NAME]... [--violation ID]\n"
	      "                       [--max-runs N] [--time-limit T] [--quiet]\n"
	      "       iommusim shrink FILE|NAME --schedule FILE --out SCHEDULE [...]\n"
	      "\n"
	      "Makes a failing run's schedule smaller (fewer deviations from the default\n"
	      "order, no more steps) while its first violation keeps the same ID, and\n"
	      "writes it for `iommusim replay FILE|NAME --schedule SCHEDULE`.\n"
	      "\n"
	      "  --seed N, --strategy S  the failing run (as `iommusim explore` prints it)\n"
	      "  --schedule FILE  or the failing run as a schedule file\n"
	      "  --out SCHEDULE   where the shrunk schedule goes\n"
	      "  --policy K=V, --bug NAME  as for `iommusim run`\n"
	      "  --violation ID   the violation to keep (default: the run's first)\n"
	      "  --max-runs N     runs allowed (default 2000)\n"
	      "  --time-limit T   wall time allowed (ms, s, min, h; default 2min)\n"
	      "  --quiet          no progress line\n"
	      "\n"
	      "Exit status: 0 written (also when a budget stopped it early: it says so),\n"
	      "2 bad usage or input, including a run without the violation.\n", f);
}

#define CMD	"iommusim shrink"
#define bad(err, ...)	cli_bad(err, CMD, __VA_ARGS__)

static int bad_violation(FILE *err, const char *name)
{
	fprintf(err, "iommusim shrink: --violation: unknown violation '%s' (expected one of:",
		name);
	for (unsigned int v = 0; v < V_NR; v++)
		fprintf(err, "%s %s", v ? "," : "", violation_name(v));
	fputs(")\n", err);
	return CLI_BAD;
}

int shrink_parse(int argc, char **argv, struct shrink_opts *o, FILE *err)
{
	enum { O_SEED = 256, O_STRATEGY, O_SCHEDULE, O_OUT, O_POLICY, O_BUG, O_VIOLATION,
	       O_MAX_RUNS, O_TIME_LIMIT, O_QUIET, O_HELP };
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, O_SEED },
		{ "strategy", required_argument, NULL, O_STRATEGY },
		{ "schedule", required_argument, NULL, O_SCHEDULE },
		{ "out", required_argument, NULL, O_OUT },
		{ "policy", required_argument, NULL, O_POLICY },
		{ "bug", required_argument, NULL, O_BUG },
		{ "violation", required_argument, NULL, O_VIOLATION },
		{ "max-runs", required_argument, NULL, O_MAX_RUNS },
		{ "time-limit", required_argument, NULL, O_TIME_LIMIT },
		{ "quiet", no_argument, NULL, O_QUIET },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long bit;
	int c;

	memset(o, 0, sizeof(*o));
	policy_set_default(&o->policy);
	sim_strategy_parse("random", &o->strategy);
	o->violation = -1;
	o->max_runs = SHRINK_DEFAULT_MAX_RUNS;
	o->time_limit_ns = SHRINK_DEFAULT_TIME_NS;
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case O_SEED:
			if (cli_opt_seed(err, CMD, optarg, &o->seed))
				return CLI_BAD;
			o->has_seed = true;
			break;
		case O_STRATEGY:
			if (cli_opt_strategy(err, CMD, optarg, &o->strategy))
				return CLI_BAD;
			o->has_strategy = true;
			break;
		case O_SCHEDULE:
			o->schedule = optarg;
			break;
		case O_OUT:
			if (!*optarg)
				return bad(err, "--out: an empty file name");
			o->out = optarg;
			break;
		case O_POLICY:
			if (cli_opt_policy(err, CMD, optarg, &o->policy))
				return CLI_BAD;
			break;
		case O_BUG:
			bit = cli_bug_by_name(optarg);
			if (!bit)
				return bad(err, "--bug: unknown bug switch '%s' (iommusim run "
					   "--help lists them)", optarg);
			o->bugs |= bit;
			break;
		case O_VIOLATION:
			o->violation = violation_by_name(optarg);
			if (o->violation < 0)
				return bad_violation(err, optarg);
			break;
		case O_MAX_RUNS:
			if (!cli_parse_count(optarg, (uint64_t)1 << 40, &o->max_runs))
				return bad(err, "--max-runs: '%s' is not a count of runs (1 or more)",
					   optarg);
			break;
		case O_TIME_LIMIT:
			if (!cli_parse_duration(optarg, &o->time_limit_ns))
				return bad(err, "--time-limit: '%s' is not a wall time with a unit "
					   "(ms, s, min or h: 500ms, 30s, 2min)", optarg);
			break;
		case O_QUIET:
			o->quiet = true;
			break;
		case 'h':
		case O_HELP:
			shrink_usage(stdout);
			return CLI_HELP;
		default:
			return cli_bad_getopt(err, CMD, c, argv);
		}
	}
	if (cli_opt_target(err, CMD, argc, argv, &o->target))
		return CLI_BAD;
	if (o->schedule && o->has_seed)
		return bad(err, "--seed and --schedule exclude each other (a schedule file "
			   "carries the seed of its run)");
	if (o->schedule && o->has_strategy)
		return bad(err, "--strategy and --schedule exclude each other");
	if (!o->schedule && !o->has_seed)
		return bad(err, "which run? give --seed N (with its --strategy) or "
			   "--schedule FILE");
	if (!o->out)
		return bad(err, "where to? give --out SCHEDULE");
	return CLI_OK;
}
