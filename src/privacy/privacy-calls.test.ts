/**
 * Privacy numbers A-X-B on the virtual network, in virtual time: the network's
 * callers dial X, the gateway dials the far party showing X, and the two trunk
 * calls are patched; bindings kept in the campaign store's SQLite file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Q850 } from '../core/q850';
import { CampaignStore } from '../campaign/campaign-store';
import { STORE_SCHEMA_VERSION } from '../campaign/store-migrations';
import { IncomingCalls } from '../inbound/incoming-calls';
import { virtualSite } from '../../test-support/inbound/virtual-site';
import { PrivacyNumberError } from './privacy-binding';
import { PrivacyCalls } from './privacy-call';
import { PrivacyNumbers } from './privacy-numbers';
import { SqlitePrivacyStore } from './privacy-store';

const A = '13800000001';
const B = '13900000002';
const POOL = ['075520000001', '075520000002'];

function privacyRig(dbPath = ':memory:') {
  const site = virtualSite();
  const store = new CampaignStore(dbPath);
  const numbers = new PrivacyNumbers({ pool: POOL, store: new SqlitePrivacyStore(store.database), clock: site.clock });
  const results: unknown[] = [];
  const calls = new PrivacyCalls({
    numbers,
    dialer: () => site.group,
    answer: (c) => site.span.accept(c),
    patch: site.bridge,
    voice: site.voice,
    unboundAnnouncement: 'privacy-unbound.wav',
    ringTimeoutSec: 30,
  });
  const incoming = new IncomingCalls({ rules: [], queues: new Map(), trunkGroupOf: () => 'pstn', privacy: { numbers, calls } });
  site.span.onIncoming = (c) => incoming.offer(c);
  const spanCalls = () => site.span.activeCalls();
  return { ...site, store, numbers, calls, results, spanCalls };
}

describe('privacy numbers A-X-B', () => {
  test('two-way: A calling X reaches B and B calling X reaches A; each sees X, never the real number', async () => {
    const rig = privacyRig();
    const binding = await rig.numbers.bind({ a: A, b: B, expiresInSec: 3600 });
    expect(binding).toMatchObject({ x: POOL[0], mode: 'two-way' });
    rig.network.setCallee(B, { kind: 'answer', ringMs: 2000, talkMs: 10_000 });
    rig.network.setCallee(A, { kind: 'answer', ringMs: 1000, talkMs: 5000 });

    // Direct dial: A calls X.
    const fromA = rig.network.offerCall(rig.netSpan, POOL[0], A)!;
    await rig.run(100);
    expect(rig.network.placed.at(-1)).toMatchObject({ number: B, callerId: POOL[0] });
    let answeredA: number | undefined;
    void fromA.answered.then((at) => (answeredA = at));
    await rig.run(500);
    expect(answeredA).toBeUndefined(); // A hears B's ringing, unanswered, until B picks up
    await rig.run(2000);
    expect(answeredA).toBeDefined();
    expect(rig.bridge.patchedCalls()).toHaveLength(1);
    // B hangs up after talking: A is released too, and nothing stays patched or busy.
    await rig.run(10_500);
    await expect(fromA.released).resolves.toMatchObject({ cause: Q850.NORMAL_CLEARING, by: 'local' });
    await rig.run(200);
    expect(rig.bridge.patchedCalls()).toHaveLength(0);
    expect(rig.spanCalls()).toHaveLength(0);

    // Calling back the privacy number: B calls X and reaches A, shown X.
    const fromB = rig.network.offerCall(rig.netSpan, POOL[0], `0086${B}`)!;
    await rig.run(1500);
    expect(rig.network.placed.at(-1)).toMatchObject({ number: A, callerId: POOL[0] });
    expect(rig.network.placed.every((p) => p.callerId === POOL[0])).toBe(true);
    await fromB.answered;
    expect(rig.bridge.patchedCalls()).toHaveLength(1);
    // B (the caller) hangs up first this time: A's leg is released.
    fromB.hangup();
    await rig.run(200);
    expect(rig.bridge.patchedCalls()).toHaveLength(0);
    expect(rig.spanCalls()).toHaveLength(0);
    expect(rig.span.leakedChannels()).toEqual([]);
    rig.numbers.close();
    rig.store.close();
  });

  test('reverse-only: B reaches A through X, A calling X hears the announcement and is released', async () => {
    const rig = privacyRig();
    await rig.numbers.bind({ a: A, b: B, mode: 'reverse-only', x: POOL[1], expiresInSec: 600 });
    rig.network.setCallee(A, { kind: 'answer', ringMs: 500, talkMs: 3000 });
    rig.network.setCallee(B, { kind: 'answer', ringMs: 500, talkMs: 3000 });

    const fromA = rig.network.offerCall(rig.netSpan, POOL[1], A)!;
    await rig.run(6000);
    const releasedA = await fromA.released;
    expect(releasedA.cause).toBe(Q850.NORMAL_CLEARING);
    expect(rig.voice.played.map((p) => p.file)).toEqual(['privacy-unbound.wav']);
    expect(rig.network.placed).toHaveLength(0); // B was never called

    const fromB = rig.network.offerCall(rig.netSpan, POOL[1], B)!;
    await rig.run(1000);
    expect(rig.network.placed).toEqual([expect.objectContaining({ number: A, callerId: POOL[1] })]);
    await fromB.answered;
    await rig.run(3500);
    await fromB.released;
    rig.numbers.close();
    rig.store.close();
  });

  test('a binding expires on time: X returns to the pool and a call to it is announced and released', async () => {
    const rig = privacyRig();
    await rig.numbers.bind({ a: A, b: B, expiresInSec: 60 });
    expect(await rig.numbers.freeNumbers()).toEqual([POOL[1]]);
    await rig.run(59_000, 1000);
    expect(await rig.numbers.list()).toHaveLength(1);
    await rig.run(1500, 500);
    // The expiry timer removed it from the store, not just from view.
    expect(new SqlitePrivacyStore(rig.store.database).list()).toEqual([]);
    expect(await rig.numbers.freeNumbers()).toEqual(POOL);
    const late = rig.network.offerCall(rig.netSpan, POOL[0], A)!;
    await rig.run(6000);
    expect((await late.released).cause).toBe(Q850.NORMAL_CLEARING);
    expect(rig.voice.played.map((p) => p.file)).toEqual(['privacy-unbound.wav']);
    expect(rig.network.placed).toHaveLength(0);
    rig.numbers.close();
    rig.store.close();
  });

  test('a call to an X never bound, without an announcement player, is released unallocated', async () => {
    const site = virtualSite();
    const store = new CampaignStore(':memory:');
    const numbers = new PrivacyNumbers({ pool: POOL, store: new SqlitePrivacyStore(store.database), clock: site.clock });
    const calls = new PrivacyCalls({ numbers, dialer: () => site.group, answer: (c) => site.span.accept(c), patch: site.bridge });
    const incoming = new IncomingCalls({ rules: [], queues: new Map(), trunkGroupOf: () => 'pstn', privacy: { numbers, calls } });
    site.span.onIncoming = (c) => incoming.offer(c);
    const call = site.network.offerCall(site.netSpan, POOL[1], A)!;
    await site.run(200);
    expect(await call.released).toMatchObject({ cause: Q850.UNALLOCATED });
    numbers.close();
    store.close();
  });

  test('callback: the gateway calls A, then B, both shown X, and connects them; a busy B releases A with busy', async () => {
    const rig = privacyRig();
    await rig.numbers.bind({ a: A, b: B, x: POOL[0], expiresInSec: 600 });
    rig.network.setCallee(A, { kind: 'answer', ringMs: 1000, talkMs: 20_000 });
    rig.network.setCallee(B, { kind: 'answer', ringMs: 1000, talkMs: 5000 });
    const done = rig.calls.callback(POOL[0]);
    await rig.run(3000);
    const result = await done;
    expect(result.kind).toBe('connected');
    expect(rig.network.placed.map((p) => [p.number, p.callerId])).toEqual([
      [A, POOL[0]],
      [B, POOL[0]],
    ]);
    await rig.run(6000);
    expect(rig.spanCalls()).toHaveLength(0);

    rig.network.setCallee(B, { kind: 'busy' });
    const busy = rig.calls.callback(POOL[0]);
    await rig.run(3000);
    expect(await busy).toMatchObject({ kind: 'far-failed', cause: Q850.USER_BUSY });
    await rig.run(200);
    expect(rig.spanCalls()).toHaveLength(0);
    rig.numbers.close();
    rig.store.close();
  });

  test('bad requests are typed errors naming the field, and change nothing', async () => {
    const rig = privacyRig();
    const reason = async (work: () => Promise<unknown>) => {
      const err = await work().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PrivacyNumberError);
      return (err as PrivacyNumberError).reason;
    };
    expect(await reason(() => rig.numbers.bind({ a: '13800x', b: B }))).toBe('MALFORMED_NUMBER');
    expect(await reason(() => rig.numbers.bind({ a: A, b: A }))).toBe('MALFORMED_NUMBER');
    expect(await reason(() => rig.numbers.bind({ a: A, b: POOL[1] }))).toBe('MALFORMED_NUMBER');
    expect(await reason(() => rig.numbers.bind({ a: A, b: B, x: '075599999999' }))).toBe('UNKNOWN_X');
    expect(await reason(() => rig.numbers.bind({ a: A, b: B, mode: 'sideways' }))).toBe('BAD_MODE');
    expect(await reason(() => rig.numbers.bind({ a: A, b: B, expiresInSec: -5 }))).toBe('BAD_EXPIRY');
    expect(await reason(() => rig.numbers.unbind('075599999999'))).toBe('UNKNOWN_X');
    expect(await reason(() => rig.numbers.unbind(POOL[0]))).toBe('NOT_BOUND');
    expect(await rig.numbers.list()).toEqual([]);
    await rig.numbers.bind({ a: A, b: B });
    expect(await reason(() => rig.numbers.bind({ a: A, b: B, x: POOL[0] }))).toBe('X_IN_USE');
    await rig.numbers.bind({ a: '13700000003', b: B });
    expect(await reason(() => rig.numbers.bind({ a: '13600000004', b: B }))).toBe('POOL_EXHAUSTED');
    expect((await rig.numbers.list()).map((b) => b.x)).toEqual(POOL);
    rig.numbers.close();
    rig.store.close();
  });

  test('bindings persist in the store file (schema migrated), and a reopened gateway routes by them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-privacy-'));
    const file = join(dir, 'gw.db');
    const first = privacyRig(file);
    await first.numbers.bind({ a: A, b: B, x: POOL[1], expiresInSec: 3600 });
    first.numbers.close();
    first.store.close();
    const again = new CampaignStore(file);
    expect(Number((again.database.prepare('PRAGMA user_version').get() as { user_version: number }).user_version)).toBe(
      STORE_SCHEMA_VERSION,
    );
    const numbers = new PrivacyNumbers({ pool: POOL, store: new SqlitePrivacyStore(again.database), clock: first.clock });
    expect(await numbers.route(POOL[1], B)).toMatchObject({ kind: 'connect', to: A });
    expect(await numbers.route(POOL[1], '13100000000')).toEqual({ kind: 'unbound', x: POOL[1] });
    numbers.close();
    again.close();
  });
});
