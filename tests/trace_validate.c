// SPDX-License-Identifier: MIT
/*
 * The trace validator of the tests.  See trace_validate.h.
 */
#include "trace_validate.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS	8192
#define MAX_DEPTH	256

struct vthread {
	long long pid, tid;
	bool named;
	int depth;
	const char *stack[MAX_DEPTH];
	double last_ts;
};

struct vkey {
	char key[256];		/* cat \x1f name \x1f id */
};

struct vstate {
	struct vthread *th;
	size_t nth;
	long long *pids;	/* named processes */
	size_t npids;
	struct vkey *flows, *asyncs;
	size_t nflows, nasyncs;
	char *err;
	size_t errlen;
};

static int fail(struct vstate *v, size_t idx, const char *fmt, ...)
{
	va_list ap;
	int off = snprintf(v->err, v->errlen, "event %zu: ", idx);

	va_start(ap, fmt);
	if (off >= 0 && (size_t)off < v->errlen)
		vsnprintf(v->err + off, v->errlen - off, fmt, ap);
	va_end(ap);
	return -1;
}

static struct vthread *thread(struct vstate *v, long long pid, long long tid)
{
	for (size_t i = 0; i < v->nth; i++)
		if (v->th[i].pid == pid && v->th[i].tid == tid)
			return &v->th[i];
	if (v->nth >= MAX_THREADS)
		return NULL;
	memset(&v->th[v->nth], 0, sizeof(v->th[0]));
	v->th[v->nth].pid = pid;
	v->th[v->nth].tid = tid;
	v->th[v->nth].last_ts = -1;
	return &v->th[v->nth++];
}

static bool pid_named(const struct vstate *v, long long pid)
{
	for (size_t i = 0; i < v->npids; i++)
		if (v->pids[i] == pid)
			return true;
	return false;
}

static void make_key(struct vkey *k, json_t *ev)
{
	json_t *id = json_object_get(ev, "id");
	char ids[64];

	if (json_is_integer(id))
		snprintf(ids, sizeof(ids), "%lld", (long long)json_integer_value(id));
	else if (json_is_string(id))
		snprintf(ids, sizeof(ids), "s%s", json_string_value(id));
	else
		snprintf(ids, sizeof(ids), "?");
	snprintf(k->key, sizeof(k->key), "%s\x1f%s\x1f%s",
		 json_string_value(json_object_get(ev, "cat")) ?: "",
		 json_string_value(json_object_get(ev, "name")) ?: "", ids);
}

static bool key_take(struct vkey *set, size_t *n, const struct vkey *k)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(set[i].key, k->key)) {
			set[i] = set[--*n];
			return true;
		}
	return false;
}

static int check_meta(struct vstate *v, size_t idx, json_t *ev, long long pid, long long tid)
{
	const char *name = json_string_value(json_object_get(ev, "name"));
	json_t *args = json_object_get(ev, "args");

	if (!name)
		return fail(v, idx, "M without a name");
	if (!strcmp(name, "process_name") || !strcmp(name, "thread_name")) {
		if (!json_is_string(json_object_get(args, "name")))
			return fail(v, idx, "%s without args.name", name);
		if (!strcmp(name, "process_name")) {
			v->pids = realloc(v->pids, (v->npids + 1) * sizeof(*v->pids));
			v->pids[v->npids++] = pid;
		} else {
			struct vthread *t = thread(v, pid, tid);

			if (!t)
				return fail(v, idx, "too many threads");
			t->named = true;
		}
	}
	return 0;
}

static int check_event(struct vstate *v, size_t idx, json_t *ev, struct trace_stats *st)
{
	const char *ph = json_string_value(json_object_get(ev, "ph"));
	json_t *pidj = json_object_get(ev, "pid"), *tidj = json_object_get(ev, "tid");
	json_t *tsj = json_object_get(ev, "ts");
	const char *name = json_string_value(json_object_get(ev, "name"));
	long long pid, tid;
	struct vthread *t;
	struct vkey k;
	double ts;

	if (!json_is_object(ev) || !ph || strlen(ph) != 1)
		return fail(v, idx, "not an event with a one-letter \"ph\"");
	if (!json_is_integer(pidj) || !json_is_integer(tidj))
		return fail(v, idx, "pid and tid must be integers");
	if (!json_is_number(tsj))
		return fail(v, idx, "no numeric ts");
	pid = json_integer_value(pidj);
	tid = json_integer_value(tidj);
	ts = json_number_value(tsj);
	if (ph[0] == 'M') {
		st->M++;
		return check_meta(v, idx, ev, pid, tid);
	}
	t = thread(v, pid, tid);
	if (!t)
		return fail(v, idx, "too many threads");
	if (!pid_named(v, pid))
		return fail(v, idx, "pid %lld used before its process_name", pid);
	if (!t->named)
		return fail(v, idx, "tid %lld of pid %lld used before its thread_name", tid, pid);
	switch (ph[0]) {
	case 'B':
	case 'E':
		if (ts < t->last_ts)
			return fail(v, idx, "ts %.3f before %.3f on pid %lld tid %lld", ts,
				    t->last_ts, pid, tid);
		t->last_ts = ts;
		if (ph[0] == 'B') {
			st->B++;
			if (!name)
				return fail(v, idx, "B without a name");
			if (t->depth >= MAX_DEPTH)
				return fail(v, idx, "spans nested too deep");
			t->stack[t->depth++] = name;
			return 0;
		}
		st->E++;
		if (!t->depth)
			return fail(v, idx, "E with no open B on pid %lld tid %lld", pid, tid);
		if (name && strcmp(name, t->stack[t->depth - 1]))
			return fail(v, idx, "E '%s' closes B '%s' on pid %lld tid %lld: not nested",
				    name, t->stack[t->depth - 1], pid, tid);
		t->depth--;
		return 0;
	case 'X':
		st->X++;
		return json_is_number(json_object_get(ev, "dur")) ? 0 : fail(v, idx, "X without dur");
	case 's':
	case 'f':
		make_key(&k, ev);
		if (ph[0] == 's') {
			st->s++;
			v->flows = realloc(v->flows, (v->nflows + 1) * sizeof(k));
			v->flows[v->nflows++] = k;
			return 0;
		}
		st->f++;
		return key_take(v->flows, &v->nflows, &k) ? 0 :
		       fail(v, idx, "flow end with no start (%s)", name ?: "?");
	case 'b':
	case 'e':
		make_key(&k, ev);
		if (ph[0] == 'b') {
			st->b++;
			v->asyncs = realloc(v->asyncs, (v->nasyncs + 1) * sizeof(k));
			v->asyncs[v->nasyncs++] = k;
			return 0;
		}
		st->e++;
		return key_take(v->asyncs, &v->nasyncs, &k) ? 0 :
		       fail(v, idx, "async end with no begin (%s)", name ?: "?");
	case 'i': {
		const char *sc = json_string_value(json_object_get(ev, "s"));
		const char *cat = json_string_value(json_object_get(ev, "cat"));

		st->i++;
		if (cat && !strcmp(cat, "violation"))
			st->violations++;
		if (!sc || !strchr("gpt", sc[0]) || sc[1])
			return fail(v, idx, "instant without scope g, p or t");
		return name ? 0 : fail(v, idx, "instant without a name");
	}
	case 'C': {
		json_t *args = json_object_get(ev, "args"), *val;
		const char *key;

		st->C++;
		if (!json_is_object(args) || !json_object_size(args))
			return fail(v, idx, "counter without args");
		json_object_foreach(args, key, val)
			if (!json_is_number(val))
				return fail(v, idx, "counter %s is not a number", key);
		return 0;
	}
	}
	return fail(v, idx, "unknown phase '%s'", ph);
}

int trace_validate(const char *path, struct trace_stats *stp, char *err, size_t errlen)
{
	struct trace_stats st = { 0 };
	struct vstate v = { .err = err, .errlen = errlen };
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *evs;
	int ret = 0;

	v.th = calloc(MAX_THREADS, sizeof(*v.th));
	if (!root) {
		snprintf(err, errlen, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		free(v.th);
		return -1;
	}
	evs = json_object_get(root, "traceEvents");
	if (!json_is_object(root) || !json_is_array(evs)) {
		snprintf(err, errlen, "no traceEvents array");
		ret = -1;
	} else if (!json_is_string(json_object_get(root, "displayTimeUnit")) ||
		   strcmp(json_string_value(json_object_get(root, "displayTimeUnit")), "ns")) {
		snprintf(err, errlen, "displayTimeUnit is not \"ns\"");
		ret = -1;
	}
	for (size_t i = 0; !ret && i < json_array_size(evs); i++) {
		st.events++;
		ret = check_event(&v, i, json_array_get(evs, i), &st);
	}
	for (size_t i = 0; !ret && i < v.nth; i++)
		if (v.th[i].depth) {
			snprintf(err, errlen, "B '%s' never closed on pid %lld tid %lld",
				 v.th[i].stack[v.th[i].depth - 1], v.th[i].pid, v.th[i].tid);
			ret = -1;
		}
	if (!ret && v.nflows) {
		snprintf(err, errlen, "%zu flow(s) never finished (first: %s)", v.nflows, v.flows[0].key);
		ret = -1;
	}
	if (!ret && v.nasyncs) {
		snprintf(err, errlen, "%zu async span(s) never ended (first: %s)", v.nasyncs,
			 v.asyncs[0].key);
		ret = -1;
	}
	if (stp)
		*stp = st;
	json_decref(root);
	free(v.th);
	free(v.pids);
	free(v.flows);
	free(v.asyncs);
	return ret;
}
