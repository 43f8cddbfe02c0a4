/**
 * Our R2 engine against openr2 (Debian libopenr2), each on its own E1 CAS span of
 * the userspace DAHDI, the spans joined by a simulated cable. openr2 runs its own
 * CAS and MF through DAHDI system calls; ours runs through drivers/dahdi. ITU
 * variant both ways; in the China variant, the parts openr2 does right (called
 * number, category, answer, clearing).
 */
import { OpenR2Event, OpenR2Peer } from '../simulator/openr2/openr2-peer';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';
import { SimulatedDahdi, SimSpan } from '../simulator/dahdi/simulated-dahdi';
import { systemClock } from '../src/core/clock';
import { Q850 } from '../src/core/q850';
import { DahdiCasPort } from '../drivers/dahdi/dahdi-cas-port';
import { R2SpanSignalling } from '../src/signalling/r2/r2-span-signalling';
import { R2TraceEntry, formatTrace } from '../src/signalling/r2/trace';
import { CHINA, R2VariantOverrides, resolveVariant } from '../src/signalling/r2/variants';
import { SignallingEvent } from '../src/signalling/span-signalling';

async function until(pred: () => boolean, what: string, ms = 10_000, explain = () => ''): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${explain()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const OPENR2_CHINA: R2VariantOverrides = { requestAniAfterDigits: 0, forward: { ...CHINA.forward, endOfAni: undefined } };

describeWithFakeDahdi('our R2 engine against openr2 over simulated DAHDI', __filename, () => {
  let sim: SimulatedDahdi;
  const closers: { close(): unknown }[] = [];
  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c.close();
    sim.reset();
  });

  /**
   * openr2's China variant, described as a carrier override of ours: as the
   * backward end it counts calling digits up to max_ani and takes I-15 for a
   * protocol error (so: no end-of-ANI signal, and a 12-digit calling number); as
   * the forward end it answers A6 with the rest of the called number, so we do
   * not ask it for the calling number at all.
   */
  function setUp(variantName: 'itu' | 'china') {
    const china = variantName === 'china';
    const board = sim.addSpan('e1-cas');
    const exchange: SimSpan = sim.addSpan('e1-cas');
    sim.connectSpans(board, exchange);
    const variant = resolveVariant(variantName, china ? OPENR2_CHINA : {});
    // openr2 learns the far end's bits only from changes (it does not read them when it opens): open it first.
    const peer = new OpenR2Peer(exchange.bearers[0], {
      variant: variantName,
      autoAnswer: true,
      maxAni: 12,
      maxDnis: 11,
      acceptMode: china ? 'charge' : 'no-charge',
      logLevel: Number(process.env.OR2_LOG ?? 0),
    });
    closers.push(peer);
    const port = DahdiCasPort.open(board.bearers[0], 1, variant.line.forward.idle);
    closers.push(port);
    sim.startClock(systemClock, 20);
    // openr2 does its work when asked: poll it often, as an application's loop would.
    const loop = setInterval(() => peer.poll(), 5);
    closers.push({
      close: () => {
        clearInterval(loop);
        sim.stopClock();
      },
    });
    const trace: R2TraceEntry[] = [];
    const ours = new R2SpanSignalling({ variant, ports: [port], clock: systemClock, trace: (e) => trace.push(e) });
    closers.push(ours);
    const events: SignallingEvent[] = [];
    ours.onEvent((e) => events.push(e));
    const explain = () =>
      `ours: ${JSON.stringify(events)}\nopenr2: ${JSON.stringify(peer.events)} (${peer.state})\n${trace.map(formatTrace).join('\n')}`;
    return { ours, peer, events, trace, explain };
  }

  const has = (evs: OpenR2Event[], type: OpenR2Event['type']) => evs.some((e) => e.type === type);

  test.each(['itu', 'china'] as const)(
    '%s: our forward end calls openr2; number delivered, answered, cleared',
    async (variant) => {
      const t = setUp(variant);
      await until(() => t.events.some((e) => e.type === 'channel-in-service'), 'circuit in service', 3000, t.explain);
      const call = t.ours.setup(1, { number: '13812345678', callerId: '075512345678' });
      await until(() => t.events.some((e) => e.type === 'answered'), 'answer from openr2', 15_000, t.explain);
      const offered = t.peer.events.find((e) => e.type === 'offered');
      // With the carrier override (no I-15, 12 digits counted) openr2's China end even gets the calling number.
      expect(offered).toMatchObject({ dnis: '13812345678', ani: '075512345678' });
      t.ours.hangup(call, Q850.NORMAL_CLEARING);
      await until(() => t.events.some((e) => e.type === 'released') && has(t.peer.events, 'end'), 'clearing', 5000, t.explain);
      expect(t.events.find((e) => e.type === 'released')).toMatchObject({ cause: Q850.NORMAL_CLEARING, by: 'local' });
    },
    40_000,
  );

  test.each(['itu', 'china'] as const)(
    '%s: openr2 calls our backward end; number and category arrive, we answer, openr2 clears',
    async (variant) => {
      const t = setUp(variant);
      t.ours.onEvent((e) => {
        if (e.type === 'offered') t.ours.answer(e.call);
      });
      await until(() => t.events.some((e) => e.type === 'channel-in-service'), 'circuit in service', 3000, t.explain);
      t.peer.makeCall('075512345678', '87654321');
      await until(() => has(t.peer.events, 'answered'), 'our answer at openr2', 15_000, t.explain);
      const offered = t.events.find((e) => e.type === 'offered');
      expect(offered).toMatchObject({ number: '87654321', channel: 1 });
      expect(t.trace.some((e) => e.kind === 'mf' && e.group === 'II' && e.dir === 'rx')).toBe(true); // the category (KD)
      if (variant === 'itu') expect(offered).toMatchObject({ callerId: '075512345678' });
      t.peer.hangup();
      await until(() => t.events.some((e) => e.type === 'released') && has(t.peer.events, 'end'), 'clearing', 5000, t.explain);
      expect(t.events.find((e) => e.type === 'released')).toMatchObject({ by: 'remote' });
    },
    40_000,
  );
});
