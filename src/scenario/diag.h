/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics for one user input file (a scenario, a test script).
 *
 * Every error in a user file is reported as
 *
 *	FILE:LINE:COL: message
 *
 * with a 1-based line and a 1-based column counted in characters (a UTF-8
 * sequence is one column, a tab is one column), which is what libyaml's
 * marks count and what editors and compilers print. The command that loads
 * the file exits with status 2 when diag_failed() says so.
 *
 * A struct diag collects the errors of one file: it prints each one to a
 * sink as it is reported (stderr unless told otherwise), keeps the text of
 * the first DIAG_KEEP of them for callers and tests, and counts them all.
 *
 * Not thread-safe: one struct diag belongs to one loader at a time.
 */
#ifndef IOMMUSIM_SCENARIO_DIAG_H
#define IOMMUSIM_SCENARIO_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

/* How many messages a struct diag keeps the text of; later ones are counted. */
#define DIAG_KEEP 32

struct diag {
	char *file;		/* owned copy of the file name, or NULL */
	FILE *sink;		/* where messages are printed, or NULL */
	unsigned int count;	/* errors reported so far */
	unsigned int kept;	/* messages held in msgs[], <= DIAG_KEEP */
	char *msgs[DIAG_KEEP];	/* "FILE:LINE:COL: message", owned, no '\n' */
};

/**
 * diag_init() - start collecting errors for one file
 * @d:    the diagnostics to initialise (caller-allocated, e.g. on the stack)
 * @file: the file name as it should appear in messages (usually the path
 *        the user typed); copied, so it need not outlive @d
 *
 * The sink is stderr. Release with diag_fini().
 */
void diag_init(struct diag *d, const char *file);

/**
 * diag_fini() - free what @d holds (the file name copy and kept messages)
 *
 * @d may be initialised again afterwards. The sink is not closed.
 */
void diag_fini(struct diag *d);

/**
 * diag_set_sink() - choose where messages are printed
 * @d:    the diagnostics
 * @sink: an open stream, e.g. stderr or an open_memstream() buffer in a test,
 *        or NULL to print nothing (messages are still counted and kept)
 *
 * The caller keeps ownership of @sink; it must stay open while errors may
 * be reported. Each message is printed as one line ending in '\n' and the
 * sink is flushed after it.
 */
void diag_set_sink(struct diag *d, FILE *sink);

/**
 * diag_error() - report one error at a position in the file
 * @d:    the diagnostics of the file
 * @line: 1-based line; 0 when the error has no position (the file cannot be
 *        opened, is too large, memory ran out): the message is then
 *        printed as "FILE: message"
 * @col:  1-based column in characters; ignored when @line is 0; 0 with a
 *        non-zero @line is treated as 1
 * @fmt:  printf-style message: lower case, no trailing period or newline
 *
 * Prints "FILE:LINE:COL: message" to the sink, keeps the text if fewer than
 * DIAG_KEEP messages are kept, and counts the error. Never fails: if memory
 * runs out the message is still printed and counted, just not kept.
 */
void diag_error(struct diag *d, unsigned int line, unsigned int col,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/** diag_verror() - diag_error() with a va_list */
void diag_verror(struct diag *d, unsigned int line, unsigned int col,
		 const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/** diag_failed() - true once at least one error has been reported */
bool diag_failed(const struct diag *d);

/** diag_count() - number of errors reported so far (kept or not) */
unsigned int diag_count(const struct diag *d);

/**
 * diag_message() - the text of the @i-th error (0-based), as printed but
 * without the newline
 *
 * Returns NULL if @i >= the number of kept messages (see DIAG_KEEP). The
 * string belongs to @d and lives until diag_fini().
 */
const char *diag_message(const struct diag *d, unsigned int i);

#endif /* IOMMUSIM_SCENARIO_DIAG_H */
