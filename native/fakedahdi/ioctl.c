/* DAHDI ioctls answered from the model. Called with fd_lock held; returns 0 or -errno. */
#include <dahdi/user.h>
#include <sys/ioctl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "model.h"

int fd_bind_channel(int fd, struct fd_file *f, int channo); /* interpose.c */
void fd_wait_change(int fd, int ms);                       /* interpose.c */

static void fill_spaninfo(struct dahdi_spaninfo *si, const struct fd_span *s, int spanno) {
  memset(si, 0, sizeof(*si));
  si->spanno = spanno;
  snprintf(si->name, sizeof(si->name), "%s", s->name);
  snprintf(si->desc, sizeof(si->desc), "%s", s->desc);
  si->alarms = s->alarms;
  si->bpvcount = s->bpv;
  si->crc4count = s->crc4;
  si->ebitcount = s->ebit;
  si->fascount = s->fas;
  si->errsec = s->errsec;
  si->numchans = s->nchans;
  si->totalchans = s->nchans;
  int total = 0;
  for (int i = 1; i < FD_MAX_SPANS; i++) total += fd_spans[i].used;
  si->totalspans = total;
  si->lineconfig = s->lineconfig;
  si->syncsrc = 0;
  snprintf(si->lboname, sizeof(si->lboname), "%s", "0 db (CSU)/0-133 feet (DSX-1)");
  snprintf(si->location, sizeof(si->location), "trunkpilot simulator");
  snprintf(si->manufacturer, sizeof(si->manufacturer), "%s", "trunkpilot");
  snprintf(si->devicetype, sizeof(si->devicetype), "%s", "fakedahdi");
  int e1 = s->kind == FD_SPAN_E1_CCS || s->kind == FD_SPAN_E1_CAS;
  si->linecompat = e1 ? (DAHDI_CONFIG_CCS | DAHDI_CONFIG_HDB3 | DAHDI_CONFIG_CRC4) : 0;
  snprintf(si->spantype, sizeof(si->spantype), "%s", e1 ? "E1" : s->kind == FD_SPAN_FXO ? "FXO" : "FXS");
}

static void fill_params(struct dahdi_params *p, const struct fd_chan *c) {
  memset(p, 0, sizeof(*p));
  const struct fd_span *s = fd_span_get(c->span);
  p->channo = c->channo;
  p->spanno = c->span;
  p->chanpos = c->chanpos;
  p->sigtype = c->sigtype;
  p->sigcap = c->sigcap;
  p->rxisoffhook = fd_chan_is_fxs_port(c) ? c->rxhook : fd_chan_is_fxo_port(c) ? c->ringing_in : 0;
  p->rxbits = c->rxbits;
  p->txbits = c->txbits;
  p->curlaw = c->law;
  p->idlebits = c->idlebits;
  snprintf(p->name, sizeof(p->name), "%s", c->name);
  p->chan_alarms = s ? (uint32_t)s->alarms : 0;
  if (fd_chan_is_fxo_port(c) && !c->battery) p->chan_alarms |= DAHDI_ALARM_RED;
}

static int iomux_ready(const struct fd_chan *c, int want) {
  int r = 0;
  if ((want & DAHDI_IOMUX_READ) && fd_chan_readable(c)) r |= DAHDI_IOMUX_READ;
  if ((want & DAHDI_IOMUX_WRITE) && (fd_chan_is_hdlc(c) || c->tx.len + (size_t)c->blocksize <= c->tx.cap)) r |= DAHDI_IOMUX_WRITE;
  if ((want & DAHDI_IOMUX_WRITEEMPTY) && c->tx.len == 0) r |= DAHDI_IOMUX_WRITEEMPTY;
  if ((want & DAHDI_IOMUX_SIGEVENT) && c->ev_len) r |= DAHDI_IOMUX_SIGEVENT;
  return r;
}

static int conf_number_free(void) {
  for (int n = 1; n < DAHDI_MAX_CONF; n++) {
    int used = 0;
    for (int k = 1; k < FD_MAX_CHANS && !used; k++) {
      int mode = fd_chans[k].confmode & DAHDI_CONF_MODE_MASK;
      used = fd_chans[k].used && mode >= DAHDI_CONF_CONF && fd_chans[k].confno == n;
    }
    if (!used) return n;
  }
  return -1;
}

static int span_ioctl(unsigned long req, void *arg, const struct fd_chan *c) {
  if (req != DAHDI_SPANSTAT) return -ENOTTY;
  struct dahdi_spaninfo *si = arg;
  int spanno = si->spanno ? si->spanno : (c ? c->span : 0);
  struct fd_span *s = fd_span_get(spanno);
  if (!s) return -EINVAL;
  fill_spaninfo(si, s, spanno);
  return 0;
}

/* What dahdi_cfg does on /dev/dahdi/ctl: span line configuration, channel signalling, startup. */
static int config_ioctl(unsigned long req, void *arg) {
  switch (req) {
  case DAHDI_SPANCONFIG: {
    struct dahdi_lineconfig *lc = arg;
    struct fd_span *s = fd_span_get(lc->span);
    if (!s) return -EINVAL;
    int e1 = s->kind == FD_SPAN_E1_CCS || s->kind == FD_SPAN_E1_CAS;
    if (!e1) return -EINVAL; /* analog spans take no line configuration */
    if (lc->lineconfig & (DAHDI_CONFIG_D4 | DAHDI_CONFIG_ESF | DAHDI_CONFIG_B8ZS)) return -EINVAL; /* T1 framing on an E1 */
    s->lineconfig = lc->lineconfig;
    return 0;
  }
  case DAHDI_CHANCONFIG: {
    struct dahdi_chanconfig *cc = arg;
    return fd_chan_configure(cc->chan, cc->sigtype, cc->idlebits);
  }
  case DAHDI_STARTUP:
  case DAHDI_SHUTDOWN:
    return fd_span_get(*(int *)arg) ? 0 : -EINVAL;
  case DAHDI_LOADZONE:
  case DAHDI_FREEZONE:
  case DAHDI_DEFAULTZONE:
  case DAHDI_ATTACH_ECHOCAN:
  case DAHDI_SET_DIALPARAMS:
  case DAHDI_HDLC_RATE:
    return 0; /* tone zones, echo cancellers and HDLC rates do not change the simulated line */
  case DAHDI_GETVERSION: {
    struct dahdi_versioninfo *v = arg;
    memset(v, 0, sizeof(*v));
    snprintf(v->version, sizeof(v->version), "%s", "trunkpilot-fakedahdi");
    snprintf(v->echo_canceller, sizeof(v->echo_canceller), "%s", "none");
    return 0;
  }
  default:
    return -ENOTTY;
  }
}

int fd_ioctl(int fd, struct fd_file *f, unsigned long req, void *arg) {
  int *iarg = arg;
  if (f->orphan) return -ENODEV;
  /* Every DAHDI request with an argument encodes its size; the kernel answers a NULL one with EFAULT. */
  if (!arg && _IOC_SIZE(req) != 0) return -EFAULT;
  if (f->kind == FD_FILE_CTL) {
    int res = config_ioctl(req, arg);
    if (res != -ENOTTY) return res;
    if (req == DAHDI_GET_PARAMS) {
      struct dahdi_params *p = arg;
      struct fd_chan *c = fd_chan_get(p->channo & ~DAHDI_GET_PARAMS_RETURN_MASTER);
      if (!c) return -EINVAL;
      fill_params(p, c);
      return 0;
    }
    return span_ioctl(req, arg, NULL);
  }
  if (f->kind == FD_FILE_UNSPECIFIED) {
    if (req == DAHDI_SPECIFY) return fd_bind_channel(fd, f, *iarg);
    return -EINVAL;
  }
  struct fd_chan *c = fd_chan_get(f->channo);
  if (!c) return -ENODEV;

  switch (req) {
  case DAHDI_SPECIFY:
    return -EINVAL; /* already bound */
  case DAHDI_CHANNO:
    *iarg = c->channo;
    return 0;
  case DAHDI_GET_PARAMS: {
    /* as in DAHDI: on a channel descriptor its own channel wins over whatever channo says */
    fill_params(arg, c);
    return 0;
  }
  case DAHDI_SET_PARAMS:
    return 0; /* timing parameters have no effect in the simulator */
  case DAHDI_GET_BLOCKSIZE:
    *iarg = c->blocksize;
    return 0;
  case DAHDI_SET_BLOCKSIZE:
    if (*iarg < 16 || *iarg > DAHDI_MAX_BLOCKSIZE) return -EINVAL;
    if (fd_chan_buffers(c, *iarg, c->numbufs) < 0) return -ENOMEM;
    fd_refresh(c);
    return 0;
  case DAHDI_GET_BUFINFO: {
    struct dahdi_bufferinfo *b = arg;
    memset(b, 0, sizeof(*b));
    b->numbufs = c->numbufs;
    b->bufsize = c->blocksize;
    b->readbufs = (int)(c->rx.len / (size_t)c->blocksize);
    b->writebufs = (int)(c->tx.len / (size_t)c->blocksize);
    return 0;
  }
  case DAHDI_SET_BUFINFO: {
    struct dahdi_bufferinfo *b = arg;
    if (b->bufsize < 16 || b->bufsize > DAHDI_MAX_BLOCKSIZE || b->numbufs < 1 || b->numbufs > DAHDI_MAX_NUM_BUFS) return -EINVAL;
    if ((size_t)b->bufsize * (size_t)b->numbufs > DAHDI_MAX_BUF_SPACE) return -EINVAL;
    if (fd_chan_buffers(c, b->bufsize, b->numbufs) < 0) return -ENOMEM;
    fd_refresh(c);
    return 0;
  }
  case DAHDI_FLUSH:
    fd_chan_flush(c, *iarg);
    fd_refresh(c);
    return 0;
  case DAHDI_HOOK: {
    int res = fd_set_hook(c, *iarg);
    fd_refresh(c);
    return res;
  }
  case DAHDI_GETEVENT:
    *iarg = fd_event_pop(c);
    fd_refresh(c);
    return 0;
  case DAHDI_IOMUX: {
    int want = *iarg;
    for (;;) {
      int r = iomux_ready(c, want);
      if (r || (want & DAHDI_IOMUX_NOWAIT)) {
        *iarg = r;
        return 0;
      }
      fd_wait_change(fd, 5);
      if (f->orphan || !fd_chan_get(f->channo)) return -ENODEV;
    }
  }
  case DAHDI_GETRXBITS:
    *iarg = c->rxbits;
    return 0;
  case DAHDI_SETTXBITS:
    if (c->sigtype != DAHDI_SIG_CAS) return -EINVAL;
    fd_set_txbits(c, *iarg);
    return 0;
  case DAHDI_SPANSTAT:
    return span_ioctl(req, arg, c);
  case DAHDI_GETCONF: {
    struct dahdi_confinfo *ci = arg;
    struct fd_chan *t = ci->chan ? fd_chan_get(ci->chan) : c;
    if (!t) return -EINVAL;
    ci->chan = t->channo;
    ci->confno = t->confno;
    ci->confmode = t->confmode;
    return 0;
  }
  case DAHDI_SETCONF: {
    struct dahdi_confinfo *ci = arg;
    struct fd_chan *t = ci->chan ? fd_chan_get(ci->chan) : c;
    if (!t || !fd_chan_is_audio(t)) return -EINVAL;
    int mode = ci->confmode & DAHDI_CONF_MODE_MASK;
    if (mode > DAHDI_CONF_MONITORBOTH_PREECHO) return -EINVAL;
    if (mode >= DAHDI_CONF_MONITOR && mode <= DAHDI_CONF_MONITORBOTH) {
      if (!fd_chan_get(ci->confno)) return -EINVAL;
    } else if (ci->confno < -1 || ci->confno > DAHDI_MAX_CONF) {
      return -EINVAL;
    }
    /* as the kernel: a mode needs a conference (-1 = the first free one), no mode needs none */
    if ((ci->confno == 0) != (ci->confmode == 0)) return -EINVAL;
    if (mode >= DAHDI_CONF_CONF && mode <= DAHDI_CONF_CONFANNMON && ci->confno == -1) {
      int n = conf_number_free();
      if (n < 0) return -EBUSY;
      ci->confno = n;
    }
    if (mode == DAHDI_CONF_NORMAL) ci->confno = 0;
    t->confno = ci->confno;
    t->confmode = ci->confmode;
    return 0;
  }
  case DAHDI_GETGAINS:
  case DAHDI_SETGAINS:
  case DAHDI_ECHOCANCEL:
  case DAHDI_ECHOCANCEL_PARAMS:
  case DAHDI_ECHOTRAIN:
  case DAHDI_AUDIOMODE:
  case DAHDI_BUFFER_EVENTS:
  case DAHDI_SET_DIALPARAMS:
    return 0; /* accepted: the simulated line has unity gain and no echo */
  case DAHDI_HDLC_RATE:
    return *iarg == 56 || *iarg == 64 ? 0 : -EINVAL;
  case DAHDI_SETLAW:
    if (*iarg != DAHDI_LAW_ALAW && *iarg != DAHDI_LAW_DEFAULT) return -EINVAL; /* E1 lines here are A-law */
    c->law = DAHDI_LAW_ALAW;
    return 0;
  case DAHDI_SETLINEAR:
    return *iarg ? -EINVAL : 0; /* the simulator carries A-law octets only */
  case DAHDI_SETCADENCE: { /* FXS ports ring with it (the zone's when never set) */
    if (!fd_chan_is_fxs_port(c)) return -EINVAL;
    const struct dahdi_ring_cadence *rc = arg;
    for (int i = 0; i < DAHDI_MAX_CADENCE; i++)
      if (rc->ringcadence[i] < 0) return -EINVAL;
    memcpy(c->ringcadence, rc->ringcadence, sizeof(c->ringcadence));
    return 0;
  }
  case DAHDI_SETPOLARITY: {
    struct fd_chan *p = fd_chan_get(c->peer);
    if (p) {
      fd_event_push(p, DAHDI_EVENT_POLARITY);
      fd_refresh(p);
    }
    return 0;
  }
  case DAHDI_GETVERSION: {
    struct dahdi_versioninfo *v = arg;
    memset(v, 0, sizeof(*v));
    snprintf(v->version, sizeof(v->version), "%s", "trunkpilot-fakedahdi");
    return 0;
  }
  default:
    return -ENOTTY;
  }
}
