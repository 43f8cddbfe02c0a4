/*
 * A line model described in the environment, for programs started under the
 * simulator by `trunkpilot sim exec` (dahdi_scan, dahdi_cfg, any DAHDI client):
 *   TRUNKPILOT_FAKEDAHDI_SPANS   e1-ccs,e1-cas,fxo:4,fxs:8   (spans 1, 2, ... in order)
 *   TRUNKPILOT_FAKEDAHDI_CABLES  1-2,3-4                     (spans joined back to back)
 *   TRUNKPILOT_FAKEDAHDI_FAULTS  1=LOS,2=AIS+RAI             (line conditions from the catalogue)
 *   TRUNKPILOT_FAKEDAHDI_CLOCK   20                          (a thread moves audio every 20 ms of real time)
 * Built when the library loads, before the program's main(). Without the clock
 * nothing moves audio: a process that embeds the simulator calls fakedahdi_tick.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "model.h"

static int span_kind(const char *word, int *ports) {
  *ports = 0;
  const char *colon = strchr(word, ':');
  if (colon) *ports = atoi(colon + 1);
  size_t n = colon ? (size_t)(colon - word) : strlen(word);
  if (n == 6 && !strncmp(word, "e1-ccs", n)) return FD_SPAN_E1_CCS;
  if (n == 6 && !strncmp(word, "e1-cas", n)) return FD_SPAN_E1_CAS;
  if (n == 3 && !strncmp(word, "fxo", n)) return FD_SPAN_FXO;
  if (n == 3 && !strncmp(word, "fxs", n)) return FD_SPAN_FXS;
  return -1;
}

static int line_flag(const char *word, size_t n) {
  static const struct { const char *name; int flag; } names[] = {
    { "LOS", FD_LINE_LOS }, { "LOF", FD_LINE_LOF }, { "AIS", FD_LINE_AIS }, { "RAI", FD_LINE_RAI }, { "DCHANNEL_DOWN", FD_LINE_DCHAN_DOWN },
  };
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (strlen(names[i].name) == n && !strncmp(names[i].name, word, n)) return names[i].flag;
  return 0;
}

static void warn(const char *var, const char *item) {
  fprintf(stderr, "fakedahdi: %s: cannot use '%s'\n", var, item);
}

static int clock_period_ms;

/* DAHDI's timing source, in real time: whole periods, catching up if the process was descheduled. */
static void *audio_clock(void *unused) {
  (void)unused;
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  for (;;) {
    next.tv_nsec += (long)clock_period_ms * 1000000L;
    while (next.tv_nsec >= 1000000000L) {
      next.tv_nsec -= 1000000000L;
      next.tv_sec++;
    }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    pthread_mutex_lock(&fd_lock);
    fd_tick(clock_period_ms * 8);
    pthread_mutex_unlock(&fd_lock);
  }
  return NULL;
}

static void start_clock(void) {
  const char *period = getenv("TRUNKPILOT_FAKEDAHDI_CLOCK");
  if (!period || !*period) return;
  clock_period_ms = atoi(period);
  if (clock_period_ms < 1 || clock_period_ms > 1000) {
    warn("TRUNKPILOT_FAKEDAHDI_CLOCK", period);
    return;
  }
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_create(&t, &attr, audio_clock, NULL);
  pthread_attr_destroy(&attr);
}

__attribute__((constructor(200))) static void build_from_environment(void) {
  fd_resolve_real();
  const char *spans = getenv("TRUNKPILOT_FAKEDAHDI_SPANS");
  if (!spans || !*spans) return;
  start_clock();
  char *copy = strdup(spans), *save = NULL;
  if (!copy) {
    warn("TRUNKPILOT_FAKEDAHDI_SPANS", "(out of memory)");
    return;
  }
  pthread_mutex_lock(&fd_lock);
  for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
    int ports, kind = span_kind(w, &ports);
    if (kind < 0 || fd_add_span(kind, ports ? ports : 4, "TPSIM") < 0) warn("TRUNKPILOT_FAKEDAHDI_SPANS", w);
  }
  free(copy);
  const char *cables = getenv("TRUNKPILOT_FAKEDAHDI_CABLES");
  copy = strdup(cables ? cables : "");
  if (!copy) goto out_of_memory;
  for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
    int a, b;
    struct fd_span *sa, *sb;
    if (sscanf(w, "%d-%d", &a, &b) != 2 || !(sa = fd_span_get(a)) || !(sb = fd_span_get(b)) || a == b || sa->nchans != sb->nchans || sa->peer || sb->peer) {
      warn("TRUNKPILOT_FAKEDAHDI_CABLES", w);
      continue;
    }
    sa->peer = b;
    sb->peer = a;
    for (int i = 0; i < sa->nchans; i++) {
      fd_chans[sa->first_chan + i].peer = sb->first_chan + i;
      fd_chans[sb->first_chan + i].peer = sa->first_chan + i;
    }
  }
  free(copy);
  const char *faults = getenv("TRUNKPILOT_FAKEDAHDI_FAULTS");
  copy = strdup(faults ? faults : "");
  if (!copy) goto out_of_memory;
  for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
    char *eq = strchr(w, '=');
    struct fd_span *s = eq ? fd_span_get(atoi(w)) : NULL;
    int flags = 0, bad = !s;
    for (char *p = eq ? eq + 1 : NULL; p && *p && !bad;) {
      size_t n = strcspn(p, "+");
      int f = line_flag(p, n);
      if (!f) bad = 1;
      flags |= f;
      p += n + (p[n] == '+');
    }
    if (bad) {
      warn("TRUNKPILOT_FAKEDAHDI_FAULTS", w);
      continue;
    }
    s->line |= flags;
  }
  free(copy);
  for (int i = 1; i < FD_MAX_SPANS; i++)
    if (fd_spans[i].used) fd_update_alarms(&fd_spans[i]);
  pthread_mutex_unlock(&fd_lock);
  return;
out_of_memory:
  pthread_mutex_unlock(&fd_lock);
  warn("TRUNKPILOT_FAKEDAHDI_CABLES/FAULTS", "(out of memory)");
}
