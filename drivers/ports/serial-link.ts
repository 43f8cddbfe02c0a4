/**
 * A serial link as a modem driver sees it: bytes both ways, the modem-control lines,
 * and one notice when the link goes away (a USB modem unplugged, a pty whose other end
 * closed). Promise-based I/O, `on(listener)` returning the unsubscribe function and
 * `close(): Promise<void>`, the shape every port in drivers/ports shares.
 *
 * Production: `drivers/serial` over serialport's native binding. Tests and the
 * simulator: the same class over @serialport/binding-mock or a pseudo-terminal.
 */
export type SerialLinkEvent =
  /** Bytes from the device, in arrival order (chunks are not lines). */
  | { type: 'data'; bytes: Uint8Array }
  /** The link is gone and will say nothing more; `byUs` when close() was called. */
  | { type: 'closed'; reason: string; byUs: boolean };

export interface SerialLinkOptions {
  baudRate?: number;
  /** Hardware flow control (RTS/CTS); modems' USB ports ignore it. */
  rtscts?: boolean;
}

export interface ModemControlLines {
  dtr?: boolean;
  rts?: boolean;
}

export interface SerialLink {
  /** The device path (e.g. /dev/ttyUSB2, /dev/modem/by-imei/.../at). */
  readonly path: string;
  readonly isOpen: boolean;
  /** Resolves when the bytes are handed to the OS; rejects with SerialLinkError once the link is gone. */
  write(bytes: Uint8Array): Promise<void>;
  /** Sets DTR/RTS (a DTR drop hangs up or resets many modems). */
  setControlLines(lines: ModemControlLines): Promise<void>;
  on(listener: (ev: SerialLinkEvent) => void): () => void;
  /** Idempotent; a 'closed' event with byUs=true follows the first call. */
  close(): Promise<void>;
}

/** Opens links by path: the driver reopens through it after a link vanished. */
export interface SerialLinkOpener {
  open(path: string, options?: SerialLinkOptions): Promise<SerialLink>;
}
