/* SPDX-License-Identifier: MIT */
/*
 * Coroutines: stackful execution contexts switched in user space.
 *
 * On x86-64 the switch is a few instructions of assembly (coro_x86_64.S)
 * that save the callee-saved registers, MXCSR and the x87 control word and
 * swap stack pointers: no system call.  Elsewhere it falls back to
 * swapcontext(3), which costs a sigprocmask system call per switch.
 *
 * Under AddressSanitizer every switch is announced with
 * __sanitizer_start_switch_fiber()/__sanitizer_finish_switch_fiber() and
 * reused stacks are unpoisoned, so the sanitizer build reports no false
 * stack errors.
 *
 * Context: single OS thread; not thread safe (one simulator a thread).
 */
#ifndef IOMMUSIM_SIM_CORO_H
#define IOMMUSIM_SIM_CORO_H

#include <stddef.h>
#include <stdbool.h>

#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif

#if !defined(__x86_64__)
#define CORO_UCONTEXT 1
#include <ucontext.h>
#endif

struct coro {
#ifdef CORO_UCONTEXT
	ucontext_t uc;
#else
	void *sp;		/* saved stack pointer while switched out */
#endif
	void *map;		/* mmap'd region: guard page + stack; NULL for main */
	size_t map_size;	/* bytes */
	void (*fn)(void *);
	void *arg;
	const void *stack_bottom;	/* for the sanitizer's fiber API */
	size_t stack_size;		/* bytes */
	bool dying;		/* last switch out of this coroutine */
};

/* Default stack size for a task, in bytes (larger under sanitizers). */
#ifdef CORO_ASAN
#define CORO_STACK_SIZE (256 * 1024)
#else
#define CORO_STACK_SIZE (64 * 1024)
#endif

/**
 * coro_init_main() - describe the calling thread's own context as a coroutine
 * so that others can switch back to it.
 * @c: storage; its stack bounds are learnt at the first switch.
 */
void coro_init_main(struct coro *c);

/**
 * coro_create() - make a coroutine that will run fn(arg) when first switched to.
 * @c: storage, zeroed by the caller or not; all fields are set.
 * @stack_size: bytes of stack (rounded up to pages), a guard page below it.
 * @fn: entry; must never return (switch away for the last time with
 *      c->dying set instead).  Returning aborts the process.
 *
 * Stacks are taken from a per-thread cache before mmap(2) is called.
 * Return: 0, or -ENOMEM when no stack could be mapped.
 */
int coro_create(struct coro *c, size_t stack_size, void (*fn)(void *), void *arg);

/**
 * coro_switch() - suspend @from and resume @to.
 *
 * Returns in @from when something switches back to it.  Set @from->dying
 * before the final switch out of a finished coroutine so the sanitizer can
 * release its fake stack.
 */
void coro_switch(struct coro *from, struct coro *to);

/**
 * coro_destroy() - return a coroutine's stack to the cache.
 * Must not be called on the running coroutine.
 */
void coro_destroy(struct coro *c);

/** coro_cache_drain() - unmap every cached stack (for leak checkers). */
void coro_cache_drain(void);

#endif
