/* SPDX-License-Identifier: MIT */
/*
 * The trace sink of a run (`--trace OUT.json`, `--diagram`; DESIGN.md
 * sections 8 and 11).
 *
 * With --trace the run is written, as it goes, as Chrome Trace Event JSON
 * that ui.perfetto.dev and chrome://tracing open:
 *   {"displayTimeUnit":"ns","traceEvents":[ ...one event a line... ]}
 *   - "ts" in microseconds with the nanoseconds as fraction (%llu.%03u),
 *     from virtual time only: the same run gives the same bytes;
 *   - one process (pid) per CPU ("cpu0", ...), per hardware actor (an SMMU,
 *     a device: "smmu0", "nic0"), "hw" for hardware tasks of no actor and
 *     "sim" for the scheduler itself; one thread (tid = task id + 1) per
 *     task, all named by "M" process_name/thread_name events emitted before
 *     their first use;
 *   - "B"/"E" spans, strictly nested per thread: hard-IRQ handlers, IRQ
 *     threads, work items, lock holds (spinlocks, mutexes), the driver's
 *     command issue, iommu_unmap, the SMMU's execution of each command, the
 *     endpoint's answer to an ATS invalidation.  A span closed out of order
 *     (locks need not be released in reverse order) closes the spans
 *     opened inside it and opens them again at the same instant, so the
 *     file stays strictly nested;
 *   - async "b"/"e" spans (cat + id, same name) for each ATC invalidation
 *     (sent .. completed or timed out) and each page request group
 *     (first request .. response, timeout or abandonment), with flow
 *     events "s" (where it was sent) and "f" (where it was answered, bound
 *     to the enclosing slice) sharing cat, name and id.  A flow event on a
 *     thread with no open span gets a zero-length anchor span around it;
 *   - "i" instants: event-log entries and kernel log lines (thread scope),
 *     SMMU faults and CMDQ errors (process scope), violations (global);
 *   - "C" counters: CMDQ, EVTQ and PRIQ occupancy of each SMMU.
 * At the end of the run every span still open is closed with an "E" (args
 * "unfinished": true), and every async span still outstanding gets its "e"
 * (and its flow its "f", on the thread that started it) at the final
 * virtual time with result "outstanding at the end of the run".
 *
 * With --diagram the sink also keeps the last events of each actor for
 * diagram.h.
 *
 * Hooks: the macros below cost one test of sim_cur->trace when tracing is
 * off; their arguments are not evaluated then.  Span and event names use
 * "NAME|DETAIL": NAME becomes the event name, DETAIL its args.detail (the
 * diagram shows "NAME DETAIL").  Hooks never take a scheduling point and
 * never change what the simulated system does.
 */
#ifndef IOMMUSIM_TRACE_TRACE_H
#define IOMMUSIM_TRACE_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/sim.h"

struct diagram;
struct violation;
struct evlog_entry;

/**
 * trace_open() - start tracing simulator @s (before sim_run()).
 * @json_path:	file to write the JSON trace to (created or truncated), or
 *		NULL for no file.
 * @diagram:	keep events for diagram.h.
 * Return: 0, -EEXIST if @s is traced already, -ENOMEM, or the -errno of
 * opening @json_path.  Context: main context.
 */
int trace_open(struct sim *s, const char *json_path, bool diagram);

/**
 * trace_close() - end tracing @s (after sim_run(), before sim_destroy()):
 * close what is open (see above), finish and close the file.
 * @diagram:	if not NULL and --diagram was asked, set to the diagram data
 *		(the caller frees it with diagram_free()); else set to NULL.
 * Return: 0, or the -errno of the first write error on the file (ENOSPC
 * ...).  A no-op returning 0 when @s is not traced.
 */
int trace_close(struct sim *s, struct diagram **diagram);

/** trace_bytes() - bytes written to the JSON file so far (benchmarks). */
uint64_t trace_bytes(const struct sim *s);

/* ---- Hooks ---- */

#define TRACE_ON()	__builtin_expect(sim_cur != NULL && sim_cur->trace != NULL, 0)

/** trace_task_actor() - hardware task @t belongs to actor @name ("smmu0"). */
#define trace_task_actor(t, name) \
	do { if (TRACE_ON()) __trace_task_actor((t), (name)); } while (0)

/** trace_begin() - open span "NAME|DETAIL" @key (matched by trace_end()) on the current task. */
#define trace_begin(cat, key, ...) \
	do { if (TRACE_ON()) __trace_begin(NULL, (cat), (key), __VA_ARGS__); } while (0)
/** trace_begin_task() - the same on task @t (hard-IRQ delivery). */
#define trace_begin_task(t, cat, key, ...) \
	do { if (TRACE_ON()) __trace_begin((t), (cat), (key), __VA_ARGS__); } while (0)
/** trace_end() - close the current task's span @cat/@key (no-op if none). */
#define trace_end(cat, key) \
	do { if (TRACE_ON()) __trace_end((cat), (key)); } while (0)

/** trace_instant() - a thread-scoped instant "NAME|DETAIL" on the current task. */
#define trace_instant(cat, ...) \
	do { if (TRACE_ON()) __trace_instant(NULL, (cat), __VA_ARGS__); } while (0)
/** trace_actor_instant() - a process-scoped instant on the actor of task @owner. */
#define trace_actor_instant(owner, cat, ...) \
	do { if (TRACE_ON()) __trace_instant((owner), (cat), __VA_ARGS__); } while (0)

/**
 * trace_async_begin() - async span @name of object @key (unique among the
 * open ones of @owner's actor and @cat), on @owner's actor; with @flow, a
 * flow starts on the current task.  The rest: "DETAIL" format.
 */
#define trace_async_begin(owner, cat, name, key, flow, ...) \
	do { if (TRACE_ON()) __trace_async_begin((owner), (cat), (name), (key), (flow), __VA_ARGS__); } while (0)
/** trace_async_end() - end object @key with a result text; its flow ends on the current task. */
#define trace_async_end(owner, cat, key, ...) \
	do { if (TRACE_ON()) __trace_async_end((owner), (cat), (key), __VA_ARGS__); } while (0)

/** trace_counter() - counter @name of @owner's actor is @value (written when it changes). */
#define trace_counter(owner, name, value) \
	do { if (TRACE_ON()) __trace_counter((owner), (name), (value)); } while (0)

/** trace_violation() - violation @v was just recorded. */
#define trace_violation(v) \
	do { if (TRACE_ON()) __trace_violation(v); } while (0)
/** trace_evlog() - event-log entry @e was just added. */
#define trace_evlog(e) \
	do { if (TRACE_ON()) __trace_evlog(e); } while (0)
/** trace_printk() - kernel log line @text at @level was just logged. */
#define trace_printk(level, text) \
	do { if (TRACE_ON()) __trace_printk((level), (text)); } while (0)

void __trace_task_actor(const struct sim_task *t, const char *name);
void __trace_begin(const struct sim_task *t, const char *cat, const void *key,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void __trace_end(const char *cat, const void *key);
void __trace_instant(const struct sim_task *owner, const char *cat, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void __trace_async_begin(const struct sim_task *owner, const char *cat, const char *name,
			 uint64_t key, bool flow, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void __trace_async_end(const struct sim_task *owner, const char *cat, uint64_t key,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void __trace_counter(const struct sim_task *owner, const char *name, int64_t value);
void __trace_violation(const struct violation *v);
void __trace_evlog(const struct evlog_entry *e);
void __trace_printk(int level, const char *text);

#endif
