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

/*
 * The file of FILE|NAME: a bare name is a shipped scenario, else a path.
 * Return: a malloc()ed path, or NULL after a message.
 */
static char *resolve(const char *target)
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
	fprintf(stderr, "iommusim run: no shipped scenario called '%s' and no such "
		"file (`iommusim list` shows the shipped ones)\n", target);
	return NULL;
}

/* Run what @c says. Return: the exit status. */
static int run(const struct cli_run *c)
{
	struct scenario scn;
	struct run_opts ro;
	struct run_result r;
	struct expect_check *checks = NULL;
	unsigned int nchecks = 0;
	struct diag d;
	char *path = resolve(c->target);
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
	memset(&r, 0, sizeof(r));
	ret = run_scenario(&scn, &ro, &r);
	if (ret) {
		fprintf(stderr, "iommusim run: %s: the run could not start (%s)\n",
			path, strerror(-ret));
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
	if (r.trace_err) {
		fprintf(stderr, "iommusim run: --trace %s: write error: %s\n", c->trace_path,
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

int cli_run_main(int argc, char **argv)
{
	struct cli_run c;
	int ret = cli_run_parse(argc, argv, &c, stderr);

	if (ret == CLI_HELP)
		return 0;
	if (ret != CLI_OK)
		return 2;
	return run(&c);
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
