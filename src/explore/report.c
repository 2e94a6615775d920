// SPDX-License-Identifier: MIT
/*
 * The summary of a campaign (report.h).
 */
#include "explore/report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX_FAILS	20

void explore_replay_command(FILE *f, const struct explore_opts *o, uint64_t seed)
{
	char strat[32];

	fputs("iommusim replay ", f);
	cli_shell_word(f, o->target);
	fprintf(f, " --seed %llu --strategy %s", (unsigned long long)seed,
		sim_strategy_format(&o->strategy, strat, sizeof(strat)));
	cli_format_run_options(f, &o->policy, o->bugs);
}

void explore_describe_run(FILE *f, const struct explore_result *r)
{
	bool any = false;

	if (r->status == EXPLORE_CRASHED) {
		fputs(r->failed, f);
		return;
	}
	if (r->status == EXPLORE_NOSTART) {
		fputs("the run could not start (the platform could not be built)", f);
		return;
	}
	for (unsigned int v = 0; v < V_NR; v++) {
		if (!r->count[v])
			continue;
		fprintf(f, "%s%s", any ? ", " : "", violation_name(v));
		if (r->count[v] > 1)
			fprintf(f, " x%u", r->count[v]);
		any = true;
	}
	if (!any)
		fputs("no violation", f);
	if (r->nfailed)
		fprintf(f, "; %u check%s failed%s %s", r->nfailed, r->nfailed == 1 ? "" : "s",
			r->nfailed == 1 ? ":" : ", first:", r->failed);
}

static void text_header(FILE *f, const struct explore_opts *o, const struct scenario *scn,
			const struct explore_plan *plan, const struct explore_summary *sum)
{
	char strat[32];
	bool first = true;

	fprintf(f, "explore %s: seeds %llu..%llu, strategy %s", scn->name,
		(unsigned long long)plan->first_seed,
		(unsigned long long)(plan->first_seed + plan->runs - 1),
		sim_strategy_format(&o->strategy, strat, sizeof(strat)));
	for (unsigned int k = 0; k < POLICY_NR; k++) {
		if (!policy_is_given(&o->policy, k))
			continue;
		fprintf(f, "%s%s=%s", first ? ", policy " : " ", policy_info(k)->name,
			policy_get_name(&o->policy, k));
		first = false;
	}
	for (const char *const *b = cli_bug_names(); *b; b++)
		if (o->bugs & cli_bug_by_name(*b))
			fprintf(f, ", --bug %s", *b);
	fputc('\n', f);
	if (plan->nshards > 1)
		fprintf(f, "shard %u/%u: the seeds %llu + %u + k*%u (%llu runs)\n", plan->shard,
			plan->nshards, (unsigned long long)plan->first_seed, plan->shard,
			plan->nshards, (unsigned long long)sum->planned);
}

static void text_stop(FILE *f, const struct explore_summary *sum)
{
	fprintf(f, "runs: %llu of %llu", (unsigned long long)sum->runs,
		(unsigned long long)sum->planned);
	switch (sum->stop) {
	case EXPLORE_COMPLETE:
		break;
	case EXPLORE_FIRST_FAILURE:
		fprintf(f, " (stopped at the lowest failing seed, %llu)",
			(unsigned long long)sum->fails[0].seed);
		break;
	case EXPLORE_TIME_LIMIT:
		fputs(" (the time limit stopped new runs)", f);
		break;
	}
	fprintf(f, "; %llu passed, %llu failed\n",
		(unsigned long long)(sum->runs - sum->failed), (unsigned long long)sum->failed);
}

void explore_report_text(FILE *f, const struct explore_opts *o, const struct scenario *scn,
			 const struct explore_plan *plan, const struct explore_summary *sum)
{
	bool any = false;
	double secs = (double)sum->wall_ns / 1e9;

	text_header(f, o, scn, plan, sum);
	text_stop(f, sum);
	for (unsigned int v = 0; v < V_NR; v++) {
		if (!sum->runs_with[v])
			continue;
		fprintf(f, "%s%s in %llu run%s (%llu in all)", any ? "; " : "violations: ",
			violation_name(v), (unsigned long long)sum->runs_with[v],
			sum->runs_with[v] == 1 ? "" : "s", (unsigned long long)sum->total[v]);
		any = true;
	}
	fputs(any ? "\n" : "violations: none\n", f);
	if (sum->nfails)
		fprintf(f, "failing runs:\n");
	for (size_t i = 0; i < sum->nfails && i < TEXT_MAX_FAILS; i++) {
		fprintf(f, "  seed %llu: ", (unsigned long long)sum->fails[i].seed);
		explore_describe_run(f, &sum->fails[i]);
		fputs("\n    ", f);
		explore_replay_command(f, o, sum->fails[i].seed);
		fputc('\n', f);
	}
	if (sum->nfails > TEXT_MAX_FAILS)
		fprintf(f, "  ... and %zu more (--json lists every one)\n",
			sum->nfails - TEXT_MAX_FAILS);
	fprintf(f, "%s\n", sum->failed ? "FAIL" : "PASS");
	fprintf(f, "wall: %.2f s, %.1f runs/s, %u worker process%s, %llu runs started\n", secs,
		secs > 0 ? (double)sum->started / secs : 0.0, sum->jobs,
		sum->jobs == 1 ? "" : "es", (unsigned long long)sum->started);
}

/* ---- JSON ---- */

static json_t *ju64(uint64_t v)
{
	char buf[24];

	if (v <= (uint64_t)INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	return json_string(buf);
}

static void set(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v ? v : json_null());
}

/* The text @fn prints, as a JSON string. */
static json_t *jprinted(void (*fn)(FILE *, const void *, uint64_t), const void *a, uint64_t b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	json_t *j;

	fn(m, a, b);
	fclose(m);
	j = json_stringn(buf, len);
	free(buf);
	return j;
}

static void print_replay(FILE *f, const void *o, uint64_t seed)
{
	explore_replay_command(f, o, seed);
}

static void print_describe(FILE *f, const void *r, uint64_t unused)
{
	explore_describe_run(f, r);
}

static json_t *json_fail(const struct explore_opts *o, const struct explore_result *r)
{
	static const char *const status[] = { "ran", "could-not-start", "worker-died" };
	json_t *e = json_object(), *v = json_object();

	set(e, "seed", ju64(r->seed));
	set(e, "status", json_string(status[r->status]));
	if (r->status == EXPLORE_RAN) {
		set(e, "end", json_string(sim_end_name(r->end)));
		set(e, "steps", ju64(r->steps));
		set(e, "virtual_time_ns", ju64(r->vtime));
	}
	for (unsigned int k = 0; k < V_NR; k++)
		if (r->count[k])
			set(v, violation_name(k), ju64(r->count[k]));
	set(e, "violations", v);
	set(e, "first_violation", r->first_violation >= 0 ?
	    json_string(violation_name(r->first_violation)) : json_null());
	set(e, "failed_checks", ju64(r->nfailed));
	set(e, "what", jprinted(print_describe, r, 0));
	set(e, "replay", jprinted(print_replay, o, r->seed));
	return e;
}

void explore_report_json(FILE *f, const struct explore_opts *o, const struct scenario *scn,
			 const struct explore_plan *plan, const struct explore_summary *sum)
{
	json_t *doc = json_object(), *pol = json_object(), *bugs = json_array();
	json_t *sh = json_object(), *viol = json_object(), *fails = json_array();
	json_t *wall = json_object();
	double secs = (double)sum->wall_ns / 1e9;
	char strat[32];

	set(doc, "command", json_string("explore"));
	set(doc, "scenario", json_string(scn->name));
	set(doc, "target", json_string(o->target));
	set(doc, "strategy", json_string(sim_strategy_format(&o->strategy, strat, sizeof(strat))));
	for (unsigned int k = 0; k < POLICY_NR; k++)
		if (policy_is_given(&o->policy, k))
			set(pol, policy_info(k)->name, json_string(policy_get_name(&o->policy, k)));
	set(doc, "policy", pol);
	for (const char *const *b = cli_bug_names(); *b; b++)
		if (o->bugs & cli_bug_by_name(*b))
			json_array_append_new(bugs, json_string(*b));
	set(doc, "bugs", bugs);
	set(doc, "first_seed", ju64(plan->first_seed));
	set(doc, "campaign_runs", ju64(plan->runs));
	set(sh, "index", ju64(plan->shard));
	set(sh, "count", ju64(plan->nshards));
	set(doc, "shard", sh);
	set(doc, "keep_going", json_boolean(o->keep_going));
	set(doc, "planned", ju64(sum->planned));
	set(doc, "runs", ju64(sum->runs));
	set(doc, "passed", ju64(sum->runs - sum->failed));
	set(doc, "failed", ju64(sum->failed));
	set(doc, "stopped", json_string(explore_stop_name(sum->stop)));
	set(doc, "steps", ju64(sum->steps));
	for (unsigned int v = 0; v < V_NR; v++) {
		json_t *e;

		if (!sum->runs_with[v])
			continue;
		e = json_object();
		set(e, "runs", ju64(sum->runs_with[v]));
		set(e, "count", ju64(sum->total[v]));
		set(viol, violation_name(v), e);
	}
	set(doc, "violations", viol);
	for (size_t i = 0; i < sum->nfails; i++)
		json_array_append_new(fails, json_fail(o, &sum->fails[i]));
	set(doc, "failing", fails);
	set(wall, "seconds", json_real(secs));
	set(wall, "runs_per_second", json_real(secs > 0 ? (double)sum->started / secs : 0.0));
	set(wall, "jobs", ju64(sum->jobs));
	set(wall, "started", ju64(sum->started));
	set(doc, "wall", wall);
	json_dumpf(doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(doc);
}
