/*
 * The control API the TypeScript simulator (simulator/dahdi) binds with koffi:
 * it builds spans, joins them with cables, plays the far end of unjoined
 * channels, injects line conditions, and advances the 8 kHz clock. Every call
 * takes the model lock, so it is safe against a driver in another thread.
 */
#include <dahdi/user.h>
#include <errno.h>
#include <string.h>
#include "model.h"

#define API __attribute__((visibility("default")))
#define LOCKED(expr)                \
  do {                              \
    pthread_mutex_lock(&fd_lock);   \
    int res_ = (expr);              \
    pthread_mutex_unlock(&fd_lock); \
    return res_;                    \
  } while (0)

API int fakedahdi_present(void) { return 1; }

API int fakedahdi_reset(void) { LOCKED(fd_model_reset()); }

API int fakedahdi_add_span(int kind, int nports, const char *name) { LOCKED(fd_add_span(kind, nports, name)); }

static int span_field(int spanno, int which) {
  struct fd_span *s = fd_span_get(spanno);
  if (!s) return -EINVAL;
  switch (which) {
  case 0: return s->first_chan;
  case 1: return s->nchans;
  case 2: return s->alarms;
  case 3: return s->slips;
  case 4: return s->line;
  default: return -EINVAL;
  }
}
/* which: 0 first channel, 1 channel count, 2 alarms, 3 slips, 4 line flags */
API int fakedahdi_span_info(int spanno, int which) { LOCKED(span_field(spanno, which)); }

static int connect_spans(int a, int b) {
  struct fd_span *sa = fd_span_get(a), *sb = fd_span_get(b);
  if (!sa || !sb || a == b || sa->nchans != sb->nchans || sa->peer || sb->peer) return -EINVAL;
  sa->peer = b;
  sb->peer = a;
  for (int i = 0; i < sa->nchans; i++) {
    fd_chans[sa->first_chan + i].peer = sb->first_chan + i;
    fd_chans[sb->first_chan + i].peer = sa->first_chan + i;
  }
  return 0;
}
API int fakedahdi_connect_spans(int a, int b) { LOCKED(connect_spans(a, b)); }

static int connect_channels(int a, int b) {
  struct fd_chan *ca = fd_chan_get(a), *cb = fd_chan_get(b);
  if (!ca || !cb || a == b || ca->peer || cb->peer) return -EINVAL;
  ca->peer = b;
  cb->peer = a;
  return 0;
}
API int fakedahdi_connect_channels(int a, int b) { LOCKED(connect_channels(a, b)); }

static int set_line(int spanno, int flags) {
  struct fd_span *s = fd_span_get(spanno);
  if (!s) return -EINVAL;
  s->line = flags;
  fd_update_alarms(s);
  if (s->peer) fd_update_alarms(&fd_spans[s->peer]);
  return 0;
}
/* flags: what the span receives (fd_line_flag): LOS 1, LOF 2, AIS 4, RAI 8, D-channel down 16 */
API int fakedahdi_set_line(int spanno, int flags) { LOCKED(set_line(spanno, flags)); }

static int add_errors(int spanno, int bpv, int crc4, int ebit, int fas) {
  struct fd_span *s = fd_span_get(spanno);
  if (!s) return -EINVAL;
  s->bpv += bpv;
  s->crc4 += crc4;
  s->ebit += ebit;
  s->fas += fas;
  if (bpv || crc4 || ebit || fas) s->errsec++;
  struct fd_span *p = fd_span_get(s->peer);
  if (p && crc4) p->ebit += crc4; /* the far end reports our CRC-4 errors back as E-bits */
  return 0;
}
API int fakedahdi_add_errors(int spanno, int bpv, int crc4, int ebit, int fas) { LOCKED(add_errors(spanno, bpv, crc4, ebit, fas)); }

static int slip(int spanno, int n) {
  struct fd_span *s = fd_span_get(spanno);
  if (!s || n < 0) return -EINVAL;
  s->slip_pending += n;
  return 0;
}
API int fakedahdi_slip(int spanno, int n) { LOCKED(slip(spanno, n)); }

static int corrupt(int spanno, int n) {
  struct fd_span *s = fd_span_get(spanno);
  if (!s || n < 0) return -EINVAL;
  s->corrupt_frames += n;
  return 0;
}
API int fakedahdi_corrupt_frames(int spanno, int n) { LOCKED(corrupt(spanno, n)); }

static int do_tick(int samples) {
  if (samples < 0) return -EINVAL;
  fd_tick(samples);
  return 0;
}
API int fakedahdi_tick(int samples) { LOCKED(do_tick(samples)); }

/* ---- the far end of a channel that no cable joins ---- */
static int far_set_bits(int channo, int bits) {
  struct fd_chan *c = fd_chan_get(channo);
  if (!c || c->peer) return -EINVAL;
  if (!fd_span_link_down(fd_span_get(c->span))) fd_set_rxbits(c, bits);
  return 0;
}
API int fakedahdi_far_set_bits(int channo, int bits) { LOCKED(far_set_bits(channo, bits)); }

static int chan_field(int channo, int which) {
  struct fd_chan *c = fd_chan_get(channo);
  if (!c) return -EINVAL;
  switch (which) {
  case 0: return c->txbits;
  case 1: return c->rxbits;
  case 2: return c->txhook;
  case 3: return c->ringing_out;
  case 4: return c->open_file >= 0;
  case 5: return (int)c->rx_overruns;
  case 6: return (int)c->badfcs;
  case 7: return (int)c->frames_tx;
  case 8: return c->sigtype;
  case 9: return c->span;
  case 10: return c->confno;
  case 11: return c->confmode;
  case 12: return c->peer;
  case 13: return c->ringcadence[0];
  case 14: return c->ringcadence[1];
  default: return -EINVAL;
  }
}
/* which: 0 txbits, 1 rxbits, 2 our hook (1 off hook), 3 we ring the far end, 4 open,
   5 rx overruns, 6 bad FCS, 7 frames sent, 8 sigtype, 9 span, 10 confno, 11 confmode, 12 peer,
   13 ring cadence first on (ms), 14 first off (ms) (0: the zone's) */
API int fakedahdi_chan_info(int channo, int which) { LOCKED(chan_field(channo, which)); }

/* A channel's signalling as dahdi_cfg would set it from system.conf (DAHDI_CHANCONFIG). */
API int fakedahdi_chan_config(int channo, int sigtype, int idlebits) { LOCKED(fd_chan_configure(channo, sigtype, idlebits)); }

static int far_hook(int channo, int offhook) {
  struct fd_chan *c = fd_chan_get(channo);
  if (!c || c->peer || !fd_chan_is_fxs_port(c)) return -EINVAL;
  fd_far_hook(c, offhook);
  return 0;
}
API int fakedahdi_far_hook(int channo, int offhook) { LOCKED(far_hook(channo, offhook)); }

static int far_ring(int channo, int on) {
  struct fd_chan *c = fd_chan_get(channo);
  if (!c || c->peer || !fd_chan_is_fxo_port(c)) return -EINVAL;
  fd_far_ring(c, on);
  return 0;
}
API int fakedahdi_far_ring(int channo, int on) { LOCKED(far_ring(channo, on)); }

static int far_polarity(int channo) {
  struct fd_chan *c = fd_chan_get(channo);
  if (!c || !fd_chan_is_fxo_port(c)) return -EINVAL;
  fd_event_push(c, DAHDI_EVENT_POLARITY);
  fd_refresh(c);
  return 0;
}
API int fakedahdi_far_polarity(int channo) { LOCKED(far_polarity(channo)); }

static int far_battery(int channo, int on) {
  struct fd_chan *c = fd_chan_get(channo);
  if (!c || !fd_chan_is_fxo_port(c)) return -EINVAL;
  on = !!on;
  if (c->battery == on) return 0;
  c->battery = on;
  fd_event_push(c, on ? DAHDI_EVENT_NOALARM : DAHDI_EVENT_ALARM);
  fd_refresh(c);
  return 0;
}
API int fakedahdi_far_battery(int channo, int on) { LOCKED(far_battery(channo, on)); }

static int far_write_audio(int channo, const uint8_t *buf, int n) {
  struct fd_chan *c = fd_chan_get(channo);
  if (!c || c->peer || n < 0) return -EINVAL;
  return (int)fd_bytes_push(&c->far_tx, buf, (size_t)n, 0, NULL);
}
API int fakedahdi_far_write_audio(int channo, const uint8_t *buf, int n) { LOCKED(far_write_audio(channo, buf, n)); }

static int far_read_audio(int channo, uint8_t *buf, int n) {
  struct fd_chan *c = fd_chan_get(channo);
  if (!c || c->peer || n < 0) return -EINVAL;
  return (int)fd_bytes_pop(&c->far_rx, buf, (size_t)n);
}
API int fakedahdi_far_read_audio(int channo, uint8_t *buf, int n) { LOCKED(far_read_audio(channo, buf, n)); }

static int far_send_frame(int channo, const uint8_t *buf, int n) {
  struct fd_chan *c = fd_chan_get(channo);
  if (!c || c->peer || !fd_chan_is_hdlc(c) || n < 3 || n > FD_MAX_FRAME) return -EINVAL;
  struct fd_span *s = fd_span_get(c->span);
  if (fd_span_link_down(s) || (s->line & FD_LINE_DCHAN_DOWN)) return 0;
  uint8_t frame[FD_MAX_FRAME];
  memcpy(frame, buf, (size_t)n);
  uint16_t fcs = fd_fcs16(frame, (size_t)n - 2);
  frame[n - 2] = (uint8_t)(fcs & 0xff);
  frame[n - 1] = (uint8_t)(fcs >> 8);
  int bad = s->corrupt_frames > 0;
  if (bad) s->corrupt_frames--;
  fd_deliver_frame(c, &c->frames_rx, frame, (size_t)n, bad);
  return 0;
}
API int fakedahdi_far_send_frame(int channo, const uint8_t *buf, int n) { LOCKED(far_send_frame(channo, buf, n)); }

static int far_recv_frame(int channo, uint8_t *buf, int n) {
  struct fd_chan *c = fd_chan_get(channo);
  if (!c || c->peer) return -EINVAL;
  struct fd_frames *q = &c->far_frames_rx;
  if (!q->len) return 0;
  struct fd_frame *fr = &q->q[q->head];
  int len = fr->len < n ? fr->len : n;
  memcpy(buf, fr->data, (size_t)len);
  q->head = (q->head + 1) % FD_FRAME_QUEUE;
  q->len--;
  return len;
}
API int fakedahdi_far_recv_frame(int channo, uint8_t *buf, int n) { LOCKED(far_recv_frame(channo, buf, n)); }
