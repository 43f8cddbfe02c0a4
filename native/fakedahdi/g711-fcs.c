/* A-law (G.711) conversion for conference mixing, and the HDLC FCS-16 (ISO 3309). */
#include "model.h"

int16_t fd_alaw_to_linear(uint8_t a) {
  a ^= 0x55;
  int mantissa = (a & 0x0f) << 4;
  int segment = (a >> 4) & 0x07;
  int v = segment == 0 ? mantissa + 8 : (mantissa + 0x108) << (segment - 1);
  return (int16_t)((a & 0x80) ? v : -v);
}

uint8_t fd_linear_to_alaw(int pcm) {
  if (pcm > 32767) pcm = 32767;
  if (pcm < -32768) pcm = -32768;
  int v = pcm >> 3;
  uint8_t mask;
  if (v >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    v = -v - 1;
  }
  int segment = 0;
  while (segment < 8 && v > (0x20 << segment) - 1) segment++;
  if (segment >= 8) return (uint8_t)(0x7f ^ mask);
  int mantissa = segment < 2 ? (v >> 1) & 0x0f : (v >> segment) & 0x0f;
  return (uint8_t)(((segment << 4) | mantissa) ^ mask);
}

/* CRC-CCITT, reflected (poly 0x8408), preset and final inversion: the HDLC FCS. */
uint16_t fd_fcs16(const uint8_t *d, size_t n) {
  uint16_t fcs = 0xffff;
  for (size_t i = 0; i < n; i++) {
    fcs ^= d[i];
    for (int b = 0; b < 8; b++) fcs = (fcs & 1) ? (uint16_t)((fcs >> 1) ^ 0x8408) : (uint16_t)(fcs >> 1);
  }
  return (uint16_t)~fcs;
}
