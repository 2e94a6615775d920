// SPDX-License-Identifier: MIT
/*
 * Running one zoo entry (see zoo.h): the bug's search and the fixed
 * counterpart's check, through the same runner `iommusim run` uses.
 */
#include "zoo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scenario/cli_opts.h"
#include "scenario/diag.h"
#include "scenario/policy.h"
#include "scenario/run.h"
#include "scenario/scenario.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run options for one run: the scenario's, then the overrides. */
static int zoo_opts(const struct scenario *scn, const char *const *pol, const char *const *bugs,
		    const char *strategy, uint64_t seed, struct run_opts *o, char *err,
		    size_t len)
{
	char msg[POLICY_FORMAT_BUFSZ];

	run_opts_default(o, scn);
	o->seed = seed;
	if (sim_strategy_parse(strategy, &o->strategy)) {
		snprintf(err, len, "bad strategy %s", strategy);
		return -EINVAL;
	}
	for (int i = 0; i < ZOO_MAX_OVR && pol[i]; i++)
		if (policy_set_apply(&o->policy, pol[i], msg, sizeof(msg))) {
			snprintf(err, len, "policy %s: %.100s", pol[i], msg);
			return -EINVAL;
		}
	for (int i = 0; i < ZOO_MAX_OVR && bugs[i]; i++) {
		unsigned long bit = cli_bug_by_name(bugs[i]);

		if (!bit) {
			snprintf(err, len, "unknown bug switch %s", bugs[i]);
			return -EINVAL;
		}
		o->bugs |= bit;
	}
	return 0;
}

/*
 * Whether @r shows one of @e's wanted consequences (named into @what);
 * *@nviol is set to the run's violation count.
 */
static bool zoo_detects(const struct zoo_entry *e, const struct scenario *scn,
			const struct run_result *r, char *what, size_t len, size_t *nviol)
{
	struct expect_check *checks = NULL;
	unsigned int nchecks = 0;
	bool hit = false;

	*nviol = r->violations.n;
	for (int w = 0; w < ZOO_MAX_WANT && e->want[w] && !hit; w++) {
		const char *want = e->want[w];

		if (!strncmp(want, "expect:", 7)) {
			if (!checks)
				expect_eval(scn, r, &checks, &nchecks);
			for (unsigned int i = 0; i < nchecks && !hit; i++)
				if (!checks[i].ok && !strncmp(checks[i].what, want + 7, strlen(want + 7))) {
					snprintf(what, len, "%s", checks[i].what);
					hit = true;
				}
			continue;
		}
		for (size_t i = 0; i < r->violations.n && !hit; i++)
			if (!strcmp(violation_name(r->violations.v[i].id), want)) {
				snprintf(what, len, "%s", want);
				hit = true;
			}
	}
	free(checks);
	return hit;
}

/* One run; 1 detected, 0 not, -1 error (in res->error). */
static int zoo_run_one(const struct zoo_entry *e, const struct scenario *scn, bool fixed,
		       const char *strategy, uint64_t seed, struct zoo_result *res, char *what,
		       size_t len, size_t *nviol)
{
	struct run_opts o;
	struct run_result r;
	bool hit;

	if (zoo_opts(scn, fixed ? e->fixed_policy : e->bug_policy,
		     fixed ? e->fixed_bugs : e->bug_bugs, strategy, seed, &o, res->error,
		     sizeof(res->error)))
		return -1;
	if (run_scenario(scn, &o, &r)) {
		snprintf(res->error, sizeof(res->error), "%s: the platform could not be built",
			 e->scenario);
		return -1;
	}
	hit = zoo_detects(e, scn, &r, what, len, nviol);
	if (!hit && *nviol && fixed)
		snprintf(what, len, "%s", violation_name(r.violations.v[0].id));
	run_result_free(&r);
	return hit;
}

/* Load @e's scenario into @scn; 0, or the status to report. */
static enum zoo_status zoo_load(const struct zoo_entry *e, struct scenario *scn,
				struct zoo_result *res)
{
	struct diag d;
	char *path = NULL;
	int ret;

	if (scenario_find_shipped(e->scenario, &path))
		return ZOO_MISSING;
	diag_init(&d, path);
	ret = scenario_load_file(path, scn, &d);
	diag_fini(&d);
	if (ret)
		snprintf(res->error, sizeof(res->error), "%s does not load", path);
	free(path);
	return ret ? ZOO_ERROR : ZOO_FOUND;
}

/* The fixed counterpart over seeds 1..@runs into @res; false on error. */
static bool zoo_fixed_runs(const struct zoo_entry *e, const struct scenario *scn,
			   const char *strategy, unsigned int runs, struct zoo_result *res)
{
	size_t nviol;

	for (uint64_t seed = 1; seed <= runs; seed++) {
		char what[96] = "";
		int ret = zoo_run_one(e, scn, true, strategy, seed, res, what, sizeof(what), &nviol);

		if (ret < 0)
			return false;
		res->fixed_runs++;
		if (!ret && !nviol)
			res->fixed_clean++;
		else if (!res->fixed_found[0])
			snprintf(res->fixed_found, sizeof(res->fixed_found), "seed %llu: %s",
				 (unsigned long long)seed, what);
	}
	return true;
}

/** zoo_search() - see zoo.h. */
void zoo_search(const struct zoo_entry *e, const char *strategy, unsigned int max_runs,
		double max_wall_s, struct zoo_result *res)
{
	struct scenario scn;
	size_t nviol;
	double t0;
	int ret;

	memset(res, 0, sizeof(*res));
	res->status = zoo_load(e, &scn, res);
	if (res->status != ZOO_FOUND)
		return;
	res->status = ZOO_NOT_FOUND;
	t0 = now_s();
	for (uint64_t seed = 1; seed <= max_runs; seed++) {
		ret = zoo_run_one(e, &scn, false, strategy, seed, res, res->found,
				  sizeof(res->found), &nviol);
		if (ret < 0) {
			res->status = ZOO_ERROR;
			goto out;
		}
		res->runs = (unsigned int)seed;
		res->wall_s = now_s() - t0;
		if (ret) {
			res->status = ZOO_FOUND;
			break;
		}
		if (res->wall_s > max_wall_s)
			break;
	}
	if (!zoo_fixed_runs(e, &scn, strategy, res->runs, res))
		res->status = ZOO_ERROR;
out:
	scenario_free(&scn);
}

/** zoo_fixed() - see zoo.h. */
void zoo_fixed(const struct zoo_entry *e, const char *strategy, unsigned int runs,
	       struct zoo_result *res)
{
	struct scenario scn;

	memset(res, 0, sizeof(*res));
	res->status = zoo_load(e, &scn, res);
	if (res->status != ZOO_FOUND)
		return;
	if (!zoo_fixed_runs(e, &scn, strategy, runs, res))
		res->status = ZOO_ERROR;
	scenario_free(&scn);
}

/** zoo_status_name() - see zoo.h. */
const char *zoo_status_name(enum zoo_status s)
{
	static const char *const n[] = { "found", "not found", "scenario missing", "error" };

	return s <= ZOO_ERROR ? n[s] : "?";
}
