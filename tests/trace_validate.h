/* SPDX-License-Identifier: MIT */
/*
 * A validator for the Chrome Trace Event JSON that --trace writes
 * (trace/trace.h), used by tests/test_trace.c.  It reads the file back
 * with jansson, independently of the writer, and checks:
 *   - well-formed JSON: {"displayTimeUnit":"ns","traceEvents":[...]};
 *   - every event has "ph", integer "pid" and "tid", a numeric "ts";
 *   - "M" process_name/thread_name events name every pid and (pid, tid)
 *     before its first use by another event;
 *   - "B"/"E" strictly nested per (pid, tid): an "E" closes the innermost
 *     open "B" of its thread and carries its name; none is left open;
 *   - "ts" never decreases along one thread's "B"/"E" events;
 *   - every flow "s" has its "f" (same cat, name and id), no "f" without
 *     an "s" before it;
 *   - every async "b" has its "e" (same cat, name and id), no "e" without
 *     a "b";
 *   - every "C" has numeric args, every "i" a scope of g, p or t.
 */
#ifndef IOMMUSIM_TESTS_TRACE_VALIDATE_H
#define IOMMUSIM_TESTS_TRACE_VALIDATE_H

#include <stddef.h>

/** struct trace_stats - what a valid trace held, by phase. */
struct trace_stats {
	unsigned long events;
	unsigned long B, E, X, b, e, s, f, i, C, M;
	unsigned long violations;	/* "i" of cat "violation" */
};

/**
 * trace_validate() - check the trace file @path (see above).
 * @st:		filled with counts when not NULL.
 * @err:	the first problem found, when it returns nonzero.
 * Return: 0 when valid, else -1.
 */
int trace_validate(const char *path, struct trace_stats *st, char *err, size_t errlen);

#endif
