import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tty from 'node:tty';
import koffi from 'koffi';
import { SerialFarEnd } from './serial-far-end';

const O_RDWR = 0o2;
const O_NOCTTY = 0o400;
const O_CLOEXEC = 0o2000000;

interface PtyLibc {
  posix_openpt(flags: number): number;
  grantpt(fd: number): number;
  unlockpt(fd: number): number;
  ptsname(fd: number): string | null;
  tcgetattr(fd: number, termios: Buffer): number;
  cfmakeraw(termios: Buffer): void;
  tcsetattr(fd: number, when: number, termios: Buffer): number;
}

/** glibc's struct termios is 60 bytes on Linux; only libc reads it, so it stays opaque. */
const TERMIOS_BYTES = 64;

let libc: PtyLibc | undefined;
function ptyLibc(): PtyLibc {
  if (libc) return libc;
  const lib = koffi.load('libc.so.6');
  libc = {
    posix_openpt: lib.func('int posix_openpt(int flags)'),
    grantpt: lib.func('int grantpt(int fd)'),
    unlockpt: lib.func('int unlockpt(int fd)'),
    ptsname: lib.func('const char *ptsname(int fd)'),
    tcgetattr: lib.func('int tcgetattr(int fd, _Out_ uint8_t *termios)'),
    cfmakeraw: lib.func('void cfmakeraw(_Inout_ uint8_t *termios)'),
    tcsetattr: lib.func('int tcsetattr(int fd, int when, const uint8_t *termios)'),
  };
  return libc;
}

/**
 * A pty master. posix_openpt opens /dev/ptmx; a minimal root (a chroot or container whose
 * /dev holds only a devpts mount) has no /dev/ptmx, and the multiplexer is /dev/pts/ptmx.
 */
function openPtyMaster(c: PtyLibc): number {
  const fd = c.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd >= 0 || fs.existsSync('/dev/ptmx') || !fs.existsSync('/dev/pts/ptmx')) return fd;
  return fs.openSync('/dev/pts/ptmx', O_RDWR | O_NOCTTY | O_CLOEXEC);
}

/**
 * A pseudo-terminal pair, the device on the master side and the driver opening the
 * slave through serialport's real native binding. `path` is a stable symlink (like a
 * udev /dev/modem/by-imei name) re-pointed when the device reappears on a new pty,
 * as socat's `link=` does. No modem-control lines: test DTR on the mock binding.
 */
export class PseudoTerminalDevice implements SerialFarEnd {
  readonly path: string;
  private fd = -1;
  /** Our own hold on the slave, so the master never sees a hang-up when the driver closes and reopens. */
  private slaveHold = -1;
  private stream?: tty.ReadStream;
  private readonly listeners = new Set<(bytes: Uint8Array) => void>();
  private readonly dir: string;

  private constructor(name: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trunkpilot-pty-'));
    this.path = path.join(this.dir, name);
  }

  static open(name = 'modem'): PseudoTerminalDevice {
    const dev = new PseudoTerminalDevice(name);
    dev.attach();
    return dev;
  }

  get present(): boolean {
    return this.fd >= 0;
  }

  write(bytes: Uint8Array | string): void {
    if (this.fd < 0) return;
    try {
      fs.writeSync(this.fd, typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    } catch {
      // EIO/EAGAIN while the driver has the slave closed: a modem talking to nobody.
    }
  }

  on(listener: (bytes: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async vanish(): Promise<void> {
    this.detach();
  }

  async reappear(): Promise<void> {
    if (this.fd < 0) this.attach();
  }

  async close(): Promise<void> {
    this.detach();
    this.listeners.clear();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private attach(): void {
    const c = ptyLibc();
    const fd = openPtyMaster(c);
    if (fd < 0 || c.grantpt(fd) !== 0 || c.unlockpt(fd) !== 0) throw new Error('cannot open a pseudo-terminal (posix_openpt/grantpt/unlockpt failed)');
    const slave = c.ptsname(fd);
    if (!slave) throw new Error('ptsname failed');
    this.fd = fd;
    this.slaveHold = fs.openSync(slave, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    // Raw from the start: a cooked pty would echo the modem's own boot output back to it.
    const termios = Buffer.alloc(TERMIOS_BYTES);
    if (c.tcgetattr(this.slaveHold, termios) === 0) {
      c.cfmakeraw(termios);
      c.tcsetattr(this.slaveHold, 0, termios);
    }
    fs.rmSync(this.path, { force: true });
    fs.symlinkSync(slave, this.path);
    const stream = new tty.ReadStream(fd);
    stream.on('data', (chunk: Buffer) => {
      const bytes = Uint8Array.from(chunk);
      for (const l of [...this.listeners]) l(bytes);
    });
    stream.on('error', () => undefined);
    this.stream = stream;
  }

  private detach(): void {
    if (this.fd < 0) return;
    fs.rmSync(this.path, { force: true });
    this.stream?.destroy(); // closes the master fd: the slave side hangs up
    this.stream = undefined;
    this.fd = -1;
    fs.closeSync(this.slaveHold);
    this.slaveHold = -1;
  }
}
