import type { BindingInterface } from '@serialport/bindings-interface';
import { SerialPort } from 'serialport';
import { CLOSED_BY_US, SerialLinePort } from '../ports/serial-line-port';
import { MockSerialWire } from '../../simulator/modem/mock-serial-wire';
import { PseudoTerminalDevice } from '../../simulator/modem/pseudo-terminal';
import { SerialFarEnd } from '../../simulator/modem/serial-far-end';
import { BindingSerialLine, BindingSerialLineOpener } from './binding-serial-line';
import { SerialLinkError } from './errors';

interface Rig {
  binding: BindingInterface;
  device: SerialFarEnd;
  missingPath: string;
  /** The opener the drivers use, looking for devices where this binding keeps them. */
  opener: BindingSerialLineOpener;
}

function waitFor<T>(what: string, probe: () => T | undefined, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const v = probe();
      if (v !== undefined) return resolve(v);
      if (Date.now() - started > ms) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

/** One contract, two links: the mock binding always, the real native binding on a pty. */
const rigs: [string, () => Rig][] = [
  [
    'mock binding',
    () => {
      const wire = new MockSerialWire();
      const opener = new BindingSerialLineOpener(wire.binding, wire.exists);
      return { binding: wire.binding, device: wire.device('/dev/ttyMOCK0'), missingPath: '/dev/ttyMOCK9', opener };
    },
  ],
  [
    'native binding on a pseudo-terminal',
    () => ({
      binding: SerialPort.binding,
      device: PseudoTerminalDevice.open(),
      missingPath: '/nonexistent/ttyUSB9',
      opener: new BindingSerialLineOpener(),
    }),
  ],
];

describe.each(rigs)('SerialLinePort over the %s', (_name, makeRig) => {
  let rig: Rig;
  let link: SerialLinePort | undefined;
  beforeEach(() => {
    rig = makeRig();
  });
  afterEach(async () => {
    await link?.close();
    await rig.device.close();
  });

  it('carries bytes both ways in order', async () => {
    link = await BindingSerialLine.open(rig.binding, rig.device.path);
    const atDevice: number[] = [];
    rig.device.on((b) => atDevice.push(...b));
    const atDriver: number[] = [];
    link.onData((chunk) => atDriver.push(...chunk));
    await link.write(Buffer.from('AT+CSQ\r'));
    await waitFor('the command at the device', () => (Buffer.from(atDevice).toString() === 'AT+CSQ\r' ? true : undefined));
    rig.device.write('\r\n+CSQ: 21,99\r\n');
    rig.device.write('\r\nOK\r\n');
    const expected = '\r\n+CSQ: 21,99\r\n\r\nOK\r\n';
    await waitFor('the reply at the driver', () => (atDriver.length >= expected.length ? true : undefined));
    expect(Buffer.from(atDriver).toString()).toBe(expected);
  });

  it('writes issued together (a voice port with two writers) arrive whole and in order, and the link stays up', async () => {
    link = await BindingSerialLine.open(rig.binding, rig.device.path);
    const atDevice: number[] = [];
    rig.device.on((b) => atDevice.push(...b));
    const frames = [1, 2, 3, 4].map((n) => new Uint8Array(320).fill(n));
    await Promise.all(frames.map((f) => link!.write(f)));
    await waitFor('every frame at the device', () => (atDevice.length >= 1280 ? true : undefined));
    expect(atDevice).toEqual(frames.flatMap((f) => [...f]));
    expect(link.isOpen).toBe(true);
  });

  it('reports a vanished device once, not as closed by us, and refuses writes after', async () => {
    link = await BindingSerialLine.open(rig.binding, rig.device.path);
    const closed: string[] = [];
    link.onClosed((reason) => closed.push(reason));
    await rig.device.vanish();
    await waitFor('the closed event', () => closed[0]);
    expect(closed).toHaveLength(1);
    expect(closed[0]).not.toBe(CLOSED_BY_US);
    expect(link.isOpen).toBe(false);
    await expect(link.write(Buffer.from('AT\r'))).rejects.toMatchObject({ code: 'SERIAL_LINK_FAILED', failure: 'closed' });
    await expect(BindingSerialLine.open(rig.binding, rig.device.path)).rejects.toBeInstanceOf(SerialLinkError);
    await rig.device.reappear();
    link = await new BindingSerialLineOpener(rig.binding).open(rig.device.path);
    expect(link.isOpen).toBe(true);
  });

  it('close() says so once and is idempotent', async () => {
    link = await BindingSerialLine.open(rig.binding, rig.device.path);
    const closed: string[] = [];
    link.onClosed((reason) => closed.push(reason));
    await link.close();
    await link.close();
    expect(closed).toEqual([CLOSED_BY_US]);
  });

  it('exists() sees the device vanish and come back without opening it (a driver watches a lost port with it)', async () => {
    expect(await rig.opener.exists(rig.device.path)).toBe(true);
    await rig.device.vanish();
    expect(await rig.opener.exists(rig.device.path)).toBe(false);
    await rig.device.reappear();
    expect(await rig.opener.exists(rig.device.path)).toBe(true);
    expect(await rig.opener.exists(rig.missingPath)).toBe(false);
  });

  it('a missing path is an open-failed error naming it', async () => {
    const err = await BindingSerialLine.open(rig.binding, rig.missingPath).catch((e) => e);
    expect(err).toBeInstanceOf(SerialLinkError);
    expect(err).toMatchObject({ failure: 'open-failed', path: rig.missingPath });
    expect(err.message).toContain(rig.missingPath);
  });
});

describe('modem-control lines (mock binding only: a pty has none)', () => {
  it('drops and raises DTR', async () => {
    const wire = new MockSerialWire();
    const dev = wire.device('/dev/ttyMOCK1');
    const link = await BindingSerialLine.open(wire.binding, dev.path);
    await link.setControlLines({ dtr: false });
    await link.setControlLines({ dtr: true });
    await link.close();
    await expect(link.setControlLines({ dtr: false })).rejects.toMatchObject({ failure: 'closed' });
  });
});
