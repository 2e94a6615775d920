// SPDX-License-Identifier: MIT
/*
 * Violation records and the monitor registry.  See violation.h.
 */
#include "check/violation.h"
#include "sim/vec.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "trace/evlog.h"
#include "trace/trace.h"

static const char *const names[V_NR] = {
	[V_STALE_DMA_WRITE] = "STALE_DMA_WRITE",
	[V_STALE_DMA_READ] = "STALE_DMA_READ",
	[V_USE_AFTER_FREE] = "USE_AFTER_FREE",
	[V_DEADLOCK] = "DEADLOCK",
	[V_SLEEP_IN_ATOMIC] = "SLEEP_IN_ATOMIC",
	[V_PRQ_UNANSWERED] = "PRQ_UNANSWERED",
	[V_PRQ_DOUBLE_RESPONSE] = "PRQ_DOUBLE_RESPONSE",
	[V_FAULT_WRONG_DOMAIN] = "FAULT_WRONG_DOMAIN",
	[V_STALL_HANG] = "STALL_HANG",
	[V_IRQ_STORM] = "IRQ_STORM",
	[V_LOG_FLOOD] = "LOG_FLOOD",
	[V_QUARANTINE_ESCAPE] = "QUARANTINE_ESCAPE",
	[V_STALE_QUARANTINE] = "STALE_QUARANTINE",
	[V_SOFT_LOCKUP] = "SOFT_LOCKUP",
	[V_WARN] = "WARN",
};

const char *violation_name(enum violation_id id)
{
	return (unsigned)id < V_NR ? names[id] : NULL;
}

int violation_by_name(const char *name)
{
	for (int i = 0; i < V_NR; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static void vreport(struct sim *s, enum violation_id id,
		    struct sim_task *const *tasks, int ntasks,
		    const char *fmt, va_list ap)
{
	struct violation_log *vl = s->violations;
	struct violation *v;

	VEC_RESERVE(vl->v, vl->n, vl->cap, 16);
	v = &vl->v[vl->n++];
	memset(v, 0, sizeof(*v));
	v->id = id;
	v->time = s->now;
	for (int i = 0; i < ntasks && v->ntasks < VIOLATION_MAX_TASKS; i++) {
		bool dup = false;

		if (!tasks[i])
			continue;
		for (int j = 0; j < v->ntasks; j++)
			dup |= v->task_ids[j] == tasks[i]->id;
		if (dup)
			continue;
		v->task_ids[v->ntasks] = tasks[i]->id;
		snprintf(v->task_names[v->ntasks], SIM_NAME_LEN, "%s", tasks[i]->name);
		v->ntasks++;
	}
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	vl->count[id]++;
	trace_violation(v);
	evlog_add(s, "check", "%s: %s", names[id], v->msg);
	if (!s->cfg.keep_going)
		sim_stop(SIM_END_VIOLATION);
}

void check_report_tasks(struct sim *s, enum violation_id id,
			struct sim_task *const *tasks, int ntasks,
			const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(s, id, tasks, ntasks, fmt, ap);
	va_end(ap);
}

void check_report(enum violation_id id, struct sim_task *const *others,
		  int nothers, const char *fmt, ...)
{
	struct sim *s = sim_cur;
	struct sim_task *tasks[VIOLATION_MAX_TASKS];
	int n = 0;
	va_list ap;

	if (s->current)
		tasks[n++] = s->current;
	for (int i = 0; i < nothers && n < VIOLATION_MAX_TASKS; i++)
		tasks[n++] = others[i];
	va_start(ap, fmt);
	vreport(s, id, tasks, n, fmt, ap);
	va_end(ap);
}

void violation_log_free(struct violation_log *vl)
{
	if (!vl)
		return;
	free(vl->v);
	vl->v = NULL;
	vl->n = vl->cap = 0;
}

void violation_print(FILE *f, const struct violation *v)
{
	char tb[32];

	fprintf(f, "%s at %s", names[v->id], sim_format_time(v->time, tb, sizeof(tb)));
	for (int i = 0; i < v->ntasks; i++)
		fprintf(f, "%s'%s'", i ? ", " : " [", v->task_names[i]);
	fprintf(f, "%s\n  %s\n", v->ntasks ? "]" : "", v->msg);
}

/* ---- The monitor registry ---- */

#define MAX_MONITORS 32
static const struct check_monitor *monitors[MAX_MONITORS];
static int nmonitors;

void check_monitor_register(const struct check_monitor *m)
{
	for (int i = 0; i < nmonitors; i++)
		if (monitors[i] == m)
			return;
	if (nmonitors < MAX_MONITORS)
		monitors[nmonitors++] = m;
}

void check_monitors_run_start(struct sim *s)
{
	for (int i = 0; i < nmonitors; i++)
		if (monitors[i]->run_start)
			monitors[i]->run_start(s);
}

void check_monitors_run_end(struct sim *s)
{
	for (int i = 0; i < nmonitors; i++)
		if (monitors[i]->run_end)
			monitors[i]->run_end(s);
}
