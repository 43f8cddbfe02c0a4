import { MemoryDChannelLink } from '../../simulator/ports/memory-dchannel';
import { ClosedError } from '../../src/core/errors';
import { createLogger, LogRecord } from '../../src/core/logger';
import { PriInstance } from './pri-instance';
import { PriEvent } from './pri-events';

function pair(debug = 0) {
  const link = new MemoryDChannelLink();
  const records: LogRecord[] = [];
  const logger = createLogger({ level: 'debug', sink: (r) => records.push(r) });
  const cpe = new PriInstance({ role: 'cpe', transport: link.a, logger, debug });
  const net = new PriInstance({ role: 'net', transport: link.b, logger });
  return { link, cpe, net, records };
}

function nextEvent(pri: PriInstance, type: PriEvent['type']): Promise<PriEvent> {
  return new Promise((resolve) => pri.onEvent((ev) => ev.type === type && resolve(ev)));
}

describe('PriInstance (libpri through koffi)', () => {
  it('brings layer 2 up from the event loop alone, and carries a SETUP with its numbers', async () => {
    const { cpe, net } = pair();
    await Promise.all([nextEvent(cpe, 'dchan-up'), nextEvent(net, 'dchan-up')]);
    const ring = nextEvent(net, 'ring');
    cpe.setup({ channel: 7, called: '02161234567', calling: '075512345678' });
    await expect(ring).resolves.toMatchObject({
      type: 'ring',
      channel: 7,
      calledNumber: '02161234567',
      callingNumber: '075512345678',
      complete: true,
    });
    cpe.close();
    net.close();
  });

  it("routes libpri's process-wide message hook to the instance's logger", async () => {
    const { cpe, net, records } = pair(0x40 /* PRI_DEBUG_Q931_STATE */);
    await nextEvent(cpe, 'dchan-up');
    cpe.setup({ channel: 3, called: '100' });
    await nextEvent(net, 'ring');
    const fromLibpri = records.filter((r) => r.msg.startsWith('libpri: '));
    expect(fromLibpri.some((r) => /enters state 1 \(Call Initiated\)/.test(r.msg) && r.fields.pri === 'cpe')).toBe(true);
    cpe.close();
    net.close();
  });

  it('refuses calls after close and stops its timers', async () => {
    const { cpe, net } = pair();
    await nextEvent(cpe, 'dchan-up');
    cpe.close();
    net.close();
    expect(() => cpe.setup({ channel: 1, called: '1' })).toThrow(ClosedError);
    cpe.close(); // idempotent
  });

  it('reports D-channel loss when the far end stops answering (Q.921 timers from Node)', async () => {
    const link = new MemoryDChannelLink();
    const cpe = new PriInstance({ role: 'cpe', transport: link.a, timers: { T200: 100, T203: 200, N200: 2 } });
    const net = new PriInstance({ role: 'net', transport: link.b, timers: { T200: 100, T203: 200, N200: 2 } });
    await nextEvent(cpe, 'dchan-up');
    const down = nextEvent(cpe, 'dchan-down');
    net.close(); // the network end goes silent; no alarm, only layer 2 notices
    const t0 = Date.now();
    await down;
    expect(Date.now() - t0).toBeLessThan(3000);
    cpe.close();
  });

  it('a throw inside a libpri callback is caught where libpri was entered; the instance keeps running', async () => {
    const link = new MemoryDChannelLink();
    let failures = 3;
    const send = link.a.send.bind(link.a);
    link.a.send = (frame: Uint8Array) => {
      if (failures-- > 0) throw new Error('transport refused the frame');
      send(frame);
    };
    const records: LogRecord[] = [];
    const logger = createLogger({ level: 'debug', sink: (r) => records.push(r) });
    const cpe = new PriInstance({ role: 'cpe', transport: link.a, logger, timers: { T200: 100 } });
    const net = new PriInstance({ role: 'net', transport: link.b, timers: { T200: 100 } });
    await Promise.all([nextEvent(cpe, 'dchan-up'), nextEvent(net, 'dchan-up')]);
    expect(cpe.faults).toBeGreaterThanOrEqual(1);
    expect(
      records.some(
        (r) =>
          r.level === 'error' && r.msg === 'libpri timer handling failed' && /transport refused the frame/.test(String(r.fields.error)),
      ),
    ).toBe(true);
    cpe.close();
    net.close();
  });

  it('a flood of junk frames costs a few log lines with counts, not one per frame', async () => {
    const { link, cpe, net, records } = pair();
    await nextEvent(cpe, 'dchan-up');
    const before = records.length;
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 5000; i++) {
      // Layer 2 headers libpri accepts (SAPI 0, TEI 0, UI / I frames), then junk Q.931.
      const frame = Uint8Array.from({ length: 8 + (rnd() % 40) }, rnd);
      frame.set(i % 2 ? [0x02, 0x01, 0x03, 0x08] : [0x02, 0x01, (i * 2) & 0xfe, 0x00, 0x08], 0);
      link.b.send(frame);
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 200));
    const lines = records.slice(before).filter((r) => r.msg.startsWith('libpri: ') && r.level === 'warn');
    expect(lines.length).toBeLessThan(200);
    // Still a working D-channel.
    const ring = nextEvent(net, 'ring');
    cpe.setup({ channel: 2, called: '200' });
    await ring;
    cpe.close();
    net.close();
  });

  it('drops a frame longer than libpri reads whole, with a warning, instead of passing it on cut short', async () => {
    const { link, cpe, net, records } = pair();
    await nextEvent(cpe, 'dchan-up');
    const big = new Uint8Array(5000).fill(0x55);
    big.set([0x02, 0x01, 0x03, 0x08]);
    link.b.send(big);
    await new Promise((r) => setTimeout(r, 50));
    expect(records.some((r) => r.msg === 'D-channel frame longer than libpri reads: dropped' && r.fields.bytes === 5000)).toBe(true);
    const ring = nextEvent(net, 'ring');
    cpe.setup({ channel: 4, called: '300' });
    await ring;
    cpe.close();
    net.close();
  });
});
