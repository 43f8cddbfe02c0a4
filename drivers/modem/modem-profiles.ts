/**
 * GSM/LTE voice modules as data: what differs between models is which commands turn
 * on their reports and how voice audio leaves the module. Facts from
 * shared/spec/gateways.md (Quectel, SIMCom and Huawei AT manuals as summarised there).
 */
export type ModemModel = 'quectel-ec2x' | 'simcom-sim7600' | 'huawei-e1x';

/** Which lines tell the driver a call's state. */
export type CallStateReporting =
  /** Quectel AT+QINDCFG="ccinfo",1: +QIND: "ccinfo",idx,dir,stat,... */
  | 'qind-ccinfo'
  /** SIMCom AT+CLCC=1: a +CLCC line on every change, plus VOICE CALL: BEGIN/END. */
  | 'clcc-unsolicited'
  /** Huawei: ^ORIG (dialling), ^CONF (ringing), ^CONN (answered), ^CEND (ended, with cause). */
  | 'huawei-caret';

export interface VoiceAudio {
  /** Where the call's 8 kHz 16-bit PCM goes: a serial PCM port, the USB audio class, or nowhere (codec on the board). */
  carrier: 'serial-pcm' | 'usb-audio' | 'none';
  /** Commands that switch it on for a call (after answer or connect). */
  enable: readonly string[];
  /** The USB interface number of the PCM serial port, where carrier = serial-pcm. */
  usbInterface?: number;
  /** 20 ms frames of 8 kHz signed 16-bit little-endian samples. */
  frameBytes: 320;
}

export interface UsbId {
  vendorId: number;
  productId: number;
}

export interface ModemProfile {
  model: ModemModel;
  name: string;
  usbIds: readonly UsbId[];
  /** USB interface number of the AT command port (ttyUSB order follows it). */
  atInterface: number;
  /** Sent once after ATE0 / AT+CMEE=1 on every (re)open: turns on this model's reports. */
  init: readonly string[];
  callState: CallStateReporting;
  /** The ICCID query (no 27.007 command exists). */
  iccidQuery: string;
  /** Whether the release cause must be asked (AT+CEER) or comes with the end report (^CEND). */
  causeQuery: 'AT+CEER' | 'none';
  hangup: string;
  /** Restarts the module when it stops answering. */
  reset: string;
  /** Turns on DTMF detection from the far end, when the model has it. */
  dtmfDetect?: string;
  voice: VoiceAudio;
}

export const MODEM_PROFILES: Readonly<Record<ModemModel, ModemProfile>> = {
  'quectel-ec2x': {
    model: 'quectel-ec2x',
    name: 'Quectel EC20/EC21/EC25',
    usbIds: [
      { vendorId: 0x2c7c, productId: 0x0125 },
      { vendorId: 0x2c7c, productId: 0x0121 },
    ],
    atInterface: 2,
    init: ['AT+CLIP=1', 'AT+CREG=2', 'AT+QINDCFG="ccinfo",1,0', 'AT+QINDCFG="csq",1,0'],
    callState: 'qind-ccinfo',
    iccidQuery: 'AT+QCCID',
    causeQuery: 'AT+CEER',
    hangup: 'AT+CHUP',
    reset: 'AT+CFUN=1,1',
    dtmfDetect: 'AT+QTONEDET=1',
    voice: { carrier: 'usb-audio', enable: ['AT+QPCMV=1,2'], frameBytes: 320 },
  },
  'simcom-sim7600': {
    model: 'simcom-sim7600',
    name: 'SIMCom SIM7600',
    usbIds: [
      { vendorId: 0x1e0e, productId: 0x9001 },
      { vendorId: 0x1e0e, productId: 0x9025 },
    ],
    atInterface: 2,
    init: ['AT+CLIP=1', 'AT+CREG=2', 'AT+CLCC=1', 'AT+AUTOCSQ=1,1'],
    callState: 'clcc-unsolicited',
    iccidQuery: 'AT+CICCID',
    causeQuery: 'AT+CEER',
    hangup: 'AT+CHUP',
    reset: 'AT+CRESET',
    dtmfDetect: 'AT+DDET=1',
    voice: { carrier: 'serial-pcm', enable: ['AT+CPCMREG=1'], usbInterface: 4, frameBytes: 320 },
  },
  'huawei-e1x': {
    model: 'huawei-e1x',
    name: 'Huawei E1550/E17xx/E171 dongle',
    usbIds: [
      { vendorId: 0x12d1, productId: 0x1001 },
      { vendorId: 0x12d1, productId: 0x140c },
      { vendorId: 0x12d1, productId: 0x1436 },
      { vendorId: 0x12d1, productId: 0x1506 },
    ],
    atInterface: 2,
    init: ['AT+CLIP=1', 'AT+CREG=2', 'AT^CVOICE?'],
    callState: 'huawei-caret',
    iccidQuery: 'AT^ICCID?',
    causeQuery: 'none',
    hangup: 'AT+CHUP',
    reset: 'AT^RESET',
    // No switch for DTMF detection: firmwares that detect it send ^DDTMF unasked.
    voice: { carrier: 'serial-pcm', enable: ['AT^DDSETEX=2'], usbInterface: 1, frameBytes: 320 },
  },
};

export function modemProfile(model: string): ModemProfile | undefined {
  return (MODEM_PROFILES as Record<string, ModemProfile>)[model];
}

/** The profile whose USB IDs match, for discovery. */
export function profileForUsbId(vendorId: number, productId: number): ModemProfile | undefined {
  return Object.values(MODEM_PROFILES).find((p) => p.usbIds.some((id) => id.vendorId === vendorId && id.productId === productId));
}
