/* SPDX-License-Identifier: MIT */
/*
 * The event log: notable events of a run (virtual time, CPU, task,
 * subsystem, text), in the order they happened.  Reports, traces and race
 * diagrams read it.  Byte-identical for the same program, seed and strategy.
 */
#ifndef IOMMUSIM_TRACE_EVLOG_H
#define IOMMUSIM_TRACE_EVLOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/sim.h"

struct evlog_entry {
	sim_time_t time;	/* ns */
	int cpu;		/* -1: hardware or main context */
	int task;		/* task id, -1: main context */
	const char *subsys;	/* static string: "sim", "kernel", "smmu", ... */
	char *text;		/* owned */
	uint64_t step;		/* sim->steps when logged */
};

struct evlog {
	struct evlog_entry *e;
	size_t n, cap;
	size_t limit;		/* keep at most this many (0: no limit) */
	size_t dropped;		/* entries not kept past the limit */
};

/** evlog_new() - an empty log keeping at most @limit entries (0: all). */
struct evlog *evlog_new(size_t limit);
/** evlog_free() - free a log and its texts. */
void evlog_free(struct evlog *l);

/**
 * evlog_add() - log an event at the current virtual time for the current
 * task of sim_cur.  Not a scheduling point.  Context: any.
 */
void evlog_add(struct sim *s, const char *subsys, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void evlog_vadd(struct sim *s, const char *subsys, const char *fmt, va_list ap);

/**
 * evlog_print() - the log as text lines:
 * "[    0.012345678] cpu1  taskname  subsys: text" (seconds, ns digits).
 */
void evlog_print(const struct sim *s, const struct evlog *l, FILE *f);

/** sim_format_time() - "12.345678ms"-style text for @t (ns) into @buf. */
const char *sim_format_time(sim_time_t t, char *buf, size_t len);

#endif
