/*
 * Drives the userspace DAHDI (libfakedahdi.so, LD_PRELOAD) the way a careless or
 * hostile program would, and checks each answer: NULL ioctl arguments, bad channel
 * numbers, oversized and undersized HDLC frames, buffer resizing, audio both ways
 * across a cable, events, poll. Exits 0 when every answer is the documented one.
 * A test runs it plainly and under AddressSanitizer (hil-tests/fakedahdi-native.test.ts).
 * Environment it expects: TRUNKPILOT_FAKEDAHDI_SPANS=e1-ccs,e1-ccs CABLES=1-2 CLOCK=5.
 */
#include <dahdi/user.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void expect(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "probe: FAILED: %s (errno %d: %s)\n", what, errno, strerror(errno));
    failures++;
  }
}

static int open_channel(int channo) {
  int fd = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK);
  if (fd < 0) return -1;
  if (ioctl(fd, DAHDI_SPECIFY, &channo) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static void sleep_ms(int ms) {
  struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };
  nanosleep(&t, NULL);
}

int main(void) {
  /* NULL arguments: EFAULT, as the kernel answers, never a crash. */
  int unbound = open("/dev/dahdi/channel", O_RDWR | O_NONBLOCK);
  expect(unbound >= 0, "open /dev/dahdi/channel");
  errno = 0;
  expect(ioctl(unbound, DAHDI_SPECIFY, NULL) == -1 && errno == EFAULT, "SPECIFY with NULL is EFAULT");
  int bad = 9999;
  expect(ioctl(unbound, DAHDI_SPECIFY, &bad) == -1, "SPECIFY of a channel that does not exist fails");
  close(unbound);

  int ctl = open("/dev/dahdi/ctl", O_RDWR);
  expect(ctl >= 0, "open /dev/dahdi/ctl");
  errno = 0;
  expect(ioctl(ctl, DAHDI_SPANSTAT, NULL) == -1 && errno == EFAULT, "SPANSTAT with NULL is EFAULT");
  expect(ioctl(ctl, DAHDI_GET_PARAMS, NULL) == -1 && errno == EFAULT, "GET_PARAMS on ctl with NULL is EFAULT");
  expect(ioctl(ctl, DAHDI_STARTUP, NULL) == -1 && errno == EFAULT, "STARTUP with NULL is EFAULT");
  expect(ioctl(ctl, DAHDI_CHANCONFIG, NULL) == -1 && errno == EFAULT, "CHANCONFIG with NULL is EFAULT");
  struct dahdi_spaninfo si;
  memset(&si, 0, sizeof(si));
  si.spanno = 1;
  expect(ioctl(ctl, DAHDI_SPANSTAT, &si) == 0 && si.totalchans == 31, "SPANSTAT of span 1");
  close(ctl);

  int bearer = open_channel(1), far = open_channel(32);
  expect(bearer >= 0 && far >= 0, "open bearer channels 1 and 32");
  unsigned long with_arg[] = { DAHDI_GET_PARAMS, DAHDI_GET_BLOCKSIZE, DAHDI_SET_BLOCKSIZE, DAHDI_GET_BUFINFO, DAHDI_SET_BUFINFO, DAHDI_FLUSH,
                               DAHDI_HOOK, DAHDI_GETEVENT, DAHDI_IOMUX, DAHDI_GETRXBITS, DAHDI_SETTXBITS, DAHDI_GETCONF, DAHDI_SETCONF,
                               DAHDI_CHANNO, DAHDI_SETLAW, DAHDI_GETVERSION, DAHDI_SPANSTAT, DAHDI_ECHOCANCEL };
  for (size_t i = 0; i < sizeof(with_arg) / sizeof(with_arg[0]); i++) {
    errno = 0;
    int r = ioctl(bearer, with_arg[i], NULL);
    char what[96];
    snprintf(what, sizeof(what), "ioctl 0x%lx with NULL on a channel is EFAULT", with_arg[i]);
    expect(r == -1 && errno == EFAULT, what);
  }

  /* Buffer sizes: refused out of range, honoured in range. */
  int size = 8;
  expect(ioctl(bearer, DAHDI_SET_BLOCKSIZE, &size) == -1 && errno == EINVAL, "a blocksize of 8 is refused");
  size = 160;
  expect(ioctl(bearer, DAHDI_SET_BLOCKSIZE, &size) == 0, "a blocksize of 160");
  ioctl(far, DAHDI_SET_BLOCKSIZE, &size);
  struct dahdi_bufferinfo bi;
  memset(&bi, 0, sizeof(bi));
  bi.bufsize = 1 << 20;
  bi.numbufs = 1 << 20;
  expect(ioctl(bearer, DAHDI_SET_BUFINFO, &bi) == -1 && errno == EINVAL, "an absurd buffer size is refused");

  /* Audio across the cable. */
  unsigned char block[160];
  memset(block, 0x33, sizeof(block));
  for (int i = 0; i < 10; i++) {
    (void)write(bearer, block, sizeof(block));
    sleep_ms(6);
  }
  int got = 0;
  for (int i = 0; i < 50 && got == 0; i++) {
    unsigned char in[160];
    ssize_t n = read(far, in, sizeof(in));
    if (n > 0) got = 1;
    else sleep_ms(5);
  }
  expect(got, "audio written on channel 1 is read on channel 32");

  /* D-channels: frames of a legal size cross the cable; others are refused or counted. */
  int d1 = open_channel(16), d2 = open_channel(47);
  expect(d1 >= 0 && d2 >= 0, "open D-channels 16 and 47");
  unsigned char frame[2000];
  memset(frame, 0x7e, sizeof(frame));
  expect(write(d1, frame, 2) == -1 && errno == EINVAL, "a 2-byte HDLC frame is refused");
  expect(write(d1, frame, 1500) == -1 && errno == EINVAL, "a 1500-byte HDLC frame is refused");
  expect(write(d1, frame, 40) == 40, "a 40-byte HDLC frame is sent");
  struct pollfd pfd = { d2, POLLIN, 0 };
  expect(poll(&pfd, 1, 500) == 1, "the far D-channel becomes readable");
  unsigned char in[1100];
  expect(read(d2, in, sizeof(in)) == 40, "the 40-byte frame arrives whole");
  for (int i = 0; i < 5000; i++) (void)write(d1, frame, 200); /* more than the queue holds: overruns, counted */
  int events = 0, ev = 0;
  while (read(d2, in, sizeof(in)) > 0 || errno == ELAST) {
    if (errno == ELAST && ioctl(d2, DAHDI_GETEVENT, &ev) == 0 && ev) events++;
    errno = 0;
  }
  expect(events > 0, "a flood of frames raises overrun events");

  close(d1);
  close(d2);
  close(bearer);
  close(far);
  if (failures) return 1;
  printf("probe: all answers as expected\n");
  return 0;
}
