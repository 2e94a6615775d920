// SPDX-License-Identifier: MIT
/*
 * The race diagram: selection of the events that matter and the column
 * layout.  See diagram.h for the rules.
 */
#include "trace/diagram.h"
#include "sim/vec.h"

#include <stdlib.h>
#include <string.h>

#include "trace/evlog.h"

#define MAX_COL_WIDTH	36

struct row {
	size_t ev;		/* index into d->ev */
	unsigned count;		/* folded repeats */
};

struct layout {
	int col[DIAGRAM_MAX_ACTORS];	/* actor -> column, -1: not drawn */
	int actor[DIAGRAM_MAX_ACTORS];	/* column -> actor */
	int ncols;
	int timew, cw;
	size_t hidden;			/* kept events of actors left out */
};

static bool is_involved(const struct diagram *d, int actor)
{
	for (int i = 0; i < d->ninvolved; i++)
		if (d->involved[i] == actor)
			return true;
	return false;
}

/*
 * Wrap @text into at most @max lines of @w characters, breaking at spaces
 * where one is near; a cut-off last line ends with '~'.  Return: lines.
 */
static int wrap(const char *text, int w, char lines[][MAX_COL_WIDTH * 3 + 1], int max)
{
	size_t len = strlen(text), pos = 0;
	int n = 0;

	while (pos < len && n < max) {
		size_t take = len - pos;

		while (pos < len && text[pos] == ' ')
			pos++;
		take = len - pos;
		if (!take)
			break;
		if (take > (size_t)w) {
			size_t cut = (size_t)w;

			while (cut > (size_t)w / 2 && text[pos + cut] != ' ')
				cut--;
			take = text[pos + cut] == ' ' ? cut : (size_t)w;
			if (n == max - 1) {	/* the last line: mark the cut */
				take = (size_t)w - 1;
				memcpy(lines[n], text + pos, take);
				lines[n][take] = '~';
				lines[n][take + 1] = '\0';
				return n + 1;
			}
		}
		memcpy(lines[n], text + pos, take);
		lines[n][take] = '\0';
		while (take && lines[n][take - 1] == ' ')
			lines[n][--take] = '\0';
		pos += take;
		n++;
	}
	return n;
}

/*
 * Print one row: @time (or blank) and @text in column @c, wrapped to the
 * column.  With @wide (the violation) the text stays on one line: it
 * starts in column @c and, when it does not fit there, ends at the line's
 * end instead (a row holds one cell, so nothing is hidden).
 */
static void put_row(FILE *f, const struct layout *L, const char *time, int c, const char *text,
		    bool wide, unsigned width)
{
	char lines[DIAGRAM_MAX_LINES][MAX_COL_WIDTH * 3 + 1];
	int pad = c * (L->cw + 2) + 2;
	int n;

	if (wide && (int)strlen(text) > L->cw) {
		if (L->timew + pad + (int)strlen(text) > (int)width)
			pad = (int)width - L->timew - (int)strlen(text);
		if (pad < 2)
			pad = 2;
		fprintf(f, "%*s%*s%s\n", L->timew, time ? time : "", pad, "", text);
		return;
	}
	n = wrap(text, L->cw, lines, DIAGRAM_MAX_LINES);
	for (int i = 0; i < (n ? n : 1); i++)
		fprintf(f, "%*s%*s%s\n", L->timew, i == 0 && time ? time : "", pad, "",
			n ? lines[i] : "");
}

/* Mark the events to draw (see diagram.h).  Return: the violation's index. */
static long select_events(const struct diagram *d, const struct violation *v, bool *keep)
{
	long vi = -1;
	int last = 0, per[VIOLATION_MAX_TASKS] = { 0 };

	for (size_t i = 0; i < d->nev; i++)
		if (d->ev[i].seq == d->vseq)
			vi = (long)i;
	if (vi < 0)
		return -1;
	keep[vi] = true;
	for (long i = vi - 1; i >= 0; i--) {
		const struct diagram_event *e = &d->ev[i];

		if (last < DIAGRAM_LAST) {
			keep[i] = true;
			last++;
		}
		for (int k = 0; k < v->ntasks; k++)
			if (e->task == v->task_ids[k] && per[k] < DIAGRAM_INVOLVED) {
				keep[i] = true;
				per[k]++;
			}
	}
	return vi;
}

static void layout_columns(const struct diagram *d, const bool *keep, long vi,
			   unsigned width, struct layout *L)
{
	size_t count[DIAGRAM_MAX_ACTORS] = { 0 };
	long latest[DIAGRAM_MAX_ACTORS];
	int maxcols;

	for (int a = 0; a < DIAGRAM_MAX_ACTORS; a++)
		latest[a] = -1;
	for (long i = 0; i <= vi; i++)
		if (keep[i] && d->ev[i].actor >= 0 && d->ev[i].actor < DIAGRAM_MAX_ACTORS) {
			count[d->ev[i].actor]++;
			latest[d->ev[i].actor] = i;
		}
	L->timew = 4;	/* "time" */
	for (long i = 0; i <= vi; i++) {
		char tb[32];

		if (keep[i] && (int)strlen(sim_format_time(d->ev[i].time, tb, sizeof(tb))) > L->timew)
			L->timew = (int)strlen(tb);
	}
	maxcols = ((int)width - L->timew) / (DIAGRAM_MIN_COL + 2);
	if (maxcols < 1)
		maxcols = 1;
	for (;;) {
		int n = 0, drop = -1;

		for (int a = 0; a < d->nactors && a < DIAGRAM_MAX_ACTORS; a++)
			n += count[a] > 0;
		if (n <= maxcols)
			break;
		/* Leave out the uninvolved actor whose last event is the oldest. */
		for (int a = 0; a < d->nactors && a < DIAGRAM_MAX_ACTORS; a++)
			if (count[a] && !is_involved(d, a) && (drop < 0 || latest[a] < latest[drop]))
				drop = a;
		if (drop < 0)	/* only involved ones left: the last of them */
			for (int a = 0; a < d->nactors && a < DIAGRAM_MAX_ACTORS; a++)
				if (count[a])
					drop = a;
		L->hidden += count[drop];
		count[drop] = 0;
	}
	L->ncols = 0;
	for (int a = 0; a < DIAGRAM_MAX_ACTORS; a++) {
		L->col[a] = -1;
		if (a < d->nactors && count[a]) {
			L->col[a] = L->ncols;
			L->actor[L->ncols++] = a;
		}
	}
	L->cw = L->ncols ? ((int)width - L->timew) / L->ncols - 2 : DIAGRAM_MIN_COL;
	if (L->cw > MAX_COL_WIDTH)
		L->cw = MAX_COL_WIDTH;
	if (L->cw < 4)
		L->cw = 4;
}

static void put_header(FILE *f, const struct diagram *d, const struct layout *L)
{
	char line[1024];
	int off;

	off = snprintf(line, sizeof(line), "%*s", L->timew, "time");
	for (int c = 0; c < L->ncols && off < (int)sizeof(line); c++) {
		char name[SIM_NAME_LEN + 2];

		snprintf(name, sizeof(name), "%s%s", d->actor[L->actor[c]],
			 is_involved(d, L->actor[c]) ? "*" : "");
		off += snprintf(line + off, sizeof(line) - off, "  %-*.*s", L->cw, L->cw, name);
	}
	while (off > 0 && line[off - 1] == ' ')
		line[--off] = '\0';
	fprintf(f, "%s\n", line);
	off = 0;
	memset(line, '-', (size_t)L->timew);
	off = L->timew;
	for (int c = 0; c < L->ncols && off + L->cw + 2 < (int)sizeof(line); c++) {
		line[off++] = ' ';
		line[off++] = ' ';
		memset(line + off, '-', (size_t)L->cw);
		off += L->cw;
	}
	line[off] = '\0';
	fprintf(f, "%s\n", line);
}

/* Print @text wrapped at @width with @indent spaces before each line. */
static void put_para(FILE *f, const char *text, unsigned width, int indent)
{
	size_t len = strlen(text), pos = 0;
	int w = (int)width - indent;

	while (pos < len) {
		size_t take = len - pos;

		if (take > (size_t)w) {
			size_t cut = (size_t)w;

			while (cut > 0 && text[pos + cut] != ' ')
				cut--;
			take = cut ? cut : (size_t)w;
		}
		fprintf(f, "%*s%.*s\n", indent, "", (int)take, text + pos);
		pos += take;
		while (pos < len && text[pos] == ' ')
			pos++;
	}
}

static void put_title(FILE *f, const struct violation *v, unsigned width)
{
	char title[VIOLATION_MSG_LEN], tb[32];
	size_t off;

	off = (size_t)snprintf(title, sizeof(title), "%s at %s", violation_name(v->id),
			       sim_format_time(v->time, tb, sizeof(tb)));
	for (int i = 0; i < v->ntasks && off < sizeof(title); i++)
		off += (size_t)snprintf(title + off, sizeof(title) - off, "%s'%s'",
					i ? ", " : " [", v->task_names[i]);
	if (v->ntasks && off < sizeof(title))
		snprintf(title + off, sizeof(title) - off, "]");
	put_para(f, title, width, 0);
}

static bool same_event(const struct diagram_event *a, const struct diagram_event *b)
{
	return !a->violation && !b->violation && a->actor == b->actor && a->task == b->task &&
	       !strcmp(a->text, b->text);
}

/*
 * Fold repeats of one event, or of a pair of events (a handler's entry and
 * exit in a storm), of the events up to the violation (index @vi) into
 * @out, with the number of times each stands for in @cnt.  Return: the
 * number of rows.
 */
static size_t fold_events(const struct diagram *d, long vi, struct diagram_event *out,
			  unsigned *cnt)
{
	unsigned char per[2] = { 0 };	/* period of the last two rows (1, 2) */
	size_t n = 0;

	for (long i = 0; i <= vi; i++) {
		const struct diagram_event *e = &d->ev[i];

		if (n >= 1 && per[1] == 1 && same_event(&out[n - 1], e)) {
			cnt[n - 1]++;
			continue;
		}
		if (n >= 2 && i < vi && same_event(&out[n - 2], e) &&
		    same_event(&out[n - 1], &d->ev[i + 1]) && cnt[n - 2] == cnt[n - 1] &&
		    (per[0] == per[1])) {
			cnt[n - 2]++;
			cnt[n - 1]++;
			per[0] = per[1] = 2;
			i++;
			continue;
		}
		out[n] = *e;
		cnt[n] = 1;
		per[0] = per[1];
		per[1] = 1;
		n++;
	}
	return n;
}

void diagram_print(FILE *f, const struct diagram *d, const struct violation *v, unsigned width)
{
	struct layout L = { 0 };
	struct diagram fd;
	struct diagram_event *fev;
	unsigned *cnt;
	struct row *rows;
	size_t nrows = 0;
	int col_task[DIAGRAM_MAX_ACTORS];
	bool *keep;
	long vi;
	char last_time[32] = "";

	if (width < 40)
		width = 40;
	if (!v) {
		fprintf(f, "no violation: no race diagram to draw\n");
		return;
	}
	if (!d || !d->has_v || !d->nev) {
		fprintf(f, "no race diagram: the run kept no events (trace it with --diagram)\n");
		return;
	}
	keep = calloc(d->nev, sizeof(*keep));
	rows = calloc(d->nev, sizeof(*rows));
	fev = calloc(d->nev, sizeof(*fev));
	cnt = calloc(d->nev, sizeof(*cnt));
	if (!keep || !rows || !fev || !cnt)
		abort();
	vi = select_events(d, v, keep);	/* only to find the violation */
	if (vi < 0) {
		fprintf(f, "no race diagram: the violation's event was not kept\n");
		goto out;
	}
	memset(keep, 0, d->nev * sizeof(*keep));
	fd = *d;
	fd.ev = fev;
	fd.nev = fold_events(d, vi, fev, cnt);
	vi = select_events(&fd, v, keep);
	layout_columns(&fd, keep, vi, width, &L);
	for (long i = 0; i <= vi; i++) {
		const struct diagram_event *e = &fev[i];

		if (!keep[i] || e->actor < 0 || e->actor >= DIAGRAM_MAX_ACTORS || L.col[e->actor] < 0)
			continue;
		rows[nrows].ev = (size_t)i;
		rows[nrows++].count = cnt[i];
	}
	put_title(f, v, width);
	fputc('\n', f);
	put_header(f, d, &L);
	for (int c = 0; c < DIAGRAM_MAX_ACTORS; c++)
		col_task[c] = -2;
	for (size_t r = 0; r < nrows; r++) {
		const struct diagram_event *e = &fev[rows[r].ev];
		int c = L.col[e->actor];
		char text[DIAGRAM_TEXT_LEN + 48], tb[32];
		const char *time;

		sim_format_time(e->time, tb, sizeof(tb));
		time = strcmp(tb, last_time) ? tb : NULL;
		if (col_task[c] != e->task) {
			char label[SIM_NAME_LEN + 2];

			col_task[c] = e->task;
			snprintf(label, sizeof(label), "[%s]", e->task >= 0 && e->task < d->ntasks ?
				 d->task[e->task] : "scheduler");
			put_row(f, &L, time, c, label, false, width);
			time = NULL;
		}
		if (e->violation)
			snprintf(text, sizeof(text), "*** %s ***", e->text);
		else if (rows[r].count > 1)
			snprintf(text, sizeof(text), "%s (x%u)", e->text, rows[r].count);
		else
			snprintf(text, sizeof(text), "%s", e->text);
		put_row(f, &L, time, c, text, e->violation, width);
		snprintf(last_time, sizeof(last_time), "%s", tb);
	}
	fputc('\n', f);
	put_para(f, v->msg, width, 2);
	{
		char note[256];
		int off = snprintf(note, sizeof(note), "(* involved; shown: the last %d events before "
				   "the violation and the last %d of each task it names",
				   DIAGRAM_LAST, DIAGRAM_INVOLVED);

		if (L.hidden)
			off += snprintf(note + off, sizeof(note) - off,
					"; %zu events of actors that do not fit left out", L.hidden);
		snprintf(note + off, sizeof(note) - off, ")");
		put_para(f, note, width, 0);
	}
out:
	free(keep);
	free(rows);
	free(fev);
	free(cnt);
}
