/* SPDX-License-Identifier: MIT */
/*
 * Violations: the record every checker produces (DESIGN.md section 6), and
 * the per-run log of them.
 *
 * A violation has an ID, the virtual time, the tasks involved and a
 * message.  The first violation stops the run unless the run keeps going
 * (sim_config.keep_going).  Checkers only observe: reporting never changes
 * what the simulated system does, apart from ending the run.
 */
#ifndef IOMMUSIM_CHECK_VIOLATION_H
#define IOMMUSIM_CHECK_VIOLATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/sim.h"

enum violation_id {
	V_STALE_DMA_WRITE,
	V_STALE_DMA_READ,
	V_USE_AFTER_FREE,
	V_DEADLOCK,
	V_SLEEP_IN_ATOMIC,
	V_PRQ_UNANSWERED,
	V_PRQ_DOUBLE_RESPONSE,
	V_FAULT_WRONG_DOMAIN,
	V_STALL_HANG,
	V_IRQ_STORM,
	V_LOG_FLOOD,
	V_QUARANTINE_ESCAPE,
	V_STALE_QUARANTINE,
	V_SOFT_LOCKUP,
	V_WARN,
	V_NR,
};

#define VIOLATION_MAX_TASKS 8
#define VIOLATION_MSG_LEN 1024

struct violation {
	enum violation_id id;
	sim_time_t time;		/* ns */
	int ntasks;
	int task_ids[VIOLATION_MAX_TASKS];
	char task_names[VIOLATION_MAX_TASKS][SIM_NAME_LEN];
	char msg[VIOLATION_MSG_LEN];
};

struct violation_log {
	struct violation *v;		/* every violation, in order */
	size_t n, cap;
	unsigned count[V_NR];		/* per ID */
};

/** violation_name() - "STALE_DMA_WRITE", ... ; NULL for an invalid id. */
const char *violation_name(enum violation_id id);

/** violation_by_name() - the id for a name, or -1. */
int violation_by_name(const char *name);

/**
 * check_report() - record a violation at the current virtual time, naming
 * the current task (if any) and up to VIOLATION_MAX_TASKS-1 more.
 * @others: extra tasks involved (may be NULL when @nothers is 0).
 * Stops the run at the next scheduling point unless keep_going.
 * Context: any, with a simulator running (sim_cur).
 */
void check_report(enum violation_id id, struct sim_task *const *others,
		  int nothers, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/** check_report_tasks() - like check_report() naming exactly @tasks. */
void check_report_tasks(struct sim *s, enum violation_id id,
			struct sim_task *const *tasks, int ntasks,
			const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/** violation_log_free() - free the records. */
void violation_log_free(struct violation_log *vl);

/** violation_print() - one violation as text lines. */
void violation_print(FILE *f, const struct violation *v);

/* ---- Monitors: checks run at the start and end of every run ---- */

struct check_monitor {
	const char *name;
	void (*run_start)(struct sim *s);
	void (*run_end)(struct sim *s);	/* e.g. answers still outstanding */
};

/**
 * check_monitor_register() - add a monitor to the registry (at most 32).
 * Context: set-up, before runs; not thread-safe.  Registering the same
 * monitor twice is a no-op.
 */
void check_monitor_register(const struct check_monitor *m);
/** check_monitors_run_start()/_end() - call every registered monitor. */
void check_monitors_run_start(struct sim *s);
void check_monitors_run_end(struct sim *s);

#endif
