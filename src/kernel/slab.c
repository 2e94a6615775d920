// SPDX-License-Identifier: MIT
/*
 * Tracked allocations.  See slab.h.
 */
#include "kernel/slab.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "check/violation.h"
#include "kernel/kstate.h"
#include "kernel/sched.h"
#include "trace/evlog.h"

#define KOBJ_MAGIC	0x6b6f626a5f686472ULL	/* "kobj_hdr" */
#define POISON_FREE	0x6b
#define POISON_INUSE	0xa5

struct kobj_hdr {
	uint64_t magic;
	struct kobj_hdr *next;		/* every object of the run */
	size_t size;
	bool freed;
	char name[40];
	int alloc_task, free_task;	/* task ids, -1: main context */
	char free_task_name[SIM_NAME_LEN];
	sim_time_t free_time;
	_Alignas(16) unsigned char data[];
};

static struct kobj_hdr *hdr_of(const void *p)
{
	return (struct kobj_hdr *)((char *)p - offsetof(struct kobj_hdr, data));
}

static void *alloc(size_t size, gfp_t gfp, bool zero)
{
	struct kstate *ks = kstate();
	struct kobj_hdr *h;

	if (gfp & GFP_KERNEL)
		might_sleep();
	h = malloc(sizeof(*h) + size);
	if (!h)
		abort();
	memset(h, 0, sizeof(*h));
	h->magic = KOBJ_MAGIC;
	h->size = size;
	h->alloc_task = current ? current->id : -1;
	h->free_task = -1;
	snprintf(h->name, sizeof(h->name), "object#%llu", (unsigned long long)ks->nobjs_live);
	memset(h->data, zero ? 0 : POISON_INUSE, size);
	h->next = ks->objs;
	ks->objs = h;
	ks->nobjs_live++;
	return h->data;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	return alloc(size, gfp, gfp & __GFP_ZERO);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return alloc(size, gfp, true);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return alloc(n * size, gfp, true);
}

static void report_uaf(struct kobj_hdr *h, const char *what, const char *file, int line)
{
	struct sim *s = sim_cur;
	struct sim_task *freer = h->free_task >= 0 ? s->tasks[h->free_task] : NULL;
	char tb[32];

	check_report(V_USE_AFTER_FREE, &freer, freer ? 1 : 0,
		     "%s of freed %s (%zu bytes) at %s:%d by '%s'; freed by '%s' at %s",
		     what, h->name, h->size, file, line,
		     current ? current->name : "main", h->free_task_name,
		     sim_format_time(h->free_time, tb, sizeof(tb)));
}

void kfree(const void *p)
{
	struct kobj_hdr *h;
	struct sim_task *t = current;

	if (!p)
		return;
	h = hdr_of(p);
	if (h->magic != KOBJ_MAGIC) {
		fprintf(stderr, "iommusim: kfree of a pointer kmalloc did not return\n");
		abort();
	}
	if (h->freed) {
		report_uaf(h, "kfree (double free)", "kfree", 0);
		return;
	}
	h->freed = true;
	h->free_task = t ? t->id : -1;
	snprintf(h->free_task_name, sizeof(h->free_task_name), "%s", t ? t->name : "main");
	h->free_time = sim_cur->now;
	memset(h->data, POISON_FREE, h->size);
	kstate()->nobjs_live--;
}

void kobj_set_name(const void *p, const char *fmt, ...)
{
	struct kobj_hdr *h = hdr_of(p);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->name, sizeof(h->name), fmt, ap);
	va_end(ap);
}

const void *__kobj_use(const void *p, const char *what, const char *file, int line)
{
	struct kobj_hdr *h;

	if (!p)
		return p;
	h = hdr_of(p);
	if (h->magic == KOBJ_MAGIC && h->freed)
		report_uaf(h, what, file, line);
	return p;
}

bool kobj_is_freed(const void *p)
{
	return p && hdr_of(p)->freed;
}

uint64_t kobj_live_count(void)
{
	return kstate()->nobjs_live;
}

/* Called from kstate's destructor: release every object of the run. */
void kobj_free_all(struct kstate *ks);
void kobj_free_all(struct kstate *ks)
{
	struct kobj_hdr *h = ks->objs;

	while (h) {
		struct kobj_hdr *n = h->next;

		h->magic = 0;
		free(h);
		h = n;
	}
	ks->objs = NULL;
}
