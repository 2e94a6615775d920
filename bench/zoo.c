// SPDX-License-Identifier: MIT
/*
 * bench/zoo: the known-bug benchmark (issue #7, docs/zoo.md).  For every
 * catalogue entry (zoo_catalogue.c) and each strategy (random, pct:3):
 * seeds 1.. until the first run showing the bug's consequence, within the
 * entry's budget of runs and wall seconds; the runs and wall seconds to
 * first detection; then the fixed counterpart over the same number of runs
 * and how many were clean.  Figures only, never asserted.
 *
 *   zoo [--json] [NAME...]     (run from the source tree; NAME: entries to run)
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "zoo.h"

static bool wanted(const char *name, int argc, char **argv, int first)
{
	if (first >= argc)
		return true;
	for (int i = first; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

static void row_text(const struct zoo_entry *e, const char *strategy, const struct zoo_result *r)
{
	char det[64], fixed[48];

	switch (r->status) {
	case ZOO_FOUND:
		snprintf(det, sizeof(det), "run %u, %.3f s", r->runs, r->wall_s);
		break;
	case ZOO_NOT_FOUND:
		snprintf(det, sizeof(det), "NOT FOUND in %u runs, %.1f s", r->runs, r->wall_s);
		break;
	default:
		snprintf(det, sizeof(det), "%s", zoo_status_name(r->status));
		break;
	}
	if (r->fixed_runs)
		snprintf(fixed, sizeof(fixed), "%u/%u clean", r->fixed_clean, r->fixed_runs);
	else
		snprintf(fixed, sizeof(fixed), "-");
	printf("%-26s %-7s %-28s %-14s %-30s %s\n", e->name, strategy, det, fixed,
	       r->status == ZOO_FOUND ? r->found : "", r->fixed_found);
	if (r->status == ZOO_ERROR)
		printf("  error: %s\n", r->error);
}

static json_t *row_json(const struct zoo_entry *e, const char *strategy, const struct zoo_result *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "entry", json_string(e->name));
	json_object_set_new(o, "scenario", json_string(e->scenario));
	json_object_set_new(o, "strategy", json_string(strategy));
	json_object_set_new(o, "status", json_string(zoo_status_name(r->status)));
	json_object_set_new(o, "runs", json_integer(r->runs));
	json_object_set_new(o, "wall_s", json_real(r->wall_s));
	json_object_set_new(o, "found", json_string(r->found));
	json_object_set_new(o, "fixed_runs", json_integer(r->fixed_runs));
	json_object_set_new(o, "fixed_clean", json_integer(r->fixed_clean));
	json_object_set_new(o, "fixed_found", json_string(r->fixed_found));
	if (r->status == ZOO_ERROR)
		json_object_set_new(o, "error", json_string(r->error));
	if (e->unreached)
		json_object_set_new(o, "unreached", json_string(e->unreached));
	return o;
}

int main(int argc, char **argv)
{
	bool json = argc > 1 && !strcmp(argv[1], "--json");
	int first = json ? 2 : 1;
	json_t *rows = json_array();
	unsigned int found = 0, total = 0;

	if (!json)
		printf("%-26s %-7s %-28s %-14s %-30s %s\n", "entry", "strategy",
		       "first detection", "fixed", "consequence", "fixed: first unclean");
	for (const struct zoo_entry *e = zoo_entries; e->name; e++) {
		if (!wanted(e->name, argc, argv, first))
			continue;
		for (size_t s = 0; s < 2; s++) {
			struct zoo_result r;

			zoo_search(e, zoo_strategies[s], e->max_runs, e->max_wall_s, &r);
			total++;
			found += r.status == ZOO_FOUND;
			if (json) {
				json_array_append_new(rows, row_json(e, zoo_strategies[s], &r));
			} else {
				row_text(e, zoo_strategies[s], &r);
				fflush(stdout);
			}
		}
		if (!json && e->unreached)
			printf("  (%s: %s)\n", e->name, e->unreached);
	}
	if (json) {
		json_t *doc = json_object();

		json_object_set_new(doc, "zoo", rows);
		json_dumpf(doc, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(doc);
	} else {
		json_decref(rows);
		printf("%u of %u entry x strategy found\n", found, total);
	}
	return 0;
}
