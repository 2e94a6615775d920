/* SPDX-License-Identifier: MIT */
/*
 * x86-64 System V context switch for src/sim/coro.c.
 *
 * void coro_ctx_switch(void **save_sp, void *load_sp)
 *   Pushes the callee-saved registers (rbp rbx r12-r15), MXCSR and the x87
 *   control word on the current stack, stores the stack pointer in *save_sp,
 *   loads load_sp and pops the same frame from it.  No system call.
 *
 * coro_ctx_trampoline: first "return address" of a new stack; calls
 *   coro_ctx_entry(r12) with the stack 16-byte aligned.
 */
#if defined(__x86_64__)
	.text
	.globl	coro_ctx_switch
	.hidden	coro_ctx_switch
	.type	coro_ctx_switch, @function
coro_ctx_switch:
	.cfi_startproc
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	ldmxcsr	(%rsp)
	fldcw	4(%rsp)
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.cfi_endproc
	.size	coro_ctx_switch, .-coro_ctx_switch

	.globl	coro_ctx_trampoline
	.hidden	coro_ctx_trampoline
	.type	coro_ctx_trampoline, @function
coro_ctx_trampoline:
	.cfi_startproc
	.cfi_undefined rip
	movq	%r12, %rdi
	call	coro_ctx_entry
	ud2
	.cfi_endproc
	.size	coro_ctx_trampoline, .-coro_ctx_trampoline
#endif
	.section .note.GNU-stack,"",@progbits
