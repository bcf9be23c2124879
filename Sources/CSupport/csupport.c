#define _GNU_SOURCE
#include "csupport.h"
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/random.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

const uint64_t CSUPPORT_RESOLVE_IN_ROOT = RESOLVE_IN_ROOT;
const uint64_t CSUPPORT_RESOLVE_NO_MAGICLINKS = RESOLVE_NO_MAGICLINKS;
const unsigned int CSUPPORT_RENAME_NOREPLACE = RENAME_NOREPLACE;
const int CSUPPORT_O_PATH = O_PATH;
const int CSUPPORT_AT_EMPTY_PATH = AT_EMPTY_PATH;

int csupport_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how = { .flags = flags, .mode = mode, .resolve = resolve };
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

int csupport_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
    return renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
}

int csupport_flock(int fd, int operation) {
    return flock(fd, operation);
}

int csupport_ofd_setlk(int fd, int type, int64_t start, int64_t length) {
    static const short types[] = { F_RDLCK, F_WRLCK, F_UNLCK };
    if (type < 0 || type > 2) { errno = EINVAL; return -1; }
    struct flock lock = { .l_type = types[type], .l_whence = SEEK_SET, .l_start = start, .l_len = length, .l_pid = 0 };
    return fcntl(fd, F_OFD_SETLK, &lock);
}

ssize_t csupport_getrandom(void *buffer, size_t length, unsigned int flags) {
    return getrandom(buffer, length, flags);
}

int csupport_spawn_addchdir(void *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np((posix_spawn_file_actions_t *)actions, path);
}

int csupport_usable_cpus(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
    int count = CPU_COUNT(&set);
    return count > 0 ? count : 1;
}

int csupport_may_use_cpu(int cpu) {
    cpu_set_t set;
    if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    return CPU_ISSET(cpu, &set) ? 1 : 0;
}

int csupport_other_cpu(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return -1;
    int here = sched_getcpu();
    if (here < 0) here = 0;
    for (int step = 1; step < CPU_SETSIZE; step++) {
        int cpu = (here + step) % CPU_SETSIZE;
        if (CPU_ISSET(cpu, &set)) return cpu;
    }
    return -1;
}

int csupport_attr_set_cpu(pthread_attr_t *attributes, int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return EINVAL;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_attr_setaffinity_np(attributes, sizeof set, &set);
}

int csupport_pin_to_cpu(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) { errno = EINVAL; return -1; }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set);
}

static _Thread_local void *escape_handler;

void *csupport_escape_handler(void) { return escape_handler; }

void csupport_swap_escape_handler(void **handler) {
    void *old = escape_handler;
    escape_handler = *handler;
    *handler = old;
}
