/* SPDX-License-Identifier: MIT */
/*
 * LOG_FLOOD (DESIGN.md section 6): one message logged more than its
 * allowance, e.g. the endless "ATC invalidate timeout" of a driver that
 * ignores the error and retries forever.
 *
 * A message is identified by its format string, i.e. by its call site
 * (the pointer, not the text): the same words printed from two places are
 * two messages, unless the compiler merged the two identical literals into
 * one (it may, within a file and across files), which makes them one. printk() and dev_printk() tell the checker about every
 * line they put into the kernel log, so lines a _ratelimited() form
 * suppressed never count. When one message reaches more than
 * LOG_FLOOD_ALLOWANCE lines within any LOG_FLOOD_WINDOW_NS of virtual
 * time, the checker reports LOG_FLOOD once for that message in that run.
 *
 * State is per run (created at the first line of a run, freed with the
 * simulator); one simulator runs at a time per OS thread.
 */
#ifndef IOMMUSIM_CHECK_LOG_FLOOD_H
#define IOMMUSIM_CHECK_LOG_FLOOD_H

#include "sim/sim.h"

/* Lines of one message allowed within any window. */
#define LOG_FLOOD_ALLOWANCE	50
/* The window, ns of virtual time (1 s). */
#define LOG_FLOOD_WINDOW_NS	1000000000ULL

/**
 * log_flood_note() - one line of message @fmt was logged at @now
 * @s:   the running simulator
 * @fmt: the line's format string, as passed to printk()/dev_printk()
 *       (its address identifies the message)
 * @now: virtual time of the line, ns
 *
 * Reports V_LOG_FLOOD (check_report()) the first time @fmt has more than
 * LOG_FLOOD_ALLOWANCE lines within LOG_FLOOD_WINDOW_NS in this run.
 * Context: any, with @s running (sim_cur == @s). Not a scheduling point.
 */
void log_flood_note(struct sim *s, const char *fmt, sim_time_t now);

#endif
