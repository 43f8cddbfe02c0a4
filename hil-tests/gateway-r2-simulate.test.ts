/**
 * `trunkpilot run --simulate` on a China No.1 (MFC/R2) site, composed as the run
 * command composes it: the gateway opens the site's r2-cn span on the userspace
 * DAHDI (CAS bits and A-law through drivers/dahdi), a simulated China No.1 exchange
 * sits on the far end of the E1 playing each callee's audio (simulation.callees.audio),
 * simulated agents lift FXS phones. An AMD campaign, a broadcast campaign and a
 * predictive one (over the seeded callee population, its own seats) run side by side.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../src/core/clock';
import { AttemptRecord } from '../src/campaign/outbound-campaign';
import { YamlSource } from '../src/provisioning/yaml-source';
import { campaignFromSource } from '../src/runtime/campaign-file';
import { CalleeBehaviour, CalleeKind, CalleePopulation } from '../simulator/callee-population';
import { CALLEES, expectVerdicts, MAX_ANALYSIS_SEC, SEED } from '../test-support/campaign/e1-amd-scenario';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';
import { openSimulatedGateway } from '../test-support/runtime/simulated-gateway';
import { tone, wavFile } from '../test-support/voice-audio';

const MIX: Record<CalleeKind, number> = { answer: 0.4, busy: 0.15, unallocated: 0.1, no_answer: 0.15, congestion: 0.2, absent: 0 };
/** What the campaign records for each thing a callee does (an answering callee may hang up before a seat takes it: lost). */
const OUTCOME_OF: Record<CalleeKind, string[]> = {
  answer: ['connected', 'abandoned', 'lost'],
  busy: ['busy'],
  unallocated: ['unallocated'],
  no_answer: ['no_answer'],
  congestion: ['congestion'],
  absent: ['absent'],
};

const SITE = `version: 1
site: r2-sim
boards:
  - id: trunks
    profile: trunkpilot-sim-e1x2-s16
    device: sim:0
    spans:
      - { local: 1, signalling: r2-cn, timing: 1, trunkGroup: pstn, r2: { variant: cn, category: 1 } }
  - id: phones
    profile: trunkpilot-sim-fxs16
    device: sim:1
seats:
  board: phones
  count: 6
answerGroups:
  - { name: agents, strategy: least-recent, seats: 1-3 }
  - { name: sales, strategy: least-recent, seats: 4-6 }
callerIdPool: ["075512345678"]
simulation:
  seed: ${SEED}
  callees:
    mix: ${JSON.stringify(MIX)}
    ringSec: { dist: fixed, value: 0.3 }
    talkSec: { dist: fixed, value: 3 }
    noAnswerSec: 2
    audio: { earlyMediaSec: 8, machineShare: 0 }
  agents: { wrapSec: { dist: fixed, value: 0.3 }, answerSec: { dist: fixed, value: 0.05 } }
`;

/** A callee who listens to the prompt in silence and presses keys as told. */
const listener = (keys?: string): CalleeBehaviour => ({
  kind: 'answer',
  ringMs: 300,
  talkMs: 10_000,
  by: 'silence',
  ringback: 'tone',
  ...(keys ? { keys: [{ keys, afterMs: 3600 }] } : {}),
});
const BROADCAST: Record<string, CalleeBehaviour> = {
  '13600000001': listener('1'),
  '13600000002': listener('42#'),
  '13600000003': listener(),
};
const PREDICTIVE = Array.from({ length: 16 }, (_, i) => `135${String(i).padStart(8, '0')}`);

const retries = (outcomes: string[]) => `retries:\n${outcomes.map((o) => `  ${o}: { maxAttempts: 1 }`).join('\n')}\n`;
const ONCE = retries(['busy', 'no_answer', 'congestion', 'absent', 'abandoned', 'machine', 'lost', 'unallocated', 'other']);

describeWithFakeDahdi('trunkpilot run --simulate on a China No.1 (R2) site', __filename, () => {
  it('AMD, broadcast and predictive campaigns run end to end over the R2 span; nothing left busy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-r2-sim-'));
    const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
    write('amd.csv', Object.keys(CALLEES).join('\n') + '\n');
    write('broadcast.csv', Object.keys(BROADCAST).join('\n') + '\n');
    write('predictive.csv', PREDICTIVE.join('\n') + '\n');
    // A 1 s prompt played twice (2.5 s); the callees' keys come after it.
    writeFileSync(join(dir, 'promo.wav'), wavFile(tone(1000, 1000, 8000, 8000), 8000, 'alaw'));
    write(
      'amd.yaml',
      `id: amd\nmode: progressive\ntrunkGroup: pstn\nanswerGroup: agents\ncontacts: amd.csv\nringSeconds: 30\namd: { maxAnalysisSeconds: ${MAX_ANALYSIS_SEC} }\n${ONCE}`,
    );
    write(
      'broadcast.yaml',
      `id: bc\nmode: broadcast\ntrunkGroup: pstn\ncontacts: broadcast.csv\nringSeconds: 20\nvoice: { file: promo.wav, plays: 2, keySeconds: 5, maxKeys: 3, interKeySeconds: 2 }\n${ONCE}`,
    );
    write(
      'predictive.yaml',
      `id: pred\nmode: predictive\ntrunkGroup: pstn\nanswerGroup: sales\ncontacts: predictive.csv\nmaxConcurrency: 12\nringSeconds: 10\nabandonTarget: 0.03\n${ONCE}`,
    );
    // Line time: the gateway, the exchange, the callees and the DAHDI audio clock share one clock, moved
    // 20 ms per wall-clock tick. On a loaded machine the ticks come late and everything slows together, so
    // R2 register timeouts, AMD's analysis window and the callees' hang-ups keep pace with the audio
    // (on the wall clock they did not: machines hung up before AMD had heard them out, MF digits timed out).
    const clock = new VirtualClock(Date.now());
    const pacer = setInterval(() => clock.advance(20), 20);
    // As `run` opens it: prompts go out on the calls' DAHDI channels, seats are bridged by DAHDI conferences.
    const { sim: site, gateway } = await openSimulatedGateway({
      yaml: SITE,
      siteFile: join(dir, 'r2-sim.yaml'),
      dbPath: join(dir, 'gw.db'),
      callees: { ...CALLEES, ...BROADCAST },
      telemetry: false,
      clock,
    }).catch((err: unknown) => {
      clearInterval(pacer);
      throw err;
    });
    try {
      const records = new Map<string, AttemptRecord>();
      gateway.campaigns!.onAttempt((_, r) => records.set(r.number, r));
      const view = { trunkGroups: ['pstn'], answerGroups: ['agents', 'sales'] };
      const run = async (file: string, id: string, numbers: string[]) => {
        await gateway.campaigns!.add(campaignFromSource(YamlSource.fromFile(join(dir, file)), view));
        // A voice file waits for an operator's approval (campaign approve).
        if (id === 'bc') await gateway.campaigns!.approve(id);
        await gateway.campaigns!.start(id);
        const deadline = Date.now() + 60_000;
        while (numbers.some((n) => !records.has(n)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      };
      await Promise.all([
        run('amd.yaml', 'amd', Object.keys(CALLEES)),
        run('broadcast.yaml', 'bc', Object.keys(BROADCAST)),
        run('predictive.yaml', 'pred', PREDICTIVE),
      ]);

      const connected = Object.keys(CALLEES).filter((n) => records.get(n)?.outcome === 'connected');
      expectVerdicts(records, connected, /^seat[1-3]$/);
      // Prompts went out over the CAS bearers and the keys came back in-band.
      expect(records.get('13600000001')).toMatchObject({ outcome: 'played', keys: '1' });
      expect(records.get('13600000002')).toMatchObject({ outcome: 'played', keys: '42' });
      expect(records.get('13600000003')).toMatchObject({ outcome: 'played', keys: '' });

      // Each number was offered once: its outcome is what the seeded population (same seed and mix) made it do.
      const population = new CalleePopulation({ seed: SEED, mix: MIX });
      const kinds = new Set<CalleeKind>();
      for (const n of PREDICTIVE) {
        const kind = population.decide(n).kind;
        kinds.add(kind);
        expect({ n, kind, outcome: records.get(n)?.outcome }).toEqual({
          n,
          kind,
          outcome: expect.stringMatching(new RegExp(`^(${OUTCOME_OF[kind].join('|')})$`)),
        });
      }
      expect(kinds.size).toBeGreaterThanOrEqual(4);
      expect(PREDICTIVE.filter((n) => records.get(n)?.outcome === 'connected').length).toBeGreaterThan(0);

      // Nothing left busy: every circuit idle, every voice path given back, every agent ready again.
      const settle = Date.now() + 10_000;
      while ((site.busySeats() > 0 || gateway.trunks.channels.openChannels().length > 0) && Date.now() < settle)
        await new Promise((r) => setTimeout(r, 100));
      expect(site.busySeats()).toBe(0);
      expect(gateway.trunks.channels.openChannels()).toEqual([]);
      for (const g of gateway.trunks.groups.values()) expect(g.leakedChannels()).toEqual([]);
      expect(site.r2Exchanges[0].exchange.activeCalls).toBe(0);
    } finally {
      await gateway.close(5000);
      await site.close();
      for (const seat of gateway.seats!.seats) if (seat.state === 'wrap-up') seat.wrapDone('test over');
      clearInterval(pacer);
    }
  }, 90_000);
});
