import { MemoryDChannelLink } from '../../../../simulator/ports/memory-dchannel';
import { systemClock } from '../../../core/clock';
import { Mtp2ChannelMode, Mtp2HdlcLink } from './mtp2-hdlc-link';
import { Mtp2ServiceEvent } from './mtp2-service';

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe.each(['mtp2', 'dchan'] as const)('MTP2 over an HDLC channel (%s mode)', (mode: Mtp2ChannelMode) => {
  test('aligns, carries MSUs both ways, fails on loss of signal and comes back', async () => {
    const cable = new MemoryDChannelLink();
    const a = new Mtp2HdlcLink({ name: 'A', transport: cable.a, clock: systemClock, mode });
    const b = new Mtp2HdlcLink({ name: 'B', transport: cable.b, clock: systemClock, mode });
    const got: Mtp2ServiceEvent[] = [];
    b.onEvent((e) => got.push(e));
    const written: number[] = [];
    cable.a.tap((dir, f) => {
      if (dir === 'tx') written.push(f.length);
    });
    try {
      const t0 = Date.now();
      a.start(true);
      b.start(true);
      await until(() => a.inService && b.inService);
      const alignMs = Date.now() - t0;
      expect(alignMs).toBeLessThan(3000);
      for (let i = 0; i < 20; i++) a.send(Uint8Array.of(0x85, i, 0, 0));
      await until(() => got.filter((e) => e.type === 'msu').length === 20);
      // The SU header plus SIO+SIF plus the 2 FCS octets DAHDI fills in.
      expect(written).toContain(3 + 4 + 2);
      const idleWrites = written.length;
      await new Promise((r) => setTimeout(r, 200));
      if (mode === 'mtp2')
        expect(written.length - idleWrites).toBeLessThanOrEqual(1); // only on change
      else expect(written.length - idleWrites).toBeGreaterThan(4); // FISUs keep flowing

      cable.cut('LOS');
      await until(() => !b.inService);
      expect(got).toContainEqual({ type: 'out-of-service', reason: 'layer 1 alarm: LOS' });
      cable.restore();
      await until(() => a.inService && b.inService);
    } finally {
      a.close();
      b.close();
    }
  });
});
