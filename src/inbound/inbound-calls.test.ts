/**
 * Incoming calls on the virtual network, in virtual time: routed by the inbound
 * rules to an answer group's queue, bounded, with music while waiting, to the
 * agent who last talked to the caller when that agent is ready.
 */
import { Q850 } from '../core/q850';
import { CampaignStore } from '../campaign/campaign-store';
import { virtualSite } from '../../test-support/inbound/virtual-site';
import { CustomerMemory } from './customer-memory';
import { InboundQueue, InboundQueueSettings } from './inbound-queue';
import { IncomingCalls } from './incoming-calls';

const CAMPAIGN_CLI = '075566660000';

function inboundRig(settings: Partial<InboundQueueSettings> = {}, store?: CampaignStore) {
  const site = virtualSite({ seats: 3 });
  const memory = new CustomerMemory(store);
  const queue = new InboundQueue({
    clock: site.clock,
    distributor: site.distributor,
    settings: { maxWaiting: 2, maxWaitSec: 60, serviceLevelSec: 20, music: 'hold-music.wav', sorry: 'sorry.wav', ...settings },
    answer: (c) => site.span.accept(c),
    voice: site.voice,
    preferredSeat: (caller) => memory.lastSeat(caller),
    onConnected: (call, seat) => memory.talked(call.callerId, seat, site.clock.now()),
  });
  const incoming = new IncomingCalls({
    rules: [
      { called: CAMPAIGN_CLI, answerGroup: 'sales' },
      { called: '4008*', trunkGroup: 'other', answerGroup: 'sales' },
    ],
    queues: new Map([['sales', queue]]),
    trunkGroupOf: () => 'pstn',
  });
  site.span.onIncoming = (c) => incoming.offer(c);
  return { ...site, queue, incoming, memory };
}

describe('inbound calls', () => {
  test('a customer calling back the number that called them reaches the same agent, not the next by the strategy', async () => {
    const store = new CampaignStore(':memory:');
    // The campaign's attempt as the campaign writes it: seat2 talked to this customer.
    store.addContacts('spring', [{ number: '13812345678' }]);
    const contact = store.openContacts('spring')[0];
    const attempt = store.beginAttempt('spring', contact, 500_000);
    store.recordDetails(attempt, {
      number: '13812345678',
      test: false,
      outcome: 'connected',
      cause: 16,
      causeText: 'normal clearing',
      seatId: 'seat2',
      dialledAt: 500_000,
      answeredAt: 505_000,
      endedAt: 560_000,
    });
    const rig = inboundRig({}, store);
    for (const s of rig.seats) s.login();
    // The customer's network presents the number with the trunk prefix.
    const customer = rig.network.offerCall(rig.netSpan, CAMPAIGN_CLI, '013812345678')!;
    await rig.run(100);
    await customer.answered;
    expect(rig.seats.map((s) => s.state)).toEqual(['ready', 'talking', 'ready']);
    expect(rig.queue.figures()).toMatchObject({ connected: 1, waiting: 0 });

    // Another customer, no history: the group's strategy (round robin after seat2: seat3).
    rig.network.offerCall(rig.netSpan, CAMPAIGN_CLI, '13700000000');
    await rig.run(100);
    expect(rig.seats.map((s) => s.state)).toEqual(['ready', 'talking', 'talking']);

    // The first customer calls again while seat2 is still busy: another ready agent, not a wait.
    customer.hangup();
    await rig.run(100);
    rig.seats[1].forceBusy('break');
    rig.network.offerCall(rig.netSpan, CAMPAIGN_CLI, '13812345678');
    await rig.run(100);
    expect(rig.seats.map((s) => s.state)).toEqual(['talking', 'paused', 'talking']);
    store.close();
  });

  test('the queue is bounded: callers wait with music, the one over the bound is refused busy; figures as they happen', async () => {
    const rig = inboundRig({ maxWaiting: 2, serviceLevelSec: 20 });
    const c1 = rig.network.offerCall(rig.netSpan, CAMPAIGN_CLI, '13700000001')!;
    await rig.run(1000);
    const c2 = rig.network.offerCall(rig.netSpan, CAMPAIGN_CLI, '13700000002')!;
    await rig.run(100);
    const c3 = rig.network.offerCall(rig.netSpan, CAMPAIGN_CLI, '13700000003')!;
    await rig.run(100);
    await c1.answered;
    await c2.answered;
    expect(await c3.released).toMatchObject({ cause: Q850.USER_BUSY, by: 'local' });
    const calls = rig.span.activeCalls();
    expect(calls.flatMap((c) => rig.voice.filesFor(c.id))).toEqual(['hold-music.wav', 'hold-music.wav']);
    await rig.run(4000);
    expect(rig.queue.figures()).toMatchObject({ offered: 3, refusedFull: 1, waiting: 2, longestWaitMs: 5200 });

    // The second caller gives up; the first is answered by an agent after 25 s (outside the 20 s target).
    c2.hangup();
    await rig.run(100);
    expect(rig.queue.figures()).toMatchObject({ waiting: 1, abandonedInQueue: 1 });
    await rig.run(19_800, 100);
    rig.seats[0].login();
    await rig.run(100);
    expect(rig.seats[0].state).toBe('talking');
    expect(rig.queue.figures()).toMatchObject({ waiting: 0, connected: 1, connectedWithinTarget: 0, serviceLevel: 0 });

    // A caller answered at once is within the target: 1 of 3 that left the queue.
    c1.hangup();
    await rig.run(100);
    rig.seats[0].wrapDone();
    rig.network.offerCall(rig.netSpan, CAMPAIGN_CLI, '13700000004');
    await rig.run(100);
    expect(rig.queue.figures()).toMatchObject({ connected: 2, connectedWithinTarget: 1, serviceLevel: 1 / 3 });
  });

  test('with no waiting allowed (maxWaiting 0) a ready seat still takes the call; the next one, with none ready, is refused busy', async () => {
    const rig = inboundRig({ maxWaiting: 0 });
    rig.seats[0].login();
    const first = rig.network.offerCall(rig.netSpan, CAMPAIGN_CLI, '13700000001')!;
    await rig.run(100);
    await first.answered;
    expect(rig.seats[0].state).toBe('talking');
    const second = rig.network.offerCall(rig.netSpan, CAMPAIGN_CLI, '13700000002')!;
    await rig.run(100);
    expect(await second.released).toMatchObject({ cause: Q850.USER_BUSY });
    expect(rig.queue.figures()).toMatchObject({ offered: 2, connected: 1, refusedFull: 1 });
  });

  test('a caller still waiting after the longest wait hears the sorry message and is released', async () => {
    const rig = inboundRig({ maxWaitSec: 30 });
    const c = rig.network.offerCall(rig.netSpan, CAMPAIGN_CLI, '13700000001')!;
    await rig.run(36_000, 100);
    expect(await c.released).toMatchObject({ cause: Q850.NORMAL_CLEARING });
    const id = rig.voice.played[0].callId;
    expect(rig.voice.filesFor(id)).toEqual(['hold-music.wav', 'sorry.wav']);
    expect(rig.queue.figures()).toMatchObject({ timedOut: 1, waiting: 0, serviceLevel: 0 });
    expect(rig.span.leakedChannels()).toEqual([]);
  });

  test('closing the queue (gateway shutdown) releases the callers waiting and refuses new ones with cause 41', async () => {
    const rig = inboundRig({ maxWaiting: 3 });
    const waiting = rig.network.offerCall(rig.netSpan, CAMPAIGN_CLI, '13700000001')!;
    await rig.run(100);
    await waiting.answered;
    rig.queue.close();
    await rig.run(100);
    expect(await waiting.released).toMatchObject({ cause: Q850.NORMAL_CLEARING, by: 'local' });
    const late = rig.network.offerCall(rig.netSpan, CAMPAIGN_CLI, '13700000002')!;
    await rig.run(100);
    expect(await late.released).toMatchObject({ cause: Q850.TEMPORARY_FAILURE });
    // A seat going ready afterwards is handed nothing.
    rig.seats[0].login();
    await rig.run(100);
    expect(rig.seats[0].state).toBe('ready');
    expect(rig.span.leakedChannels()).toEqual([]);
  });

  test('a call no rule takes is rejected with cause 21 (a rule for another trunk group does not match)', async () => {
    const rig = inboundRig();
    for (const s of rig.seats) s.login();
    const c = rig.network.offerCall(rig.netSpan, '40081234', '13700000001')!;
    await rig.run(100);
    expect(await c.released).toMatchObject({ cause: Q850.CALL_REJECTED });
    expect(rig.incoming.counts).toMatchObject({ offered: 1, rejected: 1 });
  });
});
