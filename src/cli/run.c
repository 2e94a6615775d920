// SPDX-License-Identifier: MIT
/*
 * `iommusim run` and `iommusim list`. See run.h and docs/running.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/run.h"
#include "scenario/cli_opts.h"
#include "scenario/run.h"
#include "scenario/scenario.h"
#include "trace/diagram.h"

char *cli_resolve(const char *cmd, const char *target)
{
	char *path = NULL;
	int ret = scenario_find_shipped(target, &path);

	if (!ret)
		return path;
	if (ret == -ENOENT && access(target, F_OK) == 0)
		ret = -EINVAL;		/* a file of that name here: load it */
	if (ret == -EINVAL) {
		path = strdup(target);
		if (!path)
			abort();
		return path;
	}
	fprintf(stderr, "iommusim %s: no shipped scenario called '%s' and no such "
		"file (`iommusim list` shows the shipped ones)\n", cmd, target);
	return NULL;
}

/*
 * Write @r's schedule to @c->record_schedule, with @c's run options.
 * Return: 0, or 2 after a message.
 */
static int record_schedule(const char *cmd, const struct cli_run *c,
			   const struct run_result *r)
{
	struct sim_schedule sch = r->sched;
	FILE *f = fopen(c->record_schedule, "w");
	char *comment = NULL, strat[32];
	size_t len = 0;
	FILE *m;
	int ret;

	if (!f) {
		fprintf(stderr, "iommusim %s: --record-schedule: cannot write '%s': %s\n",
			cmd, c->record_schedule, strerror(errno));
		return 2;
	}
	m = open_memstream(&comment, &len);
	fprintf(m, "scenario %s, seed %llu, strategy %s: %s", r->scn->name,
		(unsigned long long)r->opts.seed,
		sim_strategy_format(&r->opts.strategy, strat, sizeof(strat)),
		r->violations.n ? violation_name(r->violations.v[0].id) : "no violation");
	fprintf(m, "\nreplay: iommusim replay %s --schedule %s", c->target, c->record_schedule);
	fclose(m);
	sch.noptions = cli_run_option_words(c, &sch.options);
	sch.option_lines = NULL;
	ret = sim_schedule_save(f, &sch, comment);
	cli_words_free(sch.options, sch.noptions);
	free(comment);
	if (fclose(f) || ret) {
		fprintf(stderr, "iommusim %s: --record-schedule: cannot write '%s'\n", cmd,
			c->record_schedule);
		return 2;
	}
	return 0;
}

/* A replayed schedule the run did not follow: say so. */
static void replay_note(const struct sim_schedule *sch, const struct run_result *r)
{
	if (sch->version == 1 || (!r->guide_missed && (!sch->steps || sch->steps == r->steps)))
		return;
	fprintf(stderr, "iommusim replay: note: the run left the schedule (%llu of %zu "
		"deviations could not apply; %llu steps, the schedule says %llu): the "
		"scenario or the code changed since it was recorded\n",
		(unsigned long long)r->guide_missed, sch->ndev, (unsigned long long)r->steps,
		(unsigned long long)sch->steps);
}

/*
 * Run what @c says (@cmd: "run" or "replay"), following @sch when not
 * NULL. Return: the exit status.
 */
static int run(const char *cmd, const struct cli_run *c, const struct sim_schedule *sch)
{
	struct scenario scn;
	struct run_opts ro;
	struct run_result r;
	struct expect_check *checks = NULL;
	unsigned int nchecks = 0;
	struct diag d;
	char *path = cli_resolve(cmd, c->target);
	bool pass;
	int ret;

	if (!path)
		return 2;
	/* Messages name the file as the user wrote it, a shipped one by path. */
	diag_init(&d, path);
	ret = scenario_load_file(path, &scn, &d);
	diag_fini(&d);
	if (ret) {
		scenario_free(&scn);
		free(path);
		return 2;		/* the loader printed FILE:LINE:COL: ... */
	}
	run_opts_default(&ro, &scn);
	cli_run_apply(c, &ro);
	if (sch) {
		ro.seed = sch->seed;
		sim_schedule_strategy(sch, &ro.strategy);
	}
	memset(&r, 0, sizeof(r));
	ret = run_scenario(&scn, &ro, &r);
	if (ret) {
		fprintf(stderr, "iommusim %s: %s: the run could not start (%s)\n",
			cmd, path, strerror(-ret));
		scenario_free(&scn);
		free(path);
		return 2;
	}
	pass = expect_eval(&scn, &r, &checks, &nchecks);
	if (c->json) {
		report_json(stdout, &r, checks, nchecks, pass);
		if (c->log)
			report_log(stderr, &r);
	} else {
		report_text(stdout, &r, checks, nchecks, pass);
		if (c->log) {
			printf("\nkernel log (%zu lines)\n", r.nlog);
			report_log(stdout, &r);
		}
	}
	if (c->diagram) {
		/* With --json, stdout holds the JSON document alone. */
		FILE *out = c->json ? stderr : stdout;

		fputc('\n', out);
		diagram_print(out, r.diagram, r.violations.n ? &r.violations.v[0] : NULL, 80);
	}
	fflush(stdout);
	if (sch)
		replay_note(sch, &r);
	ret = c->record_schedule ? record_schedule(cmd, c, &r) : 0;
	if (r.trace_err) {
		fprintf(stderr, "iommusim %s: --trace %s: write error: %s\n", cmd, c->trace_path,
			strerror(-r.trace_err));
		pass = false;
		ret = 2;
	}
	free(checks);
	run_result_free(&r);
	scenario_free(&scn);
	free(path);
	return ret ? ret : pass ? 0 : 1;
}

int cli_load(const char *cmd, const char *target, struct scenario *scn, char **path)
{
	struct diag d;
	int ret;

	*path = cli_resolve(cmd, target);
	if (!*path)
		return 2;
	diag_init(&d, *path);
	ret = scenario_load_file(*path, scn, &d);
	diag_fini(&d);
	if (ret) {
		scenario_free(scn);
		free(*path);
		*path = NULL;
		return 2;
	}
	return 0;
}

int cli_run_main(int argc, char **argv)
{
	struct cli_run c;
	int ret = cli_run_parse(argc, argv, &c, stderr);

	if (ret == CLI_HELP)
		return 0;
	if (ret != CLI_OK)
		return 2;
	return run("run", &c, NULL);
}

int cli_schedule_open(const char *cmd, const char *file, struct sim_schedule *sch)
{
	char err[256];
	FILE *f = fopen(file, "r");
	int ret;

	if (!f) {
		fprintf(stderr, "iommusim %s: --schedule: cannot open '%s': %s\n", cmd, file,
			strerror(errno));
		return 2;
	}
	ret = sim_schedule_load(f, sch, err, sizeof(err));
	fclose(f);
	if (ret) {
		fprintf(stderr, "%s:%s\n", file, err);
		return 2;
	}
	return 0;
}

int cli_schedule_options(const char *cmd, const char *file, const struct sim_schedule *sch,
			 struct cli_run *out)
{
	static const char *const allowed[] = { "--policy=", "--bug=", "--keep-going" };
	char **v = calloc(sch->noptions + 2, sizeof(*v));
	int ret;

	if (!v)
		abort();
	v[0] = (char *)cmd;
	for (size_t i = 0; i < sch->noptions; i++) {
		char *one[] = { (char *)cmd, sch->options[i], NULL };
		struct cli_run o;
		bool ok = false;
		char *msg = NULL;
		size_t len = 0;
		FILE *m;

		for (size_t a = 0; a < sizeof(allowed) / sizeof(allowed[0]); a++)
			ok |= !strncmp(sch->options[i], allowed[a], strlen(allowed[a])) &&
			      (a < 2 || !sch->options[i][strlen(allowed[a])]);
		if (!ok) {
			fprintf(stderr, "%s:%u:8: 'option %s': a schedule carries only "
				"--policy=K=V, --bug=NAME and --keep-going\n", file,
				sch->option_lines[i], sch->options[i]);
			free(v);
			return 2;
		}
		m = open_memstream(&msg, &len);
		ret = cli_run_parse_options(cmd, 2, one, &o, m);
		fclose(m);
		if (ret != CLI_OK) {
			fprintf(stderr, "%s:%u:8: %s", file, sch->option_lines[i], msg);
			free(msg);
			free(v);
			return 2;
		}
		free(msg);
		v[i + 1] = sch->options[i];
	}
	ret = cli_run_parse_options(cmd, (int)sch->noptions + 1, v, out, stderr);
	free(v);
	return ret == CLI_OK ? 0 : 2;
}

void cli_run_merge_under(struct cli_run *c, const struct cli_run *under)
{
	for (unsigned int k = 0; k < POLICY_NR; k++) {
		if (policy_is_given(&c->policy, k) || !policy_is_given(&under->policy, k))
			continue;
		c->policy.v[k] = under->policy.v[k];
		c->policy.given |= 1u << k;
	}
	c->bugs |= under->bugs;
	c->keep_going |= under->keep_going;
}

int cli_replay_main(int argc, char **argv)
{
	struct sim_schedule sch;
	struct cli_run c, fo;
	int ret = cli_replay_parse(argc, argv, &c, stderr);

	if (ret == CLI_HELP)
		return 0;
	if (ret != CLI_OK)
		return 2;
	if (!c.schedule)
		return run("replay", &c, NULL);
	if (cli_schedule_open("replay", c.schedule, &sch))
		return 2;
	ret = cli_schedule_options("replay", c.schedule, &sch, &fo);
	if (!ret) {
		cli_run_merge_under(&c, &fo);
		ret = run("replay", &c, &sch);
	}
	sim_schedule_free(&sch);
	return ret;
}

int cli_flagship_main(void (*usage)(FILE *f))
{
	char *path = NULL;
	char *argv[] = { "run", "flagship", NULL };

	if (scenario_find_shipped("flagship", &path)) {
		usage(stderr);
		fprintf(stderr, "\niommusim: with no command, iommusim runs the shipped "
			"scenario 'flagship',\nbut there is no scenarios/flagship.yaml "
			"(`iommusim list` shows what there is)\n");
		return 2;
	}
	free(path);
	return cli_run_main(2, argv);
}

static void list_policies(void)
{
	printf("\npolicies (--policy K=V, or policy: in a scenario)\n");
	for (unsigned int k = 0; k < POLICY_NR; k++) {
		const struct policy_info *pi = policy_info(k);

		printf("  %s =", pi->name);
		for (unsigned int v = 0; v < pi->nvalues; v++)
			printf("%s %s", v ? " |" : "", pi->values[v]);
		printf(" (default %s)  %s\n", pi->values[pi->def], pi->desc);
	}
}

int cli_list_main(int argc, char **argv)
{
	char **names = NULL;
	size_t n = 0, width = 0;

	if (argc > 1) {
		fprintf(stderr, "iommusim list: no arguments, please (got '%s')\n"
			"usage: iommusim list\n", argv[1]);
		return 2;
	}
	scenario_list_shipped(&names, &n);
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) > width)
			width = strlen(names[i]);
	printf("scenarios (iommusim run NAME)\n");
	if (!n)
		printf("  (none found in ./scenarios or the source tree's scenarios/)\n");
	for (size_t i = 0; i < n; i++) {
		struct scenario scn;
		struct diag d;
		char *path = NULL;

		if (scenario_find_shipped(names[i], &path)) {
			printf("  %-*s  (cannot be found again)\n", (int)width, names[i]);
			continue;
		}
		diag_init(&d, path);
		diag_set_sink(&d, NULL);
		if (scenario_load_file(path, &scn, &d))
			printf("  %-*s  (does not load: %s)\n", (int)width, names[i],
			       diag_message(&d, 0) ? diag_message(&d, 0) : "error");
		else
			printf("  %-*s  %s\n", (int)width, names[i],
			       *scn.description ? scn.description : "(no description)");
		scenario_free(&scn);
		diag_fini(&d);
		free(path);
	}
	scenario_free_names(names, n);
	list_policies();
	return 0;
}
