/**
 * What DAHDI tells about the machine through /proc/dahdi and /sys/bus/dahdi_devices:
 * the boards (DAHDI devices), their spans, and each span's channels. Read-only facts,
 * the same ones dahdi_scan and lsdahdi print.
 */

/** Span type as DAHDI's sysfs `spantype` attribute names it. */
export type DahdiSpanType = 'E1' | 'T1' | 'J1' | 'BRI_NT' | 'BRI_TE' | 'BRI_SOFT' | 'FXS' | 'FXO' | 'ANALOG_MIXED' | 'DYNAMIC' | 'INVALID';

/** Alarm names as /proc/dahdi prints them. */
export type DahdiAlarm = 'BLUE' | 'YELLOW' | 'RED' | 'LOOP' | 'RECOVERING' | 'NOTOPEN';

/** Error counters a span reports (absent in /proc/dahdi means zero). */
export interface DahdiSpanCounters {
  bpv: number;
  crc4: number;
  ebit: number;
  fas: number;
  timingSlips: number;
  irqMisses: number;
}

export interface DahdiChannel {
  /** Global channel number (what system.conf uses). */
  channo: number;
  /** 1-based position inside its span (the timeslot on an E1). */
  spanPosition: number;
  /** Driver's channel name, e.g. "TE4/0/1/16". */
  name: string;
  /** Signalling as /proc/dahdi prints it: "Clear", "HDLCFCS", "CAS", "FXSKS", ... or "Unconfigured". */
  signalling: string;
  /** True when the channel cannot carry anything (DAHDI prints "Reserved"). */
  reserved: boolean;
  /** True when some program holds the channel open ("In use"). */
  inUse: boolean;
  alarms: DahdiAlarm[];
  /** Echo canceller attached to the channel, when there is one. */
  echoCanceller?: { name: string; active: boolean };
}

export interface DahdiSpan {
  spanno: number;
  /** e.g. "TE4/0/1" */
  name: string;
  /** e.g. "T4XXP (PCI) Card 0 Span 1" */
  description: string;
  type: DahdiSpanType;
  digital: boolean;
  /** DAHDI device (board) this span belongs to, e.g. "pci:0000:03:00.0"; undefined when sysfs is missing. */
  device?: string;
  /** Position of the span on its board, 1-based. */
  localSpanno?: number;
  basechan: number;
  channelCount: number;
  /** Framing: "CCS", "CAS" (E1 without CCS), "ESF", "D4"; undefined when the span is not configured. */
  framing?: string;
  /** Line coding: "HDB3", "AMI", "B8ZS". */
  coding?: string;
  crc4: boolean;
  /** Line build-out index from sysfs. */
  lbo?: number;
  syncMaster: boolean;
  /** This span is the current timing source. */
  clockSource: boolean;
  alarms: DahdiAlarm[];
  /** True when the span has line configuration (dahdi_cfg was run for it). */
  configured: boolean;
  counters: DahdiSpanCounters;
  channels: DahdiChannel[];
}

/** Hardware identity of a DAHDI device's parent, found by walking up sysfs. */
export type HardwareId =
  | { bus: 'pci'; vendor: string; device: string; subsystemVendor?: string; subsystemDevice?: string; address: string }
  | { bus: 'usb'; vendor: string; product: string; path: string }
  | { bus: 'other' };

export interface DahdiDevice {
  /** sysfs name, e.g. "pci:0000:03:00.0" or "astribanks:xbus-00". */
  name: string;
  manufacturer: string;
  /** Driver's device description, e.g. "Wildcard TE435 (VPMOCT128)". */
  type: string;
  /** The board's own serial or label ("" when the driver gives none). */
  hardwareId: string;
  location: string;
  spanCount: number;
  /** local span number -> span type, from the `spantype` attribute. */
  spanTypes: Record<number, DahdiSpanType>;
  hardware: HardwareId;
  /** Span numbers assigned to this device's spans, in local order. */
  spannos: number[];
}

export interface DahdiSystem {
  sysRoot: string;
  devices: DahdiDevice[];
  spans: DahdiSpan[];
  /** Problems that did not stop discovery (unreadable files, odd lines), for the user to see. */
  warnings: string[];
}
