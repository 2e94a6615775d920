/* SPDX-License-Identifier: MIT */
/*
 * The race diagram (`--diagram`, DESIGN.md section 8): the interleaving
 * that led to a violation, drawn as columns the way Linux commit messages
 * draw races - one column per CPU or hardware actor (SMMU, device), time
 * downwards, one event a row:
 *
 *   STALE_DMA_WRITE at 6.091060ms ['nic0.dma']
 *
 *         time  cpu1                 smmu0                nic0
 *   ----------  -------------------  -------------------  -------------------
 *   6.066150ms  [churn0]
 *               iommu_unmap dom0 ...
 *   6.066200ms                       ATC_INV #12 sid 0x10
 *   ...
 *   6.091060ms                                            *** STALE_DMA_WRITE
 *
 * Where the events come from: while a run is traced with --diagram, the
 * trace sink (trace.h) keeps the last DIAGRAM_RING events of each actor -
 * the event log, kernel log lines, IRQ handlers, lock holds, SMMU commands,
 * ATC invalidations, page requests, faults and violations - and hands them
 * over as a struct diagram when the run ends (trace_close()).
 *
 * Which events are drawn (the selection rule): everything up to and
 * including the first violation, then
 *   (a) the last DIAGRAM_LAST events before it, of any actor;
 *   (b) the last DIAGRAM_INVOLVED events of each task the violation names
 *       (the per-actor rings keep them however busy the other actors were);
 *   (c) the violation itself.
 * Consecutive identical events of one task are folded into one row
 * ("... (x3)").  Columns are the actors with a drawn event, CPUs first,
 * then hardware in the order it was created.  When they do not fit the
 * width at DIAGRAM_MIN_COL characters each, the uninvolved actors whose
 * last drawn event is the oldest are left out (a note says how many events).  The
 * *involved* actors (marked '*') are those of the tasks the violation
 * names and of the task that reported it.  Cell text is
 * wrapped to the column (at most DIAGRAM_MAX_LINES lines, then cut with
 * "~").  A row names the task ("[churn0]") whenever a column's task
 * changes.
 */
#ifndef IOMMUSIM_TRACE_DIAGRAM_H
#define IOMMUSIM_TRACE_DIAGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "check/violation.h"
#include "sim/sim.h"

#define DIAGRAM_TEXT_LEN	96	/* bytes of one event's text, with NUL */
#define DIAGRAM_RING		64	/* events kept per actor */
#define DIAGRAM_LAST		16	/* (a) above */
#define DIAGRAM_INVOLVED	8	/* (b) above */
#define DIAGRAM_MIN_COL		14	/* narrowest column, characters */
#define DIAGRAM_MAX_LINES	3	/* lines of one cell */
#define DIAGRAM_MAX_ACTORS	(SIM_MAX_CPUS + 64)

/**
 * struct diagram_event - one event of an actor.
 * @seq:	order of the event in the run (increasing).
 * @time:	virtual time, ns.
 * @actor:	column: index into diagram.actor.
 * @task:	task id (index into diagram.task), -1: the scheduler itself.
 * @violation:	the event is a violation report.
 * @text:	what happened, one line ("spin_lock cmdq_lock").
 */
struct diagram_event {
	uint64_t seq;
	sim_time_t time;
	int actor;
	int task;
	bool violation;
	char text[DIAGRAM_TEXT_LEN];
};

/**
 * struct diagram - what a traced run leaves for the diagram.
 * @ev, @nev:	events, in @seq order (a window of each actor's last ones).
 * @actor, @nactors: actor names ("cpu0", "smmu0", "nic0"), in column order.
 * @task, @ntasks: task names by task id.
 * @vseq:	@seq of the first violation's event; meaningful if @has_v.
 * @involved, @ninvolved: actors the first violation involves.
 */
struct diagram {
	struct diagram_event *ev;
	size_t nev;
	char (*actor)[SIM_NAME_LEN];
	int nactors;
	char (*task)[SIM_NAME_LEN];
	int ntasks;
	bool has_v;
	uint64_t vseq;
	int involved[VIOLATION_MAX_TASKS + 1];
	int ninvolved;
};

/** diagram_free() - free @d and what it owns (NULL is fine). */
void diagram_free(struct diagram *d);

/**
 * diagram_print() - draw the interleaving that led to violation @v.
 * @f:		output.
 * @d:		the run's diagram data (NULL: the run was not traced).
 * @v:		the first violation, or NULL when there was none: then one
 *		line says so.
 * @width:	characters a line may take (80 for email); at least 40.
 * Context: any; pure output.
 */
void diagram_print(FILE *f, const struct diagram *d, const struct violation *v,
		   unsigned width);

#endif
