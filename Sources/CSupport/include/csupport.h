#ifndef CSUPPORT_H
#define CSUPPORT_H
#include <stdint.h>
#include <sys/types.h>
#include <pthread.h>
#include "fiber.h"

/* openat2(2) with RESOLVE_IN_ROOT and friends; glibc 2.36 has no wrapper. Returns -1 and sets errno. */
int csupport_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);
/* renameat2(2). */
int csupport_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

/* flock(2); Swift resolves the name to `struct flock` and cannot call the function. */
int csupport_flock(int fd, int operation);
/* fcntl(2) F_OFD_SETLK: an open-file-description lock on `length` bytes from `start` (0: to the end);
   `type` 0 is F_RDLCK, 1 F_WRLCK, 2 F_UNLCK. Never waits. Returns -1 and sets errno. */
int csupport_ofd_setlk(int fd, int type, int64_t start, int64_t length);
/* getrandom(2); declared only under _GNU_SOURCE in glibc's headers. */
ssize_t csupport_getrandom(void *buffer, size_t length, unsigned int flags);
/* posix_spawn_file_actions_addchdir_np(3), a GNU extension Swift does not import. */
int csupport_spawn_addchdir(void *actions, const char *path);

/* The escape handler of the simulated process (a bootsim fiber) running on this thread, NULL outside one; the
   real world's backends then refuse to run (Core's RealWorldGuard). Thread-local, exchanged with the fiber's
   own by csupport_swap_escape_handler. */
void *csupport_escape_handler(void);
void csupport_swap_escape_handler(void **handler);

/* The number of CPUs in this process's affinity mask, or 1 when it cannot be read. */
int csupport_usable_cpus(void);
/* Whether CPU `cpu` is in this process's affinity mask. */
int csupport_may_use_cpu(int cpu);
/* Restricts this thread (and what it starts later) to CPU `cpu`. Returns 0 or -1 with errno. */
int csupport_pin_to_cpu(int cpu);
/* A CPU of the affinity mask other than the one this thread runs on now, or -1 when there is none. */
int csupport_other_cpu(void);
/* Makes a thread started with `attributes` run on CPU `cpu` only. Returns 0 or an errno value. */
int csupport_attr_set_cpu(pthread_attr_t *attributes, int cpu);

extern const uint64_t CSUPPORT_RESOLVE_IN_ROOT;
extern const uint64_t CSUPPORT_RESOLVE_NO_MAGICLINKS;
extern const unsigned int CSUPPORT_RENAME_NOREPLACE;
/* GNU flags hidden from Swift's Glibc module. */
extern const int CSUPPORT_O_PATH;
extern const int CSUPPORT_AT_EMPTY_PATH;
#endif
