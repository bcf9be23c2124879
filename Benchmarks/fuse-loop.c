/* One iteration = create + write 256 B + fsync + rename + stat, in DIR; prints microseconds per iteration.
   Usage: fuse-loop DIR ITERATIONS */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s DIR ITERATIONS\n", argv[0]); return 2; }
    const char *dir = argv[1];
    int n = atoi(argv[2]);
    char data[256], tmp[4096], final[4096];
    for (int i = 0; i < 256; i++) data[i] = (char)i;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < n; i++) {
        snprintf(tmp, sizeof tmp, "%s/tmp.%d", dir, i % 64);
        snprintf(final, sizeof final, "%s/file.%d", dir, i % 64);
        int fd = open(tmp, O_CREAT | O_WRONLY | O_TRUNC, 0644);
        if (fd < 0) { perror("open"); return 1; }
        if (write(fd, data, sizeof data) != sizeof data) { perror("write"); return 1; }
        if (fsync(fd) != 0) { perror("fsync"); return 1; }
        close(fd);
        if (rename(tmp, final) != 0) { perror("rename"); return 1; }
        struct stat st;
        if (stat(final, &st) != 0) { perror("stat"); return 1; }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double us = ((end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec)) / 1e3 / n;
    printf("%.1f\n", us);
    return 0;
}
