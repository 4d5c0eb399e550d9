/*
 * CoW Lab kernel driver: plays the kernel-checkable part of a .cow scenario on the real
 * Linux kernel, so the engine can be held against what the kernel actually does.
 *
 * One binary, two roles:
 *
 *   cow-lab-driver coordinator [--cpu N]
 *       Reads one command per line on stdin (from src/verify), forwards it to the worker
 *       that plays that scenario process, waits for its acknowledgement and prints exactly
 *       one reply line on stdout. Steps are therefore played strictly in scenario order.
 *
 *   cow-lab-driver worker FD
 *       One OS process per scenario process. Regions are real mmap()s; reads and writes are
 *       real (volatile) memory accesses; fork and vfork are the real system calls; exec is a
 *       re-exec of this binary (a fresh address space) that reconnects over FD; exit is _exit.
 *
 * Command stream (stdin of the coordinator), one per line:
 *   spawn P                     a new process with an empty address space (fork + execve)
 *   P map R PAGES private|shared [ADDRHEX]   (ADDRHEX: where the region's first guard page goes)
 *   P unmap R
 *   P read R FIRST LAST         reply: ok VALUES FAULTS   (hex of each page's text; faults taken)
 *   P write R FIRST LAST HEX|-  reply: ok BEFORE AFTER FAULTS (raw pagemap entries; faults taken)
 *   P madvise R FIRST LAST dontfork|wipeonfork|dofork|keeponfork|normal
 *   P fork C | P vfork C | P exec | P exit
 *   P pagemap                   reply: ok R=ENTRIES;R=ENTRIES...
 *   P vmsplice R FIRST LAST N   into pipe N (made on first use); reply: ok BEFORE AFTER
 *   drain N                     read pipe N empty; reply: ok TEXTS (hex of each page's text)
 *   pipes                       what every pipe holds (tee, not taken out); reply: ok N=TEXTS;...
 *   P pin R FIRST LAST          io_uring fixed buffers; reply: ok BEFORE AFTER
 *   P unpin R FIRST LAST
 *   P map R PAGES huge AT       a private region for transparent huge pages: AT + 4096 must be
 *                               2 MiB-aligned and PAGES a multiple of 512; MADV_HUGEPAGE
 *   P thp                       reply: ok R=PAGES,ANONHUGE;... for each huge region: per page "t"
 *                               (its frame is part of a transparent huge page: /proc/kpageflags
 *                               bit 22), "s" (a small page), "-" (not present), "?" (flags not
 *                               readable); ANONHUGE is smaps' AnonHugePages in kB (PMD-mapped)
 *   P smaps                     reply: ok R=RSS,PSS,PRIVATE,VMAS;...  (kB summed over the VMAs
 *                               inside region R, from /proc/self/smaps; PRIVATE is
 *                               Private_Clean + Private_Dirty; VMAS how many VMAs were summed)
 *   quit
 * P, C and R are small integers chosen by the caller. An entry is "PAGEMAP/KPAGECOUNT" in hex
 * (the raw 64-bit /proc/self/pagemap word and the /proc/kpagecount of its frame, 0 when not
 * readable); a run of N equal items is written ITEM*N. Replies start with "ok" or "err".
 *
 * Why these choices (see docs/kernel-model.md and the README's kernel check section):
 * - every region gets a PROT_NONE guard page on each side, so the kernel never merges two
 *   regions into one VMA (which would make them share one anon_vma and fork together);
 * - MADV_NOHUGEPAGE on every region but `huge` ones, so every other page is a 4 KiB page;
 * - after every access to a huge region, a few dozen small pages are faulted in and freed: a
 *   freshly allocated huge page sits in this CPU's LRU-add batch holding a reference, and the
 *   PMD write-fault path (do_huge_pmd_wp_page) does not drain that batch, so it would copy a
 *   huge page it could reuse; filling the batch moves it out;
 * - an exit or exec is acknowledged only once the old address space is gone (the channel's
 *   EOF comes from exit_files, after exit_mm; a re-exec'd image speaks only after exec_mmap).
 *
 * Build: cc -O2 -Wall -Wextra -Werror -o cow-lab-driver driver.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/io_uring.h>

#define PAGE 4096UL
#define HUGE (512 * PAGE) /* one PMD entry's worth: a transparent huge page */
#define MAX_REGIONS 256
#define MAX_PROCS 1024
#define MAX_VALUE 1024 /* bytes: 256 characters of UTF-8 */
#define LINE_MAX_IN 4096
/* How long the coordinator waits for any one acknowledgement before giving up (never hang). */
#define STEP_TIMEOUT_MS 10000
/* Pages one pipe holds: the default pipe size (PIPE_DEF_BUFFERS), one buffer per spliced page. */
#define PIPE_PAGES 16
#define MAX_PIPES 64
/* Buffer slots of a process's io_uring instance: the most pages it can have pinned at once. */
#define MAX_PINS 1024

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#endif

/* ------------------------------------------------------------------------------------------ */
/* Small helpers shared by both roles                                                          */

/** A growable output line. */
struct out {
	char *buf;
	size_t len, cap;
};

static void out_grow(struct out *o, size_t more)
{
	if (o->len + more + 1 <= o->cap)
		return;
	size_t cap = o->cap ? o->cap : 256;
	while (cap < o->len + more + 1)
		cap *= 2;
	char *b = realloc(o->buf, cap);
	if (!b) {
		/* Out of memory in a test driver: nothing sensible is left to do. */
		_exit(70);
	}
	o->buf = b;
	o->cap = cap;
}

static void out_add(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char tmp[128];
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof tmp) {
		out_grow(o, (size_t)n);
		memcpy(o->buf + o->len, tmp, (size_t)n);
		o->len += (size_t)n;
		o->buf[o->len] = '\0';
		return;
	}
	out_grow(o, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	o->len += (size_t)n;
}

/** Run-length writer: equal consecutive items are written ITEM*COUNT, items separated by ','. */
struct rle {
	struct out *o;
	char last[2 * MAX_VALUE + 8];
	unsigned long count;
	int any;
};

static void rle_flush(struct rle *r)
{
	if (!r->count)
		return;
	out_add(r->o, "%s%s", r->any ? "," : "", r->last);
	if (r->count > 1)
		out_add(r->o, "*%lu", r->count);
	r->any = 1;
	r->count = 0;
}

static void rle_item(struct rle *r, const char *item)
{
	if (r->count && strcmp(item, r->last) == 0) {
		r->count++;
		return;
	}
	rle_flush(r);
	snprintf(r->last, sizeof r->last, "%s", item);
	r->count = 1;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/** Send one line, optionally passing a file descriptor with it (SCM_RIGHTS). */
static int send_line(int sock, const char *line, int pass_fd)
{
	size_t n = strlen(line);
	if (pass_fd < 0) {
		if (write_all(sock, line, n) || write_all(sock, "\n", 1))
			return -1;
		return 0;
	}
	char ctrl[CMSG_SPACE(sizeof(int))];
	memset(ctrl, 0, sizeof ctrl);
	struct iovec iov = { .iov_base = (void *)line, .iov_len = n };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof ctrl };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
	ssize_t w;
	do
		w = sendmsg(sock, &msg, 0);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return -1;
	if ((size_t)w < n && write_all(sock, line + w, n - (size_t)w))
		return -1;
	return write_all(sock, "\n", 1);
}

/** A line reader on a stream socket that also collects descriptors passed with SCM_RIGHTS. */
struct chan {
	int fd;
	int is_pipe; /* stdin of the coordinator: read(), not recvmsg() */
	char buf[LINE_MAX_IN * 4];
	size_t len;
	int passed[8];
	int npassed;
	int eof;
};

/* Read more bytes; timeout_ms < 0 blocks. Returns 1 on data, 0 on EOF, -1 on error/timeout. */
static int chan_fill(struct chan *c, int timeout_ms)
{
	if (c->len >= sizeof c->buf)
		return -1;
	if (timeout_ms >= 0) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		int r;
		do
			r = poll(&p, 1, timeout_ms);
		while (r < 0 && errno == EINTR);
		if (r <= 0)
			return -1;
	}
	if (c->is_pipe) {
		ssize_t n;
		do
			n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -1;
		if (n == 0)
			c->eof = 1;
		c->len += (size_t)n;
		return n > 0;
	}
	char ctrl[CMSG_SPACE(sizeof(int) * 4)];
	struct iovec iov = { .iov_base = c->buf + c->len, .iov_len = sizeof c->buf - c->len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctrl, .msg_controllen = sizeof ctrl };
	ssize_t n;
	do
		n = recvmsg(c->fd, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	for (struct cmsghdr *m = CMSG_FIRSTHDR(&msg); m; m = CMSG_NXTHDR(&msg, m)) {
		if (m->cmsg_level != SOL_SOCKET || m->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (m->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(m) + i * sizeof(int), sizeof(int));
			if (c->npassed < 8)
				c->passed[c->npassed++] = fd;
			else
				close(fd);
		}
	}
	if (n == 0) {
		c->eof = 1;
		return 0;
	}
	c->len += (size_t)n;
	return 1;
}

/* Take one line (without '\n') into out. Returns 1, 0 on EOF, -1 on error or timeout. */
static int chan_line(struct chan *c, char *out, size_t max, int timeout_ms)
{
	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		if (nl) {
			size_t n = (size_t)(nl - c->buf);
			if (n >= max)
				return -1;
			memcpy(out, c->buf, n);
			out[n] = '\0';
			c->len -= n + 1;
			memmove(c->buf, nl + 1, c->len);
			return 1;
		}
		if (c->eof)
			return 0;
		int r = chan_fill(c, timeout_ms);
		if (r <= 0)
			return r;
	}
}

static int take_passed_fd(struct chan *c)
{
	if (!c->npassed)
		return -1;
	int fd = c->passed[0];
	memmove(c->passed, c->passed + 1, sizeof(int) * (size_t)(c->npassed - 1));
	c->npassed--;
	return fd;
}

/* ------------------------------------------------------------------------------------------ */
/* Worker                                                                                     */

struct region {
	int id;
	unsigned char *addr; /* first page of the region (a guard page lies on each side) */
	unsigned long pages;
	int shared;
	int huge; /* private, 2 MiB-aligned, MADV_HUGEPAGE: transparent huge pages */
};

/*
 * The region table lives in ordinary process memory: a fork child gets a copy of it, an exec
 * starts empty, and a vfork child shares it with its suspended parent, exactly like the
 * address space it describes.
 */
static struct region regions[MAX_REGIONS];
static int nregions;

/* Per process-image state, kept on the stack of serve() so a vfork child has its own copy. */
struct self {
	struct chan ch;
	int pagemap;   /* /proc/self/pagemap of this process (re-opened after fork: it names a pid) */
	int kpagecount; /* /proc/kpagecount or -1 */
	int kpageflags; /* /proc/kpageflags or -1 (opened on first use) */
};

static sigjmp_buf *fault_jmp;

static void on_segv(int sig)
{
	(void)sig;
	if (fault_jmp)
		siglongjmp(*fault_jmp, 1);
	_exit(71);
}

static struct region *find_region(int id)
{
	for (int i = 0; i < nregions; i++)
		if (regions[i].id == id)
			return &regions[i];
	return NULL;
}

static int open_pagemap(void)
{
	return open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
}

static uint64_t pagemap_entry(struct self *s, const void *addr)
{
	uint64_t e = 0;
	if (pread(s->pagemap, &e, sizeof e, (off_t)((uintptr_t)addr / PAGE * sizeof e)) != (ssize_t)sizeof e)
		return 0;
	return e;
}

static uint64_t kpagecount_of(struct self *s, uint64_t entry)
{
	uint64_t pfn = entry & ((1ULL << 55) - 1);
	uint64_t n = 0;
	if (s->kpagecount < 0 || !(entry >> 63) || !pfn)
		return 0;
	if (pread(s->kpagecount, &n, sizeof n, (off_t)(pfn * sizeof n)) != (ssize_t)sizeof n)
		return 0;
	return n;
}

static void entry_item(struct self *s, uint64_t e, char *item, size_t n)
{
	snprintf(item, n, "%llx/%llx", (unsigned long long)e, (unsigned long long)kpagecount_of(s, e));
}

static void reply(struct self *s, const char *line)
{
	if (send_line(s->ch.fd, line, -1))
		_exit(72); /* the coordinator is gone */
}

static void reply_errno(struct self *s, const char *what)
{
	char line[128];
	snprintf(line, sizeof line, "err %s %s", what, strerror(errno));
	reply(s, line);
}

static int parse_range(struct region *r, const char *a, const char *b, unsigned long *first, unsigned long *last)
{
	char *end;
	*first = strtoul(a, &end, 10);
	if (*end)
		return -1;
	*last = strtoul(b, &end, 10);
	if (*end || *first > *last || *last >= r->pages)
		return -1;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void cmd_map(struct self *s, int id, unsigned long pages, int shared, int huge, uintptr_t at)
{
	if (find_region(id) || nregions == MAX_REGIONS || pages == 0 || (huge && (shared || pages % 512))) {
		reply(s, "err map bad region");
		return;
	}
	size_t len = pages * PAGE;
	/*
	 * Reserve the region plus one guard page on each side, then map the region inside it. The
	 * caller gives every region of a scenario an address of its own, never reused: a child's
	 * MADV_DONTFORK range is an unmapped hole, and a later mmap that the kernel placed there
	 * would read back as pages of the region that used to be there.
	 */
	unsigned char *res = mmap((void *)at, len + 2 * PAGE, PROT_NONE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | (at ? MAP_FIXED_NOREPLACE : 0), -1, 0);
	if (res == MAP_FAILED) {
		reply_errno(s, "mmap");
		return;
	}
	int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_FIXED;
	unsigned char *p = mmap(res + PAGE, len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		reply_errno(s, "mmap");
		munmap(res, len + 2 * PAGE);
		return;
	}
	/* Base pages only, unless asked for huge ones: a THP makes one fault populate 512 pages. */
	if (huge && ((uintptr_t)p & (HUGE - 1))) {
		reply(s, "err map huge region not 2 MiB-aligned");
		munmap(res, len + 2 * PAGE);
		return;
	}
	if (madvise(p, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE)) {
		reply_errno(s, huge ? "madvise-hugepage" : "madvise-nohugepage");
		munmap(res, len + 2 * PAGE);
		return;
	}
	regions[nregions++] = (struct region){ .id = id, .addr = p, .pages = pages, .shared = shared, .huge = huge };
	reply(s, "ok");
}

/*
 * Pushes this CPU's LRU-add batch out (see the header): faults in 64 small pages, more than a
 * batch holds, and frees them. Runs after an access to a huge region, outside any measurement.
 */
static char *read_smaps(void);
static unsigned long long smaps_anon_huge(const char *smaps, uintptr_t start, uintptr_t end);

static void lru_push(void)
{
	size_t len = 64 * PAGE;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return;
	madvise(p, len, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = 1;
	munmap(p, len);
}

static void cmd_thp(struct self *s)
{
	if (s->kpageflags < 0)
		s->kpageflags = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	char *smaps = read_smaps();
	struct out o = { 0 };
	out_add(&o, "ok ");
	int any = 0;
	for (int k = 0; k < nregions; k++) {
		struct region *r = &regions[k];
		if (!r->huge)
			continue;
		struct out pages = { 0 };
		struct rle rl = { .o = &pages };
		for (unsigned long i = 0; i < r->pages; i++) {
			uint64_t e = pagemap_entry(s, r->addr + i * PAGE);
			uint64_t pfn = e & ((1ULL << 55) - 1), flags = 0;
			const char *item = "-";
			if (e >> 63) {
				item = "?";
				if (pfn && s->kpageflags >= 0 && pread(s->kpageflags, &flags, sizeof flags, (off_t)(pfn * sizeof flags)) == (ssize_t)sizeof flags)
					item = (flags >> 22) & 1 ? "t" : "s";
			}
			rle_item(&rl, item);
		}
		rle_flush(&rl);
		unsigned long long anon_huge = smaps ? smaps_anon_huge(smaps, (uintptr_t)r->addr, (uintptr_t)(r->addr + r->pages * PAGE)) : 0;
		out_add(&o, "%s%d=%s,%llu", any++ ? ";" : "", r->id, pages.buf ? pages.buf : "", anon_huge);
		free(pages.buf);
	}
	free(smaps);
	reply(s, o.buf);
	free(o.buf);
}

static void cmd_unmap(struct self *s, struct region *r)
{
	if (munmap(r->addr - PAGE, (r->pages + 2) * PAGE)) {
		reply_errno(s, "munmap");
		return;
	}
	*r = regions[--nregions];
	reply(s, "ok");
}

/*
 * Page faults this process has taken so far (minor + major). Read right before and after one
 * access, the difference says whether that access faulted: how the kernel shows that an entry
 * was absent or write-protected, which pagemap itself cannot (it has no writable bit).
 */
static long faults_now(void)
{
	struct rusage ru;
	memset(&ru, 0, sizeof ru); /* touch it first: a fault inside getrusage would count */
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt + ru.ru_majflt;
}

static void cmd_read(struct self *s, struct region *r, unsigned long first, unsigned long last)
{
	struct out o = { 0 }, faults = { 0 };
	out_add(&o, "ok ");
	struct rle rl = { .o = &o }, rf = { .o = &faults };
	sigjmp_buf jb;
	volatile unsigned long i = first;
	if (sigsetjmp(jb, 1)) {
		fault_jmp = NULL;
		free(o.buf);
		free(faults.buf);
		reply(s, "err segv");
		return;
	}
	fault_jmp = &jb;
	for (; i <= last; i++) {
		volatile unsigned char *p = r->addr + i * PAGE;
		char item[2 * MAX_VALUE + 2];
		size_t k = 0;
		/* The first access is the read fault; the rest of the text lies in the same page. */
		long f0 = faults_now();
		unsigned char c = p[0];
		long f1 = faults_now();
		for (size_t j = 0; c && j < MAX_VALUE; c = p[++j])
			k += (size_t)snprintf(item + k, sizeof item - k, "%02x", c);
		if (!k)
			snprintf(item, sizeof item, "-");
		rle_item(&rl, item);
		snprintf(item, sizeof item, "%ld", f1 - f0);
		rle_item(&rf, item);
	}
	fault_jmp = NULL;
	rle_flush(&rl);
	rle_flush(&rf);
	out_add(&o, " %s", faults.buf);
	reply(s, o.buf);
	free(o.buf);
	free(faults.buf);
}

static void cmd_write(struct self *s, struct region *r, unsigned long first, unsigned long last, const char *hex)
{
	unsigned char value[MAX_VALUE + 1];
	size_t vlen = 0;
	int has_value = strcmp(hex, "-") != 0;
	if (has_value) {
		size_t n = strlen(hex);
		if (n % 2 || n / 2 > MAX_VALUE) {
			reply(s, "err write bad value");
			return;
		}
		for (size_t j = 0; j < n; j += 2) {
			int hi = hexval(hex[j]), lo = hexval(hex[j + 1]);
			if (hi < 0 || lo < 0) {
				reply(s, "err write bad value");
				return;
			}
			value[vlen++] = (unsigned char)(hi * 16 + lo);
		}
	}
	value[vlen] = '\0';
	struct out before = { 0 }, after = { 0 }, faults = { 0 };
	struct rle rb = { .o = &before }, ra = { .o = &after }, rf = { .o = &faults };
	sigjmp_buf jb;
	volatile unsigned long i = first;
	if (sigsetjmp(jb, 1)) {
		fault_jmp = NULL;
		free(before.buf);
		free(after.buf);
		free(faults.buf);
		reply(s, "err segv");
		return;
	}
	fault_jmp = &jb;
	for (; i <= last; i++) {
		volatile unsigned char *p = r->addr + i * PAGE;
		char item[48];
		entry_item(s, pagemap_entry(s, (const void *)p), item, sizeof item);
		rle_item(&rb, item);
		long f0 = faults_now();
		if (has_value) {
			/* The first store is the write fault; the text and its terminator follow. */
			for (size_t j = 0; j <= vlen; j++)
				p[j] = value[j];
		} else {
			/* A write that keeps the page's text: one locked read-modify-write, which faults
			 * as a write (FAULT_FLAG_WRITE) without a read fault first. */
			__atomic_fetch_or(p, (unsigned char)0, __ATOMIC_SEQ_CST);
		}
		long f1 = faults_now();
		entry_item(s, pagemap_entry(s, (const void *)p), item, sizeof item);
		rle_item(&ra, item);
		snprintf(item, sizeof item, "%ld", f1 - f0);
		rle_item(&rf, item);
	}
	fault_jmp = NULL;
	rle_flush(&rb);
	rle_flush(&ra);
	rle_flush(&rf);
	struct out o = { 0 };
	out_add(&o, "ok ");
	out_grow(&o, before.len + after.len + faults.len + 3);
	o.len += (size_t)sprintf(o.buf + o.len, "%s %s %s", before.buf, after.buf, faults.buf);
	reply(s, o.buf);
	free(o.buf);
	free(before.buf);
	free(after.buf);
	free(faults.buf);
}

static void cmd_madvise(struct self *s, struct region *r, unsigned long first, unsigned long last, const char *advice)
{
	void *p = r->addr + first * PAGE;
	size_t len = (last - first + 1) * PAGE;
	int rc;
	if (strcmp(advice, "dontfork") == 0)
		rc = madvise(p, len, MADV_DONTFORK);
	else if (strcmp(advice, "wipeonfork") == 0)
		rc = madvise(p, len, MADV_WIPEONFORK);
	else if (strcmp(advice, "dofork") == 0)
		rc = madvise(p, len, MADV_DOFORK);
	else if (strcmp(advice, "keeponfork") == 0)
		rc = madvise(p, len, MADV_KEEPONFORK);
	else if (strcmp(advice, "normal") == 0) {
		/* Undo both. MADV_KEEPONFORK is EINVAL on a shared mapping, where wipeonfork can
		 * never have been set, so only MADV_DOFORK counts there. */
		rc = madvise(p, len, MADV_DOFORK);
		if (!rc && !r->shared)
			rc = madvise(p, len, MADV_KEEPONFORK);
	} else {
		reply(s, "err madvise bad advice");
		return;
	}
	if (rc)
		reply_errno(s, "madvise");
	else
		reply(s, "ok");
}

/* The pagemap entries of pages first..last, run-length encoded, appended to o. */
static void entries_of(struct self *s, struct region *r, unsigned long first, unsigned long last, struct out *o)
{
	struct rle rl = { .o = o };
	for (unsigned long i = first; i <= last; i++) {
		char item[48];
		entry_item(s, pagemap_entry(s, r->addr + i * PAGE), item, sizeof item);
		rle_item(&rl, item);
	}
	rle_flush(&rl);
}

/* "ok BEFORE AFTER": the entries of a range before and after a get_user_pages lookup. */
static void reply_lookup(struct self *s, struct out *before, struct region *r, unsigned long first, unsigned long last)
{
	struct out o = { 0 };
	out_add(&o, "ok %s ", before->buf);
	entries_of(s, r, first, last, &o);
	reply(s, o.buf);
	free(o.buf);
}

/*
 * vmsplice(2) of pages first..last into the pipe whose write end came with the command: one
 * page-aligned iovec per page, so the pipe holds one buffer per page, each a reference on the
 * page itself (iter_to_pipe, without SPLICE_F_GIFT), not a copy.
 */
static void cmd_vmsplice(struct self *s, struct region *r, unsigned long first, unsigned long last)
{
	int fd = take_passed_fd(&s->ch);
	unsigned long n = last - first + 1;
	if (fd < 0 || n > PIPE_PAGES) {
		if (fd >= 0)
			close(fd);
		reply(s, fd < 0 ? "err vmsplice no pipe" : "err vmsplice too many pages");
		return;
	}
	struct iovec iov[PIPE_PAGES];
	for (unsigned long i = 0; i < n; i++)
		iov[i] = (struct iovec){ .iov_base = r->addr + (first + i) * PAGE, .iov_len = PAGE };
	struct out before = { 0 };
	out_add(&before, "%s", "");
	entries_of(s, r, first, last, &before);
	/* Non-blocking: a full pipe is an error here, never a hang. */
	ssize_t w = vmsplice(fd, iov, n, SPLICE_F_NONBLOCK);
	int saved = errno;
	close(fd);
	if (w < 0) {
		errno = saved;
		reply_errno(s, "vmsplice");
	} else if ((size_t)w != n * PAGE) {
		reply(s, "err vmsplice the pipe is full");
	} else {
		reply_lookup(s, &before, r, first, last);
	}
	free(before.buf);
}

/*
 * Long-term pins, taken the way an unprivileged program takes them: io_uring fixed buffers.
 * Each process that pins gets one io_uring instance with MAX_PINS sparse buffer slots
 * (IORING_REGISTER_BUFFERS2); pinning a page fills a slot with that page
 * (IORING_REGISTER_BUFFERS_UPDATE → io_sqe_buffer_register → io_pin_pages →
 * pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM)); unpinning empties the slot, which unpins
 * the page at once when no request uses the buffer (none here ever does).
 *
 * The tables live in process memory: a fork child gets a copy, and drops it (it closes its copy
 * of its parent's ring descriptor and takes no pins of its own until it pins), so pins stay with
 * the process that took them, as the engine models them; a vfork child shares the memory and
 * keeps a table of its own beside its parent's (see pin_tables). Exit and exec unregister the buffers first:
 * closing the ring would drop the pins too, but from a workqueue, later.
 */
struct pin_slot {
	int region;
	unsigned long page;
	int used;
};
/*
 * One table per process that pins, found by its pid: a vfork child runs in its parent's memory,
 * so it must not take over the parent's table; it gets one of its own (its own ring, in its own
 * file table), which it drops when it execs or exits, as the engine drops a process's pins.
 */
#define PIN_TABLES 8
struct pin_table {
	pid_t pid; /* 0: free */
	int ring;
	struct pin_slot slot[MAX_PINS];
};
static struct pin_table pin_tables[PIN_TABLES];

/* This process's pin table; with `create`, a new empty one if it has none (NULL if all are taken). */
static struct pin_table *my_pins(int create)
{
	pid_t me = getpid();
	for (int k = 0; k < PIN_TABLES; k++)
		if (pin_tables[k].pid == me)
			return &pin_tables[k];
	if (!create)
		return NULL;
	for (int k = 0; k < PIN_TABLES; k++) {
		if (pin_tables[k].pid == 0) {
			memset(&pin_tables[k], 0, sizeof pin_tables[k]);
			pin_tables[k].pid = me;
			pin_tables[k].ring = -1;
			return &pin_tables[k];
		}
	}
	return NULL;
}

static int ring_update(struct pin_table *pins, int slot, void *addr, size_t len)
{
	struct iovec iv = { .iov_base = addr, .iov_len = len };
	struct io_uring_rsrc_update2 up;
	memset(&up, 0, sizeof up);
	up.offset = (unsigned)slot;
	up.data = (uint64_t)(uintptr_t)&iv;
	up.nr = 1;
	long rc = syscall(__NR_io_uring_register, pins->ring, IORING_REGISTER_BUFFERS_UPDATE, &up, sizeof up);
	return rc == 1 ? 0 : -1;
}

static int ring_open(struct pin_table *pins)
{
	struct io_uring_params par;
	memset(&par, 0, sizeof par);
	int ring = (int)syscall(__NR_io_uring_setup, 1, &par);
	if (ring < 0)
		return -1;
	struct io_uring_rsrc_register reg;
	memset(&reg, 0, sizeof reg);
	reg.nr = MAX_PINS;
	reg.flags = IORING_RSRC_REGISTER_SPARSE;
	if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS2, &reg, sizeof reg) < 0) {
		int saved = errno;
		close(ring);
		errno = saved;
		return -1;
	}
	fcntl(ring, F_SETFD, FD_CLOEXEC);
	pins->ring = ring;
	memset(pins->slot, 0, sizeof pins->slot);
	return 0;
}

static void cmd_pin(struct self *s, struct region *r, unsigned long first, unsigned long last)
{
	struct pin_table *pins = my_pins(1);
	if (!pins) {
		reply(s, "err pin too many processes with pins");
		return;
	}
	if (pins->ring < 0 && ring_open(pins)) {
		reply_errno(s, "io_uring");
		return;
	}
	unsigned long free_slots = 0;
	for (int k = 0; k < MAX_PINS; k++)
		free_slots += !pins->slot[k].used;
	if (free_slots < last - first + 1) {
		reply(s, "err pin too many pins");
		return;
	}
	struct out before = { 0 };
	out_add(&before, "%s", "");
	entries_of(s, r, first, last, &before);
	int k = 0;
	for (unsigned long i = first; i <= last; i++) {
		while (pins->slot[k].used)
			k++;
		if (ring_update(pins, k, r->addr + i * PAGE, PAGE)) {
			reply_errno(s, "io_uring-register");
			free(before.buf);
			return;
		}
		pins->slot[k] = (struct pin_slot){ .region = r->id, .page = i, .used = 1 };
	}
	reply_lookup(s, &before, r, first, last);
	free(before.buf);
}

/* Region R may be unmapped by now: pins outlive munmap, so they are found by region number. */
static void cmd_unpin(struct self *s, int region, unsigned long first, unsigned long last)
{
	struct pin_table *pins = my_pins(0);
	for (unsigned long i = first; i <= last; i++) {
		int found = 0;
		for (int k = 0; pins && k < MAX_PINS && !found; k++)
			found = pins->slot[k].used && pins->slot[k].region == region && pins->slot[k].page == i;
		if (!found) {
			reply(s, "err unpin not pinned");
			return;
		}
	}
	for (int k = 0; k < MAX_PINS; k++) {
		struct pin_slot *p = &pins->slot[k];
		if (!p->used || p->region != region || p->page < first || p->page > last)
			continue;
		if (ring_update(pins, k, NULL, 0)) {
			reply_errno(s, "io_uring-unregister");
			return;
		}
		p->used = 0;
	}
	reply(s, "ok");
}

/* Before exit or exec: drop every pin now (IORING_UNREGISTER_BUFFERS unpins synchronously). */
static void drop_pins(void)
{
	struct pin_table *pins = my_pins(0);
	if (!pins)
		return;
	if (pins->ring >= 0) {
		syscall(__NR_io_uring_register, pins->ring, IORING_UNREGISTER_BUFFERS, NULL, 0);
		close(pins->ring);
	}
	pins->pid = 0;
}

/* Reads n pagemap entries at offset `at`. An entry that is neither present nor empty is a
 * swap-type entry; with no swap configured that is a page under migration (compaction moves
 * anonymous pages at any time), which would read as absent for a moment. Re-read until the
 * migration has finished, up to about a second; a failed read counts as all absent. */
static void read_settled_entries(struct self *s, uint64_t *chunk, unsigned long n, off_t at)
{
	for (int attempt = 0; attempt < 200; attempt++) {
		if (pread(s->pagemap, chunk, n * sizeof(uint64_t), at) != (ssize_t)(n * sizeof(uint64_t))) {
			memset(chunk, 0, n * sizeof(uint64_t));
			return;
		}
		int moving = 0;
		for (unsigned long j = 0; j < n; j++)
			if (!(chunk[j] >> 63) && (chunk[j] >> 62 & 1))
				moving = 1;
		if (!moving)
			return;
		usleep(5000);
	}
}

static void cmd_pagemap(struct self *s)
{
	struct out o = { 0 };
	out_add(&o, "ok ");
	for (int k = 0; k < nregions; k++) {
		struct region *r = &regions[k];
		out_add(&o, "%s%d=", k ? ";" : "", r->id);
		struct rle rl = { .o = &o };
		uint64_t chunk[512];
		for (unsigned long i = 0; i < r->pages; i += 512) {
			unsigned long n = r->pages - i < 512 ? r->pages - i : 512;
			off_t at = (off_t)((uintptr_t)(r->addr + i * PAGE) / PAGE * sizeof(uint64_t));
			read_settled_entries(s, chunk, n, at);
			for (unsigned long j = 0; j < n; j++) {
				char item[48];
				entry_item(s, chunk[j], item, sizeof item);
				rle_item(&rl, item);
			}
		}
		rle_flush(&rl);
	}
	reply(s, o.buf);
	free(o.buf);
}

/* ------------------------------------------------------------------------------------------ */
/* smaps: what top, ps and smem read                                                            */

/** One region's smaps figures in kB, summed over the VMAs that lie inside it. */
struct smaps_sum {
	unsigned long long rss, pss, private_kb;
	unsigned vmas;
};

/** The whole of /proc/self/smaps in one NUL-terminated buffer (NULL on error). */
static char *read_smaps(void)
{
	int fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	for (;;) {
		if (!buf)
			break;
		if (cap - len < 4096) {
			char *grown = realloc(buf, cap * 2);
			if (!grown) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			buf = NULL;
			break;
		}
		if (n == 0) {
			buf[len] = '\0';
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	return buf;
}

/*
 * Sums Rss, Pss and Private_Clean + Private_Dirty of every VMA inside [start, end). The kernel
 * prints each VMA's figures separately (show_smap → __show_smap), each already truncated to kB.
 */
static void smaps_region(const char *smaps, uintptr_t start, uintptr_t end, struct smaps_sum *sum)
{
	memset(sum, 0, sizeof *sum);
	int inside = 0;
	for (const char *line = smaps; *line;) {
		const char *eol = strchr(line, '\n');
		unsigned long long lo, hi, kb;
		char key[32];
		if (sscanf(line, "%llx-%llx ", &lo, &hi) == 2 && strchr(line, '-') < (eol ? eol : line + strlen(line))) {
			inside = lo >= start && hi <= end;
			if (inside)
				sum->vmas++;
		} else if (inside && sscanf(line, "%31[A-Za-z_]: %llu kB", key, &kb) == 2) {
			if (strcmp(key, "Rss") == 0)
				sum->rss += kb;
			else if (strcmp(key, "Pss") == 0)
				sum->pss += kb;
			else if (strcmp(key, "Private_Clean") == 0 || strcmp(key, "Private_Dirty") == 0)
				sum->private_kb += kb;
		}
		if (!eol)
			break;
		line = eol + 1;
	}
}

/* AnonHugePages (kB, PMD-mapped transparent huge pages) of every VMA inside [start, end). */
static unsigned long long smaps_anon_huge(const char *smaps, uintptr_t start, uintptr_t end)
{
	unsigned long long total = 0;
	int inside = 0;
	for (const char *line = smaps; *line;) {
		const char *eol = strchr(line, '\n');
		unsigned long long lo, hi, kb;
		if (sscanf(line, "%llx-%llx ", &lo, &hi) == 2 && strchr(line, '-') < (eol ? eol : line + strlen(line)))
			inside = lo >= start && hi <= end;
		else if (inside && sscanf(line, "AnonHugePages: %llu kB", &kb) == 1)
			total += kb;
		if (!eol)
			break;
		line = eol + 1;
	}
	return total;
}

static void cmd_smaps(struct self *s)
{
	char *smaps = read_smaps();
	if (!smaps) {
		reply_errno(s, "read /proc/self/smaps");
		return;
	}
	struct out o = { 0 };
	out_add(&o, "ok ");
	for (int k = 0; k < nregions; k++) {
		struct region *r = &regions[k];
		struct smaps_sum sum;
		smaps_region(smaps, (uintptr_t)r->addr, (uintptr_t)(r->addr + r->pages * PAGE), &sum);
		out_add(&o, "%s%d=%llu,%llu,%llu,%u", k ? ";" : "", r->id, sum.rss, sum.pss, sum.private_kb, sum.vmas);
	}
	free(smaps);
	reply(s, o.buf);
	free(o.buf);
}

static void worker_image_start(struct self *s, int chan_fd)
{
	memset(&s->ch, 0, sizeof s->ch);
	s->ch.fd = chan_fd;
	s->pagemap = open_pagemap();
	s->kpagecount = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	s->kpageflags = -1;
}

static void serve(int chan_fd, const char *hello) __attribute__((noreturn));

/*
 * The command loop of one scenario process. It never returns: a process leaves it by exit
 * (_exit) or exec (execv), which matters for a vfork child running on its parent's stack.
 */
static void serve(int chan_fd, const char *hello)
{
	struct self s;
	worker_image_start(&s, chan_fd);
	if (s.pagemap < 0) {
		reply(&s, "err open /proc/self/pagemap");
		_exit(73);
	}
	reply(&s, hello);
	char line[LINE_MAX_IN];
	for (;;) {
		int got = chan_line(&s.ch, line, sizeof line, -1);
		if (got <= 0)
			_exit(0); /* the coordinator is gone */
		char *argv[8];
		int argc = 0;
		for (char *t = strtok(line, " "); t && argc < 8; t = strtok(NULL, " "))
			argv[argc++] = t;
		if (!argc) {
			reply(&s, "err empty");
			continue;
		}
		const char *cmd = argv[0];
		struct region *r = argc > 1 ? find_region(atoi(argv[1])) : NULL;
		unsigned long first = 0, last = 0;

		if (strcmp(cmd, "map") == 0 && (argc == 4 || argc == 5)) {
			cmd_map(&s, atoi(argv[1]), strtoul(argv[2], NULL, 10), strcmp(argv[3], "shared") == 0,
				strcmp(argv[3], "huge") == 0, argc > 4 ? (uintptr_t)strtoull(argv[4], NULL, 16) : 0);
		} else if (strcmp(cmd, "unmap") == 0 && argc == 2) {
			if (r)
				cmd_unmap(&s, r);
			else
				reply(&s, "err unmap unknown region");
		} else if ((strcmp(cmd, "read") == 0 && argc == 4) || (strcmp(cmd, "write") == 0 && argc == 5) ||
			   (strcmp(cmd, "madvise") == 0 && argc == 5)) {
			if (!r || parse_range(r, argv[2], argv[3], &first, &last)) {
				reply(&s, "err bad region or range");
			} else if (cmd[0] == 'r') {
				cmd_read(&s, r, first, last);
				if (r->huge)
					lru_push();
			} else if (cmd[0] == 'w') {
				cmd_write(&s, r, first, last, argv[4]);
				if (r->huge)
					lru_push();
			} else {
				cmd_madvise(&s, r, first, last, argv[4]);
			}
		} else if ((strcmp(cmd, "vmsplice") == 0 || strcmp(cmd, "pin") == 0) && argc == 4) {
			if (!r || parse_range(r, argv[2], argv[3], &first, &last)) {
				int fd = take_passed_fd(&s.ch);
				if (fd >= 0)
					close(fd);
				reply(&s, "err bad region or range");
			} else if (cmd[0] == 'v') {
				cmd_vmsplice(&s, r, first, last);
				if (r->huge)
					lru_push();
			} else {
				cmd_pin(&s, r, first, last);
				if (r->huge)
					lru_push();
			}
		} else if (strcmp(cmd, "unpin") == 0 && argc == 4) {
			char *e1, *e2;
			first = strtoul(argv[2], &e1, 10);
			last = strtoul(argv[3], &e2, 10);
			if (*e1 || *e2 || first > last)
				reply(&s, "err bad range");
			else
				cmd_unpin(&s, atoi(argv[1]), first, last);
		} else if (strcmp(cmd, "pagemap") == 0) {
			cmd_pagemap(&s);
		} else if (strcmp(cmd, "smaps") == 0) {
			cmd_smaps(&s);
		} else if (strcmp(cmd, "thp") == 0) {
			cmd_thp(&s);
		} else if (strcmp(cmd, "fork") == 0) {
			int sp[2];
			if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp)) {
				reply_errno(&s, "socketpair");
				continue;
			}
			pid_t pid = fork();
			if (pid < 0) {
				reply_errno(&s, "fork");
				close(sp[0]);
				close(sp[1]);
				continue;
			}
			if (pid == 0) {
				/* The child: its own channel, and its own /proc/self/pagemap. */
				close(sp[0]);
				close(s.ch.fd);
				close(s.pagemap);
				if (s.kpagecount >= 0)
					close(s.kpagecount);
				if (s.kpageflags >= 0)
					close(s.kpageflags);
				/* The parent's pins stay the parent's (see struct pin_slot). */
				struct pin_table *mine = NULL;
				for (int k = 0; k < PIN_TABLES; k++)
					if (pin_tables[k].pid == getppid())
						mine = &pin_tables[k];
				if (mine && mine->ring >= 0)
					close(mine->ring);
				for (int k = 0; k < PIN_TABLES; k++)
					pin_tables[k].pid = 0; /* copies of other processes' tables */
				char hi[64];
				snprintf(hi, sizeof hi, "ok %d", (int)getpid());
				serve(sp[1], hi);
			}
			close(sp[1]);
			char ok[64];
			snprintf(ok, sizeof ok, "ok %d", (int)pid);
			if (send_line(s.ch.fd, ok, sp[0]))
				_exit(72);
			close(sp[0]);
		} else if (strcmp(cmd, "vfork") == 0) {
			int sp[2];
			if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp)) {
				reply_errno(&s, "socketpair");
				continue;
			}
			/* Hand over the child's channel first: once vfork() runs, this process is
			 * suspended until the child execs or exits. */
			if (send_line(s.ch.fd, "vforking", sp[0]))
				_exit(72);
			close(sp[0]);
			pid_t pid = vfork();
			if (pid == 0) {
				/* The child borrows this address space (CLONE_VM): it serves on its own
				 * channel from a deeper stack frame and leaves only by execv or _exit. */
				close(s.ch.fd);
				char hi[64];
				snprintf(hi, sizeof hi, "ok %d", (int)getpid());
				serve(sp[1], hi);
			}
			close(sp[1]);
			if (pid < 0)
				reply_errno(&s, "vfork");
			else
				reply(&s, "resumed");
		} else if (strcmp(cmd, "exec") == 0) {
			drop_pins();
			char fdarg[16];
			snprintf(fdarg, sizeof fdarg, "%d", s.ch.fd);
			char *args[] = { "cow-lab-driver", "worker", fdarg, NULL };
			execv("/proc/self/exe", args);
			reply_errno(&s, "execv");
		} else if (strcmp(cmd, "exit") == 0) {
			drop_pins();
			_exit(0);
		} else {
			reply(&s, "err unknown command");
		}
	}
}

static int worker_main(int chan_fd)
{
	/* Children are reaped by the kernel: exits are observed through channel EOF. */
	signal(SIGCHLD, SIG_IGN);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_segv;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	char hi[64];
	snprintf(hi, sizeof hi, "ok %d", (int)getpid());
	serve(chan_fd, hi);
}

/* ------------------------------------------------------------------------------------------ */
/* Coordinator                                                                                */

struct proc {
	int used;
	int alive;
	pid_t pid;
	int vfork_parent; /* while borrowing: the suspended parent's index, else -1 */
	struct chan *ch;
};

static struct proc procs[MAX_PROCS];

static void kill_all(void)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (procs[i].used && procs[i].alive && procs[i].pid > 0)
			kill(procs[i].pid, SIGKILL);
}

static void say(const char *line)
{
	if (write_all(1, line, strlen(line)) || write_all(1, "\n", 1)) {
		kill_all();
		exit(3);
	}
}

static void fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fatal(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	char line[600];
	snprintf(line, sizeof line, "fatal %s", msg);
	kill_all();
	if (write_all(1, line, strlen(line)) == 0)
		(void)write_all(1, "\n", 1);
	exit(2);
}

static struct proc *proc_at(const char *tok, int must_be_alive)
{
	char *end;
	long i = strtol(tok, &end, 10);
	if (*end || i < 0 || i >= MAX_PROCS)
		fatal("bad process number '%s'", tok);
	struct proc *p = &procs[i];
	if (must_be_alive && (!p->used || !p->alive))
		fatal("process %ld is not alive", i);
	return p;
}

static struct chan *new_chan(int fd)
{
	struct chan *c = calloc(1, sizeof *c);
	if (!c)
		fatal("out of memory");
	c->fd = fd;
	return c;
}

/* Read a whole reply line (which may be long: a pagemap of a large region). */
static char *read_reply(struct chan *c, const char *what)
{
	struct out o = { 0 };
	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		size_t n = nl ? (size_t)(nl - c->buf) : c->len;
		out_grow(&o, n);
		memcpy(o.buf + o.len, c->buf, n);
		o.len += n;
		o.buf[o.len] = '\0';
		if (nl) {
			c->len -= n + 1;
			memmove(c->buf, nl + 1, c->len);
			return o.buf;
		}
		c->len = 0;
		int r = chan_fill(c, STEP_TIMEOUT_MS);
		if (r == 0)
			fatal("%s: the process ended without answering", what);
		if (r < 0)
			fatal("%s: no answer within %d ms", what, STEP_TIMEOUT_MS);
	}
}

/* Wait until the process behind the channel is gone: its end of the socket is closed in
 * exit_files(), which do_exit() runs after exit_mm() has dropped the address space. */
static void wait_eof(struct chan *c, const char *what)
{
	while (!c->eof) {
		int r = chan_fill(c, STEP_TIMEOUT_MS);
		if (r < 0)
			fatal("%s: the process did not end within %d ms", what, STEP_TIMEOUT_MS);
		c->len = 0;
	}
}

static void expect_ok_pid(struct proc *p, const char *what)
{
	char *line = read_reply(p->ch, what);
	int pid;
	if (sscanf(line, "ok %d", &pid) != 1)
		fatal("%s: %s", what, line);
	p->pid = pid;
	free(line);
}

static void coord_spawn(struct proc *p)
{
	int sp[2];
	if (p->used)
		fatal("process slot reused");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp))
		fatal("socketpair: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		fatal("fork: %s", strerror(errno));
	if (pid == 0) {
		/* A fresh process: keep only its channel (as fd 3) and stderr. */
		int devnull = open("/dev/null", O_RDWR);
		if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(sp[1], 3) < 0)
			_exit(74);
		syscall(SYS_close_range, 4U, ~0U, 0U);
		char *args[] = { "cow-lab-driver", "worker", "3", NULL };
		execv("/proc/self/exe", args);
		_exit(75);
	}
	close(sp[1]);
	*p = (struct proc){ .used = 1, .alive = 1, .pid = pid, .vfork_parent = -1, .ch = new_chan(sp[0]) };
	expect_ok_pid(p, "spawn");
	say("ok");
}

static void coord_forward(struct proc *p, const char *cmd)
{
	if (send_line(p->ch->fd, cmd, -1))
		fatal("send to %d: %s", (int)p->pid, strerror(errno));
	char *line = read_reply(p->ch, cmd);
	say(line);
	free(line);
}

/* A vfork child has just released the borrowed address space: its parent resumes. */
static void release_vfork_parent(struct proc *child)
{
	if (child->vfork_parent < 0)
		return;
	struct proc *parent = &procs[child->vfork_parent];
	char *line = read_reply(parent->ch, "vfork parent resume");
	if (strcmp(line, "resumed") != 0)
		fatal("vfork parent: %s", line);
	free(line);
	child->vfork_parent = -1;
}

/*
 * Pipes belong to the coordinator: a pipe is a kernel object that outlives the process that
 * filled it, and every scenario process can reach every pipe (the write end is passed with
 * each vmsplice command, SCM_RIGHTS, and closed by the worker right after). Both ends are
 * non-blocking, so a full or empty pipe is an answer, never a hang.
 */
static struct {
	int used;
	int rd, wr;
} pipes[MAX_PIPES];

static int pipe_at(const char *tok, int create)
{
	char *end;
	long i = strtol(tok, &end, 10);
	if (*end || i < 0 || i >= MAX_PIPES)
		fatal("bad pipe number '%s'", tok);
	if (!pipes[i].used) {
		if (!create)
			return -1;
		int fds[2];
		if (pipe2(fds, O_NONBLOCK | O_CLOEXEC))
			fatal("pipe2: %s", strerror(errno));
		pipes[i] = (typeof(pipes[i])){ .used = 1, .rd = fds[0], .wr = fds[1] };
	}
	return (int)i;
}

/* Reads fd empty; the bytes go to *data (malloc'd), their number is returned. */
static size_t read_empty(int fd, unsigned char **data)
{
	size_t cap = (PIPE_PAGES + 1) * PAGE, len = 0;
	unsigned char *buf = malloc(cap);
	if (!buf)
		fatal("out of memory");
	for (;;) {
		if (len == cap) {
			cap *= 2;
			unsigned char *b = realloc(buf, cap);
			if (!b)
				fatal("out of memory");
			buf = b;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	*data = buf;
	return len;
}

/* Each PAGE-sized piece of data as the text it starts with (hex, "-" when empty), run-length encoded. */
static void page_texts(struct out *o, const unsigned char *data, size_t len)
{
	struct rle rl = { .o = o };
	for (size_t at = 0; at < len; at += PAGE) {
		char item[2 * MAX_VALUE + 2];
		size_t k = 0;
		for (size_t j = 0; at + j < len && j < PAGE && j < MAX_VALUE && data[at + j]; j++)
			k += (size_t)snprintf(item + k, sizeof item - k, "%02x", data[at + j]);
		if (!k)
			snprintf(item, sizeof item, "-");
		rle_item(&rl, item);
	}
	rle_flush(&rl);
}

/* drain N: read the pipe empty (pipe_read releases each buffer's page); reply: ok TEXTS. */
static void coord_drain(const char *tok)
{
	int i = pipe_at(tok, 0);
	if (i < 0) {
		say("err drain unknown pipe");
		return;
	}
	unsigned char *data;
	size_t len = read_empty(pipes[i].rd, &data);
	struct out o = { 0 };
	out_add(&o, "ok ");
	page_texts(&o, data, len);
	say(o.buf);
	free(o.buf);
	free(data);
}

/*
 * pipes: what every pipe holds, without taking it out: tee(2) links the pipe's buffers into a
 * scratch pipe (each a reference on the same page), which is read and closed at once.
 * Reply: ok N=TEXTS;N=TEXTS...
 */
static void coord_pipes(void)
{
	struct out o = { 0 };
	out_add(&o, "ok ");
	int first = 1;
	for (int i = 0; i < MAX_PIPES; i++) {
		if (!pipes[i].used)
			continue;
		int scratch[2];
		if (pipe2(scratch, O_NONBLOCK | O_CLOEXEC))
			fatal("pipe2: %s", strerror(errno));
		ssize_t t = tee(pipes[i].rd, scratch[1], (PIPE_PAGES + 1) * PAGE, SPLICE_F_NONBLOCK);
		if (t < 0 && errno != EAGAIN)
			fatal("tee: %s", strerror(errno));
		close(scratch[1]);
		unsigned char *data;
		size_t len = read_empty(scratch[0], &data);
		close(scratch[0]);
		out_add(&o, "%s%d=", first ? "" : ";", i);
		page_texts(&o, data, len);
		free(data);
		first = 0;
	}
	say(o.buf);
	free(o.buf);
}

/* P vmsplice R FIRST LAST N: forwards "vmsplice R FIRST LAST" with pipe N's write end. */
static void coord_vmsplice(struct proc *p, const char *cmd)
{
	char copy[LINE_MAX_IN];
	snprintf(copy, sizeof copy, "%s", cmd);
	char *sp = strrchr(copy, ' ');
	if (!sp)
		fatal("bad command '%s'", cmd);
	*sp = '\0';
	int i = pipe_at(sp + 1, 1);
	if (send_line(p->ch->fd, copy, pipes[i].wr))
		fatal("send to %d: %s", (int)p->pid, strerror(errno));
	char *line = read_reply(p->ch, cmd);
	say(line);
	free(line);
}

static void coordinator_main(void)
{
	signal(SIGCHLD, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	char hello[256];
	/* Learn the shared zero page's frame: read one untouched private page (do_anonymous_page
	 * maps my_zero_pfn for a read fault). Without CAP_SYS_ADMIN the frame reads as 0. */
	int pm = open_pagemap();
	if (pm < 0) {
		snprintf(hello, sizeof hello, "hello pagemap=0 error=%s", strerror(errno));
		say(hello);
		exit(4);
	}
	volatile unsigned char *probe = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (probe == MAP_FAILED)
		fatal("mmap: %s", strerror(errno));
	unsigned char c = probe[0];
	(void)c;
	uint64_t e = 0;
	if (pread(pm, &e, sizeof e, (off_t)((uintptr_t)probe / PAGE * sizeof e)) != (ssize_t)sizeof e)
		fatal("read /proc/self/pagemap: %s", strerror(errno));
	munmap((void *)probe, PAGE);
	close(pm);
	int kpc = open("/proc/kpagecount", O_RDONLY);
	if (kpc >= 0)
		close(kpc);
	/* Can this process take long-term pins the way the driver does (io_uring)? io_uring may
	 * be disabled (kernel.io_uring_disabled, seccomp, a kernel built without it). */
	char uring[64] = "ok";
	struct io_uring_params par;
	memset(&par, 0, sizeof par);
	int ring = (int)syscall(__NR_io_uring_setup, 1, &par);
	if (ring >= 0)
		close(ring);
	else
		snprintf(uring, sizeof uring, "errno-%d", errno);
	snprintf(hello, sizeof hello, "hello pagemap=1 zero=%llx kpagecount=%d entry=%llx iouring=%s",
		 (unsigned long long)(e & ((1ULL << 55) - 1)), kpc >= 0, (unsigned long long)e, uring);
	say(hello);

	struct chan in = { .fd = 0, .is_pipe = 1 };
	char line[LINE_MAX_IN];
	for (;;) {
		int got = chan_line(&in, line, sizeof line, -1);
		if (got == 0 || (got > 0 && strcmp(line, "quit") == 0))
			break;
		if (got < 0)
			fatal("command line too long");
		char copy[LINE_MAX_IN];
		snprintf(copy, sizeof copy, "%s", line);
		char *first = strtok(copy, " ");
		char *second = first ? strtok(NULL, " ") : NULL;
		if (first && !second && strcmp(first, "pipes") == 0) {
			coord_pipes();
			continue;
		}
		if (!first || !second)
			fatal("bad command '%s'", line);
		if (strcmp(first, "drain") == 0) {
			coord_drain(second);
			continue;
		}
		if (strcmp(first, "spawn") == 0) {
			coord_spawn(proc_at(second, 0));
			continue;
		}
		struct proc *p = proc_at(first, 1);
		if (p->ch->eof)
			fatal("process %s is gone", first);
		const char *cmd = line + strlen(first) + 1;
		if (strcmp(second, "fork") == 0 || strcmp(second, "vfork") == 0) {
			char *third = strtok(NULL, " ");
			if (!third)
				fatal("fork without a child number");
			struct proc *c = proc_at(third, 0);
			if (c->used)
				fatal("process slot reused");
			int is_vfork = second[0] == 'v';
			if (send_line(p->ch->fd, is_vfork ? "vfork" : "fork", -1))
				fatal("send: %s", strerror(errno));
			char *ack = read_reply(p->ch, second);
			int fd = take_passed_fd(p->ch);
			int pid = 0;
			if (fd < 0 || (is_vfork ? strcmp(ack, "vforking") != 0 : sscanf(ack, "ok %d", &pid) != 1)) {
				if (fd >= 0)
					close(fd);
				say(strncmp(ack, "err", 3) == 0 ? ack : "err fork protocol");
				free(ack);
				continue;
			}
			free(ack);
			*c = (struct proc){ .used = 1, .alive = 1, .pid = pid, .vfork_parent = -1, .ch = new_chan(fd) };
			if (is_vfork) {
				expect_ok_pid(c, "vfork child");
				c->vfork_parent = (int)(p - procs);
			} else {
				/* The child speaks first on its channel; take its hello now. */
				expect_ok_pid(c, "fork child");
			}
			say("ok");
		} else if (strcmp(second, "exec") == 0) {
			if (send_line(p->ch->fd, "exec", -1))
				fatal("send: %s", strerror(errno));
			expect_ok_pid(p, "exec");
			release_vfork_parent(p);
			say("ok");
		} else if (strcmp(second, "exit") == 0) {
			if (send_line(p->ch->fd, "exit", -1))
				fatal("send: %s", strerror(errno));
			release_vfork_parent(p);
			wait_eof(p->ch, "exit");
			close(p->ch->fd);
			p->alive = 0;
			say("ok");
		} else if (strcmp(second, "vmsplice") == 0) {
			coord_vmsplice(p, cmd);
		} else {
			coord_forward(p, cmd);
		}
	}
	kill_all();
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "worker") == 0)
		return worker_main(atoi(argv[2]));
	if (argc >= 2 && strcmp(argv[1], "coordinator") == 0) {
		if (argc >= 4 && strcmp(argv[2], "--cpu") == 0) {
			/* One CPU for the whole scenario: a freshly faulted page then sits in the very
			 * LRU-add batch that wp_can_reuse_anon_folio() drains, so reuse is as the
			 * engine models it rather than a cross-CPU accident. N counts the CPUs this
			 * process may use (a container's cpuset need not start at CPU 0). */
			cpu_set_t allowed, one;
			if (sched_getaffinity(0, sizeof allowed, &allowed))
				fatal("sched_getaffinity: %s", strerror(errno));
			int want = atoi(argv[3]) % CPU_COUNT(&allowed);
			CPU_ZERO(&one);
			for (int cpu = 0, seen = 0; cpu < CPU_SETSIZE; cpu++) {
				if (!CPU_ISSET(cpu, &allowed))
					continue;
				if (seen++ == want) {
					CPU_SET(cpu, &one);
					break;
				}
			}
			if (sched_setaffinity(0, sizeof one, &one))
				fatal("sched_setaffinity: %s", strerror(errno));
		}
		coordinator_main();
		return 0;
	}
	fprintf(stderr, "usage: %s coordinator [--cpu N] | worker FD\n", argv[0]);
	return 64;
}
