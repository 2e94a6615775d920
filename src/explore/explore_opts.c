// SPDX-License-Identifier: MIT
/*
 * `iommusim explore` options. See explore_opts.h and docs/explore.md.
 */
#include "explore/explore_opts.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void explore_usage(FILE *f)
{
	fputs("usage: iommusim explore FILE|NAME --runs N [--strategy random|pct:D|rr]\n"
	      "                        [-j JOBS] [--shard I/N] [--time-limit T]\n"
	      "                        [--policy K=V]... [--bug NAME]... [--keep-going]\n"
	      "                        [--json] [--quiet] [--first-seed S]\n"
	      "\n"
	      "Runs the scenario over seeds S .. S+N-1 in worker processes and reports\n"
	      "the failing runs (the expect block does not hold) with the command that\n"
	      "replays each.  The summary is the same whatever JOBS is.\n"
	      "\n"
	      "  --runs N         seeds in the campaign (all shards together)\n"
	      "  --strategy S     scheduling: random (default), pct:D (D 1..16), rr\n"
	      "  -j, --jobs N     worker processes (default: the CPUs online; 1..1024)\n"
	      "  --shard I/N      run only the seeds whose offset from S is I modulo N\n"
	      "                   (0 <= I < N): N machines, one shard each, cover the\n"
	      "                   campaign once\n"
	      "  --time-limit T   start no run after wall time T (ms, s, min, h: 30s)\n"
	      "  --policy K=V     a policy over the scenario's (repeatable)\n"
	      "  --bug NAME       re-create a known bug (repeatable)\n"
	      "  --keep-going     run every seed instead of stopping at the lowest\n"
	      "                   failing one\n"
	      "  --json           the summary as one JSON document on stdout\n"
	      "  --quiet          no progress line (also off when stderr is not a\n"
	      "                   terminal or CI is set)\n"
	      "  --first-seed S   the first seed (default 1)\n"
	      "\n"
	      "Exit status: 0 no failing run, 1 a failing run found, 2 bad usage or\n"
	      "input.  docs/explore.md: sharding over Slurm and Kubernetes.\n", f);
}

#define CMD	"iommusim explore"
#define bad(err, ...)	cli_bad(err, CMD, __VA_ARGS__)

bool cli_parse_count(const char *text, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!text || !*text)
		return false;
	for (const char *p = text; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || *end || v == 0 || v > max)
		return false;
	*out = v;
	return true;
}

bool cli_parse_duration(const char *text, uint64_t *ns)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = {
		{ "ms", 1e6 }, { "s", 1e9 }, { "min", 60e9 }, { "h", 3600e9 },
	};
	const char *p = text;
	char *end;
	double v;

	if (!text || !isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p) || *p == '.')
		p++;
	errno = 0;
	v = strtod(text, &end);
	if (errno || end != p || !isfinite(v))
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		double t;

		if (strcmp(p, units[i].unit))
			continue;
		t = v * units[i].ns;
		if (t < 1 || t > 365 * 24 * 3600e9)
			return false;
		*ns = (uint64_t)t;
		return true;
	}
	return false;
}

bool explore_parse_shard(const char *text, unsigned int *i, unsigned int *n)
{
	const char *slash = text ? strchr(text, '/') : NULL;
	uint64_t a, b;
	char head[24];

	if (!slash || (size_t)(slash - text) >= sizeof(head) || slash == text)
		return false;
	memcpy(head, text, slash - text);
	head[slash - text] = 0;
	/* I may be 0: parse it as a count of I + 1. */
	for (const char *p = head; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	errno = 0;
	a = strtoull(head, NULL, 10);
	if (errno || !cli_parse_count(slash + 1, EXPLORE_MAX_SHARDS, &b) || a >= b)
		return false;
	*i = (unsigned int)a;
	*n = (unsigned int)b;
	return true;
}

void cli_shell_word(FILE *f, const char *s)
{
	bool plain = *s != 0;

	for (const char *p = s; *p; p++)
		plain &= isalnum((unsigned char)*p) || strchr("_./:=+,@%-", *p);
	if (plain) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc(*p, f);
	}
	fputc('\'', f);
}

#define bad_bug(err, name)	cli_bad_bug(err, CMD, name)

int explore_parse(int argc, char **argv, struct explore_opts *o, FILE *err)
{
	enum { O_RUNS = 256, O_STRATEGY, O_JOBS, O_SHARD, O_TIME_LIMIT, O_POLICY, O_BUG,
	       O_KEEP_GOING, O_JSON, O_QUIET, O_FIRST_SEED, O_HELP };
	static const struct option opts[] = {
		{ "runs", required_argument, NULL, O_RUNS },
		{ "strategy", required_argument, NULL, O_STRATEGY },
		{ "jobs", required_argument, NULL, O_JOBS },
		{ "shard", required_argument, NULL, O_SHARD },
		{ "time-limit", required_argument, NULL, O_TIME_LIMIT },
		{ "policy", required_argument, NULL, O_POLICY },
		{ "bug", required_argument, NULL, O_BUG },
		{ "keep-going", no_argument, NULL, O_KEEP_GOING },
		{ "json", no_argument, NULL, O_JSON },
		{ "quiet", no_argument, NULL, O_QUIET },
		{ "first-seed", required_argument, NULL, O_FIRST_SEED },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	bool has_runs = false;
	unsigned long bit;
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	policy_set_default(&o->policy);
	sim_strategy_parse("random", &o->strategy);
	o->nshards = 1;
	o->first_seed = 1;
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":hj:", opts, NULL)) != -1) {
		switch (c) {
		case O_RUNS:
			if (!cli_parse_count(optarg, (uint64_t)1 << 62, &o->runs))
				return bad(err, "--runs: '%s' is not a count of runs (1 to 2^62)",
					   optarg);
			has_runs = true;
			break;
		case O_STRATEGY:
			if (cli_opt_strategy(err, CMD, optarg, &o->strategy))
				return CLI_BAD;
			o->has_strategy = true;
			break;
		case 'j':
		case O_JOBS:
			if (!cli_parse_count(optarg, EXPLORE_MAX_JOBS, &v))
				return bad(err, "-j/--jobs: '%s' is not a number of worker processes "
					   "(1 to %d)", optarg, EXPLORE_MAX_JOBS);
			o->jobs = (unsigned int)v;
			break;
		case O_SHARD:
			if (!explore_parse_shard(optarg, &o->shard, &o->nshards))
				return bad(err, "--shard: '%s' is not I/N with 0 <= I < N <= %d "
					   "(e.g. --shard 0/4 ... --shard 3/4)", optarg,
					   EXPLORE_MAX_SHARDS);
			break;
		case O_TIME_LIMIT:
			if (!cli_parse_duration(optarg, &o->time_limit_ns))
				return bad(err, "--time-limit: '%s' is not a wall time with a unit "
					   "(ms, s, min or h: 500ms, 30s, 2min)", optarg);
			break;
		case O_POLICY:
			if (cli_opt_policy(err, CMD, optarg, &o->policy))
				return CLI_BAD;
			break;
		case O_BUG:
			bit = cli_bug_by_name(optarg);
			if (!bit)
				return bad_bug(err, optarg);
			o->bugs |= bit;
			break;
		case O_KEEP_GOING:
			o->keep_going = true;
			break;
		case O_JSON:
			o->json = true;
			break;
		case O_QUIET:
			o->quiet = true;
			break;
		case O_FIRST_SEED:
			if (!cli_parse_seed(optarg, &o->first_seed))
				return bad(err, "--first-seed: '%s' is not an unsigned 64-bit number "
					   "(decimal, or hex after 0x)", optarg);
			break;
		case 'h':
		case O_HELP:
			explore_usage(stdout);
			return CLI_HELP;
		default:
			return cli_bad_getopt(err, CMD, c, argv);
		}
	}
	if (cli_opt_target(err, CMD, argc, argv, &o->target))
		return CLI_BAD;
	if (!has_runs)
		return bad(err, "how many seeds? give --runs N");
	if (o->runs - 1 > UINT64_MAX - o->first_seed)
		return bad(err, "--first-seed %llu with --runs %llu goes past the last seed "
			   "(2^64 - 1)", (unsigned long long)o->first_seed,
			   (unsigned long long)o->runs);
	return CLI_OK;
}
