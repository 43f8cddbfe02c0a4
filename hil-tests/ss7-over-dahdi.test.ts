/**
 * China No.7 over the production DAHDI driver: the signalling link on TS16 of two
 * E1 CCS spans of the userspace DAHDI (libfakedahdi.so) joined back to back, our
 * MTP2 writing SUs through write() and reading them with read()/poll() as on a
 * board; the exchange is the same No.7 stack in the network role.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';
import { CalleePopulation } from '../simulator/callee-population';
import { buildNo7Rig, No7Rig } from '../simulator/ss7/no7-rig';
import { silentLogger } from '../src/core/logger';
import { Q850 } from '../src/core/q850';
import { until } from './pri-harness';

describeWithFakeDahdi('No.7 ISUP through the controller over the userspace DAHDI', __filename, () => {
  let rig: No7Rig;
  afterEach(async () => {
    await rig?.close();
  });

  it.each(['mtp2', 'dchan'] as const)(
    'aligns on TS16 in DAHDI %s mode, completes calls with the right causes, survives LOS',
    async (mode) => {
      rig = await buildNo7Rig({
        kind: 'ss7-isup',
        mode,
        transport: 'dahdi',
        spans: 2,
        seed: 2,
        population: new CalleePopulation({ seed: 2 }),
        logger: silentLogger,
        noAnswerMs: 1000,
      });
      expect(rig.group.idleChannels()).toBe(60);
      rig.population.override('111', { kind: 'answer', ringMs: 20, talkMs: 60_000 });
      rig.population.override('112', 'busy');
      rig.population.override('113', 'unallocated');
      const [a, b, c] = await Promise.all(['111', '112', '113'].map((number) => rig.group.dial({ number })));
      expect([a.outcome, b.cause, c.cause]).toEqual(['answered', Q850.USER_BUSY, Q850.UNALLOCATED]);
      expect(a.span).toBe(2);
      rig.injectFault('LINK_FAILURE', { span: 2 });
      await expect(a.call!.ended).resolves.toMatchObject({ cause: Q850.NETWORK_OUT_OF_ORDER, by: 'fault' });
      rig.population.override('114', 'busy');
      expect(await rig.group.dial({ number: '114' })).toMatchObject({ span: 1, cause: Q850.USER_BUSY });
      rig.injectFault('LINK_FAILURE', { span: 2, clear: true });
      expect(await rig.group.whenReady(15_000)).toBe(true);
      await until(() => rig.group.idleChannels() === 60 && rig.heldCalls() === 0, 10_000);
      expect(rig.group.leakedChannels()).toEqual([]);
    },
    60_000,
  );
});

describe('trunkpilot sim calls --signalling ss7-isup', () => {
  it.each([
    ['memory', 'china'],
    ['dahdi', 'itu'],
  ])(
    'keeps the JSON contract and leaks nothing (%s transport, %s variant)',
    (transport, variant) => {
      const root = join(__dirname, '..');
      const res = spawnSync(
        process.execPath,
        [
          join(root, 'bin', 'trunkpilot'),
          'sim',
          'calls',
          '--signalling',
          'ss7-isup',
          '--variant',
          variant,
          '--transport',
          transport,
          '--spans',
          '2',
          '--calls',
          '150',
          '--seed',
          '4',
          '--json',
        ],
        { encoding: 'utf8', timeout: 90_000 },
      );
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      const doc = JSON.parse(res.stdout);
      expect(doc.attempts).toBe(150);
      expect(Object.values(doc.outcomes as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(150);
      expect(doc.outcomes.answered).toBeGreaterThan(50);
      expect(doc.leaked_channels).toBe(0);
    },
    120_000,
  );
});
