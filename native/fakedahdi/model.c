/* The line model: spans, channels, signalling, frames, alarms. Callers hold fd_lock. */
#include <dahdi/user.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

pthread_mutex_t fd_lock = PTHREAD_MUTEX_INITIALIZER;
struct fd_span fd_spans[FD_MAX_SPANS];
struct fd_chan fd_chans[FD_MAX_CHANS];
struct fd_file *fd_files[FD_MAX_FILES];

struct fd_chan *fd_chan_get(int channo) {
  if (channo <= 0 || channo >= FD_MAX_CHANS || !fd_chans[channo].used) return NULL;
  return &fd_chans[channo];
}

struct fd_span *fd_span_get(int spanno) {
  if (spanno <= 0 || spanno >= FD_MAX_SPANS || !fd_spans[spanno].used) return NULL;
  return &fd_spans[spanno];
}

int fd_chan_is_hdlc(const struct fd_chan *c) {
  return (c->sigtype & DAHDI_SIG_HARDHDLC) == DAHDI_SIG_HARDHDLC || (c->sigtype & DAHDI_SIG_HDLCFCS) == DAHDI_SIG_HDLCFCS;
}
int fd_chan_is_audio(const struct fd_chan *c) { return c->sigtype != DAHDI_SIG_NONE && !fd_chan_is_hdlc(c); }
/* An FXO port (to the exchange) is driven with FXS signalling, and the reverse. */
int fd_chan_is_fxo_port(const struct fd_chan *c) { return (c->sigtype & __DAHDI_SIG_FXS) != 0; }

int fd_chan_configure(int channo, int sigtype, int idlebits) {
  struct fd_chan *c = fd_chan_get(channo);
  if (!c) return -EINVAL;
  if (sigtype != DAHDI_SIG_NONE && (sigtype & c->sigcap) != sigtype) return -EINVAL; /* not a signalling this port can do */
  if (c->open_file >= 0) return -EBUSY;
  c->sigtype = sigtype;
  if (sigtype == DAHDI_SIG_CAS) c->idlebits = c->txbits = idlebits & DAHDI_BITS_ABCD;
  return 0;
}
int fd_chan_is_fxs_port(const struct fd_chan *c) { return (c->sigtype & __DAHDI_SIG_FXO) != 0; }

/* ---- byte rings ---- */
int fd_bytes_init(struct fd_bytes *r, size_t cap) {
  uint8_t *b = realloc(r->buf, cap ? cap : 1);
  if (!b) return -1;
  r->buf = b;
  r->cap = cap;
  r->head = r->len = 0;
  return 0;
}

void fd_bytes_free(struct fd_bytes *r) {
  free(r->buf);
  memset(r, 0, sizeof(*r));
}

size_t fd_bytes_push(struct fd_bytes *r, const uint8_t *d, size_t n, int overwrite, uint32_t *dropped) {
  if (!r->cap) return 0;
  if (n > r->len + (r->cap - r->len) && overwrite) { /* more than the ring holds: keep the newest */
    if (dropped) *dropped += (uint32_t)(r->len + n - r->cap);
    d += n - r->cap;
    n = r->cap;
    r->head = r->len = 0;
  }
  size_t room = r->cap - r->len;
  if (n > room) {
    if (!overwrite) {
      n = room;
    } else {
      size_t drop = n - room;
      r->head = (r->head + drop) % r->cap;
      r->len -= drop;
      if (dropped) *dropped += (uint32_t)drop;
    }
  }
  for (size_t i = 0; i < n; i++) r->buf[(r->head + r->len + i) % r->cap] = d[i];
  r->len += n;
  return n;
}

size_t fd_bytes_pop(struct fd_bytes *r, uint8_t *d, size_t n) {
  if (n > r->len) n = r->len;
  for (size_t i = 0; i < n; i++) d[i] = r->buf[(r->head + i) % r->cap];
  r->head = r->cap ? (r->head + n) % r->cap : 0;
  r->len -= n;
  return n;
}

/* ---- events and readiness ---- */
void fd_event_push(struct fd_chan *c, int ev) {
  if (c->open_file < 0) return; /* DAHDI queues events only for an open channel */
  if (c->ev_len == FD_EVENT_QUEUE) return;
  c->events[(c->ev_head + c->ev_len) % FD_EVENT_QUEUE] = ev;
  c->ev_len++;
}

int fd_event_pop(struct fd_chan *c) {
  if (!c->ev_len) return DAHDI_EVENT_NONE;
  int ev = c->events[c->ev_head];
  c->ev_head = (c->ev_head + 1) % FD_EVENT_QUEUE;
  c->ev_len--;
  return ev;
}

int fd_chan_readable(const struct fd_chan *c) {
  if (fd_chan_is_hdlc(c)) return c->frames_rx.len > 0;
  return c->rx.len >= (size_t)c->blocksize;
}

/* Makes the descriptor's eventfd readable exactly when poll() would report something. */
static void signal_file(int fd, int want) {
  struct fd_file *f = fd_files[fd];
  if (!f || f->signalled == want) return;
  uint64_t one = 1;
  if (want) {
    if (real_write(fd, &one, sizeof(one)) == sizeof(one)) f->signalled = 1;
  } else {
    if (real_read(fd, &one, sizeof(one)) == sizeof(one)) f->signalled = 0;
  }
}

void fd_refresh(struct fd_chan *c) {
  if (c->open_file < 0) return;
  signal_file(c->open_file, c->ev_len > 0 || fd_chan_readable(c));
}

void fd_refresh_all(void) {
  for (int i = 1; i < FD_MAX_CHANS; i++)
    if (fd_chans[i].used) fd_refresh(&fd_chans[i]);
}

/* Sizes the channel's rings; on -ENOMEM the old sizes (and rings) stay as they were. */
int fd_chan_buffers(struct fd_chan *c, int blocksize, int numbufs) {
  size_t cap = (size_t)blocksize * (size_t)numbufs;
  struct fd_bytes rx = {0}, tx = {0};
  if (fd_bytes_init(&rx, cap) < 0 || fd_bytes_init(&tx, cap) < 0) {
    fd_bytes_free(&rx);
    return -ENOMEM;
  }
  fd_bytes_free(&c->rx);
  fd_bytes_free(&c->tx);
  c->rx = rx;
  c->tx = tx;
  c->blocksize = blocksize;
  c->numbufs = numbufs;
  return 0;
}

void fd_chan_flush(struct fd_chan *c, int what) {
  if (what & DAHDI_FLUSH_READ) {
    c->rx.head = c->rx.len = 0;
    c->frames_rx.len = 0;
  }
  if (what & DAHDI_FLUSH_WRITE) c->tx.head = c->tx.len = 0;
  if (what & DAHDI_FLUSH_EVENT) c->ev_len = 0;
}

/* ---- CAS ---- */
void fd_set_rxbits(struct fd_chan *c, int bits) {
  bits &= DAHDI_BITS_ABCD;
  if (c->rxbits == bits) return;
  c->rxbits = bits;
  if (c->sigtype == DAHDI_SIG_CAS) fd_event_push(c, DAHDI_EVENT_BITSCHANGED);
  fd_refresh(c);
}

void fd_set_txbits(struct fd_chan *c, int bits) {
  c->txbits = bits & DAHDI_BITS_ABCD;
  struct fd_chan *p = fd_chan_get(c->peer);
  if (p && !fd_span_link_down(fd_span_get(p->span))) fd_set_rxbits(p, c->txbits);
}

/* ---- analog hook and ringing ---- */
void fd_far_hook(struct fd_chan *c, int offhook) {   /* c is an FXS port: its phone changed hook */
  offhook = !!offhook;
  if (c->rxhook == offhook) return;
  c->rxhook = offhook;
  if (offhook && c->ringing_out) { /* ring trip */
    c->ringing_out = 0;
    struct fd_chan *p = fd_chan_get(c->peer);
    if (p) p->ringing_in = 0;
  }
  fd_event_push(c, offhook ? DAHDI_EVENT_RINGOFFHOOK : DAHDI_EVENT_ONHOOK);
  fd_refresh(c);
}

void fd_far_ring(struct fd_chan *c, int on) {      /* c is an FXO port: the exchange rings it */
  on = !!on;
  if (c->ringing_in == on) return;
  c->ringing_in = on;
  if (on && !c->txhook) {
    fd_event_push(c, DAHDI_EVENT_RINGBEGIN);
    fd_event_push(c, DAHDI_EVENT_RINGOFFHOOK);
  } else if (!on) {
    fd_event_push(c, DAHDI_EVENT_RINGEROFF);
  }
  fd_refresh(c);
}

int fd_set_hook(struct fd_chan *c, int op) {
  struct fd_chan *p = fd_chan_get(c->peer);
  if (fd_chan_is_fxo_port(c)) {
    switch (op) {
    case DAHDI_OFFHOOK:
      c->txhook = 1;
      c->ringing_in = 0;
      if (p) fd_far_hook(p, 1);
      return 0;
    case DAHDI_ONHOOK:
      c->txhook = 0;
      if (p) fd_far_hook(p, 0);
      return 0;
    case DAHDI_FLASH:
    case DAHDI_WINK:
      if (p) {
        fd_event_push(p, DAHDI_EVENT_WINKFLASH);
        fd_refresh(p);
      }
      fd_event_push(c, DAHDI_EVENT_HOOKCOMPLETE);
      fd_refresh(c);
      return 0;
    default:
      return -EINVAL;
    }
  }
  if (fd_chan_is_fxs_port(c)) {
    switch (op) {
    case DAHDI_RING:
    case DAHDI_START:
      if (c->rxhook) return -EBUSY; /* the phone is already off hook */
      c->ringing_out = 1;
      if (p) fd_far_ring(p, 1);
      return 0;
    case DAHDI_RINGOFF:
    case DAHDI_ONHOOK:
      c->ringing_out = 0;
      if (p) fd_far_ring(p, 0);
      return 0;
    case DAHDI_OFFHOOK:
      return 0;
    default:
      return -EINVAL;
    }
  }
  return -EINVAL; /* digital channels have no hook */
}

/* ---- HDLC frames ---- */
void fd_deliver_frame(struct fd_chan *c, struct fd_frames *q, const uint8_t *data, size_t len, int corrupt) {
  if (len < 3 || len > FD_MAX_FRAME) {
    /* Too short or too long for the HDLC controller: lost, but never silently. */
    if (q == &c->frames_rx) {
      fd_event_push(c, len < 3 ? DAHDI_EVENT_ABORT : DAHDI_EVENT_OVERRUN);
      fd_refresh(c);
    }
    return;
  }
  uint16_t want = fd_fcs16(data, len - 2);
  uint16_t got = (uint16_t)(data[len - 2] | (data[len - 1] << 8));
  if (corrupt) got ^= 0x0100;
  if (want != got) {
    c->badfcs++;
    if (q == &c->frames_rx) {
      fd_event_push(c, DAHDI_EVENT_BADFCS);
      fd_refresh(c);
    }
    return;
  }
  if (q->len == FD_FRAME_QUEUE) {
    if (q == &c->frames_rx) fd_event_push(c, DAHDI_EVENT_OVERRUN);
    fd_refresh(c);
    return;
  }
  struct fd_frame *fr = &q->q[(q->head + q->len) % FD_FRAME_QUEUE];
  fr->len = (uint16_t)len;
  memcpy(fr->data, data, len);
  q->len++;
  if (q == &c->frames_rx) c->frames_rx_count++;
  fd_refresh(c);
}

/* Writes one frame from c toward the line: the last two bytes are replaced by the FCS, as a hardhdlc controller does. */
int fd_send_frame(struct fd_chan *c, const uint8_t *data, size_t len) {
  if (len < 3 || len > FD_MAX_FRAME) return -EINVAL;
  uint8_t buf[FD_MAX_FRAME];
  memcpy(buf, data, len);
  uint16_t fcs = fd_fcs16(buf, len - 2);
  buf[len - 2] = (uint8_t)(fcs & 0xff);
  buf[len - 1] = (uint8_t)(fcs >> 8);
  c->frames_tx++;
  struct fd_span *s = fd_span_get(c->span);
  if (s && (s->line & FD_LINE_DCHAN_DOWN)) return 0;
  struct fd_chan *p = fd_chan_get(c->peer);
  if (p) {
    struct fd_span *ps = fd_span_get(p->span);
    if (fd_span_link_down(ps) || (ps->line & FD_LINE_DCHAN_DOWN)) return 0;
    int corrupt = ps->corrupt_frames > 0;
    if (corrupt) ps->corrupt_frames--;
    fd_deliver_frame(p, &p->frames_rx, buf, len, corrupt);
  } else {
    fd_deliver_frame(c, &c->far_frames_rx, buf, len, 0);
  }
  return 0;
}

/* ---- alarms ---- */
int fd_span_link_down(const struct fd_span *s) {
  return s && (s->line & (FD_LINE_LOS | FD_LINE_LOF | FD_LINE_AIS)) != 0;
}

static int compute_alarms(const struct fd_span *s) {
  int a = 0;
  if (s->line & (FD_LINE_LOS | FD_LINE_LOF)) a |= DAHDI_ALARM_RED;
  if (s->line & FD_LINE_LOS) a |= DAHDI_ALARM_LOS;
  if (s->line & FD_LINE_LOF) a |= DAHDI_ALARM_LFA;
  if (s->line & FD_LINE_AIS) a |= DAHDI_ALARM_BLUE;
  if (s->line & FD_LINE_RAI) a |= DAHDI_ALARM_YELLOW;
  /* a far end that cannot hear us sends RAI back */
  const struct fd_span *p = s->peer ? &fd_spans[s->peer] : NULL;
  if (p && p->used && fd_span_link_down(p)) a |= DAHDI_ALARM_YELLOW;
  return a;
}

void fd_update_alarms(struct fd_span *s) {
  int old = s->alarms;
  s->alarms = compute_alarms(s);
  if ((old == 0) == (s->alarms == 0)) return;
  for (int i = 0; i < s->nchans; i++) {
    struct fd_chan *c = &fd_chans[s->first_chan + i];
    if (c->sigtype == DAHDI_SIG_NONE) continue;
    fd_event_push(c, s->alarms ? DAHDI_EVENT_ALARM : DAHDI_EVENT_NOALARM);
    fd_refresh(c);
  }
}

/* ---- building and resetting the model ---- */
static void chan_free(struct fd_chan *c) {
  fd_bytes_free(&c->rx);
  fd_bytes_free(&c->tx);
  fd_bytes_free(&c->far_rx);
  fd_bytes_free(&c->far_tx);
  free(c->line_in_prev);
  free(c->line_out_prev);
  memset(c, 0, sizeof(*c));
}

int fd_model_reset(void) {
  for (int i = 1; i < FD_MAX_CHANS; i++) {
    struct fd_chan *c = &fd_chans[i];
    if (!c->used) continue;
    if (c->open_file >= 0 && fd_files[c->open_file]) {
      fd_files[c->open_file]->orphan = 1;
      signal_file(c->open_file, 1); /* wake pollers: their reads now fail with ENODEV */
    }
    chan_free(c);
  }
  memset(fd_spans, 0, sizeof(fd_spans));
  return 0;
}

/* What an E1 timeslot can be configured as: clear, CAS, D-channel (hardware or software HDLC), SS7 link. */
#define E1_SIGCAP (DAHDI_SIG_CLEAR | DAHDI_SIG_CAS | DAHDI_SIG_HARDHDLC | DAHDI_SIG_HDLCRAW | DAHDI_SIG_HDLCFCS | DAHDI_SIG_HDLCNET | DAHDI_SIG_MTP2)

int fd_add_span(int kind, int nports, const char *name) {
  int spanno = 1;
  while (spanno < FD_MAX_SPANS && fd_spans[spanno].used) spanno++;
  if (spanno >= FD_MAX_SPANS) return -ENOSPC;
  int first = 1;
  for (int i = 1; i < FD_MAX_CHANS; i++)
    if (fd_chans[i].used) first = i + 1;
  int e1 = kind == FD_SPAN_E1_CCS || kind == FD_SPAN_E1_CAS;
  if (e1) nports = 31;
  if (kind < 0 || kind > FD_SPAN_FXS || nports <= 0 || first + nports > FD_MAX_CHANS) return -EINVAL;

  struct fd_span *s = &fd_spans[spanno];
  memset(s, 0, sizeof(*s));
  s->used = 1;
  s->kind = kind;
  s->first_chan = first;
  s->nchans = nports;
  snprintf(s->name, sizeof(s->name), "%s/%d", name && *name ? name : "TPSIM", spanno);
  static const char *const kinds[] = { "E1 CCS", "E1 CAS", "FXO", "FXS" };
  snprintf(s->desc, sizeof(s->desc), "trunkpilot simulated %s span %d", kinds[kind], spanno);
  if (kind == FD_SPAN_E1_CCS) s->lineconfig = DAHDI_CONFIG_CCS | DAHDI_CONFIG_HDB3 | DAHDI_CONFIG_CRC4;
  if (kind == FD_SPAN_E1_CAS) s->lineconfig = DAHDI_CONFIG_HDB3;

  for (int i = 0; i < nports; i++) {
    struct fd_chan *c = &fd_chans[first + i];
    memset(c, 0, sizeof(*c));
    c->used = 1;
    c->channo = first + i;
    c->span = spanno;
    c->chanpos = i + 1;
    c->open_file = -1;
    c->law = DAHDI_LAW_ALAW;
    c->battery = 1;
    snprintf(c->name, sizeof(c->name), "%s/%d", s->name, i + 1);
    switch (kind) {
    case FD_SPAN_E1_CCS:
      c->sigtype = c->chanpos == 16 ? DAHDI_SIG_HARDHDLC : DAHDI_SIG_CLEAR;
      c->sigcap = E1_SIGCAP;
      break;
    case FD_SPAN_E1_CAS:
      c->sigtype = c->chanpos == 16 ? DAHDI_SIG_NONE : DAHDI_SIG_CAS;
      c->sigcap = E1_SIGCAP;
      c->idlebits = c->txbits = c->rxbits = DAHDI_ABIT | DAHDI_BBIT | DAHDI_DBIT;
      break;
    case FD_SPAN_FXO:
      c->sigtype = DAHDI_SIG_FXSLS; /* as trunkpilot provision writes FXO lines (fxsls=) */
      c->sigcap = DAHDI_SIG_FXSKS | DAHDI_SIG_FXSLS;
      break;
    case FD_SPAN_FXS:
      c->sigtype = DAHDI_SIG_FXOKS;
      c->sigcap = DAHDI_SIG_FXOKS | DAHDI_SIG_FXOLS;
      break;
    }
    if (fd_chan_buffers(c, DAHDI_DEFAULT_BLOCKSIZE, DAHDI_DEFAULT_NUM_BUFS) < 0 || fd_bytes_init(&c->far_rx, FD_FAR_AUDIO_CAP) < 0 ||
        fd_bytes_init(&c->far_tx, FD_FAR_AUDIO_CAP) < 0)
      return -ENOMEM; /* the span's channels without rings are never used: nothing opens a span that failed */
  }
  return spanno;
}
