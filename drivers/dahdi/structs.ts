/** Zeroed values of the DAHDI structs, to pass to the _Inout_ ioctls. */
import { DahdiParamsValue, DahdiSpaninfoValue } from './ffi';

export function emptyParams(channo = 0): DahdiParamsValue {
  return {
    channo, spanno: 0, chanpos: 0, sigtype: 0, sigcap: 0, rxisoffhook: 0, rxbits: 0, txbits: 0, txhooksig: 0,
    rxhooksig: 0, curlaw: 0, idlebits: 0, name: '', prewinktime: 0, preflashtime: 0, winktime: 0, flashtime: 0,
    starttime: 0, rxwinktime: 0, rxflashtime: 0, debouncetime: 0, pulsebreaktime: 0, pulsemaketime: 0,
    pulseaftertime: 0, chan_alarms: 0,
  };
}

export function emptySpaninfo(spanno: number): DahdiSpaninfoValue {
  return {
    spanno, name: '', desc: '', alarms: 0, txlevel: 0, rxlevel: 0, bpvcount: 0, crc4count: 0, ebitcount: 0,
    fascount: 0, fecount: 0, cvcount: 0, becount: 0, prbs: 0, errsec: 0, irqmisses: 0, syncsrc: 0, numchans: 0,
    totalchans: 0, totalspans: 0, lbo: 0, lineconfig: 0, lboname: '', location: '', manufacturer: '',
    devicetype: '', irq: 0, linecompat: 0, spantype: '',
  };
}
