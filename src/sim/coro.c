// SPDX-License-Identifier: MIT
/*
 * Coroutines for the simulator's tasks.  See coro.h.
 */
#include "sim/coro.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef CORO_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

/* Stack cache: stacks of the default size are kept for reuse. */
#define CORO_CACHE_MAX 256
static __thread void *stack_cache[CORO_CACHE_MAX];
static __thread size_t stack_cache_size[CORO_CACHE_MAX];
static __thread int stack_cache_n;

/* The coroutine being switched away from, for the sanitizer's bookkeeping. */
static __thread struct coro *switch_from;

static size_t page_size(void)
{
	static size_t ps;

	if (!ps)
		ps = (size_t)sysconf(_SC_PAGESIZE);
	return ps;
}

static void *stack_get(size_t map_size)
{
	for (int i = stack_cache_n - 1; i >= 0; i--) {
		if (stack_cache_size[i] == map_size) {
			void *p = stack_cache[i];

			stack_cache[i] = stack_cache[--stack_cache_n];
			stack_cache_size[i] = stack_cache_size[stack_cache_n];
			return p;
		}
	}
	void *p = mmap(NULL, map_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* Guard page at the low end: a stack overflow faults at once. */
	if (mprotect(p, page_size(), PROT_NONE)) {
		munmap(p, map_size);
		return NULL;
	}
	return p;
}

static void stack_put(void *p, size_t map_size)
{
	if (stack_cache_n < CORO_CACHE_MAX) {
		stack_cache[stack_cache_n] = p;
		stack_cache_size[stack_cache_n++] = map_size;
		return;
	}
	munmap(p, map_size);
}

void coro_cache_drain(void)
{
	while (stack_cache_n > 0) {
		stack_cache_n--;
		munmap(stack_cache[stack_cache_n], stack_cache_size[stack_cache_n]);
	}
}

static void finish_switch(void *fake_stack)
{
#ifdef CORO_ASAN
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
	/* Learn the bounds of the stack we came from (the main stack's). */
	if (switch_from && !switch_from->stack_bottom) {
		switch_from->stack_bottom = bottom;
		switch_from->stack_size = size;
	}
#else
	(void)fake_stack;
#endif
}

/* First code run on a new coroutine's stack. */
void coro_ctx_entry(struct coro *c);
void coro_ctx_entry(struct coro *c)
{
	finish_switch(NULL);
	c->fn(c->arg);
	fprintf(stderr, "iommusim: coroutine entry returned\n");
	abort();
}

void coro_init_main(struct coro *c)
{
	memset(c, 0, sizeof(*c));
}

#ifdef CORO_UCONTEXT
static void uc_entry(unsigned int hi, unsigned int lo)
{
	uintptr_t p = ((uintptr_t)hi << 32) | lo;

	coro_ctx_entry((struct coro *)p);
}
#else
void coro_ctx_switch(void **save_sp, void *load_sp);
void coro_ctx_trampoline(void);
#endif

int coro_create(struct coro *c, size_t stack_size, void (*fn)(void *), void *arg)
{
	size_t ps = page_size();
	size_t map_size = ((stack_size + ps - 1) & ~(ps - 1)) + ps;

	memset(c, 0, sizeof(*c));
	c->map = stack_get(map_size);
	if (!c->map)
		return -ENOMEM;
	c->map_size = map_size;
	c->fn = fn;
	c->arg = arg;
	c->stack_bottom = (char *)c->map + ps;
	c->stack_size = map_size - ps;
#ifdef CORO_ASAN
	/* A reused stack keeps the poison of its last owner's frames. */
	ASAN_UNPOISON_MEMORY_REGION(c->stack_bottom, c->stack_size);
#endif
#ifdef CORO_UCONTEXT
	getcontext(&c->uc);
	c->uc.uc_stack.ss_sp = (void *)c->stack_bottom;
	c->uc.uc_stack.ss_size = c->stack_size;
	c->uc.uc_link = NULL;
	uintptr_t p = (uintptr_t)c;
	makecontext(&c->uc, (void (*)(void))uc_entry, 2,
		    (unsigned int)(p >> 32), (unsigned int)p);
#else
	/*
	 * Frame popped by coro_ctx_switch, low to high: MXCSR + x87 CW,
	 * r15 r14 r13 r12 rbx rbp, return address.  After the ret the stack
	 * pointer is 16-byte aligned, as the trampoline's call expects.
	 */
	uintptr_t top = ((uintptr_t)c->stack_bottom + c->stack_size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)(top - 16);

	*--sp = (uint64_t)(uintptr_t)coro_ctx_trampoline;	/* ret */
	*--sp = 0;			/* rbp */
	*--sp = 0;			/* rbx */
	*--sp = (uint64_t)(uintptr_t)c;	/* r12: argument of coro_ctx_entry */
	*--sp = 0;			/* r13 */
	*--sp = 0;			/* r14 */
	*--sp = 0;			/* r15 */
	*--sp = 0x1f80ULL | (0x037fULL << 32);	/* MXCSR, x87 control word */
	c->sp = sp;
#endif
	return 0;
}

void coro_switch(struct coro *from, struct coro *to)
{
#ifdef CORO_ASAN
	void *fake_stack = NULL;

	__sanitizer_start_switch_fiber(from->dying ? NULL : &fake_stack,
				       to->stack_bottom, to->stack_size);
#else
	void *fake_stack = NULL;
#endif
	switch_from = from;
#ifdef CORO_UCONTEXT
	swapcontext(&from->uc, &to->uc);
#else
	coro_ctx_switch(&from->sp, to->sp);
#endif
	finish_switch(fake_stack);
}

void coro_destroy(struct coro *c)
{
	if (c->map)
		stack_put(c->map, c->map_size);
	c->map = NULL;
}
