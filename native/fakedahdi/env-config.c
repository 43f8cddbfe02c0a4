/*
 * A line model described in the environment, for programs started under the
 * simulator by `trunkpilot sim exec` (dahdi_scan, dahdi_cfg, any DAHDI client):
 *   TRUNKPILOT_FAKEDAHDI_SPANS   e1-ccs,e1-cas,fxo:4,fxs:8   (spans 1, 2, ... in order)
 *   TRUNKPILOT_FAKEDAHDI_CABLES  1-2,3-4                     (spans joined back to back)
 *   TRUNKPILOT_FAKEDAHDI_FAULTS  1=LOS,2=AIS+RAI             (line conditions from the catalogue)
 * Built when the library loads, before the program's main().
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

__attribute__((constructor(200))) static void build_from_environment(void) {
  fd_resolve_real();
  const char *spans = getenv("TRUNKPILOT_FAKEDAHDI_SPANS");
  if (!spans || !*spans) return;
  char *copy = strdup(spans), *save = NULL;
  pthread_mutex_lock(&fd_lock);
  for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
    int ports, kind = span_kind(w, &ports);
    if (kind < 0 || fd_add_span(kind, ports ? ports : 4, "TPSIM") < 0) warn("TRUNKPILOT_FAKEDAHDI_SPANS", w);
  }
  free(copy);
  const char *cables = getenv("TRUNKPILOT_FAKEDAHDI_CABLES");
  copy = strdup(cables ? cables : "");
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
}
