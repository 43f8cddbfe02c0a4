/**
 * `trunkpilot run --simulate` on the other trunk kinds, as a user runs it (a child
 * process driven with `trunkpilot campaign ...`): a China No.7 site (an ISUP span and
 * a TUP span over the userspace DAHDI, each with a simulated No.7 exchange, the ISUP
 * link losing its signal mid-call), and a site of GSM/LTE modules (simulated modules
 * on the mock serial binding, one found by USB serial and unplugged mid-call, per-SIM
 * daily caps). Each number's outcome is checked against what the seeded callee
 * population made that callee do on the attempt that reached the network.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { CalleeKind, CalleePopulation } from '../simulator/callee-population';
import { fakeDahdiLibraryPath } from '../simulator/dahdi/fake-dahdi-lib';
import { hashPassword } from '../src/telemetry/broker/credentials';
import { cli as runCli, freePort, parseCsv, ROOT, startGateway, until } from '../test-support/runtime/gateway-child';

const USER = 'boss';
const PASSWORD = 'secret-pw-1';
const HASH = hashPassword(PASSWORD, { logN: 10, r: 8, p: 1 });
const cli = (args: string[]) => runCli(args, { TRUNKPILOT_USER: USER, TRUNKPILOT_PASSWORD: PASSWORD });

const SEED = 17;
const MIX: Record<CalleeKind, number> = { answer: 0.4, busy: 0.15, unallocated: 0.1, no_answer: 0.15, congestion: 0.1, absent: 0.1 };
/** What the campaign records for each thing a callee does (an answering callee may hang up before a seat takes the call: lost). */
const OUTCOME_OF: Record<CalleeKind, string[]> = {
  // lost: the callee hung up (talk here is ~0.6 s) or the link failed while the agent's phone was ringing.
  answer: ['connected', 'abandoned', 'lost'],
  busy: ['busy'],
  unallocated: ['unallocated'],
  no_answer: ['no_answer'],
  congestion: ['congestion'],
  absent: ['absent'],
};

function telemetryAndSimulation(port: number, faults: string): string {
  return `callerIdPool: ["075512345678"]
telemetry:
  mqttPort: ${port}
  dashboardPort: false
  users: { ${USER}: { role: operator, password_scrypt: "${HASH}" } }
simulation:
  seed: ${SEED}
  callees:
    mix: ${JSON.stringify(MIX)}
    ringSec: { dist: fixed, value: 0.2 }
    talkSec: { dist: lognormal, median: 0.6, sigma: 0.3 }
    noAnswerSec: 1
  # Talk here is ~0.6 s: agents lift the ringing phone at once, or a callee could hang up before (outcome lost).
  agents: { wrapSec: { dist: fixed, value: 0.2 }, answerSec: { dist: fixed, value: 0.02 } }
  faults: ${faults}
`;
}

function campaignYaml(id: string, trunkGroup: string, contacts: string): string {
  return `id: ${id}
mode: progressive
trunkGroup: ${trunkGroup}
answerGroup: agents
contacts: ${contacts}
callerIds: ["075512345678"]
ringSeconds: 5
retries:
  busy: { maxAttempts: 1 }
  no_answer: { maxAttempts: 1 }
  congestion: { maxAttempts: 1 }
  absent: { maxAttempts: 1 }
  abandoned: { maxAttempts: 1 }
  machine: { maxAttempts: 1 }
  lost: { maxAttempts: 1 }
  other: { maxAttempts: 4, delaySeconds: 0.5 }
  link_down: { maxAttempts: 6, delaySeconds: 2 }
`;
}

/** What the callee population (same seed and mix as the site's) makes `number` do on its k-th call. */
function behaviourOn(number: string, k: number): CalleeKind {
  const population = new CalleePopulation({ seed: SEED, mix: MIX });
  let kind: CalleeKind = 'answer';
  for (let i = 0; i < k; i++) kind = population.decide(number).kind;
  return kind;
}

function offersByNumber(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of readFileSync(file, 'utf8').split('\n').filter(Boolean)) counts.set(n, (counts.get(n) ?? 0) + 1);
  return counts;
}

/** The numbers of the calls the staged faults cut, from the simulator's log lines (JSON on stderr). */
function faultCalls(log: string): string[] {
  return log
    .split('\n')
    .filter((l) => l.includes('simulated fault set'))
    .flatMap((l) => JSON.parse(l.slice(l.indexOf('{'))).calls as string[]);
}

async function watchTelemetry(port: number, site: string) {
  const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, username: USER, password: PASSWORD });
  const latest = new Map<string, Record<string, unknown>>();
  watcher.on('message', (topic, payload) => latest.set(topic, JSON.parse(payload.toString())));
  await watcher.subscribeAsync(`trunkpilot/${site}/#`);
  return { latest, close: () => watcher.endAsync(true) };
}

function exportRows(campaign: string, site: string, dir: string): Record<string, string>[] {
  const outFile = join(dir, `${campaign}.csv`);
  expect(cli(['campaign', 'export', campaign, '--out', outFile, '--site', site]).code).toBe(0);
  return parseCsv(readFileSync(outFile, 'utf8'));
}

const built = existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js')) && existsSync(fakeDahdiLibraryPath());

describe('trunkpilot run --simulate on China No.7 and GSM/LTE module sites (child process)', () => {
  beforeAll(() => {
    if (!built) throw new Error('dist/ or build/libfakedahdi.so is missing: run scripts/setup (npm test does)');
  });

  test('China No.7: campaigns on an ISUP span and a TUP span get every outcome right; the ISUP link loses its signal mid-call; nothing left busy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-gw-no7-'));
    const port = await freePort();
    const site = join(dir, 'site.yaml');
    writeFileSync(
      site,
      `version: 1
site: hil-no7
boards:
  - id: trunks
    profile: trunkpilot-sim-e1x2-s16
    device: "sim:0"
    spans:
      - { local: 1, signalling: ss7-isup, trunkGroup: isup, ss7: { variant: china, opc: 1-1-1, dpc: 2-2-2 } }
      - { local: 2, signalling: ss7-tup, trunkGroup: tup, ss7: { variant: china, opc: 1-1-1, dpc: 2-2-2, linkMode: dchan } }
  - { id: phones, profile: trunkpilot-sim-fxs16, device: "sim:1" }
seats: { board: phones, count: 8 }
answerGroups: [ { name: agents, strategy: memory, seats: 1-8 } ]
${telemetryAndSimulation(port, '[ { fault: LOS, span: 1, atSec: 1, duringCall: true, forSec: 1 } ]')}`,
    );
    const isup = Array.from({ length: 30 }, (_, i) => `138${String(i).padStart(8, '0')}`);
    const tup = Array.from({ length: 30 }, (_, i) => `139${String(i).padStart(8, '0')}`);
    writeFileSync(join(dir, 'isup.csv'), isup.join('\n') + '\n');
    writeFileSync(join(dir, 'tup.csv'), tup.join('\n') + '\n');
    writeFileSync(join(dir, 'isup.yaml'), campaignYaml('isup-run', 'isup', 'isup.csv'));
    writeFileSync(join(dir, 'tup.yaml'), campaignYaml('tup-run', 'tup', 'tup.csv'));
    const offers = join(dir, 'offers.log');
    writeFileSync(offers, '');

    const gw = await startGateway(['--site', site, '--simulate', '--db', join(dir, 'gw.db'), '--grace', '10'], {
      TRUNKPILOT_SIM_OFFER_LOG: offers,
    });
    const telemetry = await watchTelemetry(port, 'hil-no7');
    try {
      for (const c of ['isup', 'tup']) {
        expect(cli(['campaign', 'add', join(dir, `${c}.yaml`), '--site', site, '--json']).code).toBe(0);
        expect(cli(['campaign', 'start', `${c}-run`, '--site', site]).code).toBe(0);
      }
      await until('both campaigns to finish', 120_000, async () => {
        const states = ['isup-run', 'tup-run'].map((c) => JSON.parse(cli(['campaign', 'show', c, '--site', site, '--json']).out).state);
        return states.every((s) => s === 'finished') ? true : undefined;
      });
      const seen = offersByNumber(offers);
      // The calls the LOS cut (as the simulator logged them) may end as lost or failed instead of as their callees would have.
      const cut = faultCalls(gw.out());
      expect(cut.length).toBeGreaterThanOrEqual(1);
      for (const [campaign, numbers] of [
        ['isup-run', isup],
        ['tup-run', tup],
      ] as const) {
        const rows = exportRows(campaign, site, dir);
        expect(rows.map((r) => r.number).sort()).toEqual([...numbers].sort());
        for (const r of rows) {
          const k = seen.get(r.number) ?? 0;
          // Every number reached the exchange; its last call there did what the population said.
          expect({ number: r.number, reached: k > 0 }).toEqual({ number: r.number, reached: true });
          const predicted = OUTCOME_OF[behaviourOn(r.number, k)];
          const allowed = cut.includes(r.number) ? [...predicted, 'lost', 'other', 'link_down', 'no_free_channel'] : predicted;
          expect({ number: r.number, outcome: allowed }).toEqual({
            number: r.number,
            outcome: expect.arrayContaining([r.outcome]),
          });
        }
        // Every kind of callee showed up on this span.
        expect(new Set(rows.map((r) => r.outcome)).size).toBeGreaterThanOrEqual(5);
      }
      // The LOS cut an ISUP call, which was dialled again once the link was back.
      expect(isup.some((n) => (seen.get(n) ?? 0) > 1)).toBe(true);
      expect(gw.out()).toMatch(/simulated fault set.*LOS|"fault":"LOS"/);
      // Link and circuit state reached telemetry for both spans.
      const spanStates = [1, 2].map((s) => telemetry.latest.get(`trunkpilot/hil-no7/spans/${s}/state`));
      for (const st of spanStates) expect(st).toMatchObject({ linkUp: true });
    } finally {
      gw.child.kill('SIGTERM');
      await telemetry.close();
    }
    expect(await gw.exited).toEqual({ code: 0, signal: null });
    expect(gw.out()).toMatch(/channels left busy\s+0\n/);
    expect(gw.out()).toMatch(/seats left busy\s+0\n/);
  }, 200_000);
  test('GSM/LTE modules: outcomes right, per-SIM daily caps held, a module unplugged mid-call is taken out of service with its call ended, nothing left busy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-gw-gsm-'));
    const port = await freePort();
    const site = join(dir, 'site.yaml');
    const CAP = 5;
    writeFileSync(
      site,
      `version: 1
site: hil-gsm
boards:
  - { id: agents, profile: trunkpilot-sim-e1x1-s8, device: "sim:0" }
modems:
  - { id: gsm1, profile: quectel-ec25, port: /dev/modem/by-imei/866000000000001/at, trunkGroup: mobile, dailyCallCap: ${CAP} }
  - { id: gsm2, profile: simcom-sim7600, usbSerial: SIM7600G0456, trunkGroup: mobile, dailyCallCap: ${CAP}, simPinEnv: HIL_GSM2_PIN }
  - { id: gsm3, profile: huawei-e1550, port: /dev/modem/by-imei/354000000000003/at, voicePort: /dev/modem/by-imei/354000000000003/voice, trunkGroup: mobile, dailyCallCap: ${CAP} }
seats: { board: agents, count: 4 }
answerGroups: [ { name: agents, strategy: memory, seats: 1-4 } ]
${telemetryAndSimulation(port, '[ { fault: PORT_VANISHES, modem: gsm2, atSec: 0.5, duringCall: true } ]')}`,
    );
    const numbers = Array.from({ length: 24 }, (_, i) => `137${String(i).padStart(8, '0')}`);
    writeFileSync(join(dir, 'mobile.csv'), numbers.join('\n') + '\n');
    writeFileSync(join(dir, 'mobile.yaml'), campaignYaml('gsm-run', 'mobile', 'mobile.csv'));
    const offers = join(dir, 'offers.log');
    writeFileSync(offers, '');

    // gsm2's SIM is locked: the gateway unlocks it with the PIN the site names.
    const gw = await startGateway(['--site', site, '--simulate', '--db', join(dir, 'gw.db'), '--grace', '10'], {
      TRUNKPILOT_SIM_OFFER_LOG: offers,
      HIL_GSM2_PIN: '1234',
    });
    const telemetry = await watchTelemetry(port, 'hil-gsm');
    // The simulator board's E1 span is span 1; the modem trunk group is span 2, a module per channel in site order.
    const modem = (n: number) => telemetry.latest.get(`trunkpilot/hil-gsm/modems/2/${n}/state`) as Record<string, unknown> | undefined;
    try {
      await until('the three modules to be ready', 30_000, async () =>
        [1, 2, 3].every((n) => modem(n)?.state === 'ready') ? true : undefined,
      );
      expect(cli(['campaign', 'add', join(dir, 'mobile.yaml'), '--site', site, '--json']).code).toBe(0);
      expect(cli(['campaign', 'start', 'gsm-run', '--site', site]).code).toBe(0);
      // The two modules left place their capped calls; then nothing more can be dialled.
      await until('the modules still in service to reach their caps', 120_000, async () => {
        const show = JSON.parse(cli(['campaign', 'show', 'gsm-run', '--site', site, '--json']).out);
        return show.activeCalls === 0 && [1, 3].every((n) => modem(n)?.callsToday === CAP) ? true : undefined;
      });
      // The unplugged module: out of service at once (the USB detach), its call gone with it.
      // (The driver waits for the device to come back rather than reopening a port that is gone.)
      expect(modem(2)).toMatchObject({ state: 'recovering', reason: 'USB device detached', dailyCap: CAP });
      // Every module out of service (two capped, one unplugged), as the channel grid shows it at its next publication.
      const grid = () => (telemetry.latest.get('trunkpilot/hil-gsm/spans/2/channels') as { channels: Record<string, string> }).channels;
      await until('the channel grid to show the modules out of service', 10_000, async () =>
        Object.values(grid()).every((s) => s === 'out-of-service') ? true : undefined,
      );
      expect(grid()).toEqual({ 1: 'out-of-service', 2: 'out-of-service', 3: 'out-of-service' });
      const gsm2Calls = modem(2)!.callsToday as number;
      expect(gsm2Calls).toBeGreaterThanOrEqual(1);
      expect(gsm2Calls).toBeLessThanOrEqual(CAP);
      // No module dialled beyond its SIM's cap: every call the network saw is one of the counted ones.
      const seen = offersByNumber(offers);
      const dialled = [...seen.values()].reduce((a, b) => a + b, 0);
      expect(dialled).toBe(CAP + CAP + gsm2Calls);

      const rows = exportRows('gsm-run', site, dir);
      expect(rows.map((r) => r.number).sort()).toEqual([...numbers].sort());
      // The call the unplug cut, as the simulator logged it when it pulled the module.
      const cut = faultCalls(gw.out());
      expect(cut).toHaveLength(1);
      const cutNumber = cut[0];
      expect(numbers).toContain(cutNumber);
      for (const r of rows) {
        const k = seen.get(r.number) ?? 0;
        if (k === 0) continue;
        const predicted = OUTCOME_OF[behaviourOn(r.number, k)];
        // That one call may have ended by the fault (lost, or a network failure) instead of as its callee would have.
        const allowed = r.number === cutNumber ? [...predicted, 'lost', 'other', 'link_down', 'no_free_channel'] : predicted;
        expect({ number: r.number, outcome: allowed }).toEqual({ number: r.number, outcome: expect.arrayContaining([r.outcome]) });
      }
      // Numbers the capped modules could not dial are still owed a call, not written off.
      expect(rows.filter((r) => !seen.has(r.number)).every((r) => ['pending', 'no_free_channel'].includes(r.outcome))).toBe(true);
    } finally {
      gw.child.kill('SIGTERM');
      await telemetry.close();
    }
    expect(await gw.exited).toEqual({ code: 0, signal: null });
    expect(gw.out()).toMatch(/channels left busy\s+0\n/);
    expect(gw.out()).toMatch(/seats left busy\s+0\n/);
  }, 200_000);
});
