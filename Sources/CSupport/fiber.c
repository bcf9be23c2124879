// Fibers: a stack and a saved context, switched by hand on one thread. On x86-64 the switch saves only the
// callee-saved registers and the FPU control words (no system call); elsewhere it falls back to ucontext.
// The switches are not annotated for AddressSanitizer: run the simulation's tests without --sanitize=address.
#define _GNU_SOURCE
#include "fiber.h"
#include <stdint.h>
#include <stdlib.h>

#if defined(__x86_64__)

void csupport_fiber_trampoline(void);

__asm__(
    ".text\n"
    ".globl csupport_fiber_switch\n"
    ".type csupport_fiber_switch,@function\n"
    "csupport_fiber_switch:\n"
    "    pushq %rbp\n"
    "    pushq %rbx\n"
    "    pushq %r12\n"
    "    pushq %r13\n"
    "    pushq %r14\n"
    "    pushq %r15\n"
    "    subq $8, %rsp\n"
    "    stmxcsr (%rsp)\n"
    "    fnstcw 4(%rsp)\n"
    "    movq %rsp, (%rdi)\n"
    "    movq (%rsi), %rsp\n"
    "    ldmxcsr (%rsp)\n"
    "    fldcw 4(%rsp)\n"
    "    addq $8, %rsp\n"
    "    popq %r15\n"
    "    popq %r14\n"
    "    popq %r13\n"
    "    popq %r12\n"
    "    popq %rbx\n"
    "    popq %rbp\n"
    "    ret\n"
    ".size csupport_fiber_switch, .-csupport_fiber_switch\n"
    ".globl csupport_fiber_trampoline\n"
    ".type csupport_fiber_trampoline,@function\n"
    "csupport_fiber_trampoline:\n"
    "    movq %r13, %rdi\n"
    "    callq *%r12\n"
    "    ud2\n"
    ".size csupport_fiber_trampoline, .-csupport_fiber_trampoline\n");

void csupport_fiber_make(csupport_fiber *fiber, void *stack, size_t size, void (*entry)(void *), void *argument) {
    uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
    uint64_t *frame = (uint64_t *)(top - 64);
    // What csupport_fiber_switch pops: control words, r15, r14, r13, r12, rbx, rbp, then the return address.
    uint32_t *control = (uint32_t *)frame;
    control[0] = 0x1F80;  // MXCSR: all exceptions masked, round to nearest
    control[1] = 0x037F;  // x87 control word: the same
    frame[1] = 0;
    frame[2] = 0;
    frame[3] = (uint64_t)(uintptr_t)argument;
    frame[4] = (uint64_t)(uintptr_t)entry;
    frame[5] = 0;
    frame[6] = 0;
    frame[7] = (uint64_t)(uintptr_t)csupport_fiber_trampoline;
    fiber->sp = frame;
    fiber->context = NULL;
}

void csupport_fiber_free(csupport_fiber *fiber) { (void)fiber; }

#else

#include <ucontext.h>

static ucontext_t *context_of(csupport_fiber *fiber) {
    if (fiber->context == NULL) fiber->context = calloc(1, sizeof(ucontext_t));
    return fiber->context;
}

void csupport_fiber_make(csupport_fiber *fiber, void *stack, size_t size, void (*entry)(void *), void *argument) {
    ucontext_t *context = context_of(fiber);
    getcontext(context);
    context->uc_stack.ss_sp = stack;
    context->uc_stack.ss_size = size;
    context->uc_link = NULL;
    // makecontext passes int arguments: split the pointer in two halves.
    uintptr_t bits = (uintptr_t)argument, fn = (uintptr_t)entry;
    makecontext(context, (void (*)(void))csupport_fiber_start, 4, (unsigned)(fn >> 32), (unsigned)fn,
                (unsigned)(bits >> 32), (unsigned)bits);
}

void csupport_fiber_start(unsigned fn_high, unsigned fn_low, unsigned arg_high, unsigned arg_low) {
    void (*entry)(void *) = (void (*)(void *))(((uintptr_t)fn_high << 32) | fn_low);
    entry((void *)(((uintptr_t)arg_high << 32) | arg_low));
    abort();
}

void csupport_fiber_switch(csupport_fiber *from, csupport_fiber *to) { swapcontext(context_of(from), context_of(to)); }

void csupport_fiber_free(csupport_fiber *fiber) {
    free(fiber->context);
    fiber->context = NULL;
}

#endif
