/* Times a real fork() of a process with 1 GiB resident in 4 KiB pages (262,144 PTEs),
 * the kernel figure the engine benchmark compares itself with. Prints one line per run:
 * microseconds spent in fork() as the parent sees it. THP is disabled for the mapping so
 * the kernel copies 4 KiB page-table entries, as the engine models. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
  size_t pages = argc > 1 ? strtoul(argv[1], NULL, 10) : 262144;
  int runs = argc > 2 ? atoi(argv[2]) : 7;
  size_t len = pages * 4096;
  char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) { perror("mmap"); return 1; }
  madvise(p, len, MADV_NOHUGEPAGE);
  for (size_t i = 0; i < len; i += 4096) p[i] = (char)i;
  for (int r = 0; r < runs; r++) {
    double t0 = now_us();
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    double t1 = now_us();
    if (pid < 0) { perror("fork"); return 1; }
    waitpid(pid, NULL, 0);
    printf("%.1f\n", t1 - t0);
  }
  return 0;
}
