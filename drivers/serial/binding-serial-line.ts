import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import type { BindingInterface, BindingPortInterface } from '@serialport/bindings-interface';
import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { CLOSED_BY_US, ModemControlLines, SerialLineOpener, SerialLineOptions, SerialLinePort } from '../ports/serial-line-port';
import { SerialLinkError } from './errors';

const READ_CHUNK = 1024;

/** What bindings-cpp's unix ports carry: a poller that reports a hang-up (a pty whose master closed). */
interface DisconnectPoller {
  once(event: 'disconnect', cb: (err: Error | null) => void): unknown;
}

function pollerOf(port: BindingPortInterface): DisconnectPoller | undefined {
  const poller = (port as { poller?: unknown }).poller;
  return poller && typeof (poller as DisconnectPoller).once === 'function' ? (poller as DisconnectPoller) : undefined;
}

/**
 * A SerialLinePort over any serialport binding: the native one on a machine, the mock one
 * in tests. A read loop runs while the port is open; a failed read or a hang-up from
 * the poller ends the link with one 'closed' event (the driver decides to reopen).
 */
export class BindingSerialLine implements SerialLinePort {
  private readonly data = new Emitter<[Uint8Array]>(ignoreListenerError);
  private readonly closed = new Emitter<[string]>(ignoreListenerError);
  private open = true;

  private constructor(
    readonly path: string,
    private readonly port: BindingPortInterface,
  ) {}

  static async open(binding: BindingInterface, path: string, options: SerialLineOptions = {}): Promise<BindingSerialLine> {
    let port: BindingPortInterface;
    try {
      port = await binding.open({ path, baudRate: options.baudRate ?? 115200, rtscts: options.rtscts ?? false });
    } catch (err) {
      throw new SerialLinkError(path, 'open-failed', (err as Error).message);
    }
    const link = new BindingSerialLine(path, port);
    pollerOf(port)?.once('disconnect', (err) => link.lost(err ? err.message : 'hang-up'));
    void link.readLoop();
    return link;
  }

  private writing: Promise<void> = Promise.resolve();

  get isOpen(): boolean {
    return this.open;
  }

  /**
   * Writes in the order called. The bindings refuse a write while another is in flight
   * ("Overlapping writes"), and a voice port has several writers (a prompt player priming
   * its blocks, the bridge), so each write waits for the one before.
   */
  write(bytes: Uint8Array): Promise<void> {
    const turn = this.writing.then(() => this.writeNow(bytes));
    this.writing = turn.catch(() => undefined);
    return turn;
  }

  private async writeNow(bytes: Uint8Array): Promise<void> {
    if (!this.open) throw new SerialLinkError(this.path, 'closed', '');
    try {
      await this.port.write(Buffer.from(bytes));
    } catch (err) {
      this.lost((err as Error).message);
      throw new SerialLinkError(this.path, 'write-failed', (err as Error).message);
    }
  }

  async setControlLines(lines: ModemControlLines): Promise<void> {
    if (!this.open) throw new SerialLinkError(this.path, 'closed', '');
    try {
      await this.port.set({ dtr: lines.dtr ?? true, rts: lines.rts ?? true });
    } catch (err) {
      throw new SerialLinkError(this.path, 'write-failed', `setting control lines: ${(err as Error).message}`);
    }
  }

  onData(listener: (chunk: Uint8Array) => void): Unsubscribe {
    return this.data.on(listener);
  }

  onClosed(listener: (reason: string) => void): Unsubscribe {
    return this.closed.on(listener);
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.port.close().catch(() => undefined);
    this.finish(CLOSED_BY_US);
  }

  private async readLoop(): Promise<void> {
    const buf = Buffer.alloc(READ_CHUNK);
    while (this.open) {
      try {
        const { bytesRead } = await this.port.read(buf, 0, READ_CHUNK);
        if (this.open && bytesRead > 0) this.data.emit(Uint8Array.from(buf.subarray(0, bytesRead)));
      } catch (err) {
        if (this.open) this.lost((err as Error).message);
        return;
      }
    }
  }

  /** The device went away under us: close what is left and say so once. */
  private lost(reason: string): void {
    if (!this.open) return;
    this.open = false;
    void this.port.close().catch(() => undefined);
    this.finish(reason);
  }

  private finish(reason: string): void {
    this.closed.emit(reason);
    this.data.clear();
    this.closed.clear();
  }
}

/** A throwing listener must not stop the read loop; the driver above logs its own faults. */
function ignoreListenerError(): void {}

/** Opens links through one binding (the machine's native one unless told otherwise). */
export class BindingSerialLineOpener implements SerialLineOpener {
  /** `present` says whether a device is at a path: a stat of the device node unless the binding's ports live elsewhere (the mock). */
  constructor(
    private readonly binding: BindingInterface = SerialPort.binding,
    private readonly present: (path: string) => Promise<boolean> = deviceNodeExists,
  ) {}

  open(path: string, options?: SerialLineOptions): Promise<SerialLinePort> {
    return BindingSerialLine.open(this.binding, path, options);
  }

  exists(path: string): Promise<boolean> {
    return this.present(path);
  }
}

/** A stat follows symlinks (/dev/modem/by-imei/...), so a dangling udev link reads as absent. */
async function deviceNodeExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
