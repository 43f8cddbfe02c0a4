/**
 * The MQTT contract: the same suite against the embedded aedes broker and a real
 * Debian mosquitto configured with the ACL trunkpilot documents (broker-acl.ts).
 */
import { spawn } from 'node:child_process';
import { tsChildArgs } from '../../test-support/run-ts';
import { systemClock } from '../core/clock';
import { SupervisorActions } from './commands';
import { MqttTelemetryPublisher } from './mqtt-publisher';
import { e1Span, FixtureSource } from '../../test-support/telemetry/fixture-source';
import { MqttWatch } from '../../test-support/telemetry/mqtt-watch';
import { BrokerKind, startTestBroker, TEST_USERS, TestBroker } from '../../test-support/telemetry/test-brokers';

jest.setTimeout(30_000);

const GW = 'gw1';
const ROOT = `trunkpilot/${GW}`;

describe.each<BrokerKind>(['aedes', 'mosquitto'])('MQTT contract on %s', (kind) => {
  let broker: TestBroker;
  let source: FixtureSource;
  let publisher: MqttTelemetryPublisher;
  let actionsRun: string[];
  const watches: MqttWatch[] = [];

  const actions: SupervisorActions = {
    pauseCampaign: (c) => void actionsRun.push(`pause ${c}`),
    resumeCampaign: (c) => void actionsRun.push(`resume ${c}`),
    forceSeat: (s, a) => void actionsRun.push(`force ${s} ${a}`),
  };

  const VIEWER = { username: 'viewer', password: TEST_USERS.viewer };
  async function watch(opts: Parameters<typeof MqttWatch.connect>[1] = VIEWER, filter = `${ROOT}/#`): Promise<MqttWatch> {
    const w = await MqttWatch.connect(broker.url, opts, filter);
    watches.push(w);
    return w;
  }

  async function startPublisher(
    extra: Partial<ConstructorParameters<typeof MqttTelemetryPublisher>[1]> = {},
  ): Promise<MqttTelemetryPublisher> {
    publisher = new MqttTelemetryPublisher(source, {
      url: broker.url,
      gateway: GW,
      clock: systemClock,
      username: 'trunkpilot',
      password: TEST_USERS.trunkpilot,
      intervalMs: 50,
      commands: { acl: { supervisor: ['seat.*', 'campaign.*'], agent: [], viewer: ['*'] }, actions },
      ...extra,
    });
    await publisher.start();
    return publisher;
  }

  beforeAll(async () => {
    broker = await startTestBroker(kind);
  });
  afterAll(async () => {
    await broker?.close();
  });
  beforeEach(async () => {
    actionsRun = [];
    source = new FixtureSource();
    source.spanList = [e1Span(1, 4), e1Span(2, 0)];
    source.seatList = [{ seat: 'seat-01', state: 'ready', campaign: 'spring', since: 1 }];
    source.campaignList = [
      { campaign: 'spring', state: 'running', total: 100, dialled: 10, answered: 6, answeredByPerson: 5, abandoned: 0, remaining: 90 },
    ];
    source.pacingList = [{ campaign: 'spring', dialLevel: 1.4, occupancy: 0.8, abandonment: 0.01 }];
  });
  afterEach(async () => {
    await publisher?.close();
    await Promise.all(watches.splice(0).map((w) => w.close()));
  });

  it('keeps the gateway status, span state, channels, seats, campaign progress and pacing retained for a late subscriber', async () => {
    await startPublisher();
    await new Promise((r) => setTimeout(r, 200));
    const late = await watch();
    const status = await late.next((m) => m.topic === `${ROOT}/status`);
    expect(status.retain).toBe(true);
    expect(status.json).toMatchObject({ state: 'online', gateway: GW });
    const span = await late.next((m) => m.topic === `${ROOT}/spans/1/state`);
    expect(span.retain).toBe(true);
    expect(span.json).toMatchObject({ span: 1, kind: 'pri-cpe', linkUp: true, alarms: [], counts: { connected: 4, idle: 26 } });
    const grid = await late.next((m) => m.topic === `${ROOT}/spans/1/channels`);
    expect(grid.json.channels).toMatchObject({ 1: 'connected', 17: 'idle', 31: 'idle' });
    expect((await late.next((m) => m.topic === `${ROOT}/seats/seat-01/state`)).json).toMatchObject({ state: 'ready', campaign: 'spring' });
    expect((await late.next((m) => m.topic === `${ROOT}/campaigns/spring/progress`)).json).toMatchObject({ dialled: 10, remaining: 90 });
    expect((await late.next((m) => m.topic === `${ROOT}/campaigns/spring/pacing`)).json).toMatchObject({ dialLevel: 1.4, occupancy: 0.8 });
  });

  it("tells each user its own role and allowed actions, and nobody else's", async () => {
    await startPublisher({ access: { supervisor: 'operator', agent: 'operator', viewer: 'viewer' } });
    const sup = await watch({ username: 'supervisor', password: TEST_USERS.supervisor });
    const mine = await sup.next((m) => m.topic === `${ROOT}/access/supervisor`);
    expect(mine.json).toMatchObject({ v: 1, user: 'supervisor', role: 'operator' });
    expect(mine.json.actions).toEqual(expect.arrayContaining(['seat.force-busy', 'campaign.pause']));
    expect(mine.json.actions).not.toContain('call.release');
    const viewer = await watch();
    expect((await viewer.next((m) => m.topic === `${ROOT}/access/viewer`)).json).toMatchObject({ role: 'viewer', actions: [] });
    await new Promise((r) => setTimeout(r, 300));
    expect(viewer.seen.map((m) => m.topic).filter((t) => t.includes('/access/'))).toEqual([`${ROOT}/access/viewer`]);
    expect(sup.seen.map((m) => m.topic).filter((t) => t.includes('/access/'))).toEqual([`${ROOT}/access/supervisor`]);
  });

  it('publishes a change once, and not again while nothing changes', async () => {
    await startPublisher();
    const w = await watch(VIEWER, `${ROOT}/spans/2/state`);
    await w.next((m) => m.json.counts?.connected === 0);
    source.spanList = [e1Span(1, 4), e1Span(2, 7)];
    await w.next((m) => m.json.counts?.connected === 7, 3000, 'the new span-2 count');
    await new Promise((r) => setTimeout(r, 300));
    expect(w.seen.filter((m) => m.json.counts?.connected === 7)).toHaveLength(1);
  });

  it('removes the retained state of a seat that is no longer there', async () => {
    await startPublisher();
    const w = await watch(VIEWER, `${ROOT}/seats/#`);
    await w.next((m) => m.topic === `${ROOT}/seats/seat-01/state`);
    source.seatList = [];
    await w.next((m) => m.topic === `${ROOT}/seats/seat-01/state` && m.json === '', 3000, 'the empty retained message');
    await new Promise((r) => setTimeout(r, 150));
    const late = await watch(VIEWER, `${ROOT}/seats/#`);
    await new Promise((r) => setTimeout(r, 300));
    expect(late.seen).toEqual([]);
  });

  it('republishes all retained state after the broker restarts and forgets it', async () => {
    await startPublisher();
    await new Promise((r) => setTimeout(r, 200));
    await broker.restart();
    for (let i = 0; i < 100 && !(publisher.state === 'online' && publisher.stats().reconnects === 1); i++)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    const after = await watch();
    await after.next((m) => m.topic === `${ROOT}/status` && m.json.state === 'online', 8000, 'status online after restart');
    expect((await after.next((m) => m.topic === `${ROOT}/spans/1/state`, 3000)).json.counts.connected).toBe(4);
    expect((await after.next((m) => m.topic === `${ROOT}/campaigns/spring/pacing`, 3000)).retain).toBe(true);
    expect(publisher.stats().reconnects).toBe(1);
  });

  it('while the broker is away, counts call events as dropped instead of queueing them, and catches up on state', async () => {
    await startPublisher();
    await broker.stop();
    for (let i = 0; i < 100 && publisher.state !== 'offline'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(publisher.state).toBe('offline');
    for (let i = 0; i < 500; i++) source.emit({ type: 'proceeding', callId: `s1c1-${i}`, span: 1, channel: 1, at: i });
    source.spanList = [e1Span(1, 9), e1Span(2, 0)];
    expect(publisher.stats()).toMatchObject({ callEvents: 500, callEventsDropped: 500 });
    await broker.start();
    const w = await watch();
    await w.next((m) => m.topic === `${ROOT}/spans/1/state` && m.json.counts.connected === 9, 8000, 'the state changed during the outage');
    source.emit({ type: 'proceeding', callId: 's1c2-1', span: 1, channel: 2, at: 1 });
    await w.next((m) => m.topic === `${ROOT}/calls/1`);
    await new Promise((r) => setTimeout(r, 200));
    // Only the event after the outage arrives: nothing from the outage was held back and flushed.
    expect(w.seen.filter((m) => m.topic === `${ROOT}/calls/1`).map((m) => m.json.callId)).toEqual(['s1c2-1']);
  });

  it('publishes call events with phone numbers masked', async () => {
    await startPublisher();
    const w = await watch(VIEWER, `${ROOT}/calls/#`);
    source.emit({ type: 'dialing', callId: 's1c31-1', span: 1, channel: 31, at: 5, number: '13800138000', callerId: '02155501234' });
    const ev = await w.next((m) => m.topic === `${ROOT}/calls/1`);
    expect(ev.json).toMatchObject({ type: 'dialing', callId: 's1c31-1', channel: 31, number: '*******8000', callerId: '*******1234' });
    expect(JSON.stringify(w.seen.map((m) => m.json))).not.toContain('13800138000');
    expect(ev.retain).toBe(false);
  });

  it('sets a retained offline status as the last will when the publisher process is killed', async () => {
    const child = spawn(process.execPath, tsChildArgs('telemetry/publisher-child.ts'), {
      env: {
        ...process.env,
        TP_MQTT_URL: broker.url,
        TP_MQTT_USER: 'trunkpilot',
        TP_MQTT_PASSWORD: TEST_USERS.trunkpilot,
        TP_GATEWAY: 'gw-child',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const w = await watch(VIEWER, 'trunkpilot/gw-child/status');
    await w.next((m) => m.json.state === 'online');
    child.kill('SIGKILL');
    const will = await w.next((m) => m.json.state === 'offline', 8000, 'the last-will');
    expect(will.json.reason).toBe('connection lost');
    const late = await watch(VIEWER, 'trunkpilot/gw-child/status');
    const retained = await late.next(() => true);
    expect(retained).toMatchObject({ retain: true, json: { state: 'offline' } });
  });

  describe('commands', () => {
    const supervisor = () => watch({ username: 'supervisor', password: TEST_USERS.supervisor }, `${ROOT}/reply/supervisor`);

    it('runs an allowed command and answers ok', async () => {
      await startPublisher();
      const sup = await supervisor();
      await sup.client.publishAsync(`${ROOT}/cmd/supervisor/campaign.pause`, JSON.stringify({ id: 'r1', campaign: 'spring' }), { qos: 1 });
      const reply = await sup.next((m) => m.json.id === 'r1');
      expect(reply.json).toEqual({ v: 1, id: 'r1', action: 'campaign.pause', ok: true });
      expect(actionsRun).toEqual(['pause spring']);
    });

    it('answers a malformed or incomplete request with an error and changes nothing', async () => {
      await startPublisher();
      const sup = await supervisor();
      await sup.client.publishAsync(`${ROOT}/cmd/supervisor/seat.force-busy`, '{not json', { qos: 1 });
      expect((await sup.next((m) => m.json.ok === false && m.json.error.code === 'MALFORMED')).json.id).toBeNull();
      await sup.client.publishAsync(`${ROOT}/cmd/supervisor/seat.force-busy`, JSON.stringify({ id: 'r2' }), { qos: 1 });
      expect((await sup.next((m) => m.json.id === 'r2')).json.error).toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: "'seat' must be a non-empty string of at most 128 characters",
      });
      await sup.client.publishAsync(`${ROOT}/cmd/supervisor/seat.explode`, JSON.stringify({ id: 'r3', seat: 's' }), { qos: 1 });
      expect((await sup.next((m) => m.json.id === 'r3')).json.error.code).toBe('UNKNOWN_ACTION');
      await sup.client.publishAsync(`${ROOT}/cmd/supervisor/seat.listen`, JSON.stringify({ id: 'r4', seat: 's', supervisorSeat: 'x' }), {
        qos: 1,
      });
      expect((await sup.next((m) => m.json.id === 'r4')).json.error.code).toBe('UNAVAILABLE');
      expect(actionsRun).toEqual([]);
    });

    it('refuses an operator the command ACL does not allow', async () => {
      await startPublisher();
      const agent = await watch({ username: 'agent', password: TEST_USERS.agent }, `${ROOT}/reply/agent`);
      await agent.client.publishAsync(`${ROOT}/cmd/agent/campaign.resume`, JSON.stringify({ id: 'v1', campaign: 'spring' }), { qos: 1 });
      const reply = await agent.next((m) => m.json.id === 'v1');
      expect(reply.json).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: "user 'agent' may not run 'campaign.resume'" } });
      expect(actionsRun).toEqual([]);
    });

    it('lets a viewer read telemetry but never command, whatever the command ACL says', async () => {
      await startPublisher();
      const viewer = await watch(VIEWER, `${ROOT}/#`);
      await viewer.next((m) => m.topic === `${ROOT}/seats/seat-01/state`);
      await viewer.client
        .publishAsync(`${ROOT}/cmd/viewer/campaign.pause`, JSON.stringify({ id: 'v2', campaign: 'spring' }), { qos: 0 })
        .catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      expect(actionsRun).toEqual([]);
      expect(viewer.seen.filter((m) => m.topic.includes('/reply/'))).toEqual([]);
    });

    it('refuses anonymous clients outright', async () => {
      await startPublisher();
      await expect(MqttWatch.connect(broker.url, {})).rejects.toThrow(/[Nn]ot authorized/);
      await expect(MqttWatch.connect(broker.url, { username: 'nobody', password: 'x' })).rejects.toThrow();
    });

    it("needs a valid login, and lets nobody act under another user name or read another user's replies", async () => {
      await startPublisher();
      await expect(MqttWatch.connect(broker.url, { username: 'supervisor', password: 'wrong' })).rejects.toThrow();
      // A viewer reading everything it may.
      const anon = await watch(VIEWER, `${ROOT}/#`);
      // Another operator impersonating the supervisor is stopped by the broker.
      const viewer = await watch({ username: 'agent', password: TEST_USERS.agent, reconnectPeriod: 0 }, `${ROOT}/reply/#`);
      await viewer.client
        .publishAsync(`${ROOT}/cmd/supervisor/campaign.pause`, JSON.stringify({ id: 'x1', campaign: 'spring' }), { qos: 0 })
        .catch(() => undefined);
      // The supervisor's own reply is not visible to the other operator or a viewer.
      const sup = await supervisor();
      await sup.client.publishAsync(`${ROOT}/cmd/supervisor/seat.force-ready`, JSON.stringify({ id: 's1', seat: 'seat-01' }), { qos: 1 });
      await sup.next((m) => m.json.id === 's1');
      await new Promise((r) => setTimeout(r, 300));
      expect(actionsRun).toEqual(['force seat-01 ready']);
      expect(viewer.seen.filter((m) => m.topic.includes('/reply/'))).toEqual([]);
      expect(anon.seen.filter((m) => m.topic.includes('/reply/') || m.topic.includes('/cmd/'))).toEqual([]);
      expect(sup.seen.map((m) => m.json.id)).toEqual(['s1']);
    });

    // aedes speaks MQTT 3.1.1 only; MQTT 5 is for external brokers.
    (kind === 'mosquitto' ? it : it.skip)(
      'on MQTT 5, answers on the response topic the caller names inside its reply tree, with its correlation data',
      async () => {
        await startPublisher({ protocolVersion: 5 });
        const sup = await watch(
          { username: 'supervisor', password: TEST_USERS.supervisor, protocolVersion: 5 },
          `${ROOT}/reply/supervisor/#`,
        );
        await sup.client.publishAsync(`${ROOT}/cmd/supervisor/seat.force-busy`, JSON.stringify({ id: 'm5', seat: 'seat-02' }), {
          qos: 1,
          properties: { responseTopic: `${ROOT}/reply/supervisor/console-7`, correlationData: Buffer.from('abc') },
        });
        const reply = await sup.next((m) => m.json.id === 'm5');
        expect(reply.topic).toBe(`${ROOT}/reply/supervisor/console-7`);
        expect(reply.packet.properties?.correlationData?.toString()).toBe('abc');
        expect(actionsRun).toEqual(['force seat-02 busy']);
      },
    );
  });
});
