#ifndef CFUSE3_SHIM_H
#define CFUSE3_SHIM_H
#define FUSE_USE_VERSION 35
#include <fuse3/fuse_lowlevel.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>

/// fuse_session_new with the arguments bootsim always uses: `fsname` and allow_other, plus
/// default_permissions when `kernel_checks` (the kernel checks modes, for a server that answers as root).
/// Without it the server checks each request's caller itself, and the kernel sends no GETATTR to refresh
/// the modes it would check (two per create, rename and stat loop).
static inline struct fuse_session *simfuse_session_new(const char *fsname, const struct fuse_lowlevel_ops *ops,
                                                      void *userdata, int kernel_checks) {
    char option[512];
    snprintf(option, sizeof option, "fsname=%s,subtype=bootsim,allow_other%s", fsname,
             kernel_checks ? ",default_permissions" : "");
    char *argv[] = {(char *)"bootsim", (char *)"-o", option, NULL};
    struct fuse_args args = FUSE_ARGS_INIT(3, argv);
    struct fuse_session *se = fuse_session_new(&args, ops, sizeof *ops, userdata);
    fuse_opt_free_args(&args);
    return se;
}

/// The init callback's connection tweaks: no writeback cache (every write reaches the server at once),
/// and locks stay local in the kernel (no lock handlers are registered).
static inline void simfuse_configure(struct fuse_conn_info *conn) {
    conn->want &= ~(unsigned)FUSE_CAP_WRITEBACK_CACHE;
    conn->want &= ~(unsigned)FUSE_CAP_READDIRPLUS;
    conn->want &= ~(unsigned)FUSE_CAP_READDIRPLUS_AUTO;
}

/// Clears the bit-fields of an open reply: no direct_io (mmap MAP_SHARED works), no kept page cache.
static inline void simfuse_plain_open(struct fuse_file_info *fi) {
    fi->direct_io = 0;
    fi->keep_cache = 0;
}

/// How long the kernel may keep names and attributes. Between reboots every change goes through the
/// kernel, which updates its caches itself; a reboot drops every cached name explicitly
/// (notify_inval_entry), after which every node is new, and the root's attributes are invalidated.
#define SIMFUSE_ATTR_TIMEOUT 1.0
#define SIMFUSE_ENTRY_TIMEOUT 1.0

/// An entry for `ino` with attributes `attr`, cached for the timeouts above; with `uncached` the name is not
/// kept (a name in a directory that not everyone may search: the server checks each walk through it).
static inline struct fuse_entry_param simfuse_entry(fuse_ino_t ino, const struct stat *attr, int uncached) {
    struct fuse_entry_param e;
    memset(&e, 0, sizeof e);
    e.ino = ino;
    e.generation = 1;
    e.attr = *attr;
    e.attr_timeout = SIMFUSE_ATTR_TIMEOUT;
    e.entry_timeout = uncached ? 0 : SIMFUSE_ENTRY_TIMEOUT;
    return e;
}

static inline int simfuse_reply_attr(fuse_req_t req, const struct stat *attr) {
    return fuse_reply_attr(req, attr, SIMFUSE_ATTR_TIMEOUT);
}

/// One buffer of a received request, owned by the caller (free with simfuse_buf_free).
static inline struct fuse_buf *simfuse_buf_new(void) { return calloc(1, sizeof(struct fuse_buf)); }
static inline void simfuse_buf_free(struct fuse_buf *buf) {
    if (buf) { free(buf->mem); free(buf); }
}
#endif
