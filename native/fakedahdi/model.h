/*
 * fakedahdi: the simulated DAHDI line model that lives inside the interposing
 * library. drivers/dahdi calls ioctl() synchronously from Node's main thread, so
 * every answer must be computable here without asking JavaScript: spans,
 * channels, CAS bits, hook and ring state, audio rings, HDLC frame queues,
 * alarms and counters all live in this process's memory, guarded by one mutex.
 */
#ifndef FAKEDAHDI_MODEL_H
#define FAKEDAHDI_MODEL_H

#include <pthread.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

/* DAHDI itself holds 128 spans and 1024 channels; the simulated exchange's ends of the
   cables live in this same model, so it holds twice that: a 32-E1 gateway (992
   channels) and the 32 spans facing it (npm run bench -- gateway). */
#define FD_MAX_SPANS 72
#define FD_MAX_CHANS 2048      /* global channel numbers 1..FD_MAX_CHANS-1 */
#define FD_MAX_FILES 65536     /* file descriptors we can track */
#define FD_EVENT_QUEUE 64
#define FD_FAR_AUDIO_CAP 16000 /* 2 s of far-end audio buffered for the simulator */
#define FD_MAX_FRAME 1024
#define FD_FRAME_QUEUE 32

/* Span kinds (the control API's numbering). */
enum fd_span_kind { FD_SPAN_E1_CCS = 0, FD_SPAN_E1_CAS = 1, FD_SPAN_FXO = 2, FD_SPAN_FXS = 3 };

/* Received line conditions a test injects (fault catalogue primitives). */
enum fd_line_flag { FD_LINE_LOS = 1, FD_LINE_LOF = 2, FD_LINE_AIS = 4, FD_LINE_RAI = 8, FD_LINE_DCHAN_DOWN = 16 };

struct fd_bytes {           /* a byte ring */
  uint8_t *buf;
  size_t cap, head, len;
};

struct fd_frame {
  uint16_t len;
  uint8_t data[FD_MAX_FRAME];
};

struct fd_frames {          /* a bounded frame queue */
  struct fd_frame q[FD_FRAME_QUEUE];
  int head, len;
};

struct fd_span {
  int used;
  int kind;
  char name[20];
  char desc[40];
  int first_chan, nchans;
  int peer;                 /* span joined by a cable, or 0 */
  int line;                 /* fd_line_flag set on what this span receives */
  int alarms;               /* DAHDI_ALARM_* as reported */
  int lineconfig;
  int bpv, crc4, ebit, fas;
  uint32_t errsec;
  int slip_pending, slips;
  int corrupt_frames;       /* next N frames received on the D-channel get a bad FCS */
};

struct fd_chan {
  int used;
  int channo, span, chanpos;
  int sigtype, sigcap;
  char name[40];
  int open_file;            /* fd that has it open, or -1 */
  int peer;                 /* channel joined by a cable, or 0 (then the simulator is the far end) */
  /* signalling */
  int txbits, rxbits, idlebits;
  int txhook;               /* what our side does: 0 on hook, 1 off hook */
  int rxhook;               /* far end off hook (FXS port: the phone) */
  int ringing_out;          /* we ring the far end (FXS port) */
  int ringing_in;           /* far end rings us (FXO port) */
  int ringcadence[16];        /* DAHDI_SETCADENCE: ms on, off, ... (0 ends it); all 0 = the zone's */
  int battery;              /* FXO: loop battery present */
  int law;
  /* buffers */
  int blocksize, numbufs;
  struct fd_bytes rx, tx;
  struct fd_bytes far_rx, far_tx;   /* simulator side when there is no peer */
  struct fd_frames frames_rx, far_frames_rx;
  int events[FD_EVENT_QUEUE];
  int ev_head, ev_len;
  /* conferencing */
  int confno, confmode;
  int16_t *line_in_prev;    /* what arrived from the line on the previous tick (linear) */
  int line_in_prev_n;
  int16_t *line_out_prev;   /* what it put on the line on the previous tick (linear) */
  int line_out_prev_n;
  /* counters */
  uint32_t rx_overruns, tx_underruns, badfcs, frames_tx, frames_rx_count;
};

enum fd_file_kind { FD_FILE_UNSPECIFIED = 1, FD_FILE_CHAN = 2, FD_FILE_CTL = 3 };

struct fd_file {
  int kind;
  int channo;
  int signalled;            /* the eventfd currently reads as ready */
  int orphan;               /* the model was reset under it */
};

extern pthread_mutex_t fd_lock;
extern struct fd_span fd_spans[FD_MAX_SPANS];
extern struct fd_chan fd_chans[FD_MAX_CHANS];
extern struct fd_file *fd_files[FD_MAX_FILES];

/* real libc entry points (dlsym RTLD_NEXT) */
extern int (*real_close)(int);
extern ssize_t (*real_read)(int, void *, size_t);
extern ssize_t (*real_write)(int, const void *, size_t);
extern int (*real_ioctl)(int, unsigned long, ...);
void fd_resolve_real(void);

/* model.c */
struct fd_chan *fd_chan_get(int channo);
struct fd_span *fd_span_get(int spanno);
int fd_chan_is_hdlc(const struct fd_chan *c);
int fd_chan_is_audio(const struct fd_chan *c);
int fd_chan_is_fxo_port(const struct fd_chan *c);
/* What DAHDI_CHANCONFIG does to a channel (dahdi_cfg's system.conf lines): 0 or -errno. */
int fd_chan_configure(int channo, int sigtype, int idlebits);
int fd_chan_is_fxs_port(const struct fd_chan *c);
void fd_event_push(struct fd_chan *c, int ev);
int fd_event_pop(struct fd_chan *c);
void fd_refresh(struct fd_chan *c);
void fd_refresh_all(void);
int fd_chan_buffers(struct fd_chan *c, int blocksize, int numbufs);
void fd_chan_flush(struct fd_chan *c, int what);
int fd_chan_readable(const struct fd_chan *c);
void fd_set_txbits(struct fd_chan *c, int bits);
void fd_set_rxbits(struct fd_chan *c, int bits);
int fd_set_hook(struct fd_chan *c, int op);
void fd_far_hook(struct fd_chan *c, int offhook);
void fd_far_ring(struct fd_chan *c, int on);
int fd_send_frame(struct fd_chan *c, const uint8_t *data, size_t len);
void fd_deliver_frame(struct fd_chan *c, struct fd_frames *q, const uint8_t *data, size_t len, int corrupt);
void fd_update_alarms(struct fd_span *s);
int fd_span_link_down(const struct fd_span *s);
void fd_tick(int samples);
int fd_model_reset(void);
int fd_add_span(int kind, int nports, const char *name);

/* ring helpers */
int fd_bytes_init(struct fd_bytes *r, size_t cap);
void fd_bytes_free(struct fd_bytes *r);
size_t fd_bytes_push(struct fd_bytes *r, const uint8_t *d, size_t n, int overwrite, uint32_t *dropped);
size_t fd_bytes_pop(struct fd_bytes *r, uint8_t *d, size_t n);

/* g711.c / fcs */
int16_t fd_alaw_to_linear(uint8_t a);
uint8_t fd_linear_to_alaw(int pcm);
uint16_t fd_fcs16(const uint8_t *d, size_t n);

#endif
