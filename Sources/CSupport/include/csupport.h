#ifndef CSUPPORT_H
#define CSUPPORT_H
#include <stdint.h>
#include <sys/types.h>

/* openat2(2) with RESOLVE_IN_ROOT and friends; glibc 2.36 has no wrapper. Returns -1 and sets errno. */
int csupport_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);
/* renameat2(2). */
int csupport_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

extern const uint64_t CSUPPORT_RESOLVE_IN_ROOT;
extern const uint64_t CSUPPORT_RESOLVE_NO_MAGICLINKS;
extern const unsigned int CSUPPORT_RENAME_NOREPLACE;
#endif
