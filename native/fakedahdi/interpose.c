/*
 * The libc entry points this library interposes (LD_PRELOAD). Only descriptors
 * opened on /dev/dahdi/... are ours; everything else goes straight to libc
 * through dlsym(RTLD_NEXT). Each of our descriptors is a real eventfd, so that
 * epoll (libuv, koffi.node.poll) and poll() see it become readable exactly when
 * the simulated channel has a block, a frame or an event waiting.
 */
#define _GNU_SOURCE
#include <dahdi/user.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "model.h"

#define EXPORT __attribute__((visibility("default")))

int (*real_close)(int);
ssize_t (*real_read)(int, void *, size_t);
ssize_t (*real_write)(int, const void *, size_t);
int (*real_ioctl)(int, unsigned long, ...);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_poll)(struct pollfd *, nfds_t, int);

static pthread_once_t resolved = PTHREAD_ONCE_INIT;
static void resolve(void) {
  real_close = dlsym(RTLD_NEXT, "close");
  real_read = dlsym(RTLD_NEXT, "read");
  real_write = dlsym(RTLD_NEXT, "write");
  real_ioctl = dlsym(RTLD_NEXT, "ioctl");
  real_open = dlsym(RTLD_NEXT, "open");
  real_open64 = dlsym(RTLD_NEXT, "open64");
  real_openat = dlsym(RTLD_NEXT, "openat");
  real_poll = dlsym(RTLD_NEXT, "poll");
}
void fd_resolve_real(void) { pthread_once(&resolved, resolve); }
__attribute__((constructor)) static void init(void) { fd_resolve_real(); }

int fd_ioctl(int fd, struct fd_file *f, unsigned long req, void *arg); /* ioctl.c */

static struct fd_file *ours(int fd) {
  return fd >= 0 && fd < FD_MAX_FILES ? fd_files[fd] : NULL;
}

static int fail(int err) {
  errno = err;
  return -1;
}

/* 0: not a DAHDI path; -1: a DAHDI path we do not provide; else a file kind (channo set for direct nodes). */
static int dahdi_path(const char *path, int *channo) {
  if (!path || strncmp(path, "/dev/dahdi/", 11) != 0) return 0;
  const char *rest = path + 11;
  int span, pos;
  char tail;
  *channo = 0;
  if (!strcmp(rest, "channel")) return FD_FILE_UNSPECIFIED;
  if (!strcmp(rest, "ctl")) return FD_FILE_CTL;
  if (sscanf(rest, "chan/%d/%d%c", &span, &pos, &tail) == 2) {
    struct fd_span *s = fd_span_get(span);
    if (!s || pos < 1 || pos > s->nchans) return -1;
    *channo = s->first_chan + pos - 1;
    return FD_FILE_CHAN;
  }
  if (sscanf(rest, "%d%c", channo, &tail) == 1) return FD_FILE_CHAN;
  return -1;
}

/* Binds an open descriptor to a channel, as DAHDI_SPECIFY or a direct node does. */
int fd_bind_channel(int fd, struct fd_file *f, int channo) {
  struct fd_chan *c = fd_chan_get(channo);
  if (!c) return -ENXIO;
  if (c->open_file >= 0) return -EBUSY;
  if (fd_chan_buffers(c, DAHDI_DEFAULT_BLOCKSIZE, DAHDI_DEFAULT_NUM_BUFS) < 0) return -ENOMEM;
  c->open_file = fd;
  f->kind = FD_FILE_CHAN;
  f->channo = channo;
  c->ev_len = 0;
  c->confno = c->confmode = 0;
  fd_refresh(c);
  return 0;
}

static int fake_open(const char *path, int flags) {
  int channo;
  pthread_mutex_lock(&fd_lock);
  int kind = dahdi_path(path, &channo);
  if (kind < 0) {
    pthread_mutex_unlock(&fd_lock);
    return fail(ENOENT);
  }
  int efd = eventfd(0, EFD_CLOEXEC | ((flags & O_NONBLOCK) ? EFD_NONBLOCK : 0));
  if (efd < 0 || efd >= FD_MAX_FILES) {
    pthread_mutex_unlock(&fd_lock);
    if (efd >= 0) real_close(efd);
    return fail(EMFILE);
  }
  struct fd_file *f = calloc(1, sizeof(*f));
  if (!f) {
    pthread_mutex_unlock(&fd_lock);
    real_close(efd);
    return fail(ENOMEM);
  }
  f->kind = kind;
  fd_files[efd] = f;
  if (kind == FD_FILE_CHAN) {
    int res = fd_bind_channel(efd, f, channo);
    if (res < 0) {
      fd_files[efd] = NULL;
      free(f);
      pthread_mutex_unlock(&fd_lock);
      real_close(efd);
      return fail(-res);
    }
  }
  pthread_mutex_unlock(&fd_lock);
  return efd;
}

#define OPEN_BODY(real_call)                                   \
  fd_resolve_real();                                           \
  mode_t mode = 0;                                             \
  if (flags & (O_CREAT | O_TMPFILE)) {                         \
    va_list ap;                                                \
    va_start(ap, flags);                                       \
    mode = va_arg(ap, mode_t);                                 \
    va_end(ap);                                                \
  }                                                            \
  int channo_unused;                                           \
  if (dahdi_path(path, &channo_unused) != 0) return fake_open(path, flags); \
  return real_call;

EXPORT int open(const char *path, int flags, ...) { OPEN_BODY(real_open(path, flags, mode)) }
EXPORT int open64(const char *path, int flags, ...) { OPEN_BODY(real_open64(path, flags, mode)) }
EXPORT int openat(int dirfd, const char *path, int flags, ...) { OPEN_BODY(real_openat(dirfd, path, flags, mode)) }
EXPORT int __open_2(const char *path, int flags) { return open(path, flags); }
EXPORT int __open64_2(const char *path, int flags) { return open64(path, flags); }

EXPORT int close(int fd) {
  fd_resolve_real();
  struct fd_file *f = ours(fd);
  if (f) {
    pthread_mutex_lock(&fd_lock);
    struct fd_chan *c = f->kind == FD_FILE_CHAN && !f->orphan ? fd_chan_get(f->channo) : NULL;
    if (c && c->open_file == fd) {
      /* DAHDI hangs a channel up when its last user closes it */
      if (fd_chan_is_fxo_port(c) && c->txhook) fd_set_hook(c, DAHDI_ONHOOK);
      if (fd_chan_is_fxs_port(c) && c->ringing_out) fd_set_hook(c, DAHDI_RINGOFF);
      c->open_file = -1;
      c->confno = c->confmode = 0;
      c->ev_len = 0;
    }
    fd_files[fd] = NULL;
    free(f);
    pthread_mutex_unlock(&fd_lock);
  }
  return real_close(fd);
}

static int nonblocking(int fd) { return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0; }

/* Waits (lock released) until the descriptor's eventfd says something changed. */
static void wait_change(int fd, int ms) {
  struct pollfd p = { .fd = fd, .events = POLLIN };
  pthread_mutex_unlock(&fd_lock);
  real_poll(&p, 1, ms);
  pthread_mutex_lock(&fd_lock);
}

static ssize_t fake_read(int fd, struct fd_file *f, void *buf, size_t count) {
  pthread_mutex_lock(&fd_lock);
  ssize_t res;
  for (;;) {
    struct fd_chan *c = f->orphan || f->kind != FD_FILE_CHAN ? NULL : fd_chan_get(f->channo);
    if (!c) { res = -(f->orphan ? ENODEV : EINVAL); break; }
    if (c->ev_len) { res = -ELAST; break; }
    if (fd_chan_is_hdlc(c) && c->frames_rx.len) {
      struct fd_frame *fr = &c->frames_rx.q[c->frames_rx.head];
      size_t n = fr->len < count ? fr->len : count;
      memcpy(buf, fr->data, n);
      c->frames_rx.head = (c->frames_rx.head + 1) % FD_FRAME_QUEUE;
      c->frames_rx.len--;
      res = (ssize_t)n;
      fd_refresh(c);
      break;
    }
    if (!fd_chan_is_hdlc(c) && fd_chan_readable(c)) {
      size_t n = count < (size_t)c->blocksize ? count : (size_t)c->blocksize;
      res = (ssize_t)fd_bytes_pop(&c->rx, buf, n);
      fd_refresh(c);
      break;
    }
    if (nonblocking(fd)) { res = -EAGAIN; break; }
    wait_change(fd, -1);
  }
  pthread_mutex_unlock(&fd_lock);
  return res < 0 ? fail((int)-res) : res;
}

static ssize_t fake_write(int fd, struct fd_file *f, const void *buf, size_t count) {
  pthread_mutex_lock(&fd_lock);
  ssize_t res;
  for (;;) {
    struct fd_chan *c = f->orphan || f->kind != FD_FILE_CHAN ? NULL : fd_chan_get(f->channo);
    if (!c) { res = -(f->orphan ? ENODEV : EINVAL); break; }
    if (c->sigtype == DAHDI_SIG_NONE) { res = -EINVAL; break; }
    if (fd_chan_is_hdlc(c)) {
      int r = fd_send_frame(c, buf, count);
      res = r < 0 ? r : (ssize_t)count;
      break;
    }
    size_t n = fd_bytes_push(&c->tx, buf, count, 0, NULL);
    if (n > 0) { res = (ssize_t)n; break; }
    if (nonblocking(fd)) { res = -EAGAIN; break; }
    wait_change(fd, 1); /* tx drains on the next tick; there is no writable eventfd state to wait on */
  }
  pthread_mutex_unlock(&fd_lock);
  return res < 0 ? fail((int)-res) : res;
}

EXPORT ssize_t read(int fd, void *buf, size_t count) {
  fd_resolve_real();
  struct fd_file *f = ours(fd);
  return f ? fake_read(fd, f, buf, count) : real_read(fd, buf, count);
}

EXPORT ssize_t __read_chk(int fd, void *buf, size_t count, size_t buflen) {
  (void)buflen;
  return read(fd, buf, count);
}

EXPORT ssize_t write(int fd, const void *buf, size_t count) {
  fd_resolve_real();
  struct fd_file *f = ours(fd);
  return f ? fake_write(fd, f, buf, count) : real_write(fd, buf, count);
}

EXPORT int ioctl(int fd, unsigned long req, ...) {
  fd_resolve_real();
  va_list ap;
  va_start(ap, req);
  void *arg = va_arg(ap, void *);
  va_end(ap);
  struct fd_file *f = ours(fd);
  if (!f) return real_ioctl(fd, req, arg);
  pthread_mutex_lock(&fd_lock);
  int res = fd_ioctl(fd, f, req, arg);
  pthread_mutex_unlock(&fd_lock);
  return res < 0 ? fail(-res) : res;
}

/* Wait helper for IOMUX: called with the lock held. */
void fd_wait_change(int fd, int ms) { wait_change(fd, ms); }

static short fake_revents(struct fd_file *f, short events) {
  if (f->orphan) return POLLERR | POLLHUP;
  struct fd_chan *c = f->kind == FD_FILE_CHAN ? fd_chan_get(f->channo) : NULL;
  if (!c) return (short)(events & POLLOUT);
  short r = 0;
  if (c->ev_len) r |= POLLPRI;
  if (fd_chan_readable(c)) r |= POLLIN;
  if (fd_chan_is_hdlc(c) || c->tx.len + (size_t)c->blocksize <= c->tx.cap) r |= POLLOUT;
  return (short)(r & (events | POLLERR | POLLHUP | POLLPRI));
}

EXPORT int poll(struct pollfd *fds, nfds_t n, int timeout) {
  fd_resolve_real();
  int any = 0;
  for (nfds_t i = 0; i < n; i++)
    if (ours(fds[i].fd)) any = 1;
  if (!any) return real_poll(fds, n, timeout);

  struct pollfd stack[64];
  struct pollfd *copy = n <= 64 ? stack : malloc(sizeof(*copy) * n);
  if (!copy) {
    errno = ENOMEM;
    return -1;
  }
  for (;;) {
    int ready = 0;
    pthread_mutex_lock(&fd_lock);
    for (nfds_t i = 0; i < n; i++) {
      copy[i] = fds[i];
      struct fd_file *f = ours(fds[i].fd);
      if (f) {
        fds[i].revents = fake_revents(f, fds[i].events);
        if (fds[i].revents) ready++;
        copy[i].events = POLLIN; /* the eventfd: readable when the channel changes */
      }
    }
    pthread_mutex_unlock(&fd_lock);
    int res = real_poll(copy, n, ready ? 0 : timeout);
    if (res < 0) {
      if (copy != stack) free(copy);
      return res;
    }
    int total = 0;
    pthread_mutex_lock(&fd_lock);
    for (nfds_t i = 0; i < n; i++) {
      struct fd_file *f = ours(fds[i].fd);
      fds[i].revents = f ? fake_revents(f, fds[i].events) : copy[i].revents;
      if (fds[i].revents) total++;
    }
    pthread_mutex_unlock(&fd_lock);
    if (total || timeout == 0 || (res == 0 && timeout > 0)) {
      if (copy != stack) free(copy);
      return total;
    }
    /* woken by a change that left nothing to report: wait again (timeout restarts; good enough for a simulator) */
  }
}

EXPORT int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen) {
  (void)fdslen;
  return poll(fds, n, timeout);
}
