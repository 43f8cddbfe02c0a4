import { DemoProgress, runOutboundDemo } from '../simulator/demo/outbound-demo';
import { silentLogger } from '../src/core/logger';

/** The quick-start job end to end, compressed: a paced campaign with seats on two PRI spans. */
describe('outbound demo (npm start)', () => {
  it('connects answered calls to agents, keeps abandonment under 3 %, and leaves every channel and seat idle', async () => {
    const progress: number[] = [];
    const summary = await runOutboundDemo(
      {
        spans: 2,
        seats: 8,
        seed: 3,
        durationSec: 6,
        algorithm: 'predictive',
        logger: silentLogger,
        population: { ringSec: { dist: 'fixed', value: 0.2 }, talkSec: { dist: 'lognormal', median: 0.8, sigma: 0.3 } },
        wrapSec: { dist: 'fixed', value: 0.2 },
        noAnswerMs: 600,
      },
      (p) => progress.push(p.attempts),
    );
    expect(summary.attempts).toBeGreaterThan(20);
    expect(summary.connected).toBeGreaterThan(5);
    expect(Object.values(summary.outcomes).reduce((a, b) => a + b, 0)).toBe(summary.attempts);
    expect(summary.abandonRate).toBeLessThanOrEqual(0.03);
    expect(summary.leakedChannels).toBe(0);
    expect(summary.seatsNotIdle).toBe(0);
    expect(progress.length).toBeGreaterThan(3);
  }, 60_000);

  it('once calling stops, says how many calls it waits for and for how long, and ends them at the limit', async () => {
    const updates: DemoProgress[] = [];
    const started = Date.now();
    const summary = await runOutboundDemo(
      {
        spans: 1,
        seats: 4,
        seed: 5,
        durationSec: 3,
        algorithm: 'progressive',
        logger: silentLogger,
        // Everyone answers at once and would talk for ten minutes.
        population: { mix: { answer: 1, busy: 0, unallocated: 0, no_answer: 0, congestion: 0, absent: 0 }, ringSec: { dist: 'fixed', value: 0.1 }, talkSec: { dist: 'fixed', value: 600 } },
        wrapSec: { dist: 'fixed', value: 0.1 },
        finishLimitSec: 2,
      },
      (p) => updates.push(p),
    );
    const wallSec = (Date.now() - started) / 1000;
    const finishing = updates.filter((p) => p.phase === 'finishing');
    expect(updates.filter((p) => p.phase === 'calling').every((p) => p.totalSec === 3 && p.finishWithinSec === undefined)).toBe(true);
    expect(finishing.length).toBeGreaterThanOrEqual(2);
    expect(finishing[0].inFlight).toBe(4);
    expect(finishing[0].finishWithinSec).toBeCloseTo(2, 0);
    expect(finishing[finishing.length - 1].finishWithinSec).toBeLessThan(finishing[0].finishWithinSec!);
    // Bounded: the four ten-minute calls were hung up at the limit, and nothing is left busy.
    expect(wallSec).toBeLessThan(3 + 2 + 8);
    expect(summary.connected).toBe(4);
    expect(summary.leakedChannels).toBe(0);
    expect(summary.seatsNotIdle).toBe(0);
  }, 60_000);
});
