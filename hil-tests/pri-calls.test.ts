import { CalleeKind } from '../simulator/callee-population';
import { PriRig } from '../simulator/pri/pri-rig';
import { InputError } from '../src/core/errors';
import { virtualPriRig, VirtualPriRig } from './pri-harness';

/**
 * Hardware-in-the-loop: the controller against a real libpri network end, over one simulated E1 PRI span,
 * all on one virtual clock (libpri's timers at both ends included): each test runs as fast as it goes.
 */
describe('PRI calls through the controller', () => {
  let v: VirtualPriRig;
  let rig: PriRig;
  beforeEach(async () => {
    v = await virtualPriRig();
    rig = v.rig;
  });
  afterEach(async () => {
    await rig.close();
  });
  /** A test whose body runs in the rig's virtual time. */
  const vit = (name: string, body: () => Promise<void>, timeoutMs?: number) => it(name, () => v.run(body), timeoutMs);
  const until = (cond: () => boolean, timeoutMs?: number) => v.until(cond, timeoutMs);

  const span = () => rig.group.spans[0];

  vit('places an answered call on the highest channel and releases it cleanly', async () => {
    rig.population.override('13800138000', 'answer');
    const events: string[] = [];
    const result = await rig.group.dial({ number: '13800138000', callerId: '075512345678' });
    expect(result).toMatchObject({ outcome: 'answered', channel: 31, span: 1, attempts: 1 });
    result.call!.on((ev) => events.push(ev.type));
    expect(span().channel(31)!.state).toBe('connected');
    result.call!.hangup();
    const release = await result.call!.ended;
    expect(release).toMatchObject({ cause: 16, by: 'local' });
    expect(events).toEqual(['released']);
    expect(span().channel(31)!.state).toBe('idle');
    await until(() => rig.heldLibpriCalls() === 0);
  });

  vit('reports every call event in order for an answered call', async () => {
    rig.population.override('200', 'answer');
    const seen: string[] = [];
    const dial = rig.group.dial({ number: '200' });
    // The call object exists once dial() has picked a channel; follow it through the span.
    const call = span().activeCalls()[0];
    call.on((ev) => seen.push(ev.type));
    const result = await dial;
    expect(seen).toEqual(['proceeding', 'alerting', 'answered']);
    result.call!.hangup();
    await result.call!.ended;
  });

  const outcomes: [CalleeKind, string, number][] = [
    ['busy', 'busy', 17],
    ['unallocated', 'unallocated', 1],
    ['no_answer', 'no_answer', 19],
    ['congestion', 'congestion', 34],
    ['absent', 'absent', 20],
  ];
  it.each(outcomes)('a %s callee ends as %s with cause %i and frees the channel', (kind, outcome, cause) =>
    v.run(async () => {
      rig.population.override('555', kind);
      const result = await rig.group.dial({ number: '555' });
      expect(result.outcome).toBe(outcome);
      expect(result.cause).toBe(cause);
      expect(result.call).toBeUndefined();
      await until(() => span().idleCount() === 30 && rig.heldLibpriCalls() === 0);
      expect(rig.group.leakedChannels()).toEqual([]);
    }),
  );

  vit('gives up after the ring timeout with cause 19 when the network lets it ring', async () => {
    rig.population.override('556', 'no_answer');
    // A second span whose network would let it ring for a minute, on its own virtual clock.
    const slow = await virtualPriRig({ noAnswerMs: 60_000 });
    try {
      slow.rig.population.override('556', 'no_answer');
      await slow.run(async () => {
        const result = await slow.rig.group.dial({ number: '556', ringTimeoutSec: 0.3 });
        expect(result).toMatchObject({ outcome: 'no_answer', cause: 19 });
        await slow.until(() => slow.rig.group.spans[0].idleCount() === 30 && slow.rig.heldLibpriCalls() === 0);
      });
    } finally {
      await slow.rig.close();
    }
  });

  vit('fills the span with 30 concurrent calls and refuses the 31st with "no free channel"', async () => {
    for (let i = 0; i < 31; i++) rig.population.override(`70${i}`, { kind: 'answer', ringMs: 50, talkMs: 60_000 });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => rig.group.dial({ number: `70${i}` })));
    expect(results.every((r) => r.outcome === 'answered')).toBe(true);
    expect(new Set(results.map((r) => r.channel)).size).toBe(30);
    const extra = await rig.group.dial({ number: '7030' });
    expect(extra).toMatchObject({ outcome: 'no_free_channel', cause: 34, attempts: 0 });
    for (const r of results) r.call!.hangup();
    await Promise.all(results.map((r) => r.call!.ended));
    await until(() => span().idleCount() === 30 && rig.heldLibpriCalls() === 0);
  });

  vit('resolves glare by retrying on another channel', async () => {
    rig.population.override('800', 'answer');
    rig.injectFault('GLARE');
    const result = await rig.group.dial({ number: '800' });
    expect(result.outcome).toBe('answered');
    expect(result.attempts).toBe(2);
    expect(result.channel).toBe(30); // 31 was taken by the network's call
    expect(rig.spans[0].network.stats.glares).toBe(1);
    result.call!.hangup();
    await result.call!.ended;
    // The network's crossing call was refused by the controller and its channel came back.
    await until(() => span().idleCount() === 30 && rig.heldLibpriCalls() === 0);
    expect(
      span()
        .channel(31)!
        .history()
        .map((h) => h.event),
    ).toEqual(expect.arrayContaining(['dial', 'glare', 'hangup', 'released']));
  });

  vit('clears calls on D-channel loss, keeps channels out of service, and recovers', async () => {
    rig.population.override('900', { kind: 'answer', ringMs: 20, talkMs: 60_000 });
    const result = await rig.group.dial({ number: '900' });
    expect(result.outcome).toBe('answered');
    rig.injectFault('LOS');
    await expect(result.call!.ended).resolves.toMatchObject({ cause: 38, by: 'fault' });
    expect(span().counts()['out-of-service']).toBe(30);
    await expect(rig.group.dial({ number: '900' })).resolves.toMatchObject({ outcome: 'link_down', cause: 38 });

    rig.injectFault('LOS', { clear: true });
    expect(await rig.group.whenReady(10_000)).toBe(true);
    await until(() => rig.heldLibpriCalls() === 0, 10_000);
    rig.population.override('901', 'answer');
    const after = await rig.group.dial({ number: '901' });
    expect(after.outcome).toBe('answered');
    after.call!.hangup();
    await after.call!.ended;
    expect(rig.group.leakedChannels()).toEqual([]);
  });

  vit('ends the call on a channel the network RESTARTs and puts the channel back in service', async () => {
    rig.population.override('950', { kind: 'answer', ringMs: 20, talkMs: 60_000 });
    const result = await rig.group.dial({ number: '950' });
    rig.injectFault('RESET_CHANNEL', { channel: result.channel });
    await expect(result.call!.ended).resolves.toMatchObject({ cause: 41, by: 'fault' });
    await until(() => span().channel(result.channel!)!.state === 'idle' && rig.heldLibpriCalls() === 0);
  });

  vit('rejects an undiallable number before touching a channel', async () => {
    await expect(rig.group.dial({ number: '12a4' })).rejects.toThrow(InputError);
    await expect(rig.group.dial({ number: '' })).rejects.toThrow(/not a diallable number/);
    expect(span().idleCount()).toBe(30);
  });

  vit('never puts two calls on one channel, even with more callers than channels', async () => {
    const busy = new Map<string, string>(); // "span/channel" -> call id
    const overlaps: string[] = [];
    for (const s of rig.group.spans) {
      s.observeCalls((ev) => {
        const key = `${ev.span}/${ev.channel}`;
        if (ev.type === 'dialing' || ev.type === 'offered') {
          if (busy.has(key)) overlaps.push(`${key}: ${ev.callId} while ${busy.get(key)}`);
          busy.set(key, ev.callId);
        } else if (ev.type === 'released' && busy.get(key) === ev.callId) busy.delete(key);
      });
    }
    rig.population.override('7777', 'answer');
    let next = 0;
    const outcomes: Record<string, number> = {};
    const caller = async () => {
      while (next++ < 400) {
        const r = await rig.group.dial({ number: String(10_000 + next) });
        outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
        if (r.call) {
          r.call.hangup();
          await r.call.ended;
        }
      }
    };
    await Promise.all(Array.from({ length: 45 }, caller));
    expect(overlaps).toEqual([]);
    expect(outcomes.no_free_channel).toBeGreaterThan(0); // 45 callers, 30 channels
    await until(() => span().idleCount() === 30 && rig.heldLibpriCalls() === 0);
  });

  vit(
    'leaves no channel or libpri call behind after 1,000 sequential calls',
    async () => {
      const kinds: CalleeKind[] = ['answer', 'busy', 'unallocated', 'congestion', 'absent'];
      const counts: Record<string, number> = {};
      for (let i = 0; i < 1000; i++) {
        const number = `6${String(i).padStart(6, '0')}`;
        rig.population.override(
          number,
          kinds[i % kinds.length] === 'answer' ? { kind: 'answer', ringMs: 0, talkMs: 0 } : kinds[i % kinds.length],
        );
        const r = await rig.group.dial({ number });
        counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
        if (r.call) {
          r.call.hangup();
          await r.call.ended;
        }
      }
      expect(counts).toEqual({ answered: 200, busy: 200, unallocated: 200, congestion: 200, absent: 200 });
      await until(() => rig.heldLibpriCalls() === 0);
      expect(rig.group.leakedChannels()).toEqual([]);
      expect(span().idleCount()).toBe(30);
    },
    120_000,
  );
});
