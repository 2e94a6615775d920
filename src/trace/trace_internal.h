/* SPDX-License-Identifier: MIT */
/*
 * The trace sink's state, shared by trace.c (actors, threads, spans, the
 * JSON file) and trace_ring.c (the per-actor event rings of --diagram).
 */
#ifndef IOMMUSIM_TRACE_TRACE_INTERNAL_H
#define IOMMUSIM_TRACE_TRACE_INTERNAL_H

#include "trace/diagram.h"
#include "trace/trace.h"

#define TRACE_TEXT_LEN		192	/* "NAME|DETAIL" of one event */
#define TRACE_OBJ_NAME_LEN	24
#define TRACE_MAX_COUNTERS	4	/* counters per actor */

/* An open B span on a thread. */
struct trace_span {
	const char *cat;
	const void *key;
	char text[TRACE_TEXT_LEN];	/* "NAME|DETAIL" as begun */
};

/* Per task (index task id + 1; 0: the scheduler, no task). */
struct trace_thread {
	bool init;
	bool named;			/* thread_name written */
	int actor;
	struct trace_span *sp;		/* open spans, innermost last */
	int nsp, capsp;
};

struct trace_ctr {
	const char *name;
	int64_t last;
};

struct trace_actor {
	char name[SIM_NAME_LEN];
	bool named;			/* process_name written */
	struct trace_ctr ctr[TRACE_MAX_COUNTERS];
	int nctr;
	struct diagram_event *ring;	/* DIAGRAM_RING entries, or NULL */
	unsigned rhead, rn;
};

/* An outstanding async object (ATC invalidation, page request group). */
struct trace_obj {
	int actor;
	const char *cat;
	char name[TRACE_OBJ_NAME_LEN];
	uint64_t key;
	uint64_t id;
	bool flow;
	int flow_thread;		/* thread index the flow started on */
	int owner_thread;
};

struct trace {
	struct sim *s;
	FILE *f;			/* NULL: no JSON file (--diagram only) */
	char *fbuf;
	bool first;			/* no event written yet */
	bool diagram;
	struct trace_thread *th;
	int nth;
	struct trace_actor *act;
	int nact;
	struct trace_obj *obj;
	size_t nobj, capobj;
	uint64_t next_id;
	uint64_t seq;			/* diagram event order */
	bool has_v;
	uint64_t vseq;
	int vactor;
};

/* trace_ring.c */
void trace_ring_add(struct trace *t, int actor, int task, bool violation,
		    const char *text);
struct diagram *trace_ring_collect(struct trace *t);
void trace_ring_free(struct trace *t);

/* trace.c */
int trace_actor_of(struct trace *t, const struct sim_task *task);

#endif
