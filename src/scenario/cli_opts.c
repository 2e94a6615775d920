// SPDX-License-Identifier: MIT
/*
 * `iommusim run` options. See cli_opts.h and docs/running.md.
 */
#include "scenario/cli_opts.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/iommu.h"
#include "drivers/arm-smmu-v3/arm-smmu-v3.h"
#include "scenario/run.h"

/* The bug switches, in bit order: each re-creates a known bug (--bug). */
static const struct {
	const char *name;
	unsigned long bit;
} bugs[] = {
	{ "failed-reset-unblocks", IOMMU_BUG_FAILED_RESET_UNBLOCKS },
	{ "probe-reset-touches-iommu", IOMMU_BUG_PROBE_RESET_TOUCHES },
	{ "stale-broken-report", IOMMU_BUG_STALE_BROKEN_REPORT },
	{ "cmdq-unlock-resets-lock", ARM_SMMU_BUG_CMDQ_UNLOCK_RESETS },
	{ "cmdq-wait-not-full", ARM_SMMU_BUG_CMDQ_WAIT_NOT_FULL },
	{ "sync-bit-not-cleared", ARM_SMMU_BUG_SYNC_BIT_NOT_CLEARED },
};
#define NBUGS (sizeof(bugs) / sizeof(bugs[0]))

static const char *const bug_names[NBUGS + 1] = {
	"failed-reset-unblocks",
	"probe-reset-touches-iommu",
	"stale-broken-report",
	"cmdq-unlock-resets-lock",
	"cmdq-wait-not-full",
	"sync-bit-not-cleared",
	NULL,
};

const char *const *cli_bug_names(void)
{
	return bug_names;
}

unsigned long cli_bug_by_name(const char *name)
{
	for (size_t i = 0; i < NBUGS; i++)
		if (name && !strcmp(bugs[i].name, name))
			return bugs[i].bit;
	return 0;
}

const char *cli_bug_name(unsigned long bit)
{
	for (size_t i = 0; i < NBUGS; i++)
		if (bugs[i].bit == bit)
			return bugs[i].name;
	return NULL;
}

bool cli_parse_seed(const char *text, uint64_t *out)
{
	const char *digits = text;
	unsigned long long v;
	char *end;
	int base = 10;

	if (!text || !*text)
		return false;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		digits = text + 2;
		base = 16;
	}
	/* strtoull() would take a sign, spaces or an empty number. */
	if (!*digits)
		return false;
	for (const char *p = digits; *p; p++)
		if (base == 16 ? !isxdigit((unsigned char)*p) : !isdigit((unsigned char)*p))
			return false;
	errno = 0;
	v = strtoull(digits, &end, base);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/* Which command is parsing: messages name it (getopt is not reentrant either). */
static const char *cli_cmd = "iommusim run";

void cli_run_usage(FILE *f)
{
	fputs("usage: iommusim run FILE|NAME [--seed N] [--strategy random|pct:D|rr]\n"
	      "                    [--policy K=V]... [--json] [--log] [--keep-going]\n"
	      "                    [--bug NAME]... [--trace OUT.json] [--diagram]\n"
	      "\n"
	      "  FILE|NAME        a scenario file, or the name of a shipped scenario\n"
	      "                   (`iommusim list` shows them)\n"
	      "  --seed N         seed of the run (decimal or 0x hex), instead of the\n"
	      "                   scenario's\n"
	      "  --strategy S     scheduling: random (default), pct:D (D 1..16), rr\n"
	      "  --policy K=V     a policy over the scenario's (repeatable)\n"
	      "  --json           the report as one JSON document, alone on stdout\n"
	      "  --log            the kernel log after the report (to stderr with --json)\n"
	      "  --keep-going     run to the end instead of stopping at the first violation\n"
	      "  --bug NAME       put back the code of a known bug (repeatable; these\n"
	      "                   switches exist only to reproduce the bugs, see\n"
	      "                   docs/zoo.md; all are off by default):\n"
	      "    failed-reset-unblocks     a failed reset unblocks the device\n"
	      "    probe-reset-touches-iommu a probe-mode reset blocks the device\n"
	      "    stale-broken-report       a pre-reset broken report outlives the reset\n"
	      "    cmdq-unlock-resets-lock   CMDQ exclusive unlock sets the lock word to 0,\n"
	      "                              erasing waiting shared lockers (pre-2025)\n"
	      "    cmdq-wait-not-full        wait for CMDQ 'not full' instead of n free\n"
	      "                              slots: no 'CMDQ timeout' (pre-2025)\n"
	      "    sync-bit-not-cleared      atc_sync_timeouts bit not cleared before the\n"
	      "                              CMD_SYNC slot is published\n"
	      "  --trace OUT.json the run as Chrome Trace Event JSON, for ui.perfetto.dev\n"
	      "                   or chrome://tracing (written as the run goes)\n"
	      "  --diagram        after the report, the interleaving that led to the\n"
	      "                   first violation, as CPU columns (80 characters wide)\n"
	      "  --record-schedule FILE  write the run's schedule (its deviations from\n"
	      "                   the default order) for `iommusim replay --schedule`\n"
	      "\n"
	      "Exit status: 0 every check holds (PASS), 1 a check failed (FAIL),\n"
	      "2 bad usage or bad input.\n", f);
}

int cli_bad(FILE *err, const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(err, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fprintf(err, "\n(%s --help for the usage)\n", cmd);
	return CLI_BAD;
}

int cli_bad_bug(FILE *err, const char *cmd, const char *name)
{
	fprintf(err, "%s: --bug: unknown bug switch '%s' (expected one of:", cmd, name);
	for (size_t i = 0; i < NBUGS; i++)
		fprintf(err, "%s %s", i ? "," : "", bugs[i].name);
	fputs(")\n", err);
	return CLI_BAD;
}

int cli_bad_getopt(FILE *err, const char *cmd, int c, char **argv)
{
	if (c == ':')
		return cli_bad(err, cmd, "%s: missing value", argv[optind - 1]);
	return cli_bad(err, cmd, "unknown option '%s'", argv[optind - 1]);
}

int cli_opt_target(FILE *err, const char *cmd, int argc, char **argv, const char **target)
{
	if (optind >= argc)
		return cli_bad(err, cmd, "no scenario: give a FILE or the NAME of a shipped one");
	if (optind + 1 != argc)
		return cli_bad(err, cmd, "one scenario at a time (got '%s' and '%s')",
			       argv[optind], argv[optind + 1]);
	*target = argv[optind];
	return 0;
}

int cli_opt_seed(FILE *err, const char *cmd, const char *arg, uint64_t *out)
{
	if (cli_parse_seed(arg, out))
		return 0;
	return cli_bad(err, cmd, "--seed: '%s' is not an unsigned 64-bit number "
		       "(decimal, or hex after 0x)", arg);
}

int cli_opt_strategy(FILE *err, const char *cmd, const char *arg, struct sim_strategy *out)
{
	if (!sim_strategy_parse(arg, out))
		return 0;
	return cli_bad(err, cmd, "--strategy: invalid value '%s' (expected one of: "
		       "random, rr, pct:D with D from 1 to 16)", arg);
}

int cli_opt_policy(FILE *err, const char *cmd, const char *arg, struct policy_set *set)
{
	char msg[POLICY_FORMAT_BUFSZ];

	if (!policy_set_apply(set, arg, msg, sizeof(msg)))
		return 0;
	return cli_bad(err, cmd, "--policy: %s", msg);
}

#define bad(err, ...)		cli_bad(err, cli_cmd, __VA_ARGS__)
#define bad_bug(err, name)	cli_bad_bug(err, cli_cmd, name)

/* What the shared parser parses for. */
enum cli_mode {
	CLI_MODE_RUN,		/* iommusim run */
	CLI_MODE_REPLAY,	/* iommusim replay: also --schedule */
	CLI_MODE_OPTIONS,	/* options alone, no FILE|NAME */
};

static void cli_replay_usage(FILE *f);

/* The parser of `run`, `replay` and a schedule file's options. */
static int cli_parse(enum cli_mode mode, int argc, char **argv, struct cli_run *o, FILE *err)
{
	enum { O_SEED = 256, O_STRATEGY, O_POLICY, O_JSON, O_LOG, O_KEEP_GOING,
	       O_BUG, O_TRACE, O_DIAGRAM, O_HELP };
	enum { O_SCHEDULE = 512, O_RECORD_SCHEDULE };
	static const struct option opts[] = {
		{ "schedule", required_argument, NULL, O_SCHEDULE },
		{ "record-schedule", required_argument, NULL, O_RECORD_SCHEDULE },
		{ "seed", required_argument, NULL, O_SEED },
		{ "strategy", required_argument, NULL, O_STRATEGY },
		{ "policy", required_argument, NULL, O_POLICY },
		{ "json", no_argument, NULL, O_JSON },
		{ "log", no_argument, NULL, O_LOG },
		{ "keep-going", no_argument, NULL, O_KEEP_GOING },
		{ "bug", required_argument, NULL, O_BUG },
		{ "trace", required_argument, NULL, O_TRACE },
		{ "diagram", no_argument, NULL, O_DIAGRAM },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long bit;
	int c;

	memset(o, 0, sizeof(*o));
	policy_set_default(&o->policy);
	opterr = 0;
	optind = 0;	/* glibc: start afresh (tests parse many times) */
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case O_SCHEDULE:
			if (mode != CLI_MODE_REPLAY)
				return bad(err, "--schedule: only `iommusim replay` and "
					   "`iommusim shrink` follow a schedule file");
			o->schedule = optarg;
			break;
		case O_RECORD_SCHEDULE:
			o->record_schedule = optarg;
			break;
		case O_SEED:
			if (cli_opt_seed(err, cli_cmd, optarg, &o->seed))
				return CLI_BAD;
			o->has_seed = true;
			break;
		case O_STRATEGY:
			if (cli_opt_strategy(err, cli_cmd, optarg, &o->strategy))
				return CLI_BAD;
			o->has_strategy = true;
			break;
		case O_POLICY:
			if (cli_opt_policy(err, cli_cmd, optarg, &o->policy))
				return CLI_BAD;
			break;
		case O_JSON:
			o->json = true;
			break;
		case O_LOG:
			o->log = true;
			break;
		case O_KEEP_GOING:
			o->keep_going = true;
			break;
		case O_BUG:
			bit = cli_bug_by_name(optarg);
			if (!bit)
				return bad_bug(err, optarg);
			o->bugs |= bit;
			break;
		case O_TRACE:
			if (!*optarg)
				return bad(err, "--trace: empty file name");
			o->trace_path = optarg;
			break;
		case O_DIAGRAM:
			o->diagram = true;
			break;
		case 'h':
		case O_HELP:
			if (mode == CLI_MODE_REPLAY)
				cli_replay_usage(stdout);
			else
				cli_run_usage(stdout);
			return CLI_HELP;
		default:
			return cli_bad_getopt(err, cli_cmd, c, argv);
		}
	}
	if (mode == CLI_MODE_OPTIONS) {
		if (optind < argc)
			return bad(err, "'%s': not an option", argv[optind]);
		return CLI_OK;
	}
	if (cli_opt_target(err, cli_cmd, argc, argv, &o->target))
		return CLI_BAD;
	return CLI_OK;
}

int cli_run_parse(int argc, char **argv, struct cli_run *o, FILE *err)
{
	cli_cmd = "iommusim run";
	return cli_parse(CLI_MODE_RUN, argc, argv, o, err);
}

static void cli_replay_usage(FILE *f)
{
	fputs("usage: iommusim replay FILE|NAME --seed N [--strategy random|pct:D|rr]\n"
	      "                       [run options]\n"
	      "       iommusim replay FILE|NAME --schedule SCHEDULE [run options]\n"
	      "\n"
	      "Replays one run exactly: from its seed and strategy (what `iommusim\n"
	      "explore` prints), or from a schedule file (`--record-schedule`, `iommusim\n"
	      "shrink --out`), whose seed and run options (--policy, --bug) apply first,\n"
	      "under any given here.  The run options are those of `iommusim run`:\n"
	      "\n", f);
	cli_run_usage(f);
}

int cli_replay_parse(int argc, char **argv, struct cli_run *o, FILE *err)
{
	int ret;

	cli_cmd = "iommusim replay";
	ret = cli_parse(CLI_MODE_REPLAY, argc, argv, o, err);
	if (ret != CLI_OK)
		return ret;
	if (o->schedule && o->has_seed)
		return bad(err, "--seed and --schedule exclude each other (a schedule "
			   "file carries the seed of its run)");
	if (o->schedule && o->has_strategy)
		return bad(err, "--strategy and --schedule exclude each other (the "
			   "schedule says every choice)");
	if (!o->schedule && !o->has_seed)
		return bad(err, "which run? give --seed N (with the --strategy it ran "
			   "under) or --schedule FILE");
	return CLI_OK;
}

int cli_run_parse_options(const char *cmd, int argc, char **argv, struct cli_run *o,
			  FILE *err)
{
	static char name[48];

	snprintf(name, sizeof(name), "iommusim %s", cmd);
	cli_cmd = name;
	return cli_parse(CLI_MODE_OPTIONS, argc, argv, o, err);
}

static char *word(const char *fmt, const char *a, const char *b)
{
	char *w = NULL;

	if (asprintf(&w, fmt, a, b) < 0)
		abort();
	return w;
}

size_t cli_run_option_words(const struct cli_run *c, char ***words)
{
	char **w = calloc(POLICY_NR + NBUGS + 2, sizeof(*w));
	size_t n = 0;

	if (!w)
		abort();
	for (unsigned int k = 0; k < POLICY_NR; k++)
		if (policy_is_given(&c->policy, k))
			w[n++] = word("--policy=%s=%s", policy_info(k)->name,
				      policy_get_name(&c->policy, k));
	for (size_t i = 0; i < NBUGS; i++)
		if (c->bugs & bugs[i].bit)
			w[n++] = word("--bug=%s%s", bugs[i].name, "");
	if (c->keep_going)
		w[n++] = word("--keep-going%s%s", "", "");
	*words = w;
	return n;
}

void cli_words_free(char **words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(words[i]);
	free(words);
}

void cli_format_run_options(FILE *f, const struct policy_set *p, unsigned long bug_bits)
{
	for (unsigned int k = 0; k < POLICY_NR; k++)
		if (policy_is_given(p, k))
			fprintf(f, " --policy %s=%s", policy_info(k)->name, policy_get_name(p, k));
	for (size_t i = 0; i < NBUGS; i++)
		if (bug_bits & bugs[i].bit)
			fprintf(f, " --bug %s", bugs[i].name);
}

void cli_run_apply(const struct cli_run *c, struct run_opts *ro)
{
	if (c->has_seed)
		ro->seed = c->seed;
	if (c->has_strategy) {
		uint64_t horizon = ro->strategy.pct_horizon;

		ro->strategy = c->strategy;
		if (!ro->strategy.pct_horizon)
			ro->strategy.pct_horizon = horizon;
	}
	for (unsigned int k = 0; k < POLICY_NR; k++) {
		if (!policy_is_given(&c->policy, k))
			continue;
		ro->policy.v[k] = c->policy.v[k];
		ro->policy.given |= 1u << k;
	}
	ro->bugs |= c->bugs;
	if (c->keep_going)
		ro->keep_going = true;
	if (c->trace_path)
		ro->trace_path = c->trace_path;
	if (c->diagram)
		ro->diagram = true;
}
