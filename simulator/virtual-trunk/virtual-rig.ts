import { VirtualClock } from '../../src/core/clock';
import { Span } from '../../src/controller/span';
import { TrunkGroup } from '../../src/controller/trunk-group';
import { parseScenario, Scenario } from './scenario';
import { VirtualNetwork } from './virtual-network';

/**
 * The real controller trunk side (Span, TrunkGroup) over the virtual network, on a
 * virtual clock: what the benchmark and the seat/campaign tests dial through.
 */
export interface VirtualTrunks {
  clock: VirtualClock;
  network: VirtualNetwork;
  spans: Span[];
  group: TrunkGroup;
}

export function buildVirtualTrunks(scenario: Scenario, seed: number | string, clock = new VirtualClock(0), firstSpanId = 1): VirtualTrunks {
  const network = new VirtualNetwork(scenario, seed, clock, 30, firstSpanId);
  const spans = network.spans.map((sig) => new Span(sig.id, sig, { clock }));
  network.start();
  const group = new TrunkGroup(spans, { clock, defaultRingTimeoutSec: scenario.ringTimeoutSec });
  return { clock, network, spans, group };
}

/** A small scenario for tests: every field can be overridden (file field names). */
export function testScenario(overrides: Record<string, unknown> = {}): Scenario {
  return parseScenario({
    name: 'test',
    agents: 2,
    lines: 4,
    hours: 1,
    warmup_minutes: 0,
    ring_timeout_sec: 25,
    post_dial_delay_sec: { dist: 'fixed', value: 1 },
    outcomes: { human: 1 },
    human_ring_sec: { dist: 'fixed', value: 2 },
    machine_ring_sec: { dist: 'fixed', value: 5 },
    talk_sec: { dist: 'fixed', value: 30 },
    wrap_sec: { dist: 'fixed', value: 5 },
    ...overrides,
  });
}

/** Runs virtual time forward, letting promise continuations run between timers. */
export async function runFor(clock: VirtualClock, ms: number): Promise<void> {
  const end = clock.now() + ms;
  for (;;) {
    await new Promise<void>((r) => setImmediate(r));
    const next = clock.nextDeadline();
    if (next === undefined || next > end) break;
    clock.advanceTo(next);
  }
  clock.advanceTo(end);
  await new Promise<void>((r) => setImmediate(r));
}
