/* SPDX-License-Identifier: MIT */
/*
 * The summary of a campaign (`iommusim explore`), as text or as one JSON
 * document, and the command that replays a run.  Everything but the
 * "wall" line (text) or object (JSON) is the same whatever the number of
 * worker processes (explore.h, "The merge").
 */
#ifndef IOMMUSIM_EXPLORE_REPORT_H
#define IOMMUSIM_EXPLORE_REPORT_H

#include <stdio.h>

#include "explore/explore.h"
#include "explore/explore_opts.h"

/**
 * explore_replay_command() - "iommusim replay TARGET --seed N --strategy S"
 * and the --policy/--bug options of @o, shell-quoted, no newline.
 */
void explore_replay_command(FILE *f, const struct explore_opts *o, uint64_t seed);

/**
 * explore_describe_run() - what failed in @r in one line, no newline:
 * its violation IDs ("STALE_DMA_WRITE x3, LOG_FLOOD"), then the failed
 * checks ("2 checks failed, first: ..."); or why it did not run.
 */
void explore_describe_run(FILE *f, const struct explore_result *r);

/**
 * explore_report_text() - the summary as text: the campaign, the runs
 * counted and why it stopped, violations by ID, each failing run (the
 * first 20) with its replay command, and a last line "wall: ..." that
 * is the only one depending on wall time or jobs.
 */
void explore_report_text(FILE *f, const struct explore_opts *o, const struct scenario *scn,
			 const struct explore_plan *plan, const struct explore_summary *sum);

/**
 * explore_report_json() - the same as one JSON document (jansson): the
 * campaign, "runs", "passed", "failed", "stopped", "violations" by ID
 * ({"runs": R, "count": C}), "failing" (every failing run, by seed, with
 * "replay"), and "wall" ({"seconds", "runs_per_second", "jobs",
 * "started"}): the only member that depends on wall time or jobs.
 */
void explore_report_json(FILE *f, const struct explore_opts *o, const struct scenario *scn,
			 const struct explore_plan *plan, const struct explore_summary *sum);

#endif
