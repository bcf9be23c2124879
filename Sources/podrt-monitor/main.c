// podrt-monitor: one per container, as conmon is for podman. It runs `RUNTIME run --detach` (create and start
// in one runtime process: podman's create-then-start costs a second one), then stays as the
// container's parent (a child subreaper, so runc's init is reparented to it), writes the container's stdout
// and stderr to a log in the k8s-file format (podman's default) and, when the container exits, writes its exit
// code and time to the exit file. No podrt process needs to be running for any of that.
//
// The process podrt spawns forks once: the child is the monitor, in a session of its own; the parent waits
// for the start to finish and exits 0 when it succeeded, 1 when the runtime failed (its message is in the
// runtime log, --log), so podrt waits for its own child as for any other program.
//
// usage: podrt-monitor RUNTIME RUNTIME_ROOT RUNTIME_LOG BUNDLE ID PID_FILE CTR_LOG EXIT_FILE
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) {
    dprintf(2, "podrt-monitor: %s: %s\n", what, strerror(errno));
    _exit(1);
}

static void write_all(int fd, const char *bytes, size_t count) {
    while (count > 0) {
        ssize_t done = write(fd, bytes, count);
        if (done < 0) {
            if (errno == EINTR) continue;
            return;  // a full disk loses log lines, not the container
        }
        bytes += done;
        count -= (size_t)done;
    }
}

// "2026-12-04T01:25:01.349733927+00:00", as conmon writes k8s-file timestamps.
static int timestamp(char *out, size_t size) {
    struct timespec now;
    struct tm utc;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &utc);
    return snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09ld+00:00", utc.tm_year + 1900, utc.tm_mon + 1,
                    utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, now.tv_nsec);
}

// One read of a stream becomes k8s-file lines: "TIME STREAM F text" for a whole line, "P" for a piece that
// did not end with a newline yet.
static void log_chunk(int log, const char *stream, const char *bytes, size_t count) {
    char stamp[64];
    int length = timestamp(stamp, sizeof stamp);
    while (count > 0) {
        const char *newline = memchr(bytes, '\n', count);
        size_t line = newline ? (size_t)(newline - bytes) : count;
        char head[96];
        int headLength = snprintf(head, sizeof head, "%.*s %s %c ", length, stamp, stream, newline ? 'F' : 'P');
        write_all(log, head, (size_t)headLength);
        write_all(log, bytes, line);
        write_all(log, "\n", 1);
        size_t used = newline ? line + 1 : line;
        bytes += used;
        count -= used;
    }
}

static pid_t read_pid(const char *path) {
    char text[32] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t count = read(fd, text, sizeof text - 1);
    close(fd);
    return count > 0 ? (pid_t)atoi(text) : -1;
}

// "CODE SECONDS NANOSECONDS\n", written to a temporary file and renamed, so a reader sees all of it or nothing.
static void write_exit(const char *path, int code) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char temporary[4096], text[96];
    snprintf(temporary, sizeof temporary, "%s.tmp", path);
    int length = snprintf(text, sizeof text, "%d %lld %ld\n", code, (long long)now.tv_sec, now.tv_nsec);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) die("creating the exit file");
    write_all(fd, text, (size_t)length);
    fsync(fd);
    close(fd);
    if (rename(temporary, path) != 0) die("renaming the exit file");
}

int main(int argc, char **argv) {
    // A tenth argument `rootless` runs `runc --rootless true` (podman's rootless mode).
    if (argc != 9 && !(argc == 10 && strcmp(argv[9], "rootless") == 0)) {
        dprintf(2, "usage: podrt-monitor RUNTIME RUNTIME_ROOT RUNTIME_LOG BUNDLE ID PID_FILE CTR_LOG EXIT_FILE [rootless]\n");
        return 2;
    }
    const char *rootless = argc == 10 ? "true" : "false";
    const char *runtime = argv[1], *root = argv[2], *runtimeLog = argv[3], *bundle = argv[4], *id = argv[5];
    const char *pidFile = argv[6], *ctrLog = argv[7], *exitFile = argv[8];

    int status[2];
    if (pipe2(status, O_CLOEXEC) != 0) die("pipe");
    pid_t monitor = fork();
    if (monitor < 0) die("fork");
    if (monitor > 0) {  // the parent: report how the create went, then go
        close(status[1]);
        char result = 1;
        ssize_t count;
        do count = read(status[0], &result, 1); while (count < 0 && errno == EINTR);
        _exit(count == 1 ? result : 1);
    }
    close(status[0]);
    setsid();
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    // Keep none of podrt's descriptors: a caller reading podrt's output must not wait for the container.
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) die("opening /dev/null");
    int log = open(ctrLog, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log < 0) die("opening the container log");
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) die("pipe");

    pid_t create = fork();
    if (create < 0) die("fork");
    if (create == 0) {  // runc run --detach: its stdio become the container's (runc's pass-through mode)
        dup2(null, 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        execl(runtime, runtime, "--root", root, "--log", runtimeLog, "--log-format", "json", "--rootless", rootless,
              "run", "--detach", "--bundle", bundle, "--pid-file", pidFile, id, (char *)NULL);
        dprintf(2, "podrt-monitor: cannot run %s: %s\n", runtime, strerror(errno));
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    int created;
    while (waitpid(create, &created, 0) < 0 && errno == EINTR) {}
    pid_t container = read_pid(pidFile);
    char result = (WIFEXITED(created) && WEXITSTATUS(created) == 0 && container > 0) ? 0 : 1;
    write_all(status[1], &result, 1);
    close(status[1]);
    if (result != 0) {
        // runc's own words went to the container's stderr pipe; keep them in the log too.
        char bytes[4096];
        ssize_t count;
        while ((count = read(err[0], bytes, sizeof bytes)) > 0) log_chunk(log, "stderr", bytes, (size_t)count);
        _exit(1);
    }

    struct pollfd streams[2] = {{.fd = out[0], .events = POLLIN}, {.fd = err[0], .events = POLLIN}};
    const char *names[2] = {"stdout", "stderr"};
    int open_streams = 2;
    while (open_streams > 0) {
        if (poll(streams, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (streams[i].fd < 0 || streams[i].revents == 0) continue;
            char bytes[8192];
            ssize_t count = read(streams[i].fd, bytes, sizeof bytes);
            if (count > 0) {
                log_chunk(log, names[i], bytes, (size_t)count);
            } else if (count == 0 || errno != EINTR) {
                close(streams[i].fd);
                streams[i].fd = -1;
                open_streams--;
            }
        }
    }
    // Reap until the container's init is gone (orphans of runc come to us too, as the subreaper).
    int code = 255;
    for (;;) {
        int wstatus;
        pid_t reaped = waitpid(-1, &wstatus, 0);
        if (reaped < 0) {
            if (errno == EINTR) continue;
            break;  // ECHILD: nobody left
        }
        if (reaped == container) {
            code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
            break;
        }
    }
    close(log);
    write_exit(exitFile, code);
    return 0;
}
