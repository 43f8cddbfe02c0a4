import { Unsubscribe } from '../../src/core/emitter';

/**
 * A serial line to a GSM/LTE modem or a gateway's management port: bytes both
 * ways, as node-serialport (a tty or a USB CDC-ACM device) or the simulator gives
 * them. What the bytes mean (AT commands, responses and unsolicited result codes)
 * is a protocol module above this port, fed the chunks it receives.
 *
 * On a machine: drivers/serial/binding-serial-line.ts over serialport's native binding.
 * In tests and the simulator: the same class over @serialport/binding-mock
 * (simulator/modem/mock-serial-wire.ts) or a pseudo-terminal (simulator/modem/pseudo-terminal.ts).
 */
export interface SerialLinePort {
  /** For logs and errors: "/dev/ttyUSB2", "/dev/modem/by-imei/866.../at". */
  readonly path: string;
  /** False once the line went away or was closed. */
  readonly isOpen: boolean;
  /** Resolves once the bytes are handed to the OS (drained), rejects with a typed error when the line is gone. */
  write(data: Uint8Array): Promise<void>;
  /** Sets the modem-control lines (a DTR drop hangs up or resets many modems; a pty has none). */
  setControlLines(lines: ModemControlLines): Promise<void>;
  /** Received bytes, in arrival order, chunked as the OS delivered them. */
  onData(listener: (chunk: Uint8Array) => void): Unsubscribe;
  /** The line went away (device unplugged, port closed); `reason` says why. Fires once. */
  onClosed(listener: (reason: string) => void): Unsubscribe;
  /** Idempotent; onClosed listeners hear "closed by us". */
  close(): Promise<void>;
}

export interface ModemControlLines {
  dtr?: boolean;
  rts?: boolean;
}

export interface SerialLineOptions {
  baudRate?: number;
  /** Hardware flow control (RTS/CTS); modems' USB ports ignore it. */
  rtscts?: boolean;
}

/** Opens lines by path: a modem driver reopens through it after its line vanished. */
export interface SerialLineOpener {
  open(path: string, options?: SerialLineOptions): Promise<SerialLinePort>;
  /**
   * Whether a device is at `path` now, without opening it (a stat): lets a driver watch a
   * vanished port cheaply and often, and reopen the moment it is back.
   */
  exists?(path: string): Promise<boolean>;
}

export const CLOSED_BY_US = 'closed by us';
