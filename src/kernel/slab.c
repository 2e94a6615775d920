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

static size_t ptr_hash(const void *p, size_t cap)
{
	uint64_t x = (uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x & (cap - 1);
}

static void ht_insert_raw(struct kobj_hdr **ht, size_t cap, struct kobj_hdr *h)
{
	size_t i = ptr_hash(h->data, cap);

	while (ht[i])
		i = (i + 1) & (cap - 1);
	ht[i] = h;
}

static void ht_insert(struct kstate *ks, struct kobj_hdr *h)
{
	if (2 * (ks->ht_n + 1) > ks->ht_cap) {
		size_t cap = ks->ht_cap ? ks->ht_cap * 2 : 1024;
		struct kobj_hdr **ht = calloc(cap, sizeof(*ht));

		if (!ht)
			abort();
		for (size_t i = 0; i < ks->ht_cap; i++)
			if (ks->ht[i])
				ht_insert_raw(ht, cap, ks->ht[i]);
		free(ks->ht);
		ks->ht = ht;
		ks->ht_cap = cap;
	}
	ht_insert_raw(ks->ht, ks->ht_cap, h);
	ks->ht_n++;
}

/* The tracked object starting at @p, or NULL (static, stack, garbage). */
static struct kobj_hdr *kobj_lookup(const void *p)
{
	struct kstate *ks = sim_cur->kernel;
	size_t i;

	if (!ks || !ks->ht_cap)
		return NULL;
	for (i = ptr_hash(p, ks->ht_cap); ks->ht[i]; i = (i + 1) & (ks->ht_cap - 1))
		if ((const void *)ks->ht[i]->data == p)
			return ks->ht[i];
	return NULL;
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
	ht_insert(ks, h);
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

/*
 * After a use-after-free the task holds pointers into poisoned memory:
 * going on would dereference garbage.  Like an oops, the task ends here
 * (or the whole run, when it stops at the first violation).
 */
static void uaf_fatal(void)
{
	if (!current)
		abort();
	if (sim_cur->stop)
		sim_point();	/* leaves for the main context: never returns */
	sim_exit();
}

static bool is_poison_ptr(const void *p)
{
	return ((uintptr_t)p & ~(uintptr_t)0xff) == 0x6b6b6b6b6b6b6b00ULL;
}

void kfree(const void *p)
{
	struct kobj_hdr *h;
	struct sim_task *t = current;

	if (!p)
		return;
	h = kobj_lookup(p);
	if (!h) {
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
	struct kobj_hdr *h = kobj_lookup(p);
	va_list ap;

	if (!h)
		return;
	va_start(ap, fmt);
	vsnprintf(h->name, sizeof(h->name), fmt, ap);
	va_end(ap);
}

const void *__kobj_use(const void *p, const char *what, const char *file, int line)
{
	struct kobj_hdr *h;

	if (!p)
		return p;
	if (is_poison_ptr(p)) {
		check_report(V_USE_AFTER_FREE, NULL, 0,
			     "%s through a pointer loaded from freed memory (poison 0x6b) at %s:%d by '%s'",
			     what, file, line, current ? current->name : "main");
		uaf_fatal();
	}
	h = kobj_lookup(p);
	if (h && h->freed) {
		report_uaf(h, what, file, line);
		uaf_fatal();
	}
	return p;
}

bool kobj_is_freed(const void *p)
{
	struct kobj_hdr *h = p ? kobj_lookup(p) : NULL;

	return h && h->freed;
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
	free(ks->ht);
	ks->ht = NULL;
	ks->ht_cap = ks->ht_n = 0;
}
