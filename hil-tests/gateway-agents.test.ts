/**
 * Agents through the whole gateway, on the userspace DAHDI with the PRI exchange
 * behind it: remote agents declared in the site file (seats.remote) are called out on
 * the site's trunk group: the nailed-up one once at login, then several customers
 * bridged to it on that one leg; the per-call one for each call. An agent uses the CLI
 * (`trunkpilot seat ...`) on its own seat, and is refused on another's.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithFakeDahdi, until } from '../test-support/dahdi/jest-preload';
import { openSimulatedGateway } from '../test-support/runtime/simulated-gateway';
import { freePort } from '../test-support/telemetry/ports';
import { Gateway } from '../src/runtime/gateway';
import { hashPassword } from '../src/telemetry/broker/credentials';
import { PRODUCT_COMMANDS, runCommand } from '../src/cli/main';
import { RemoteAgentLine } from '../src/seats/remote-agent';
import { SimulatedSite } from '../simulator/site/simulated-site';

const PER_CALL = '13900000001';
const NAILED = '13900000002';
const COST = { logN: 10, r: 8, p: 1 };

function siteYaml(port: number): string {
  return `version: 1
site: hil-agents
boards:
  - { id: trunks, profile: trunkpilot-sim-e1x2-s16, device: "sim:0", spans: [ { local: 1, signalling: pri-cpe, trunkGroup: pstn } ] }
  - { id: phones, profile: trunkpilot-sim-fxs16, device: "sim:1" }
seats:
  board: phones
  count: 2
  ringSec: 5
  remote:
    - { number: "${PER_CALL}", trunkGroup: pstn }
    - { number: "${NAILED}", trunkGroup: pstn, mode: nailed-up }
answerGroups:
  - { name: desk, strategy: ring-all, seats: 1-2 }
  - { name: remote, strategy: priority, seats: 3-4 }
telemetry:
  mqttPort: ${port}
  dashboardPort: false
  users:
    ann: { role: agent, seat: seat1, password_scrypt: "${hashPassword('ann-pw', COST)}" }
    bob: { role: agent, seat: seat2, password_scrypt: "${hashPassword('bob-pw', COST)}" }
`;
}

describeWithFakeDahdi('agents through the gateway', __filename, () => {
  let sim: SimulatedSite;
  let gateway: Gateway;
  let siteFile: string;

  beforeAll(async () => {
    const port = await freePort();
    siteFile = join(mkdtempSync(join(tmpdir(), 'tp-agents-site-')), 'hil-agents.yaml');
    writeFileSync(siteFile, siteYaml(port));
    const agent = { kind: 'answer', ringMs: 300, talkMs: 600_000 } as const;
    ({ sim, gateway } = await openSimulatedGateway({
      yaml: siteYaml(port),
      siteFile,
      callees: { [PER_CALL]: agent, [NAILED]: agent },
      simulatedVoice: true,
    }));
    // Ready although the nailed-up agent's leg may already hold a channel.
    expect(await gateway.trunks.group('pstn').whenReady(10_000)).toBe(true);
  }, 30_000);

  afterAll(async () => {
    await gateway?.close(0);
    await sim?.close();
    sim?.sim.reset();
  });

  const seat = (id: string) => gateway.seats!.seat(id);
  const customer = async (number: string) => {
    sim.population.override(number, { kind: 'answer', ringMs: 300, talkMs: 600_000 });
    const r = await gateway.trunks.group('pstn').dial({ number, ringTimeoutSec: 10 });
    expect(r.outcome).toBe('answered');
    return r.call!;
  };

  test('the nailed-up agent is called at login and takes several customers on that one leg; the per-call agent is called for its call', async () => {
    const nailed = seat('seat4');
    expect(nailed.endpoint).toEqual({ kind: 'remote', number: NAILED });
    await until(() => nailed.state === 'ready', 'the nailed-up agent on its leg', 10_000);
    const line = nailed.answering as RemoteAgentLine;
    const leg = line.agentLeg!;
    expect(leg.state).toBe('answered');

    const remote = gateway.seats!.answerGroup('remote').distributor;
    seat('seat3').forceBusy('away'); // the per-call agent first by priority: kept out for now
    for (const number of ['13800000101', '13800000102', '13800000103']) {
      const call = await customer(number);
      expect(await remote.route(call)).toMatchObject({ kind: 'connected', seat: nailed });
      expect(remote.liveCall('seat4')!.endpoint).toMatchObject({ kind: 'remote', leg: { callId: leg.id } });
      call.hangup();
      await until(() => nailed.state === 'wrap-up', 'wrap-up after the customer left', 5000);
      expect(line.agentLeg).toBe(leg);
      nailed.wrapDone();
    }

    seat('seat3').forceReady();
    const call = await customer('13800000104');
    const result = await remote.route(call);
    expect(result).toMatchObject({ kind: 'connected', seat: seat('seat3') });
    const perCallLeg = (seat('seat3').answering as RemoteAgentLine).agentLeg!;
    expect(perCallLeg.id).not.toBe(leg.id);
    call.hangup();
    await until(() => perCallLeg.state === 'ended', 'the per-call leg cleared after the call', 5000);
    expect(leg.state).toBe('answered');
  }, 60_000);

  test('an agent runs its own seat from the CLI and is refused on another agent seat', async () => {
    const cli = async (user: string, password: string, ...argv: string[]) => {
      const io = { out: '', err: '', isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
      const code = await runCommand(PRODUCT_COMMANDS, [...argv, '--site', siteFile, '--user', user, '--password', password, '--json'], io);
      return { code, ...io };
    };
    const paused = await cli('ann', 'ann-pw', 'seat', 'pause', 'seat1', '--reason', 'training');
    expect(paused.code).toBe(0);
    expect(JSON.parse(paused.out)).toEqual({ seat: 'seat1', state: 'paused', reason: 'agent: training' });
    expect(await cli('ann', 'ann-pw', 'seat', 'logout', 'seat2')).toMatchObject({ code: 1, err: expect.stringMatching(/FORBIDDEN/) });
    expect(seat('seat2').state).toBe('ready');
    expect(await cli('bob', 'bob-pw', 'seat', 'release', 'seat1')).toMatchObject({ code: 1, err: expect.stringMatching(/FORBIDDEN/) });
    expect((await cli('ann', 'ann-pw', 'seat', 'ready', 'seat1')).code).toBe(0);
    expect(seat('seat1').state).toBe('ready');
  }, 30_000);
});
