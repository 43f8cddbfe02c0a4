/**
 * The device side of a simulated serial link: what a simulated modem reads and writes,
 * whether the link is a pseudo-terminal (real serialport binding) or the mock binding.
 */
export interface SerialFarEnd {
  /** The path the driver opens. */
  readonly path: string;
  /** Whether the device is plugged in (the driver's open succeeds). */
  readonly present: boolean;
  /** Bytes to the driver. Dropped while the driver has the port closed or the device is gone. */
  write(bytes: Uint8Array | string): void;
  /** Bytes the driver wrote; returns the unsubscribe function. */
  on(listener: (bytes: Uint8Array) => void): () => void;
  /** The device disappears (USB unplug): the driver's link ends, opens fail. */
  vanish(): Promise<void>;
  /** The device is back at the same path. */
  reappear(): Promise<void>;
  close(): Promise<void>;
}
