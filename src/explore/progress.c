// SPDX-License-Identifier: MIT
/*
 * The progress line (progress.h).
 */
#include "explore/progress.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool progress_wanted(FILE *f, bool quiet)
{
	const char *ci = getenv("CI");

	if (quiet || (ci && *ci))
		return false;
	return isatty(fileno(f)) == 1;
}

bool progress_color_wanted(void)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	return !(nc && *nc) && !(term && !strcmp(term, "dumb"));
}

void progress_init(struct progress *p, FILE *f, bool on, bool color)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->on = on;
	p->color = color;
}

bool progress_update(struct progress *p, uint64_t now_ns, bool force, const char *text)
{
	if (!p->on)
		return false;
	if (p->drawn && !force && now_ns - p->last_ns < PROGRESS_PERIOD_NS)
		return false;
	fprintf(p->f, "\r%s\033[K", text);
	fflush(p->f);
	p->last_ns = now_ns;
	p->drawn = true;
	p->redraws++;
	return true;
}

void progress_end(struct progress *p)
{
	if (p->on && p->drawn) {
		fputc('\n', p->f);
		fflush(p->f);
	}
	p->drawn = false;
}

static void duration(char *buf, size_t len, double s)
{
	unsigned long t = (unsigned long)(s + 0.5);

	if (t < 60)
		snprintf(buf, len, "%lus", t ? t : 1);
	else if (t < 3600)
		snprintf(buf, len, "%lum%02lus", t / 60, t % 60);
	else
		snprintf(buf, len, "%luh%02lum", t / 3600, t % 3600 / 60);
}

void progress_explore_text(char *buf, size_t len, uint64_t done, uint64_t planned,
			   uint64_t failed, uint64_t elapsed_ns, bool stopping, bool color)
{
	double secs = (double)elapsed_ns / 1e9;
	double rate = secs > 0 ? (double)done / secs : 0;
	char eta[32] = "-";

	if (!stopping && rate > 0 && done < planned)
		duration(eta, sizeof(eta), (double)(planned - done) / rate);
	else if (done >= planned)
		snprintf(eta, sizeof(eta), "0s");
	snprintf(buf, len, "explore: %llu/%llu runs, %.1f runs/s, %s%llu violation%s%s, ETA %s",
		 (unsigned long long)done, (unsigned long long)planned, rate,
		 color && failed ? "\033[1;31m" : "", (unsigned long long)failed,
		 failed == 1 ? "" : "s", color && failed ? "\033[0m" : "", eta);
}
