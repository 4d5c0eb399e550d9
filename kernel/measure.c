/*
 * CoW Lab's time benchmark: what copy-on-write and a full copy cost on this machine.
 *
 * Usage: measure MIB SAMPLES CPU
 *
 * A process with MIB MiB of private anonymous memory resident (every page written) measures,
 * SAMPLES times each, on one CPU (sched_setaffinity) with transparent huge pages off for the
 * whole process (prctl PR_SET_THP_DISABLE, inherited by the children it forks):
 *
 *   fork        ms: the parent's fork() call (copy_page_range over every resident page)
 *   cowfault    us: one write fault that copies a page (do_wp_page -> wp_page_copy), measured
 *                   in a child writing one byte to every page it shares with its parent
 *   forkbase    ms: fork() before the big region is mapped: the process itself, few pages
 *   anonfault   us: one first-touch write fault (do_anonymous_page: a zeroed page)
 *   unmap       us: munmap per page of those touched pages (zap_pte_range, freeing the page)
 *   copy        GB/s: memcpy of MIB MiB into memory that is present and writable already
 *   fullcopy    ms: a full private copy: fresh memory for MIB MiB (MAP_POPULATE) and memcpy
 *   cow F       ms: fork(), then the child writes the fraction F of the pages (spread evenly)
 *   eager F     ms: the full copy, then the same writes to the copy (which no longer fault)
 *
 * Every figure is printed as one line "NAME [F] VALUE" the moment it is measured, so a caller
 * can show progress and stop the run (SIGTERM) at any time. A line "error MESSAGE" and exit
 * status 1 report a failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const double FRACTIONS[] = {0, 0.01, 0.1, 0.25, 0.5, 0.75, 1.0};
#define NFRACTIONS (sizeof FRACTIONS / sizeof FRACTIONS[0])

static long page_size;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what) {
  printf("error %s: %s\n", what, strerror(errno));
  fflush(stdout);
  exit(1);
}

static char *map_anon(size_t bytes, int populate) {
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | (populate ? MAP_POPULATE : 0), -1, 0);
  if (p == MAP_FAILED) die("mmap");
  /* Belt and braces with PR_SET_THP_DISABLE: 4 KiB pages only. */
  madvise(p, bytes, MADV_NOHUGEPAGE);
  return p;
}

/* Writes one byte into floor(pages * fraction) pages spread evenly over the region. */
static size_t touch(char *base, size_t pages, double fraction, char value) {
  volatile char *p = base;
  size_t written = 0;
  for (size_t i = 0; i < pages; i++) {
    if ((size_t)((double)(i + 1) * fraction) > (size_t)((double)i * fraction)) {
      p[i * (size_t)page_size] = value;
      written++;
    }
  }
  return written;
}

/* The child's figure travels back through a pipe. */
static double child_result(int fd, pid_t pid) {
  double value = -1;
  ssize_t got = read(fd, &value, sizeof value);
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) die("waitpid");
  if (got != (ssize_t)sizeof value || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    errno = EIO;
    die("child");
  }
  return value;
}

/* fork + the child writing `fraction` of the pages: seconds from before fork to the last write. */
static double cow_run(char *src, size_t pages, double fraction, int per_page) {
  int fds[2];
  if (pipe(fds) < 0) die("pipe");
  double t0 = now_s();
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    close(fds[0]);
    double start = per_page ? now_s() : t0;
    size_t n = touch(src, pages, fraction, 'c');
    double t = now_s() - start;
    if (per_page) t = n ? t / (double)n : 0;
    if (write(fds[1], &t, sizeof t) != (ssize_t)sizeof t) _exit(2);
    _exit(0);
  }
  close(fds[1]);
  double t = child_result(fds[0], pid);
  close(fds[0]);
  return t;
}

/* A full private copy, then the same writes: seconds. */
static double eager_run(const char *src, size_t bytes, size_t pages, double fraction) {
  double t0 = now_s();
  char *dst = map_anon(bytes, 1);
  memcpy(dst, src, bytes);
  touch(dst, pages, fraction, 'e');
  double t = now_s() - t0;
  munmap(dst, bytes);
  return t;
}

static double fork_only(void) {
  double t0 = now_s();
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) _exit(0);
  double t = now_s() - t0;
  int status;
  if (waitpid(pid, &status, 0) < 0) die("waitpid");
  return t;
}

/* First-touch faults, then munmap of the touched pages: seconds per page, each. */
static double anon_fault(size_t pages, double *unmap_per_page) {
  size_t bytes = pages * (size_t)page_size;
  char *p = map_anon(bytes, 0);
  double t0 = now_s();
  touch(p, pages, 1.0, 'a');
  double t1 = now_s();
  munmap(p, bytes);
  *unmap_per_page = (now_s() - t1) / (double)pages;
  return (t1 - t0) / (double)pages;
}

/* memcpy into memory that is present and writable already: the copy alone, no faults. */
static double copy_bandwidth(const char *src, size_t bytes) {
  char *dst = map_anon(bytes, 1);
  memcpy(dst, src, bytes);
  double t0 = now_s();
  memcpy(dst, src, bytes);
  double t = now_s() - t0;
  munmap(dst, bytes);
  return (double)bytes / t / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s MIB SAMPLES CPU\n", argv[0]);
    return 64;
  }
  long mib = strtol(argv[1], NULL, 10);
  long samples = strtol(argv[2], NULL, 10);
  long cpu = strtol(argv[3], NULL, 10);
  if (mib < 1 || mib > 65536 || samples < 1 || samples > 1000 || cpu < 0 || cpu >= CPU_SETSIZE) {
    fprintf(stderr, "measure: MIB 1..65536, SAMPLES 1..1000, CPU 0..%d\n", CPU_SETSIZE - 1);
    return 64;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  page_size = sysconf(_SC_PAGESIZE);
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET((int)cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) < 0) die("sched_setaffinity");
  int thp_off = prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0;
  printf("pageSize %ld\n", page_size);
  printf("cpu %ld\n", cpu);
  printf("thp %s\n", thp_off ? "off-prctl" : "off-madvise");

  /* fork() of this small process before the big region exists: what a fork costs by itself. */
  fork_only();
  for (long s = 0; s < samples; s++) printf("forkbase %.6f\n", fork_only() * 1e3);

  size_t bytes = (size_t)mib << 20;
  size_t pages = bytes / (size_t)page_size;
  char *src = map_anon(bytes, 0);
  for (size_t i = 0; i < pages; i++) memset(src + i * (size_t)page_size, (int)(i & 0x7f) + 1, (size_t)page_size);

  /* One untimed round first: page tables, caches and the allocator warm up. */
  fork_only();
  cow_run(src, pages, 0.01, 0);
  eager_run(src, bytes, pages, 0.01);

  for (long s = 0; s < samples; s++) {
    printf("fork %.6f\n", fork_only() * 1e3);
    printf("cowfault %.6f\n", cow_run(src, pages, 1.0, 1) * 1e6);
    double unmap = 0;
    printf("anonfault %.6f\n", anon_fault(pages, &unmap) * 1e6);
    printf("unmap %.6f\n", unmap * 1e6);
    printf("copy %.6f\n", copy_bandwidth(src, bytes));
    printf("fullcopy %.6f\n", eager_run(src, bytes, pages, 0) * 1e3);
    for (size_t f = 0; f < NFRACTIONS; f++) {
      printf("cow %g %.6f\n", FRACTIONS[f], cow_run(src, pages, FRACTIONS[f], 0) * 1e3);
      printf("eager %g %.6f\n", FRACTIONS[f], eager_run(src, bytes, pages, FRACTIONS[f]) * 1e3);
    }
    printf("sample %ld\n", s + 1);
  }
  printf("done\n");
  return 0;
}
