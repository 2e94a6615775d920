// SPDX-License-Identifier: MIT
/*
 * Diagnostics for one user input file: "FILE:LINE:COL: message".
 */
#include "scenario/diag.h"

#include <stdlib.h>
#include <string.h>

static const char *diag_file(const struct diag *d)
{
	return d->file ? d->file : "(unknown file)";
}

void diag_init(struct diag *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	d->file = file ? strdup(file) : NULL;
	d->sink = stderr;
}

void diag_fini(struct diag *d)
{
	unsigned int i;

	for (i = 0; i < d->kept; i++)
		free(d->msgs[i]);
	free(d->file);
	memset(d, 0, sizeof(*d));
}

void diag_set_sink(struct diag *d, FILE *sink)
{
	d->sink = sink;
}

/* Print "PREFIX: " into @buf (which may be NULL with @size 0); C99 snprintf. */
static int diag_prefix(const struct diag *d, char *buf, size_t size,
		       unsigned int line, unsigned int col)
{
	if (!line)
		return snprintf(buf, size, "%s: ", diag_file(d));
	return snprintf(buf, size, "%s:%u:%u: ", diag_file(d), line,
			col ? col : 1);
}

/* Format the whole message into a new string; NULL if memory ran out. */
static char *diag_format(const struct diag *d, unsigned int line,
			 unsigned int col, const char *fmt, va_list ap)
{
	va_list aq;
	int plen, mlen;
	char *s;

	plen = diag_prefix(d, NULL, 0, line, col);
	va_copy(aq, ap);
	mlen = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (plen < 0 || mlen < 0)
		return NULL;
	s = malloc((size_t)plen + (size_t)mlen + 1);
	if (!s)
		return NULL;
	diag_prefix(d, s, (size_t)plen + 1, line, col);
	vsnprintf(s + plen, (size_t)mlen + 1, fmt, ap);
	return s;
}

void diag_verror(struct diag *d, unsigned int line, unsigned int col,
		 const char *fmt, va_list ap)
{
	va_list aq;
	char *msg;

	d->count++;
	va_copy(aq, ap);
	msg = diag_format(d, line, col, fmt, aq);
	va_end(aq);

	if (d->sink) {
		if (msg) {
			fprintf(d->sink, "%s\n", msg);
		} else {
			/* Out of memory: print without building the string. */
			if (line)
				fprintf(d->sink, "%s:%u:%u: ", diag_file(d),
					line, col ? col : 1);
			else
				fprintf(d->sink, "%s: ", diag_file(d));
			vfprintf(d->sink, fmt, ap);
			fputc('\n', d->sink);
		}
		fflush(d->sink);
	}

	if (msg && d->kept < DIAG_KEEP)
		d->msgs[d->kept++] = msg;
	else
		free(msg);
}

void diag_error(struct diag *d, unsigned int line, unsigned int col,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(d, line, col, fmt, ap);
	va_end(ap);
}

bool diag_failed(const struct diag *d)
{
	return d->count != 0;
}

unsigned int diag_count(const struct diag *d)
{
	return d->count;
}

const char *diag_message(const struct diag *d, unsigned int i)
{
	return i < d->kept ? d->msgs[i] : NULL;
}
