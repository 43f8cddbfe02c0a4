import { Unsubscribe } from '../../src/core/emitter';

/**
 * A serial line to a GSM/LTE modem or a gateway's management port: bytes both
 * ways, as node-serialport (a tty or a USB CDC-ACM device) or the simulator gives
 * them. What the bytes mean (AT commands, responses and unsolicited result codes)
 * is a protocol module above this port, fed the chunks it receives.
 */
export interface SerialLinePort {
  /** For logs and errors: "/dev/ttyUSB2", "sim modem 1". */
  readonly path: string;
  /** Resolves once the bytes are handed to the OS (drained), rejects with a typed error when the line is gone. */
  write(data: Uint8Array): Promise<void>;
  /** Received bytes, in arrival order, chunked as the OS delivered them. */
  onData(listener: (chunk: Uint8Array) => void): Unsubscribe;
  /** The line went away (device unplugged, port closed); `reason` says why. */
  onClosed(listener: (reason: string) => void): Unsubscribe;
  close(): Promise<void>;
}
