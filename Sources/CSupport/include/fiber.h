#ifndef CSUPPORT_FIBER_H
#define CSUPPORT_FIBER_H
#include <stddef.h>

/* A saved execution context: a stack pointer (x86-64) or a ucontext (elsewhere), and the stack it runs on
   (unknown for a thread's own context until something switches back to it under AddressSanitizer). */
typedef struct csupport_fiber {
    void *sp;
    void *context;
    const void *stack;
    size_t size;
    void *fake_stack;
    void (*entry)(void *);
    void *argument;
} csupport_fiber;

/* Prepares `fiber` so that the first switch to it calls entry(argument) on the stack [stack, stack+size).
   `entry` must never return. */
void csupport_fiber_make(csupport_fiber *fiber, void *stack, size_t size, void (*entry)(void *), void *argument);
/* Saves the running context in `from` and resumes `to`. Returns when something switches back to `from`. */
void csupport_fiber_switch(csupport_fiber *from, csupport_fiber *to);
/* Frees what csupport_fiber_make allocated (nothing on x86-64). */
void csupport_fiber_free(csupport_fiber *fiber);

#endif
