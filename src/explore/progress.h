/* SPDX-License-Identifier: MIT */
/*
 * A progress line on stderr (DESIGN.md section 11): only on a terminal,
 * off under the environment variable CI or with --quiet, redrawn at most
 * ten times a second, ended with a newline; colour only when NO_COLOR is
 * unset or empty and TERM is not "dumb".
 */
#ifndef IOMMUSIM_EXPLORE_PROGRESS_H
#define IOMMUSIM_EXPLORE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PROGRESS_PERIOD_NS	100000000ULL	/* at most ten redraws a second */

/**
 * struct progress - one progress line.
 * @f:		where it goes (stderr).
 * @on:		drawing at all.
 * @color:	may use colour.
 * @last_ns:	when it was last drawn (explore_now_ns() clock).
 * @drawn:	something is on the line (progress_end() ends it).
 * @redraws:	times drawn (tests count them).
 */
struct progress {
	FILE *f;
	bool on;
	bool color;
	uint64_t last_ns;
	bool drawn;
	uint64_t redraws;
};

/**
 * progress_wanted() - whether a progress line belongs on @f: @f is a
 * terminal, CI is not set in the environment, and not @quiet.
 */
bool progress_wanted(FILE *f, bool quiet);

/** progress_color_wanted() - NO_COLOR unset or empty, and TERM not "dumb". */
bool progress_color_wanted(void);

/** progress_init() - a line on @f, drawn only when @on. */
void progress_init(struct progress *p, FILE *f, bool on, bool color);

/**
 * progress_update() - redraw with @text ("\r", the text, clear to the end
 * of the line) when @force or PROGRESS_PERIOD_NS passed since the last
 * redraw at @now_ns.  Return: whether it drew.
 */
bool progress_update(struct progress *p, uint64_t now_ns, bool force, const char *text);

/** progress_end() - end the line with a newline if anything was drawn. */
void progress_end(struct progress *p);

/**
 * progress_explore_text() - the line of `iommusim explore`: "explore:
 * DONE/PLANNED runs, R runs/s, V violations, ETA T" into @buf.
 * @elapsed_ns:	wall time so far.  @failed: failing runs so far.
 * @stopping:	a failure ends the campaign: no ETA.
 */
void progress_explore_text(char *buf, size_t len, uint64_t done, uint64_t planned,
			   uint64_t failed, uint64_t elapsed_ns, bool stopping, bool color);

#endif
