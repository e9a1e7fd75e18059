// What a write into memory costs the server beyond reading its payload from the socket, for the
// designs a memory disk could use (bench/results/20261206-one-copy-write.md says why each exists):
//
//   recv     recv into a resident buffer and keep nothing: the "server that stores nothing"
//   copy     recv into a resident buffer, then memcpy into resident disk pages (what nbd4j does)
//   remap    recv into a scratch range, then mremap(MREMAP_FIXED) it over the disk pages and map a
//            fresh scratch range for the next write (the replaced pages are freed)
//   remappop as remap, the fresh scratch range mapped with MAP_POPULATE (its faults taken in one call)
//   dontunmap  as remap with MREMAP_DONTUNMAP: the scratch range stays mapped, empty, and refaults
//   copynt   as copy, with non-temporal stores (no read of the destination's cache lines first)
//   direct   recv straight into the disk pages: one copy, but it can tear (the reverted design; a bound)
//   chunks   the disk as a table of 4 KiB chunk pointers: readv into chunks from a free list, then
//            swap the pointers in and put the old chunks on the free list (reclamation not counted)
//
// A child process writes the payloads into a Unix stream socket, as the benchmark's clients do.
// The receiving thread's CPU time (CLOCK_THREAD_CPUTIME_ID) per GiB is the figure; the whole
// process's CPU and the machine's TLB shootdown interrupts are printed beside it. With --sibling, a
// second thread of the same process keeps reading the disk, so that replacing mapped pages has to
// shoot down the TLB of the other CPU, as in a JVM whose other threads run on the other core.
//
// Build: gcc -O2 -pthread -o /tmp/one_copy_write bench/lib/one_copy_write.c
// Run:   /tmp/one_copy_write DESIGN WRITE_BYTES [--random] [--sibling] [--gib N]
#define _GNU_SOURCE
#include <errno.h>
#include <immintrin.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define DISK_BYTES (256UL << 20)
#define CHUNK 4096UL

static void die(const char *what) {
    perror(what);
    exit(1);
}

static double seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static long tlb_shootdowns(void) {
    FILE *f = fopen("/proc/interrupts", "r");
    char line[4096];
    long total = 0;
    while (f && fgets(line, sizeof line, f)) {
        char *p = line;
        while (*p == ' ') p++;
        if (strncmp(p, "TLB:", 4) != 0) continue;
        p += 4;
        char *end;
        for (long v = strtol(p, &end, 10); end != p; v = strtol(p, &end, 10)) {
            total += v;
            p = end;
        }
    }
    if (f) fclose(f);
    return total;
}

static int map_count(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    int c, n = 0;
    while ((c = fgetc(f)) != EOF) n += c == '\n';
    fclose(f);
    return n;
}

static void remap_failed(size_t done) {
    fprintf(stderr, "mremap failed after %zu writes with %d mappings in the process (vm.max_map_count): %s\n",
            done, map_count(), strerror(errno));
    exit(1);
}

static void *map_anon(size_t len, int extra) {
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | extra, -1, 0);
    if (p == MAP_FAILED) die("mmap");
    return p;
}

static void recv_all(int fd, char *dst, size_t len) {
    while (len > 0) {
        ssize_t n = recv(fd, dst, len, MSG_WAITALL);
        if (n <= 0) die("recv");
        dst += n;
        len -= n;
    }
}

static void readv_all(int fd, struct iovec *iov, int count) {
    while (count > 0) {
        ssize_t n = readv(fd, iov, count);
        if (n <= 0) die("readv");
        while (count > 0 && (size_t) n >= iov->iov_len) {
            n -= iov->iov_len;
            iov++;
            count--;
        }
        if (count > 0) {
            iov->iov_base = (char *) iov->iov_base + n;
            iov->iov_len -= n;
        }
    }
}

static void copy_non_temporal(char *dst, const char *src, size_t len) {
    for (size_t i = 0; i < len; i += 64) {
        __m128i a = _mm_load_si128((const __m128i *) (src + i)), b = _mm_load_si128((const __m128i *) (src + i + 16));
        __m128i c = _mm_load_si128((const __m128i *) (src + i + 32)), d = _mm_load_si128((const __m128i *) (src + i + 48));
        _mm_stream_si128((__m128i *) (dst + i), a);
        _mm_stream_si128((__m128i *) (dst + i + 16), b);
        _mm_stream_si128((__m128i *) (dst + i + 32), c);
        _mm_stream_si128((__m128i *) (dst + i + 48), d);
    }
    _mm_sfence();
}

static void sender(int fd, size_t total) {
    size_t block = 1 << 20;
    char *buf = malloc(block);
    for (size_t i = 0; i < block; i++) buf[i] = (char) (i * 131 + 7);
    while (total > 0) {
        size_t n = total < block ? total : block;
        ssize_t w = write(fd, buf, n);
        if (w <= 0) die("write");
        total -= w;
    }
    _exit(0);
}

static atomic_int stop;
static char *volatile sibling_disk;

// Reads one byte per 4 KiB page of the disk, round and round: its CPU keeps the disk's pages in its TLB.
static void *sibling(void *unused) {
    (void) unused;
    unsigned long sum = 0;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        char *d = sibling_disk;
        for (size_t off = 0; off < DISK_BYTES; off += CHUNK) sum += d[off];
    }
    return (void *) sum;
}

static uint64_t next_random(uint64_t *state) {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s recv|copy|copynt|direct|remap|remappop|dontunmap|chunks WRITE_BYTES [--random] [--sibling] [--gib N]\n", argv[0]);
        return 2;
    }
    const char *design = argv[1];
    size_t len = strtoul(argv[2], NULL, 0);
    int random = 0, with_sibling = 0;
    double gib = 1;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--random")) random = 1;
        else if (!strcmp(argv[i], "--sibling")) with_sibling = 1;
        else if (!strcmp(argv[i], "--gib") && i + 1 < argc) gib = atof(argv[++i]);
    }
    if (len == 0 || len % CHUNK || len > DISK_BYTES) die("WRITE_BYTES must be a multiple of 4096");
    size_t total = (size_t) (gib * (1UL << 30)) / len * len;
    size_t writes = total / len;

    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) die("socketpair");
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        sender(sv[1], total);
    }
    close(sv[1]);
    int fd = sv[0];

    // The disk, written once so that every design overwrites resident pages (the overwrite rows).
    char *disk = map_anon(DISK_BYTES, 0);
    memset(disk, 1, DISK_BYTES);
    char *buffer = map_anon(len, 0);
    memset(buffer, 1, len);
    char *scratch = map_anon(len, 0);
    memset(scratch, 1, len);

    size_t chunk_count = DISK_BYTES / CHUNK;
    char **table = NULL, **free_list = NULL;
    size_t free_top = 0;
    struct iovec *iov = NULL;
    int chunks = !strcmp(design, "chunks");
    if (chunks) {
        size_t spare = len / CHUNK;
        char *slab = map_anon((chunk_count + spare) * CHUNK, 0);
        memset(slab, 1, (chunk_count + spare) * CHUNK);
        table = malloc(chunk_count * sizeof *table);
        free_list = malloc(spare * sizeof *free_list);
        for (size_t i = 0; i < chunk_count; i++) table[i] = slab + i * CHUNK;
        for (size_t i = 0; i < spare; i++) free_list[free_top++] = slab + (chunk_count + i) * CHUNK;
        iov = malloc(spare * sizeof *iov);
        sibling_disk = slab;
    } else {
        sibling_disk = disk;
    }

    pthread_t reader;
    if (with_sibling && pthread_create(&reader, NULL, sibling, NULL)) die("pthread_create");
    int maps_before = map_count();
    long tlb_before = tlb_shootdowns();
    double cpu0 = seconds(CLOCK_THREAD_CPUTIME_ID), proc0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    double wall0 = seconds(CLOCK_MONOTONIC);
    struct rusage ru0, ru1;
    getrusage(RUSAGE_THREAD, &ru0);
    uint64_t rng = 0x9E3779B97F4A7C15ULL;
    size_t slots = DISK_BYTES / len;

    for (size_t w = 0; w < writes; w++) {
        size_t slot = random ? next_random(&rng) % slots : w % slots;
        char *dest = disk + slot * len;
        if (!strcmp(design, "recv")) {
            recv_all(fd, buffer, len);
        } else if (!strcmp(design, "copy")) {
            recv_all(fd, buffer, len);
            memcpy(dest, buffer, len);
        } else if (!strcmp(design, "copynt")) {
            recv_all(fd, buffer, len);
            copy_non_temporal(dest, buffer, len);
        } else if (!strcmp(design, "direct")) {
            recv_all(fd, dest, len);
        } else if (!strcmp(design, "remap")) {
            recv_all(fd, scratch, len);
            if (mremap(scratch, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dest) == MAP_FAILED) remap_failed(w);
            scratch = map_anon(len, 0);
        } else if (!strcmp(design, "remappop")) {
            recv_all(fd, scratch, len);
            if (mremap(scratch, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dest) == MAP_FAILED) remap_failed(w);
            scratch = map_anon(len, MAP_POPULATE);
        } else if (!strcmp(design, "dontunmap")) {
            recv_all(fd, scratch, len);
            if (mremap(scratch, len, len, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, dest) == MAP_FAILED)
                remap_failed(w);
        } else if (chunks) {
            size_t n = len / CHUNK, first = slot * n;
            char *fresh[n];
            for (size_t i = 0; i < n; i++) {
                fresh[i] = free_list[--free_top];
                iov[i].iov_base = fresh[i];
                iov[i].iov_len = CHUNK;
            }
            for (size_t done = 0; done < n; done += 1024) readv_all(fd, iov + done, n - done < 1024 ? n - done : 1024);
            for (size_t i = 0; i < n; i++) {
                char *old = atomic_exchange_explicit((_Atomic(char *) *) &table[first + i], fresh[i], memory_order_acq_rel);
                free_list[free_top++] = old;
            }
        } else {
            fprintf(stderr, "unknown design %s\n", design);
            return 2;
        }
    }

    double cpu = seconds(CLOCK_THREAD_CPUTIME_ID) - cpu0, proc = seconds(CLOCK_PROCESS_CPUTIME_ID) - proc0;
    double wall = seconds(CLOCK_MONOTONIC) - wall0;
    getrusage(RUSAGE_THREAD, &ru1);
    long tlb = tlb_shootdowns() - tlb_before;
    int maps_after = map_count();
    atomic_store(&stop, 1);
    if (with_sibling) pthread_join(reader, NULL);
    waitpid(child, NULL, 0);
    double gibs = (double) total / (1UL << 30);
    double user = (ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) + (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e6;
    printf("design=%s bytes=%zu random=%d sibling=%d thread_ms_per_gib=%.1f user_ms_per_gib=%.1f "
           "process_ms_per_gib=%.1f mb_per_s=%.0f minflt_per_write=%.2f tlb_per_write=%.2f maps_added=%d\n",
           design, len, random, with_sibling, cpu * 1000 / gibs, user * 1000 / gibs, proc * 1000 / gibs,
           total / wall / 1e6, (double) (ru1.ru_minflt - ru0.ru_minflt) / writes, (double) tlb / writes,
           maps_after - maps_before);
    return 0;
}
