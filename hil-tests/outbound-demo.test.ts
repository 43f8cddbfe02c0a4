import { runOutboundDemo } from '../simulator/demo/outbound-demo';
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
});
