/* store_floor: the least an NBD server that stores data has to do, as a floor for bench/floor's file
 * write rows (issue 14). It serves one file over a Unix socket with nothing but the system calls a
 * storing server cannot avoid: per connection, one thread reads the socket into a buffer, writes
 * each request's payload into the file with pwrite straight from that buffer, and answers with
 * simple replies. No locks, no thread hand-off, no allocation per request, no option the row does not
 * use (no TLS, no structured replies, no block status, no trim).
 *
 *   store_floor [--batch | --writers N | --sparse-reads] FILE -U - --run COMMAND
 *
 * --run forks COMMAND with $uri set (as nbdkit and nbd4j do, so bench/floor's pass script can find
 * the server among its ancestors), serves until it exits, and exits with its status. With --batch
 * the replies to every request parsed from one read of the socket go out in one write, instead of
 * one write per reply: the two ways a sequential server can answer. With --writers N (below) reading
 * and writing overlap instead, as in a server with worker threads; only writes and flushes then.
 *
 * With --sparse-reads it is instead the floor of bench/run's sparse copies (nbdcopy from a sparse
 * file): it also offers structured replies and the base:allocation context, answers each read with
 * one data chunk (pread into a buffer, then one writev with the chunk header) and each block status
 * with the file's data and holes as lseek's SEEK_DATA and SEEK_HOLE find them, one thread per
 * connection, in the order the requests came.
 *
 * Build: cc -O2 -pthread -o store_floor store_floor.c
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

enum {
  OPT_EXPORT_NAME = 1, OPT_ABORT = 2, OPT_INFO = 6, OPT_GO = 7, OPT_STRUCTURED_REPLY = 8,
  OPT_LIST_META_CONTEXT = 9, OPT_SET_META_CONTEXT = 10,
  REP_ACK = 1, REP_INFO = 3, REP_META_CONTEXT = 4, REP_ERR_UNSUP = (int) (0x80000000u | 1),
  FLAG_HAS_FLAGS = 1, FLAG_SEND_FLUSH = 1 << 2, FLAG_CAN_MULTI_CONN = 1 << 8,
  CMD_READ = 0, CMD_WRITE = 1, CMD_DISC = 2, CMD_FLUSH = 3, CMD_BLOCK_STATUS = 7,
  CHUNK_DONE = 1, CHUNK_OFFSET_DATA = 1, CHUNK_BLOCK_STATUS = 5, STATE_HOLE_ZERO = 3,
  BASE_ALLOCATION_ID = 1, MAX_EXTENTS = 1024,
  EIO_ = 5, EINVAL_ = 22,
  HEADER = 28, MAX_PAYLOAD = 2 << 20,
};
static const uint64_t NBDMAGIC = 0x4e42444d41474943ull, IHAVEOPT = 0x49484156454F5054ull,
                      OPT_REPLY_MAGIC = 0x3e889045565a9ull;
static const uint32_t REQUEST_MAGIC = 0x25609513, SIMPLE_REPLY_MAGIC = 0x67446698,
                      STRUCTURED_REPLY_MAGIC = 0x668e33ef;

static int disk = -1;
static uint64_t disk_size;
static int batch;   /* --batch */
static int writers; /* --writers N */
static int sparse_reads; /* --sparse-reads */

static int write_all(int fd, const void *p, size_t n) {
  for (const char *c = p; n > 0;) {
    ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    c += w, n -= (size_t) w;
  }
  return 0;
}

static int read_all(int fd, void *p, size_t n) {
  for (char *c = p; n > 0;) {
    ssize_t r = read(fd, c, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    c += r, n -= (size_t) r;
  }
  return 0;
}

static void put16(char *p, uint16_t v) { v = htobe16(v); memcpy(p, &v, 2); }
static void put32(char *p, uint32_t v) { v = htobe32(v); memcpy(p, &v, 4); }
static void put64(char *p, uint64_t v) { v = htobe64(v); memcpy(p, &v, 8); }
static uint16_t get16(const char *p) { uint16_t v; memcpy(&v, p, 2); return be16toh(v); }
static uint32_t get32(const char *p) { uint32_t v; memcpy(&v, p, 4); return be32toh(v); }
static uint64_t get64(const char *p) { uint64_t v; memcpy(&v, p, 8); return be64toh(v); }

static const uint16_t transmission_flags = FLAG_HAS_FLAGS | FLAG_SEND_FLUSH | FLAG_CAN_MULTI_CONN;

static int option_reply(int fd, uint32_t option, uint32_t type, const char *data, uint32_t length) {
  char h[20];
  put64(h, OPT_REPLY_MAGIC); put32(h + 8, option); put32(h + 12, type); put32(h + 16, length);
  return write_all(fd, h, sizeof h) || (length && write_all(fd, data, length)) ? -1 : 0;
}

/* Fixed newstyle negotiation; returns 0 once the connection is in transmission. */
static int negotiate(int fd) {
  char hello[18], client_flags[4];
  put64(hello, NBDMAGIC); put64(hello + 8, IHAVEOPT); put16(hello + 16, 1 | 2); /* FIXED_NEWSTYLE, NO_ZEROES */
  if (write_all(fd, hello, sizeof hello) || read_all(fd, client_flags, 4)) return -1;
  for (;;) {
    char h[16];
    if (read_all(fd, h, sizeof h) || get64(h) != IHAVEOPT) return -1;
    uint32_t option = get32(h + 8), length = get32(h + 12);
    if (length > 65536) return -1;
    char data[65536];
    if (read_all(fd, data, length)) return -1;
    switch (option) {
    case OPT_EXPORT_NAME: {
      char reply[10];
      put64(reply, disk_size); put16(reply + 8, transmission_flags);
      return write_all(fd, reply, sizeof reply);
    }
    case OPT_ABORT:
      option_reply(fd, option, REP_ACK, NULL, 0);
      return -1;
    case OPT_INFO: case OPT_GO: {
      char info[12];
      put16(info, 0); put64(info + 2, disk_size); put16(info + 10, transmission_flags); /* NBD_INFO_EXPORT */
      if (option_reply(fd, option, REP_INFO, info, sizeof info) || option_reply(fd, option, REP_ACK, NULL, 0))
        return -1;
      if (option == OPT_GO) return 0;
      break;
    }
    case OPT_STRUCTURED_REPLY:
      if (option_reply(fd, option, sparse_reads ? REP_ACK : (uint32_t) REP_ERR_UNSUP, NULL, 0)) return -1;
      break;
    case OPT_LIST_META_CONTEXT: case OPT_SET_META_CONTEXT:
      /* Whatever was asked, the one context this floor has (libnbd asks for exactly this one). */
      if (sparse_reads) {
        char context[4 + 15];
        put32(context, BASE_ALLOCATION_ID); memcpy(context + 4, "base:allocation", 15);
        if (option_reply(fd, option, REP_META_CONTEXT, context, sizeof context)) return -1;
      }
      if (option_reply(fd, option, sparse_reads ? REP_ACK : (uint32_t) REP_ERR_UNSUP, NULL, 0)) return -1;
      break;
    default:
      if (option_reply(fd, option, (uint32_t) REP_ERR_UNSUP, NULL, 0)) return -1;
    }
  }
}

static void put_chunk_header(char *h, uint16_t type, uint64_t cookie, uint32_t length) {
  put32(h, STRUCTURED_REPLY_MAGIC); put16(h + 4, CHUNK_DONE); put16(h + 6, type); put64(h + 8, cookie);
  put32(h + 16, length);
}

/* A read as one final data chunk: the chunk header and the offset, then the data, in one writev. */
static int read_chunk(int fd, char *data, uint64_t cookie, uint64_t offset, uint32_t length) {
  if (pread(disk, data, length, (off_t) offset) != (ssize_t) length) return -1;
  char h[28];
  put_chunk_header(h, CHUNK_OFFSET_DATA, cookie, 8 + length); put64(h + 20, offset);
  struct iovec v[2] = { { h, sizeof h }, { data, length } };
  size_t left = sizeof h + length;
  while (left > 0) {
    ssize_t w = writev(fd, v, 2);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    left -= (size_t) w;
    for (int i = 0; i < 2; i++) {
      size_t n = (size_t) w < v[i].iov_len ? (size_t) w : v[i].iov_len;
      v[i].iov_base = (char *) v[i].iov_base + n, v[i].iov_len -= n, w -= (ssize_t) n;
    }
  }
  return 0;
}

/* The data and holes of [offset, offset + length) as found by SEEK_DATA and SEEK_HOLE, at most
 * MAX_EXTENTS of them, as one final block status chunk. */
static int block_status_chunk(int fd, uint64_t cookie, uint64_t offset, uint32_t length) {
  static __thread char chunk[20 + 4 + 8 * MAX_EXTENTS];
  char *d = chunk + 24;
  uint64_t at = offset, end = offset + length;
  int count = 0;
  while (at < end && count < MAX_EXTENTS) {
    off_t data = lseek(disk, (off_t) at, SEEK_DATA);
    uint64_t next, flags;
    if (data < 0 || (uint64_t) data > at) { /* a hole up to the next data, or to the end */
      next = data < 0 ? disk_size : (uint64_t) data;
      flags = STATE_HOLE_ZERO;
    } else {
      off_t hole = lseek(disk, (off_t) at, SEEK_HOLE);
      next = hole < 0 ? disk_size : (uint64_t) hole;
      flags = 0;
    }
    if (next > end) next = end;
    put32(d, (uint32_t) (next - at)); put32(d + 4, (uint32_t) flags);
    d += 8, count++, at = next;
  }
  uint32_t payload = 4 + 8 * (uint32_t) count;
  put_chunk_header(chunk, CHUNK_BLOCK_STATUS, cookie, payload); put32(chunk + 20, BASE_ALLOCATION_ID);
  return write_all(fd, chunk, 20 + payload);
}

struct replies { char bytes[4096 * 16]; size_t used; int fd; };

static int flush_replies(struct replies *r) {
  int rc = r->used ? write_all(r->fd, r->bytes, r->used) : 0;
  r->used = 0;
  return rc;
}

static int reply(struct replies *r, uint32_t error, uint64_t cookie) {
  if (r->used + 16 > sizeof r->bytes && flush_replies(r)) return -1;
  char *p = r->bytes + r->used;
  put32(p, SIMPLE_REPLY_MAGIC); put32(p + 4, error); put64(p + 8, cookie);
  r->used += 16;
  return batch ? 0 : flush_replies(r);
}

static void *accept_loop(void *arg);
static void serve_pipelined(int fd);

static void *serve(void *arg) {
  int fd = (int) (intptr_t) arg;
  if (writers > 0) { serve_pipelined(fd); return NULL; }
  size_t capacity = 2 * (MAX_PAYLOAD + HEADER);
  char *buf = malloc(capacity), *data = malloc(MAX_PAYLOAD);
  struct replies *replies = calloc(1, sizeof *replies);
  if (!buf || !data || !replies || negotiate(fd)) goto done;
  replies->fd = fd;
  size_t start = 0, end = 0;
  for (;;) {
    /* Every complete request already in the buffer first; then one read for more. */
    while (end - start >= HEADER) {
      const char *h = buf + start;
      uint16_t type = get16(h + 6);
      uint64_t cookie = get64(h + 8), offset = get64(h + 16);
      uint32_t length = get32(h + 24);
      if (get32(h) != REQUEST_MAGIC || (length > MAX_PAYLOAD && type != CMD_BLOCK_STATUS)) goto done;
      size_t need = HEADER + (type == CMD_WRITE ? length : 0);
      if (end - start < need) break;
      uint32_t error = offset > disk_size || length > disk_size - offset ? EINVAL_ : 0;
      switch (type) {
      case CMD_WRITE:
        if (!error && pwrite(disk, h + HEADER, length, (off_t) offset) != (ssize_t) length) error = EIO_;
        if (reply(replies, error, cookie)) goto done;
        break;
      case CMD_READ:
        if (sparse_reads) {
          if (error || read_chunk(fd, data, cookie, offset, length)) goto done;
          break;
        }
        if (!error && pread(disk, data, length, (off_t) offset) != (ssize_t) length) error = EIO_;
        if (flush_replies(replies)) goto done;
        {
          char r[16];
          put32(r, SIMPLE_REPLY_MAGIC); put32(r + 4, error); put64(r + 8, cookie);
          if (write_all(fd, r, sizeof r) || (!error && write_all(fd, data, length))) goto done;
        }
        break;
      case CMD_FLUSH:
        if (reply(replies, fdatasync(disk) ? EIO_ : 0, cookie)) goto done;
        break;
      case CMD_BLOCK_STATUS:
        if (!sparse_reads || error || block_status_chunk(fd, cookie, offset, length)) goto done;
        break;
      case CMD_DISC:
        flush_replies(replies);
        goto done;
      default:
        if (reply(replies, EINVAL_, cookie)) goto done;
      }
      start += need;
    }
    if (flush_replies(replies)) goto done;
    if (start == end) start = end = 0;
    else {
      /* Move a partial request to the front only when the rest of it could not fit after it. */
      size_t need = HEADER;
      if (end - start >= HEADER && get16(buf + start + 6) == CMD_WRITE) need += get32(buf + start + 24);
      if (capacity - start < need) {
        memmove(buf, buf + start, end - start);
        end -= start, start = 0;
      }
    }
    ssize_t got = read(fd, buf + end, capacity - end);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) goto done;
    end += (size_t) got;
  }
done:
  close(fd);
  free(buf); free(data); free(replies);
  return NULL;
}


/* --writers N: the reader only reads (each payload straight into a free slot's buffer) and N writer
 * threads pwrite and reply, so that reading the next payload overlaps writing the last one. */
enum { SLOTS = 16 };
struct slot { char header[HEADER]; char *payload; };
struct pipeline {
  int fd, closing;
  struct slot slots[SLOTS];
  size_t head, tail; /* slots[head % SLOTS .. tail % SLOTS) are queued for the writers */
  size_t free_count;
  int free_list[SLOTS];
  pthread_mutex_t lock, send_lock;
  pthread_cond_t queued, freed;
  int queue[SLOTS];
};

static void *write_requests(void *arg) {
  struct pipeline *p = arg;
  for (;;) {
    pthread_mutex_lock(&p->lock);
    while (p->head == p->tail && !p->closing) pthread_cond_wait(&p->queued, &p->lock);
    if (p->head == p->tail) { pthread_mutex_unlock(&p->lock); return NULL; }
    int index = p->queue[p->head++ % SLOTS];
    pthread_mutex_unlock(&p->lock);

    struct slot *slot = &p->slots[index];
    uint16_t type = get16(slot->header + 6);
    uint64_t cookie = get64(slot->header + 8), offset = get64(slot->header + 16);
    uint32_t length = get32(slot->header + 24);
    uint32_t error = offset > disk_size || length > disk_size - offset ? EINVAL_ : 0;
    if (!error && type == CMD_WRITE && pwrite(disk, slot->payload, length, (off_t) offset) != (ssize_t) length) error = EIO_;
    if (!error && type == CMD_FLUSH && fdatasync(disk)) error = EIO_;
    if (type != CMD_WRITE && type != CMD_FLUSH) error = EINVAL_;
    char r[16];
    put32(r, SIMPLE_REPLY_MAGIC); put32(r + 4, error); put64(r + 8, cookie);
    pthread_mutex_lock(&p->send_lock);
    write_all(p->fd, r, sizeof r);
    pthread_mutex_unlock(&p->send_lock);

    pthread_mutex_lock(&p->lock);
    p->free_list[p->free_count++] = index;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
  }
}

static void serve_pipelined(int fd) {
  struct pipeline *p = calloc(1, sizeof *p);
  pthread_t threads[64];
  int started = 0;
  if (!p || negotiate(fd)) goto done;
  p->fd = fd;
  pthread_mutex_init(&p->lock, NULL); pthread_mutex_init(&p->send_lock, NULL);
  pthread_cond_init(&p->queued, NULL); pthread_cond_init(&p->freed, NULL);
  for (int i = 0; i < SLOTS; i++) {
    if (!(p->slots[i].payload = malloc(MAX_PAYLOAD))) goto stop;
    p->free_list[p->free_count++] = i;
  }
  for (; started < writers && started < 64; started++) pthread_create(&threads[started], NULL, write_requests, p);
  for (;;) {
    pthread_mutex_lock(&p->lock);
    while (p->free_count == 0) pthread_cond_wait(&p->freed, &p->lock);
    int index = p->free_list[--p->free_count];
    pthread_mutex_unlock(&p->lock);
    struct slot *slot = &p->slots[index];
    if (read_all(fd, slot->header, HEADER) || get32(slot->header) != REQUEST_MAGIC) break;
    uint16_t type = get16(slot->header + 6);
    uint32_t length = get32(slot->header + 24);
    if (type == CMD_DISC || length > MAX_PAYLOAD) break;
    if (type == CMD_WRITE && read_all(fd, slot->payload, length)) break;
    pthread_mutex_lock(&p->lock);
    p->queue[p->tail++ % SLOTS] = index;
    pthread_cond_signal(&p->queued);
    pthread_mutex_unlock(&p->lock);
  }
stop:
  pthread_mutex_lock(&p->lock);
  p->closing = 1;
  pthread_cond_broadcast(&p->queued);
  pthread_mutex_unlock(&p->lock);
  for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
  for (int i = 0; i < SLOTS; i++) free(p->slots[i].payload);
done:
  close(fd);
  free(p);
}

int main(int argc, char **argv) {
  const char *file = NULL, *command = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--batch")) batch = 1;
    else if (!strcmp(argv[i], "--writers") && i + 1 < argc) writers = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--sparse-reads")) sparse_reads = 1;
    else if (!strcmp(argv[i], "-U") && i + 1 < argc && !strcmp(argv[i + 1], "-")) i++;
    else if (!strcmp(argv[i], "--run") && i + 1 < argc) command = argv[++i];
    else if (!file) file = argv[i];
    else { fprintf(stderr, "store_floor: unexpected argument %s\n", argv[i]); return 2; }
  }
  if (!file || !command) {
    fprintf(stderr, "usage: store_floor [--batch | --writers N | --sparse-reads] FILE -U - --run COMMAND\n");
    return 2;
  }
  struct stat st;
  if ((disk = open(file, O_RDWR)) < 0 || fstat(disk, &st)) { perror(file); return 1; }
  disk_size = (uint64_t) st.st_size;

  char dir[] = "/tmp/store-floor.XXXXXX";
  if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  snprintf(address.sun_path, sizeof address.sun_path, "%s/socket", dir);
  int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0 || bind(listener, (struct sockaddr *) &address, sizeof address) || listen(listener, 64)) {
    perror("listen"); return 1;
  }
  pid_t child = fork();
  if (child == 0) {
    char uri[256];
    snprintf(uri, sizeof uri, "nbd+unix:///?socket=%s", address.sun_path);
    setenv("uri", uri, 1);
    execl("/bin/sh", "sh", "-c", command, (char *) NULL);
    _exit(127);
  }
  /* The acceptor runs in its own thread so that the main thread can wait for the command. */
  pthread_t acceptor;
  pthread_create(&acceptor, NULL, accept_loop, (void *) (intptr_t) listener);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
  unlink(address.sun_path);
  rmdir(dir);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static void *accept_loop(void *arg) {
  int listener = (int) (intptr_t) arg;
  for (;;) {
    int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) { if (errno == EINTR || errno == ECONNABORTED) continue; return NULL; }
    pthread_t t;
    if (pthread_create(&t, NULL, serve, (void *) (intptr_t) fd)) { close(fd); continue; }
    pthread_detach(t);
  }
}
