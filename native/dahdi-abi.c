/*
 * Prints, as JSON, the DAHDI ioctl numbers and struct layouts that dahdi/user.h
 * gives on this machine, so drivers/dahdi's hand-derived table can be checked.
 */
#include <dahdi/user.h>
#include <stddef.h>
#include <stdio.h>

#define IOCTL(name) printf("%s\"%s\": %lu", first++ ? ", " : "", #name, (unsigned long)DAHDI_##name)
#define CONST(name) printf("%s\"%s\": %ld", first++ ? ", " : "", #name, (long)DAHDI_##name)
#define EVENT(name) printf("%s\"%s\": %ld", first++ ? ", " : "", #name, (long)DAHDI_EVENT_##name)
#define FIELD(st, f) printf("%s\"%s\": %zu", nf++ ? ", " : "", #f, offsetof(struct st, f))

int main(void) {
  int first = 0, nf;
  printf("{\"ioctls\": {");
  IOCTL(GET_BLOCKSIZE); IOCTL(SET_BLOCKSIZE); IOCTL(FLUSH); IOCTL(GET_PARAMS); IOCTL(SET_PARAMS);
  IOCTL(HOOK); IOCTL(GETEVENT); IOCTL(IOMUX); IOCTL(SPANSTAT); IOCTL(GETCONF); IOCTL(SETCONF);
  IOCTL(GETGAINS); IOCTL(SETGAINS); IOCTL(GET_BUFINFO); IOCTL(SET_BUFINFO); IOCTL(ECHOCANCEL);
  IOCTL(CHANNO); IOCTL(SPECIFY); IOCTL(SETLAW); IOCTL(SETLINEAR); IOCTL(GETRXBITS); IOCTL(SETTXBITS);
  IOCTL(SETPOLARITY); IOCTL(GETVERSION); IOCTL(AUDIOMODE); IOCTL(SETCADENCE);
  printf("}, \"constants\": {");
  first = 0;
  CONST(LAW_DEFAULT);
  CONST(LAW_MULAW);
  CONST(LAW_ALAW);
  CONST(ONHOOK);
  CONST(OFFHOOK);
  CONST(WINK);
  CONST(FLASH);
  CONST(START);
  CONST(RING);
  CONST(RINGOFF);
  CONST(FLUSH_READ);
  CONST(FLUSH_WRITE);
  CONST(FLUSH_EVENT);
  CONST(FLUSH_ALL);
  CONST(POLICY_IMMEDIATE);
  CONST(IOMUX_READ);
  CONST(IOMUX_WRITE);
  CONST(IOMUX_WRITEEMPTY);
  CONST(IOMUX_SIGEVENT);
  CONST(IOMUX_NOWAIT);
  CONST(ABIT);
  CONST(BBIT);
  CONST(CBIT);
  CONST(DBIT);
  CONST(CONF_NORMAL);
  CONST(CONF_MONITOR);
  CONST(CONF_MONITORTX);
  CONST(CONF_MONITORBOTH);
  CONST(CONF_CONF);
  CONST(CONF_LISTENER);
  CONST(CONF_TALKER);
  CONST(SIG_NONE);
  CONST(SIG_FXSLS);
  CONST(SIG_FXSGS);
  CONST(SIG_FXSKS);
  CONST(SIG_FXOLS);
  CONST(SIG_FXOGS);
  CONST(SIG_FXOKS);
  CONST(SIG_CLEAR);
  CONST(SIG_HDLCRAW);
  CONST(SIG_HDLCFCS);
  CONST(SIG_CAS);
  CONST(SIG_HARDHDLC);
  CONST(ALARM_RECOVER);
  CONST(ALARM_LOOPBACK);
  CONST(ALARM_YELLOW);
  CONST(ALARM_RED);
  CONST(ALARM_BLUE);
  CONST(ALARM_NOTOPEN);
  CONST(ALARM_LOS);
  CONST(ALARM_LFA);
  CONST(ALARM_LMFA);
  CONST(CONFIG_CCS);
  CONST(CONFIG_HDB3);
  CONST(CONFIG_CRC4);
  CONST(DEFAULT_BLOCKSIZE);
  CONST(MAX_BLOCKSIZE);
  CONST(MAX_NUM_BUFS);
  printf("}, \"events\": {");
  first = 0;
  EVENT(ONHOOK);
  EVENT(RINGOFFHOOK);
  EVENT(WINKFLASH);
  EVENT(ALARM);
  EVENT(NOALARM);
  EVENT(ABORT);
  EVENT(OVERRUN);
  EVENT(BADFCS);
  EVENT(DIALCOMPLETE);
  EVENT(RINGERON);
  EVENT(RINGEROFF);
  EVENT(HOOKCOMPLETE);
  EVENT(BITSCHANGED);
  EVENT(PULSE_START);
  EVENT(TIMER_EXPIRED);
  EVENT(TIMER_PING);
  EVENT(POLARITY);
  EVENT(RINGBEGIN);
  EVENT(EC_DISABLED);
  EVENT(REMOVED);
  EVENT(NEONMWI_ACTIVE);
  EVENT(NEONMWI_INACTIVE);
  EVENT(TX_CED_DETECTED);
  EVENT(RX_CED_DETECTED);
  EVENT(TX_CNG_DETECTED);
  EVENT(RX_CNG_DETECTED);
  EVENT(EC_NLP_DISABLED);
  EVENT(EC_NLP_ENABLED);
  EVENT(READ_OVERRUN);
  EVENT(WRITE_UNDERRUN);
  EVENT(PULSEDIGIT);
  EVENT(DTMFDOWN);
  EVENT(DTMFUP);
  printf("}, \"structs\": {");
  nf = 0;
  printf("\"dahdi_params\": {\"size\": %zu, \"fields\": {", sizeof(struct dahdi_params));
  FIELD(dahdi_params, channo); FIELD(dahdi_params, spanno); FIELD(dahdi_params, chanpos); FIELD(dahdi_params, sigtype);
  FIELD(dahdi_params, sigcap); FIELD(dahdi_params, rxisoffhook); FIELD(dahdi_params, rxbits); FIELD(dahdi_params, txbits);
  FIELD(dahdi_params, txhooksig); FIELD(dahdi_params, rxhooksig); FIELD(dahdi_params, curlaw); FIELD(dahdi_params, idlebits);
  FIELD(dahdi_params, name); FIELD(dahdi_params, prewinktime); FIELD(dahdi_params, pulseaftertime); FIELD(dahdi_params, chan_alarms);
  nf = 0;
  printf("}}, \"dahdi_spaninfo\": {\"size\": %zu, \"fields\": {", sizeof(struct dahdi_spaninfo));
  FIELD(dahdi_spaninfo, spanno); FIELD(dahdi_spaninfo, name); FIELD(dahdi_spaninfo, desc); FIELD(dahdi_spaninfo, alarms);
  FIELD(dahdi_spaninfo, txlevel); FIELD(dahdi_spaninfo, rxlevel); FIELD(dahdi_spaninfo, bpvcount); FIELD(dahdi_spaninfo, crc4count);
  FIELD(dahdi_spaninfo, ebitcount); FIELD(dahdi_spaninfo, fascount); FIELD(dahdi_spaninfo, fecount); FIELD(dahdi_spaninfo, cvcount);
  FIELD(dahdi_spaninfo, becount); FIELD(dahdi_spaninfo, prbs); FIELD(dahdi_spaninfo, errsec); FIELD(dahdi_spaninfo, irqmisses);
  FIELD(dahdi_spaninfo, syncsrc); FIELD(dahdi_spaninfo, numchans); FIELD(dahdi_spaninfo, totalchans); FIELD(dahdi_spaninfo, totalspans);
  FIELD(dahdi_spaninfo, lbo); FIELD(dahdi_spaninfo, lineconfig); FIELD(dahdi_spaninfo, lboname); FIELD(dahdi_spaninfo, location);
  FIELD(dahdi_spaninfo, manufacturer); FIELD(dahdi_spaninfo, devicetype); FIELD(dahdi_spaninfo, irq); FIELD(dahdi_spaninfo, linecompat);
  FIELD(dahdi_spaninfo, spantype);
  nf = 0;
  printf("}}, \"dahdi_bufferinfo\": {\"size\": %zu, \"fields\": {", sizeof(struct dahdi_bufferinfo));
  FIELD(dahdi_bufferinfo, txbufpolicy); FIELD(dahdi_bufferinfo, rxbufpolicy); FIELD(dahdi_bufferinfo, numbufs);
  FIELD(dahdi_bufferinfo, bufsize); FIELD(dahdi_bufferinfo, readbufs); FIELD(dahdi_bufferinfo, writebufs);
  nf = 0;
  printf("}}, \"dahdi_confinfo\": {\"size\": %zu, \"fields\": {", sizeof(struct dahdi_confinfo));
  FIELD(dahdi_confinfo, chan); FIELD(dahdi_confinfo, confno); FIELD(dahdi_confinfo, confmode);
  nf = 0;
  printf("}}, \"dahdi_gains\": {\"size\": %zu, \"fields\": {", sizeof(struct dahdi_gains));
  FIELD(dahdi_gains, chan); FIELD(dahdi_gains, rxgain); FIELD(dahdi_gains, txgain);
  printf("}}}}\n");
  return 0;
}
