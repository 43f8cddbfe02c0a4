/**
 * Incoming calls on the whole gateway, on the userspace DAHDI: the PRI exchange
 * (libpri NET) places calls towards the gateway's pri-cpe span; simulated agents
 * sit at FXS phones. A customer a campaign called calls back and reaches the same
 * agent; the inbound queue's bound and figures are seen over MQTT; privacy numbers
 * are bound over the authenticated command interface and carry calls both ways
 * with X shown, never the real number.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import Ajv from 'ajv';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describeWithFakeDahdi, until } from '../test-support/dahdi/jest-preload';
import { openSimulatedGateway } from '../test-support/runtime/simulated-gateway';
import { MqttWatch } from '../test-support/telemetry/mqtt-watch';
import { freePort } from '../test-support/telemetry/ports';
import { Q850 } from '../src/core/q850';
import { CampaignStore } from '../src/campaign/campaign-store';
import { Gateway } from '../src/runtime/gateway';
import { hashPassword } from '../src/telemetry/broker/credentials';
import { PRODUCT_COMMANDS, runCommand } from '../src/cli/main';
import { SimulatedSite } from '../simulator/site/simulated-site';

const CAMPAIGN_CLI = '075512345678';
const CUSTOMER = '13812345678';
const A = '13800000001';
const B = '13900000002';
const X = '4008000001';
const COST = { logN: 10, r: 8, p: 1 };

function siteYaml(port: number): string {
  return `version: 1
site: hil-inbound
boards:
  - { id: trunks, profile: trunkpilot-sim-e1x2-s16, device: "sim:0", spans: [ { local: 1, signalling: pri-cpe, trunkGroup: pstn } ] }
  - { id: phones, profile: trunkpilot-sim-fxs16, device: "sim:1" }
seats: { board: phones, count: 3 }
answerGroups: [ { name: sales, strategy: round-robin, seats: 1-3 } ]
callerIdPool: ["${CAMPAIGN_CLI}"]
inbound:
  rules: [ { called: "${CAMPAIGN_CLI}", answerGroup: sales } ]
  queue: { maxWaiting: 1, maxWaitSec: 60, serviceLevelSec: 5, music: hold-music.wav }
privacy:
  pool: ["${X}", "4008000002"]
telemetry:
  mqttPort: ${port}
  dashboardPort: false
  users:
    lead: { role: operator, password_scrypt: "${hashPassword('lead-pw', COST)}" }
    agent1: { role: operator, password_scrypt: "${hashPassword('agent-pw', COST)}" }
  commands: { lead: ["privacy.*", "seat.*"], agent1: ["seat.*"] }
`;
}

describeWithFakeDahdi('incoming calls through the gateway', __filename, () => {
  let sim: SimulatedSite;
  let gateway: Gateway;
  let port: number;
  let siteFile: string;
  const played: string[] = [];

  beforeAll(async () => {
    port = await freePort();
    siteFile = join(mkdtempSync(join(tmpdir(), 'tp-inbound-site-')), 'hil-inbound.yaml');
    writeFileSync(siteFile, siteYaml(port));
    // The queue's music is named relative to the site file, wherever the gateway is started from.
    writeFileSync(join(dirname(siteFile), 'hold-music.wav'), '');
    ({ sim, gateway } = await openSimulatedGateway({
      yaml: siteYaml(port),
      siteFile,
      simulatedVoice: true,
      wrapVoice: (voice) => ({
        play: (leg, req, hangup) => {
          played.push(req.file);
          return voice.play(leg, req, hangup);
        },
      }),
    }));
    expect(await gateway.trunks.group('pstn').whenReady(10_000)).toBe(true);
  }, 30_000);

  afterAll(async () => {
    await gateway?.close(0);
    await sim?.close();
    sim?.sim.reset();
  });

  const seatStates = () => gateway.seats!.seats.map((s) => s.state);
  const sales = () => gateway.seats!.answerGroup('sales').distributor;

  test('a customer calling back the number that called them reaches the agent who talked to them', async () => {
    // The campaign's attempt as the campaign records it: seat3 talked to this customer.
    // This gateway's store is the SQLite file (--db): its attempts written as the campaign writes them.
    const store = gateway.store as CampaignStore;
    store.addContacts('spring', [{ number: CUSTOMER }]);
    const attempt = store.beginAttempt('spring', store.openContacts('spring')[0], Date.now() - 60_000);
    store.recordDetails(attempt, {
      number: CUSTOMER,
      test: false,
      outcome: 'connected',
      cause: 16,
      causeText: 'normal clearing',
      seatId: 'seat3',
      dialledAt: Date.now() - 60_000,
      answeredAt: Date.now() - 55_000,
      endedAt: Date.now() - 30_000,
    });
    const net = sim.networks[0];
    const call = net.originate(CAMPAIGN_CLI, CUSTOMER);
    await call.answered;
    await until(() => sales().liveCall('seat3') !== undefined, 'seat3 bridged', 5000);
    expect(sales().liveCall('seat3')!.call.callerId).toBe(CUSTOMER);
    expect(seatStates()).toEqual(['ready', 'ready', 'talking']);
    call.hangup();
    expect(await call.released).toMatchObject({ cause: Q850.NORMAL_CLEARING });
    await until(() => gateway.seats!.seats[2].state !== 'talking', 'seat3 off the call', 3000);
  }, 20_000);

  test('the queue takes one caller (with music), refuses the next busy, and its figures reach MQTT', async () => {
    const watch = await MqttWatch.connect(
      `mqtt://127.0.0.1:${port}`,
      { username: 'lead', password: 'lead-pw' },
      'trunkpilot/hil-inbound/queues/#',
    );
    try {
      for (const s of gateway.seats!.seats) s.forceBusy('meeting');
      const net = sim.networks[0];
      const first = net.originate(CAMPAIGN_CLI, '13700000001');
      await first.answered;
      // The music named in the site file, found beside it (every caller queued so far heard it).
      await until(() => played.length > 0, 'queue music', 3000);
      expect([...new Set(played)]).toEqual([join(dirname(siteFile), 'hold-music.wav')]);
      const second = net.originate(CAMPAIGN_CLI, '13700000002');
      expect(await second.released).toMatchObject({ cause: Q850.USER_BUSY });
      const full = await watch.next(
        (m) => m.topic.endsWith('/queues/sales/state') && (m.json as { refusedFull: number }).refusedFull === 1,
        5000,
        'queue figures with the refused call',
      );
      expect(full.json).toMatchObject({ answerGroup: 'sales', waiting: 1, refusedFull: 1 });
      first.hangup();
      await first.released;
      const after = await watch.next(
        (m) => m.topic.endsWith('/queues/sales/state') && (m.json as { abandonedInQueue: number }).abandonedInQueue === 1,
        5000,
        'queue figures with the abandoned call',
      );
      expect(after.json).toMatchObject({ waiting: 0, longestWaitMs: 0 });
      // Retained: a dashboard that connects now is told the figures at once.
      const late = await MqttWatch.connect(
        `mqtt://127.0.0.1:${port}`,
        { username: 'agent1', password: 'agent-pw' },
        'trunkpilot/hil-inbound/queues/sales/state',
      );
      const retained = await late.next(() => true, 3000, 'retained queue figures');
      await late.client.endAsync();
      expect(retained.retain).toBe(true);
      expect(retained.json).toMatchObject({ offered: 3, refusedFull: 1, abandonedInQueue: 1, connected: 1 });
      // Every queue message follows the published MQTT contract.
      const ajv = new Ajv({ strict: true, allErrors: true });
      const validate = ajv.compile(JSON.parse(readFileSync(join(__dirname, '..', 'schemas', 'mqtt', 'queue-state.schema.json'), 'utf8')));
      const queueMessages = [...watch.seen, retained].filter((m) => m.topic.endsWith('/queues/sales/state'));
      expect(queueMessages.length).toBeGreaterThanOrEqual(2);
      for (const m of queueMessages)
        expect({ ok: validate(m.json), errors: ajv.errorsText(validate.errors) }).toEqual({ ok: true, errors: 'No errors' });
    } finally {
      for (const s of gateway.seats!.seats) s.forceReady('back');
      await watch.client.endAsync();
    }
  }, 20_000);

  test('privacy numbers over the command interface: refused for another user, typed errors, calls both ways shown X', async () => {
    const lead = await MqttWatch.connect(
      `mqtt://127.0.0.1:${port}`,
      { username: 'lead', password: 'lead-pw' },
      'trunkpilot/hil-inbound/reply/lead',
    );
    const agent = await MqttWatch.connect(
      `mqtt://127.0.0.1:${port}`,
      { username: 'agent1', password: 'agent-pw' },
      'trunkpilot/hil-inbound/reply/agent1',
    );
    const ask = async (w: MqttWatch, user: string, action: string, body: Record<string, unknown>) => {
      const id = `r${Math.random().toString(36).slice(2, 10)}`;
      await w.client.publishAsync(`trunkpilot/hil-inbound/cmd/${user}/${action}`, JSON.stringify({ id, ...body }), { qos: 1 });
      return (await w.next((m) => (m.json as { id?: string }).id === id, 5000, `reply to ${action}`)).json as Record<string, unknown>;
    };
    try {
      expect(await ask(agent, 'agent1', 'privacy.bind', { a: A, b: B })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await ask(lead, 'lead', 'privacy.bind', { a: '138-0000', b: B })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^MALFORMED_NUMBER: a:/) },
      });
      expect(await ask(lead, 'lead', 'privacy.unbind', { x: '4008009999' })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^UNKNOWN_X/) },
      });
      expect((await ask(lead, 'lead', 'privacy.list', {})).result).toEqual({ bindings: [], free: [X, '4008000002'] });
      const bound = await ask(lead, 'lead', 'privacy.bind', { a: A, b: B, expiresInSec: 600 });
      expect(bound).toMatchObject({ ok: true, result: { x: X, a: A, b: B, mode: 'two-way' } });

      const net = sim.networks[0];
      sim.population.override(B, { kind: 'answer', ringMs: 300, talkMs: 800 });
      sim.population.override(A, { kind: 'answer', ringMs: 300, talkMs: 800 });
      // A dials X: the exchange is asked for B, from X.
      const fromA = net.originate(X, A);
      // A hears ringing (ALERTING) while B's phone rings, then the answer: the network does not time A out.
      const alertedAt = await fromA.alerted;
      expect(await fromA.answered).toBeGreaterThanOrEqual(alertedAt + 250);
      expect(net.offers.at(-1)).toMatchObject({ number: B, callerId: X });
      // B's talk ends: A's leg is released too.
      expect(await fromA.released).toMatchObject({ cause: Q850.NORMAL_CLEARING, by: 'remote' });

      // B calls X back: the exchange is asked for A, from X.
      const fromB = net.originate(X, B);
      await fromB.answered;
      expect(net.offers.at(-1)).toMatchObject({ number: A, callerId: X });
      await fromB.released;
      expect(net.offers.filter((o) => o.number === A || o.number === B).every((o) => o.callerId === X)).toBe(true);

      // The CLI, as an operator uses it: list, a malformed number (usage error, nothing sent), unbind.
      const cli = async (...argv: string[]) => {
        const io = { out: '', err: '', isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
        const code = await runCommand(PRODUCT_COMMANDS, [...argv, '--site', siteFile, '--user', 'lead', '--password', 'lead-pw'], io);
        return { code, ...io };
      };
      const listed = await cli('privacy', 'list', '--json');
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.out)).toMatchObject({ bindings: [{ x: X, a: A, b: B }], free: ['4008000002'] });
      expect(await cli('privacy', 'bind', '13800000001', '139-bad')).toMatchObject({
        code: 2,
        err: expect.stringMatching(/B: must be 3-20 digits/),
      });
      const unknown = await cli('privacy', 'unbind', '4008009999');
      expect(unknown).toMatchObject({ code: 1, err: expect.stringMatching(/UNKNOWN_X/) });
      expect(await cli('privacy', 'unbind', X)).toMatchObject({ code: 0, out: `removed ${X} (${A} <-> ${B})\n` });
      expect((await ask(lead, 'lead', 'privacy.list', {})).result).toEqual({ bindings: [], free: [X, '4008000002'] });
      await until(() => gateway.busyChannels() === 0, 'every channel idle', 3000);
      expect(gateway.trunks.spans.flatMap((s) => s.leakedChannels())).toEqual([]);
    } finally {
      await lead.client.endAsync();
      await agent.client.endAsync();
    }
  }, 30_000);
});
