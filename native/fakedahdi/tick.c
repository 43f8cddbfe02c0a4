/*
 * The 8 kHz side of the model: each tick moves N samples per channel from what
 * the application wrote (tx ring) onto the line, through conferences and
 * monitors, and into the receiving channel's rx ring, as DAHDI's span tick does.
 * Conferences and monitors hear what arrived on the previous tick (one tick of
 * latency) so a ring of bridged channels never depends on itself.
 */
#include <dahdi/user.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

#define TICK_MAX 1600 /* 200 ms per step; longer ticks are split */
#define ALAW_SILENCE 0xd5
#define LINE_DOWN_OCTET 0xff /* AIS / no signal: all ones */

static uint8_t src_bytes[FD_MAX_CHANS][TICK_MAX];
static uint8_t out_bytes[FD_MAX_CHANS][TICK_MAX];
static uint8_t in_bytes[TICK_MAX];

static int conf_mode(const struct fd_chan *c) { return c->confmode & DAHDI_CONF_MODE_MASK; }

static int16_t prev_in(const struct fd_chan *c, int i) {
  return c->line_in_prev && i < c->line_in_prev_n ? c->line_in_prev[i] : 0;
}

static int16_t prev_out(const struct fd_chan *c, int i) {
  return c->line_out_prev && i < c->line_out_prev_n ? c->line_out_prev[i] : 0;
}

/* Adds what channel c received (rx) and/or transmitted (tx) on the previous tick. */
static void mix_into(int *acc, const struct fd_chan *c, int n, int rx, int tx) {
  for (int i = 0; i < n; i++) {
    if (rx) acc[i] += prev_in(c, i);
    if (tx) acc[i] += prev_out(c, i);
  }
}

static int keep_linear(int16_t **buf, int *len, const uint8_t *alaw, int n) {
  if (!*buf) {
    *buf = malloc(sizeof(int16_t) * TICK_MAX);
    if (!*buf) {
      *len = 0; /* no previous block kept: conferencing hears silence for it */
      return -1;
    }
  }
  *len = n;
  for (int i = 0; i < n; i++) (*buf)[i] = fd_alaw_to_linear(alaw[i]);
  return 0;
}

/* What channel c puts on the line this tick, given conferences and monitors. */
static void line_output(struct fd_chan *c, int n) {
  int mode = conf_mode(c);
  if (mode == DAHDI_CONF_NORMAL || !c->confmode) {
    memcpy(out_bytes[c->channo], src_bytes[c->channo], (size_t)n);
    return;
  }
  int acc[TICK_MAX];
  for (int i = 0; i < n; i++) acc[i] = fd_alaw_to_linear(src_bytes[c->channo][i]);
  if (mode >= DAHDI_CONF_MONITOR && mode <= DAHDI_CONF_MONITORBOTH) {
    struct fd_chan *t = fd_chan_get(c->confno);
    if (t) mix_into(acc, t, n, mode != DAHDI_CONF_MONITORTX, mode != DAHDI_CONF_MONITOR);
  } else if (mode >= DAHDI_CONF_CONF && mode <= DAHDI_CONF_CONFANNMON && (c->confmode & DAHDI_CONF_LISTENER)) {
    for (int k = 1; k < FD_MAX_CHANS; k++) {
      struct fd_chan *m = &fd_chans[k];
      if (!m->used || m == c || m->confno != c->confno || !(m->confmode & DAHDI_CONF_TALKER)) continue;
      if (conf_mode(m) < DAHDI_CONF_CONF || conf_mode(m) > DAHDI_CONF_CONFANNMON) continue;
      mix_into(acc, m, n, 1, 0);
    }
  }
  for (int i = 0; i < n; i++) out_bytes[c->channo][i] = fd_linear_to_alaw(acc[i]);
}

static int any_conferencing(void) {
  for (int k = 1; k < FD_MAX_CHANS; k++)
    if (fd_chans[k].used && fd_chans[k].confmode) return 1;
  return 0;
}

static void receive(struct fd_chan *c, const uint8_t *line, int n, int keep_prev) {
  struct fd_span *s = fd_span_get(c->span);
  const uint8_t *data = line;
  if (fd_span_link_down(s)) {
    memset(in_bytes, LINE_DOWN_OCTET, (size_t)n);
    data = in_bytes;
  }
  int deliver = n;
  if (s && s->slip_pending && deliver > 0) deliver--; /* a controlled slip deletes one frame */
  fd_bytes_push(&c->rx, data, (size_t)deliver, 1, &c->rx_overruns);
  if (keep_prev) keep_linear(&c->line_in_prev, &c->line_in_prev_n, data, n);
}

static void tick_once(int n) {
  int keep_prev = any_conferencing();
  for (int k = 1; k < FD_MAX_CHANS; k++) {
    struct fd_chan *c = &fd_chans[k];
    if (!c->used || !fd_chan_is_audio(c)) continue;
    size_t got = fd_bytes_pop(&c->tx, src_bytes[k], (size_t)n);
    if (got < (size_t)n) {
      if (c->open_file >= 0 && got > 0) c->tx_underruns++;
      memset(src_bytes[k] + got, ALAW_SILENCE, (size_t)n - got);
    }
  }
  for (int k = 1; k < FD_MAX_CHANS; k++) {
    struct fd_chan *c = &fd_chans[k];
    if (c->used && fd_chan_is_audio(c)) line_output(c, n);
  }
  for (int k = 1; k < FD_MAX_CHANS; k++) {
    struct fd_chan *c = &fd_chans[k];
    if (!c->used || !fd_chan_is_audio(c)) continue;
    if (keep_prev) keep_linear(&c->line_out_prev, &c->line_out_prev_n, out_bytes[k], n);
    struct fd_chan *p = fd_chan_get(c->peer);
    if (p) {
      receive(p, out_bytes[k], n, keep_prev);
    } else {
      fd_bytes_push(&c->far_rx, out_bytes[k], (size_t)n, 1, NULL);
      uint8_t far[TICK_MAX];
      size_t got = fd_bytes_pop(&c->far_tx, far, (size_t)n);
      memset(far + got, ALAW_SILENCE, (size_t)n - got);
      receive(c, far, n, keep_prev);
    }
  }
  for (int s = 1; s < FD_MAX_SPANS; s++) {
    if (fd_spans[s].used && fd_spans[s].slip_pending) {
      fd_spans[s].slip_pending--;
      fd_spans[s].slips++;
    }
  }
}

void fd_tick(int samples) {
  while (samples > 0) {
    int n = samples > TICK_MAX ? TICK_MAX : samples;
    tick_once(n);
    samples -= n;
  }
  fd_refresh_all();
}
