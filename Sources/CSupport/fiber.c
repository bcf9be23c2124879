// Fibers: a stack and a saved context, switched by hand on one thread. On x86-64 the switch saves only the
// callee-saved registers and the FPU control words (no system call); elsewhere it falls back to ucontext.
// Under AddressSanitizer every switch is announced to it, so it follows the stack in use.
#define _GNU_SOURCE
#include "fiber.h"
#include <stdint.h>
#include <stdlib.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CSUPPORT_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CSUPPORT_ASAN 1
#endif

#ifdef CSUPPORT_ASAN
#include <sanitizer/common_interface_defs.h>
// The fiber that switched to the one now arriving; the thread's own context learns its stack from this.
static __thread csupport_fiber *switching_from;
static void arrived(void *fake_stack) {
    const void *bottom = NULL;
    size_t size = 0;
    __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
    if (switching_from != NULL && switching_from->stack == NULL) {
        switching_from->stack = bottom;
        switching_from->size = size;
    }
}
#endif

// Where a new fiber starts: tell the sanitizer it arrived, then run the entry, which never returns.
static void fiber_begin(csupport_fiber *fiber) {
#ifdef CSUPPORT_ASAN
    arrived(NULL);
#endif
    fiber->entry(fiber->argument);
    abort();
}

static void fiber_swap(csupport_fiber *from, csupport_fiber *to);

void csupport_fiber_switch(csupport_fiber *from, csupport_fiber *to) {
#ifdef CSUPPORT_ASAN
    switching_from = from;
    __sanitizer_start_switch_fiber(&from->fake_stack, to->stack, to->size);
#endif
    fiber_swap(from, to);
#ifdef CSUPPORT_ASAN
    arrived(from->fake_stack);
#endif
}

#if defined(__x86_64__)

void csupport_fiber_trampoline(void);
void csupport_fiber_swap(csupport_fiber *from, csupport_fiber *to);

__asm__(
    ".text\n"
    ".globl csupport_fiber_swap\n"
    ".type csupport_fiber_swap,@function\n"
    "csupport_fiber_swap:\n"
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
    ".size csupport_fiber_swap, .-csupport_fiber_swap\n"
    ".globl csupport_fiber_trampoline\n"
    ".type csupport_fiber_trampoline,@function\n"
    "csupport_fiber_trampoline:\n"
    "    movq %r13, %rdi\n"
    "    callq *%r12\n"
    "    ud2\n"
    ".size csupport_fiber_trampoline, .-csupport_fiber_trampoline\n");

static void fiber_swap(csupport_fiber *from, csupport_fiber *to) { csupport_fiber_swap(from, to); }

void csupport_fiber_make(csupport_fiber *fiber, void *stack, size_t size, void (*entry)(void *), void *argument) {
    uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
    uint64_t *frame = (uint64_t *)(top - 64);
    // What csupport_fiber_swap pops: control words, r15, r14, r13, r12, rbx, rbp, then the return address.
    uint32_t *control = (uint32_t *)frame;
    control[0] = 0x1F80;  // MXCSR: all exceptions masked, round to nearest
    control[1] = 0x037F;  // x87 control word: the same
    frame[1] = 0;
    frame[2] = 0;
    frame[3] = (uint64_t)(uintptr_t)fiber;
    frame[4] = (uint64_t)(uintptr_t)fiber_begin;
    frame[5] = 0;
    frame[6] = 0;
    frame[7] = (uint64_t)(uintptr_t)csupport_fiber_trampoline;
    fiber->sp = frame;
    fiber->context = NULL;
    fiber->stack = stack;
    fiber->size = size;
    fiber->entry = entry;
    fiber->argument = argument;
}

void csupport_fiber_free(csupport_fiber *fiber) { (void)fiber; }

#else

#include <ucontext.h>

static ucontext_t *context_of(csupport_fiber *fiber) {
    if (fiber->context == NULL) fiber->context = calloc(1, sizeof(ucontext_t));
    return fiber->context;
}

// makecontext passes int arguments: the fiber's address travels in two halves.
static void fiber_start(unsigned high, unsigned low) {
    fiber_begin((csupport_fiber *)(((uintptr_t)high << 32) | low));
}

void csupport_fiber_make(csupport_fiber *fiber, void *stack, size_t size, void (*entry)(void *), void *argument) {
    ucontext_t *context = context_of(fiber);
    getcontext(context);
    context->uc_stack.ss_sp = stack;
    context->uc_stack.ss_size = size;
    context->uc_link = NULL;
    fiber->stack = stack;
    fiber->size = size;
    fiber->entry = entry;
    fiber->argument = argument;
    uintptr_t bits = (uintptr_t)fiber;
    makecontext(context, (void (*)(void))fiber_start, 2, (unsigned)(bits >> 32), (unsigned)bits);
}

static void fiber_swap(csupport_fiber *from, csupport_fiber *to) { swapcontext(context_of(from), context_of(to)); }

void csupport_fiber_free(csupport_fiber *fiber) {
    free(fiber->context);
    fiber->context = NULL;
}

#endif
