import { silentLogger } from '../src/core/logger';
import { Q850 } from '../src/core/q850';
import { CalleePopulation } from '../simulator/callee-population';
import { runSimulatedCalls } from '../simulator/call-run';
import { buildFxoRig, FxoRig } from '../simulator/analog/fxo-rig';
import { FxoCallReport } from '../src/signalling/fxo/fxo-span-signalling';

/** Analog FXO boards against the simulated exchange, through the controller, in free-running virtual time. */
async function rig(
  opts: { polarityReversal?: boolean; lines?: number; musicShare?: number } = {},
): Promise<{ r: FxoRig; population: CalleePopulation }> {
  const population = new CalleePopulation({ seed: 9 });
  const r = await buildFxoRig({
    spans: 1,
    seed: 9,
    population,
    logger: silentLogger,
    linesPerSpan: opts.lines ?? 2,
    polarityReversal: opts.polarityReversal,
    ringTimeoutSec: 25,
    line: { musicShare: opts.musicShare ?? 0.3 },
  });
  return { r, population };
}

async function settle(r: FxoRig): Promise<void> {
  const until = r.clock.now() + 3000;
  await new Promise<void>((resolve) => {
    const check = () => (r.clock.now() >= until ? resolve() : r.clock.setTimer(100, check));
    check();
  });
}

describe('analog FXO lines through the controller', () => {
  it.each([true, false])('same outcomes and Q.850 causes as PRI (polarity reversal on the line: %s)', async (pr) => {
    const { r, population } = await rig({ polarityReversal: pr });
    const cases = [
      ['busy', 'busy', Q850.USER_BUSY],
      ['congestion', 'congestion', Q850.NO_CIRCUIT_AVAILABLE],
      ['unallocated', 'unallocated', Q850.UNALLOCATED],
      ['absent', 'absent', Q850.SUBSCRIBER_ABSENT],
      ['no_answer', 'no_answer', Q850.NO_ANSWER],
    ] as const;
    for (const [kind, outcome, cause] of cases) {
      population.override('13812345678', kind);
      expect(await r.group.dial({ number: '13812345678', ringTimeoutSec: 20 })).toMatchObject({ outcome, cause });
    }
    population.override('13812345679', { kind: 'answer', ringMs: 6000, talkMs: 5000 });
    const answered = await r.group.dial({ number: '13812345679' });
    expect(answered.outcome).toBe('answered');
    expect(await answered.call!.ended).toMatchObject({ cause: Q850.NORMAL_CLEARING, by: 'remote' });
    await settle(r);
    expect(r.group.leakedChannels()).toEqual([]);
    await r.close();
  });

  it('reports AMD verdicts beside the answer: people and machines', async () => {
    const { r, population } = await rig({ musicShare: 0 });
    const reports: FxoCallReport[] = [];
    r.signalling[0].onReport((rep) => rep.type === 'amd' && reports.push(rep));
    population.override('13800000001', { kind: 'answer', ringMs: 3000, talkMs: 8000 });
    const res = await r.group.dial({ number: '13800000001' });
    await res.call!.ended;
    expect(reports).toHaveLength(1);
    expect(['HUMAN', 'MACHINE', 'NOTSURE']).toContain((reports[0] as Extract<FxoCallReport, { type: 'amd' }>).result.verdict);
    await r.close();
  });

  it('battery loss mid-call releases the call, takes the line out of service, and leaks nothing', async () => {
    const { r, population } = await rig();
    population.override('13800000002', { kind: 'answer', ringMs: 2000, talkMs: 120_000 });
    const res = await r.group.dial({ number: '13800000002' });
    expect(res.outcome).toBe('answered');
    r.injectFault('BATTERY_LOSS', { span: 1, line: res.channel });
    expect(await res.call!.ended).toMatchObject({ cause: Q850.NETWORK_OUT_OF_ORDER });
    const span = r.group.spans[0];
    expect(span.channel(res.channel!)!.state).toBe('out-of-service');
    expect(r.group.leakedChannels()).toEqual([]);
    // The other line still carries calls; the lost one comes back with its battery.
    population.override('13800000003', 'busy');
    expect(await r.group.dial({ number: '13800000003' })).toMatchObject({ outcome: 'busy', channel: res.channel === 1 ? 2 : 1 });
    r.injectFault('BATTERY_LOSS', { span: 1, line: res.channel, clear: true });
    await settle(r);
    expect(span.channel(res.channel!)!.state).toBe('idle');
    await r.close();
  });

  it('runs `sim calls --signalling fxo` with the shared JSON contract and no leaked channel', async () => {
    const summary = await runSimulatedCalls({ signalling: 'fxo', spans: 1, calls: 24, seed: 3, logger: silentLogger, ringTimeoutSec: 20 });
    expect(summary.attempts).toBe(24);
    expect(Object.values(summary.outcomes).reduce((a, b) => a + b, 0)).toBe(24);
    expect(summary.outcomes.answered).toBeGreaterThan(0);
    expect(summary.outcomes.other).toBe(0);
    expect(summary.leaked_channels).toBe(0);
  });
});
