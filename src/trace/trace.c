// SPDX-License-Identifier: MIT
/*
 * The trace sink: actors (pids), threads (tids), span stacks, async
 * objects and the Chrome Trace Event JSON stream.  See trace.h.
 */
#include "trace/trace_internal.h"
#include "trace/jsonw.h"
#include "sim/vec.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check/violation.h"
#include "trace/evlog.h"

#define TRACE_FILE_BUF	(1 << 20)

/* ---- Actors and threads ---- */

static int actor_find_or_add(struct trace *t, const char *name)
{
	struct trace_actor *a;

	for (int i = 0; i < t->nact; i++)
		if (!strcmp(t->act[i].name, name))
			return i;
	if (t->nact >= DIAGRAM_MAX_ACTORS)
		return t->nact - 1;	/* the last one takes the rest */
	t->act = vec_realloc(t->act, t->nact + 1, sizeof(*t->act));
	a = &t->act[t->nact];
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	return t->nact++;
}

static int thread_index(const struct sim_task *task)
{
	return task ? task->id + 1 : 0;
}

static struct trace_thread *thread_get(struct trace *t, const struct sim_task *task)
{
	int i = thread_index(task);
	struct trace_thread *th;

	if (i >= t->nth) {
		int n = i + 64;

		t->th = vec_realloc(t->th, n, sizeof(*t->th));
		memset(&t->th[t->nth], 0, (n - t->nth) * sizeof(*t->th));
		t->nth = n;
	}
	th = &t->th[i];
	if (!th->init) {
		th->init = true;
		if (!task) {
			th->actor = actor_find_or_add(t, "sim");
		} else if (task->kind == SIM_TASK_HW) {
			th->actor = actor_find_or_add(t, "hw");
		} else {
			char name[SIM_NAME_LEN];

			snprintf(name, sizeof(name), "cpu%d", task->cpu);
			th->actor = actor_find_or_add(t, name);
		}
	}
	return th;
}

int trace_actor_of(struct trace *t, const struct sim_task *task)
{
	return thread_get(t, task)->actor;
}

static const struct sim_task *task_of_index(const struct trace *t, int i)
{
	return i > 0 && i - 1 < t->s->ntasks ? t->s->tasks[i - 1] : NULL;
}

/* ---- Writing events ---- */

static void ev_open(struct trace *t, char ph, int actor, int thread)
{
	sim_time_t now = t->s->now;

	fputs(t->first ? "\n" : ",\n", t->f);
	t->first = false;
	fprintf(t->f, "{\"ph\":\"%c\",\"pid\":%d,\"tid\":%d,\"ts\":%llu.%03u", ph, actor + 1,
		thread, (unsigned long long)(now / 1000), (unsigned)(now % 1000));
}

/* ,"cat":CAT,"name":NAME[,"args":{"detail":DETAIL}] from "NAME|DETAIL" */
static void ev_named(struct trace *t, const char *cat, const char *text, bool args)
{
	const char *bar = strchr(text, '|');

	fputs(",\"cat\":", t->f);
	jsonw_str(t->f, cat);
	fputs(",\"name\":", t->f);
	jsonw_strn(t->f, text, bar ? (size_t)(bar - text) : strlen(text));
	if (args && bar) {
		fputs(",\"args\":{\"detail\":", t->f);
		jsonw_str(t->f, bar + 1);
		fputc('}', t->f);
	}
}

static void ev_close(struct trace *t)
{
	fputc('}', t->f);
}

static void name_actor(struct trace *t, int actor)
{
	struct trace_actor *a = &t->act[actor];

	if (a->named || !t->f)
		return;
	a->named = true;
	ev_open(t, 'M', actor, 0);
	fputs(",\"name\":\"process_name\",\"args\":{\"name\":", t->f);
	jsonw_str(t->f, a->name);
	fputs("}}", t->f);
	ev_open(t, 'M', actor, 0);
	fprintf(t->f, ",\"name\":\"process_sort_index\",\"args\":{\"sort_index\":%d}}", actor);
}

/* The thread of @task, its actor and itself named in the file. */
static struct trace_thread *thread_named(struct trace *t, const struct sim_task *task)
{
	struct trace_thread *th = thread_get(t, task);

	if (th->named || !t->f)
		return th;
	th->named = true;
	name_actor(t, th->actor);
	ev_open(t, 'M', th->actor, thread_index(task));
	fputs(",\"name\":\"thread_name\",\"args\":{\"name\":", t->f);
	jsonw_str(t->f, task ? task->name : "scheduler");
	fputs("}}", t->f);
	return th;
}

/* "NAME|DETAIL" as the diagram shows it: "NAME DETAIL". */
static void ring_text(char *out, size_t len, const char *text)
{
	snprintf(out, len, "%s", text);
	for (char *p = out; *p; p++)
		if (*p == '|')
			*p = ' ';
}

static void ring(struct trace *t, int actor, const struct sim_task *task, bool v,
		 const char *text)
{
	char buf[DIAGRAM_TEXT_LEN];

	if (!t->diagram)
		return;
	ring_text(buf, sizeof(buf), text);
	trace_ring_add(t, actor, task ? task->id : -1, v, buf);
}

/* ---- Open and close ---- */

int trace_open(struct sim *s, const char *json_path, bool diagram)
{
	struct trace *t;

	if (s->trace)
		return -EEXIST;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->s = s;
	t->first = true;
	t->diagram = diagram;
	if (json_path) {
		t->f = fopen(json_path, "w");
		if (!t->f) {
			int err = -errno;

			free(t);
			return err;
		}
		t->fbuf = malloc(TRACE_FILE_BUF);
		if (t->fbuf)
			setvbuf(t->f, t->fbuf, _IOFBF, TRACE_FILE_BUF);
		fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", t->f);
	}
	/* CPUs first: their pids are 1..ncpus, in order. */
	for (int c = 0; c < s->cfg.ncpus; c++) {
		char name[SIM_NAME_LEN];

		snprintf(name, sizeof(name), "cpu%d", c);
		actor_find_or_add(t, name);
	}
	s->trace = t;
	return 0;
}

uint64_t trace_bytes(const struct sim *s)
{
	return s->trace && s->trace->f ? (uint64_t)ftell(s->trace->f) : 0;
}

static void flow_event(struct trace *t, const struct trace_obj *o, int thread, char ph);

static void close_outstanding(struct trace *t)
{
	for (size_t i = 0; i < t->nobj; i++) {
		struct trace_obj *o = &t->obj[i];

		if (!t->f)
			break;
		ev_open(t, 'e', o->actor, o->owner_thread);
		fputs(",\"cat\":", t->f);
		jsonw_str(t->f, o->cat);
		fputs(",\"name\":", t->f);
		jsonw_str(t->f, o->name);
		fprintf(t->f, ",\"id\":%llu,\"args\":{\"result\":\"outstanding at the end of the run\"}}",
			(unsigned long long)o->id);
		if (o->flow)
			flow_event(t, o, o->flow_thread, 'f');
	}
	t->nobj = 0;
}

static void close_spans(struct trace *t)
{
	for (int i = 0; i < t->nth; i++) {
		struct trace_thread *th = &t->th[i];

		while (t->f && th->nsp > 0) {
			struct trace_span *sp = &th->sp[--th->nsp];

			ev_open(t, 'E', th->actor, i);
			ev_named(t, sp->cat, sp->text, false);
			fputs(",\"args\":{\"unfinished\":true}}", t->f);
		}
	}
}

int trace_close(struct sim *s, struct diagram **diagram)
{
	struct trace *t = s->trace;
	int err = 0;

	if (diagram)
		*diagram = NULL;
	if (!t)
		return 0;
	close_outstanding(t);
	close_spans(t);
	if (t->f) {
		fputs("\n]}\n", t->f);
		errno = 0;
		if (fflush(t->f) || ferror(t->f))
			err = errno ? -errno : -EIO;
		if (fclose(t->f) && !err)
			err = errno ? -errno : -EIO;
	}
	if (diagram && t->diagram)
		*diagram = trace_ring_collect(t);
	trace_ring_free(t);
	for (int i = 0; i < t->nth; i++)
		free(t->th[i].sp);
	free(t->th);
	free(t->act);
	free(t->obj);
	free(t->fbuf);
	free(t);
	s->trace = NULL;
	return err;
}

/* ---- Hooks ---- */

void __trace_task_actor(const struct sim_task *task, const char *name)
{
	struct trace *t = sim_cur->trace;

	thread_get(t, task)->actor = actor_find_or_add(t, name);
}

static void span_write(struct trace *t, struct trace_thread *th, int thread, char ph,
		       const struct trace_span *sp)
{
	if (!t->f)
		return;
	ev_open(t, ph, th->actor, thread);
	ev_named(t, sp->cat, sp->text, ph == 'B');
	ev_close(t);
}

void __trace_begin(const struct sim_task *task, const char *cat, const void *key,
		   const char *fmt, ...)
{
	struct trace *t = sim_cur->trace;
	struct trace_thread *th;
	struct trace_span *sp;
	va_list ap;

	if (!task)
		task = sim_cur->current;
	th = thread_named(t, task);
	VEC_RESERVE(th->sp, th->nsp, th->capsp, 8);
	sp = &th->sp[th->nsp++];
	sp->cat = cat;
	sp->key = key;
	va_start(ap, fmt);
	vsnprintf(sp->text, sizeof(sp->text), fmt, ap);
	va_end(ap);
	span_write(t, th, thread_index(task), 'B', sp);
	ring(t, th->actor, task, false, sp->text);
}

/* The diagram's text for the end of span @sp, or NULL when not shown. */
static const char *end_text(const struct trace_span *sp, char *buf, size_t len)
{
	const char *bar = strchr(sp->text, '|');
	int n = bar ? (int)(bar - sp->text) : (int)strlen(sp->text);

	if (!strcmp(sp->cat, "lock")) {
		/* spin_lock -> spin_unlock, mutex_lock -> mutex_unlock */
		if (n > 5 && !strncmp(sp->text + n - 5, "_lock", 5))
			snprintf(buf, len, "%.*s_unlock%s", n - 5, sp->text, bar ? bar : "");
		else
			snprintf(buf, len, "%s end", sp->text);
		return buf;
	}
	if (!strcmp(sp->cat, "iommu")) {
		snprintf(buf, len, "%.*s returns", n, sp->text);
		return buf;
	}
	if (!strcmp(sp->cat, "irq") || !strcmp(sp->cat, "work")) {
		snprintf(buf, len, "%s|done", sp->text);
		return buf;
	}
	return NULL;
}

void __trace_end(const char *cat, const void *key)
{
	struct trace *t = sim_cur->trace;
	const struct sim_task *task = sim_cur->current;
	struct trace_thread *th = thread_get(t, task);
	int thread = thread_index(task), idx;
	char buf[TRACE_TEXT_LEN];
	const char *etext;

	for (idx = th->nsp - 1; idx >= 0; idx--)
		if (th->sp[idx].key == key && !strcmp(th->sp[idx].cat, cat))
			break;
	if (idx < 0)
		return;
	/* Close the spans opened inside it, then it; reopen the inner ones. */
	for (int j = th->nsp - 1; j >= idx; j--)
		span_write(t, th, thread, 'E', &th->sp[j]);
	for (int j = idx + 1; j < th->nsp; j++)
		span_write(t, th, thread, 'B', &th->sp[j]);
	etext = end_text(&th->sp[idx], buf, sizeof(buf));
	if (etext)
		ring(t, th->actor, task, false, etext);
	memmove(&th->sp[idx], &th->sp[idx + 1], (th->nsp - idx - 1) * sizeof(th->sp[0]));
	th->nsp--;
}

void __trace_instant(const struct sim_task *owner, const char *cat, const char *fmt, ...)
{
	struct trace *t = sim_cur->trace;
	const struct sim_task *task = owner ? owner : sim_cur->current;
	struct trace_thread *th = thread_named(t, task);
	char text[TRACE_TEXT_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (t->f) {
		ev_open(t, 'i', th->actor, thread_index(task));
		fputs(owner ? ",\"s\":\"p\"" : ",\"s\":\"t\"", t->f);
		ev_named(t, cat, text, true);
		ev_close(t);
	}
	ring(t, th->actor, task, false, text);
}

static struct trace_obj *obj_find(struct trace *t, int actor, const char *cat, uint64_t key)
{
	for (size_t i = 0; i < t->nobj; i++)
		if (t->obj[i].actor == actor && t->obj[i].key == key && !strcmp(t->obj[i].cat, cat))
			return &t->obj[i];
	return NULL;
}

/* Flow event @ph of @o on thread @thread; anchored if no span is open there. */
static void flow_event(struct trace *t, const struct trace_obj *o, int thread, char ph)
{
	struct trace_thread *th = thread_named(t, task_of_index(t, thread));
	bool anchor = th->nsp == 0;

	if (!t->f)
		return;
	if (anchor) {
		ev_open(t, 'B', th->actor, thread);
		ev_named(t, o->cat, o->name, false);
		ev_close(t);
	}
	ev_open(t, ph, th->actor, thread);
	fputs(",\"cat\":", t->f);
	jsonw_str(t->f, o->cat);
	fputs(",\"name\":", t->f);
	jsonw_str(t->f, o->name);
	fprintf(t->f, ",\"id\":%llu%s}", (unsigned long long)o->id, ph == 'f' ? ",\"bp\":\"e\"" : "");
	if (anchor) {
		ev_open(t, 'E', th->actor, thread);
		ev_named(t, o->cat, o->name, false);
		ev_close(t);
	}
}

static void async_write(struct trace *t, const struct trace_obj *o, char ph,
			const char *argname, const char *text)
{
	if (!t->f)
		return;
	ev_open(t, ph, o->actor, o->owner_thread);
	fputs(",\"cat\":", t->f);
	jsonw_str(t->f, o->cat);
	fputs(",\"name\":", t->f);
	jsonw_str(t->f, o->name);
	fprintf(t->f, ",\"id\":%llu,\"args\":{\"%s\":", (unsigned long long)o->id, argname);
	jsonw_str(t->f, text);
	fputs("}}", t->f);
}

static void obj_remove(struct trace *t, struct trace_obj *o)
{
	size_t i = (size_t)(o - t->obj);

	memmove(&t->obj[i], &t->obj[i + 1], (t->nobj - i - 1) * sizeof(*o));
	t->nobj--;
}

static void async_end(struct trace *t, struct trace_obj *o, const char *result)
{
	const struct sim_task *cur = sim_cur->current;
	char buf[TRACE_TEXT_LEN + 48];

	async_write(t, o, 'e', "result", result);
	if (o->flow)
		flow_event(t, o, thread_index(cur), 'f');
	snprintf(buf, sizeof(buf), "%s #%llu|%s", o->name, (unsigned long long)o->id, result);
	ring(t, thread_get(t, cur)->actor, cur, false, buf);
	obj_remove(t, o);
}

void __trace_async_begin(const struct sim_task *owner, const char *cat, const char *name,
			 uint64_t key, bool flow, const char *fmt, ...)
{
	struct trace *t = sim_cur->trace;
	const struct sim_task *cur = sim_cur->current;
	struct trace_thread *th = thread_named(t, owner);
	struct trace_obj *o = obj_find(t, th->actor, cat, key);
	char text[TRACE_TEXT_LEN], buf[TRACE_TEXT_LEN + 48];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (o)
		async_end(t, o, "superseded");
	VEC_RESERVE(t->obj, t->nobj, t->capobj, 16);
	o = &t->obj[t->nobj++];
	memset(o, 0, sizeof(*o));
	o->actor = th->actor;
	o->cat = cat;
	snprintf(o->name, sizeof(o->name), "%s", name);
	o->key = key;
	o->id = ++t->next_id;
	o->flow = flow;
	o->flow_thread = thread_index(cur);
	o->owner_thread = thread_index(owner);
	async_write(t, o, 'b', "detail", text);
	if (flow)
		flow_event(t, o, o->flow_thread, 's');
	snprintf(buf, sizeof(buf), "%s #%llu|%s", name, (unsigned long long)o->id, text);
	ring(t, thread_get(t, cur)->actor, cur, false, buf);
}

void __trace_async_end(const struct sim_task *owner, const char *cat, uint64_t key,
		       const char *fmt, ...)
{
	struct trace *t = sim_cur->trace;
	struct trace_obj *o = obj_find(t, thread_get(t, owner)->actor, cat, key);
	char text[TRACE_TEXT_LEN];
	va_list ap;

	if (!o)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	async_end(t, o, text);
}

void __trace_counter(const struct sim_task *owner, const char *name, int64_t value)
{
	struct trace *t = sim_cur->trace;
	struct trace_thread *th;
	struct trace_actor *a;
	struct trace_ctr *c = NULL;

	if (!t->f)
		return;
	th = thread_named(t, owner);
	a = &t->act[th->actor];
	for (int i = 0; i < a->nctr && !c; i++)
		if (!strcmp(a->ctr[i].name, name))
			c = &a->ctr[i];
	if (!c && a->nctr < TRACE_MAX_COUNTERS) {
		c = &a->ctr[a->nctr++];
		c->name = name;
		c->last = value - 1;
	}
	if (!c || c->last == value)
		return;
	c->last = value;
	ev_open(t, 'C', th->actor, thread_index(owner));
	fputs(",\"name\":", t->f);
	jsonw_str(t->f, name);
	fprintf(t->f, ",\"args\":{\"entries\":%lld}}", (long long)value);
}

void __trace_violation(const struct violation *v)
{
	struct trace *t = sim_cur->trace;
	const struct sim_task *cur = sim_cur->current;
	struct trace_thread *th = thread_named(t, cur);

	if (t->f) {
		ev_open(t, 'i', th->actor, thread_index(cur));
		fputs(",\"s\":\"g\",\"cat\":\"violation\",\"name\":", t->f);
		jsonw_str(t->f, violation_name(v->id));
		fputs(",\"args\":{\"message\":", t->f);
		jsonw_str(t->f, v->msg);
		fputs(",\"tasks\":[", t->f);
		for (int i = 0; i < v->ntasks; i++) {
			fputs(i ? "," : "", t->f);
			jsonw_str(t->f, v->task_names[i]);
		}
		fputs("]}}", t->f);
	}
	if (!t->diagram)
		return;
	ring(t, th->actor, cur, true, violation_name(v->id));
	if (!t->has_v) {
		t->has_v = true;
		t->vseq = t->seq;
		t->vactor = th->actor;
	}
}

void __trace_evlog(const struct evlog_entry *e)
{
	struct trace *t = sim_cur->trace;
	const struct sim_task *cur = sim_cur->current;
	struct trace_thread *th;

	/* A violation's entry: __trace_violation() draws it. */
	if (!strcmp(e->subsys, "check"))
		return;
	th = thread_named(t, cur);
	if (t->f) {
		ev_open(t, 'i', th->actor, thread_index(cur));
		fputs(",\"s\":\"t\",\"cat\":", t->f);
		jsonw_str(t->f, e->subsys);
		fputs(",\"name\":", t->f);
		jsonw_str(t->f, e->text);
		ev_close(t);
	}
	ring(t, th->actor, cur, false, e->text);
}

void __trace_printk(int level, const char *text)
{
	struct trace *t = sim_cur->trace;
	const struct sim_task *cur = sim_cur->current;
	struct trace_thread *th = thread_named(t, cur);

	if (t->f) {
		ev_open(t, 'i', th->actor, thread_index(cur));
		fputs(",\"s\":\"t\",\"cat\":\"printk\",\"name\":", t->f);
		jsonw_str(t->f, text);
		fprintf(t->f, ",\"args\":{\"level\":%d}}", level);
	}
	ring(t, th->actor, cur, false, text);
}
