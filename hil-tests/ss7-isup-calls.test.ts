/**
 * The controller's calls over China No.7 ISUP: our MTP2/MTP3/ISUP on TS16 of a
 * simulated E1 against an exchange built from the same engines in the opposite
 * role, in memory; a China-variant capture checked by tshark.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CalleePopulation } from '../simulator/callee-population';
import { buildNo7Rig, No7Rig } from '../simulator/ss7/no7-rig';
import { Q850 } from '../src/core/q850';
import { silentLogger } from '../src/core/logger';
import { SignallingEvent } from '../src/signalling/span-signalling';
import { ControllerTelemetrySource } from '../src/telemetry/controller-source';
import { until } from './pri-harness';

async function rig(extra: { pcapFile?: string; variant?: 'china' | 'itu' } = {}): Promise<No7Rig> {
  return buildNo7Rig({
    kind: 'ss7-isup',
    spans: 1,
    seed: 5,
    population: new CalleePopulation({ seed: 5 }),
    logger: silentLogger,
    noAnswerMs: 1000,
    ...extra,
  });
}

describe('China ISUP through the controller', () => {
  let r: No7Rig;
  afterEach(async () => {
    await r?.close();
  });

  test("outbound calls end with the exchange's causes; numbers arrive; nothing leaks", async () => {
    r = await rig();
    expect(r.group.idleChannels()).toBe(30);
    const farEvents: SignallingEvent[] = [];
    r.spans[0].exchange.signalling.onEvent((e) => farEvents.push(e));
    r.population.override('13800000001', { kind: 'answer', ringMs: 50, talkMs: 60_000 });
    r.population.override('13800000002', 'busy');
    r.population.override('13800000003', 'unallocated');
    r.population.override('13800000004', 'no_answer');
    const [a, b, c, d] = await Promise.all(
      ['13800000001', '13800000002', '13800000003', '13800000004'].map((number) => r.group.dial({ number, callerId: '075512345678' })),
    );
    expect([a.outcome, b.cause, c.cause, d.cause]).toEqual(['answered', Q850.USER_BUSY, Q850.UNALLOCATED, Q850.NO_ANSWER]);
    expect(farEvents.find((e) => e.type === 'offered' && e.number === '13800000001')).toMatchObject({ callerId: '075512345678' });
    a.call!.hangup();
    await expect(a.call!.ended).resolves.toMatchObject({ cause: Q850.NORMAL_CLEARING });
    await until(() => r.group.idleChannels() === 30 && r.heldCalls() === 0);
    expect(r.group.leakedChannels()).toEqual([]);
  });

  test('an inbound call from the exchange is offered with its numbers and answered', async () => {
    r = await rig();
    const span = r.spans[0];
    const offered: { number: string; callerId?: string }[] = [];
    span.span.onIncoming = (call) => {
      offered.push({ number: call.number, callerId: call.callerId });
      span.span.accept(call);
    };
    const far: SignallingEvent[] = [];
    span.exchange.signalling.onEvent((e) => far.push(e));
    const token = span.exchange.signalling.setup(1, { number: '4008001234', callerId: '13912345678' });
    await until(() => far.some((e) => e.type === 'answered'));
    expect(offered).toEqual([{ number: '4008001234', callerId: '13912345678' }]);
    span.exchange.signalling.hangup(token, Q850.NORMAL_CLEARING);
    await until(() => far.some((e) => e.type === 'released') && r.group.idleChannels() === 30);
    expect(r.group.leakedChannels()).toEqual([]);
  });

  test('loss of the signalling link clears calls as a fault; the span returns when the link realigns', async () => {
    r = await rig();
    r.population.override('300', { kind: 'answer', ringMs: 10, talkMs: 60_000 });
    const res = await r.group.dial({ number: '300' });
    expect(res).toMatchObject({ outcome: 'answered' });
    r.injectFault('LINK_FAILURE');
    await expect(res.call!.ended).resolves.toMatchObject({ cause: Q850.NETWORK_OUT_OF_ORDER, by: 'fault' });
    expect(r.group.spans[0].counts()['out-of-service']).toBe(30);
    const t0 = Date.now();
    r.injectFault('LINK_FAILURE', { clear: true });
    expect(await r.group.whenReady(10_000)).toBe(true);
    await until(() => r.group.idleChannels() === 30);
    expect(Date.now() - t0).toBeLessThan(8_000);
    r.population.override('301', 'busy');
    expect((await r.group.dial({ number: '301' })).cause).toBe(Q850.USER_BUSY);
    expect(r.group.leakedChannels()).toEqual([]);
  });

  test('a circuit the exchange blocks is not hunted until unblocked', async () => {
    r = await rig();
    r.injectFault('BLOCK', { channel: 31 });
    await until(() => r.group.spans[0].channel(31)!.state === 'out-of-service');
    r.population.override('400', 'busy');
    expect(await r.group.dial({ number: '400' })).toMatchObject({ channel: 30, cause: Q850.USER_BUSY });
    // Telemetry sees the link and the blocked circuit.
    const snapshot = new ControllerTelemetrySource(r.group.spans).spans()[0];
    expect(snapshot.signallingLinks).toEqual({
      links: [{ name: 'span 1 TS16', state: 'in-service/available' }],
      route: 'available',
      blockedChannels: 1,
    });
    r.injectFault('BLOCK', { channel: 31, clear: true });
    await until(() => r.group.spans[0].channel(31)!.state === 'idle');
    expect(r.spans[0].signalling.linkStatus().blockedChannels).toBe(0);
  });

  test('the China-variant capture decodes in tshark: one IAM per attempt with its numbers, nothing malformed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tp-no7-')), 'isup.pcap');
    r = await rig({ pcapFile: file });
    const numbers = Array.from({ length: 10 }, (_, i) => `1380013800${i}`);
    for (const n of numbers) r.population.override(n, n.endsWith('1') ? 'busy' : 'unallocated');
    for (const n of numbers) await r.group.dial({ number: n, callerId: '075512345678' });
    await until(() => r.heldCalls() === 0);
    await r.close();
    const out = execFileSync(
      'tshark',
      [
        '-r',
        file,
        '-o',
        'mtp3.standard:Chinese ITU',
        '-T',
        'fields',
        '-E',
        'separator=|',
        '-e',
        'isup.message_type',
        '-e',
        'isup.called',
        '-e',
        'isup.calling',
        '-e',
        'mtp3.dpc',
        '-e',
        '_ws.malformed',
      ],
      { encoding: 'utf8' },
    );
    const rows = out
      .trim()
      .split('\n')
      .map((l) => l.split('|'));
    const iams = rows.filter(([t]) => t === '1');
    expect(iams.map(([, called]) => called)).toEqual(numbers);
    expect(new Set(iams.map(([, , calling]) => calling))).toEqual(new Set(['075512345678']));
    expect(iams[0][3]).toBe(String(0x020202)); // 24-bit DPC 2-2-2
    expect(rows.filter((row) => row[4] !== '')).toEqual([]);
    expect(rows.filter(([t]) => t === '16').length).toBe(numbers.length); // RLC
  });
});
