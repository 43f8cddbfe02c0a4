/**
 * The named fault catalogue for simulated GSM/LTE modules, shared by the simulated
 * modem and the tests that trigger faults by name.
 */
export type ModemFaultName = 'PORT_VANISHES' | 'STOPS_ANSWERING' | 'NO_SIM' | 'NOT_REGISTERED' | 'GARBAGE' | 'REBOOT';

export const MODEM_FAULT_CATALOGUE: Readonly<Record<ModemFaultName, string>> = {
  PORT_VANISHES: 'the USB device is unplugged: the open port ends and opens fail until it is plugged back; any call is gone',
  STOPS_ANSWERING:
    'the module reads commands and answers none (firmware wedged) until reset (AT+CFUN=1,1 / AT+CRESET / AT^RESET) or cleared',
  NO_SIM: 'the SIM is removed: +CPIN: NOT INSERTED unsolicited, +CME ERROR: 10 to AT+CPIN?, calls refused',
  NOT_REGISTERED: 'the network drops the module: +CREG: 2 (searching), calls fail, any call ends',
  GARBAGE: 'every reply is preceded by line noise (control bytes, a 2 kB run without a line end)',
  REBOOT: 'the module restarts by itself: RDY, then it has forgotten its settings (echo on, reports off)',
};
