/**
 * The published MQTT contract (schemas/mqtt/*.schema.json) against what a running
 * gateway actually sends: `trunkpilot run --simulate --demo-campaign` with Home
 * Assistant discovery on, every message on every topic validated with ajv, commands
 * answered both ways. What the simulated site does not have (GSM modules) and
 * numbers that are not finite are checked through the publisher itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import mqtt from 'mqtt';
import { systemClock } from '../src/core/clock';
import { TELEMETRY_ROLES } from '../src/telemetry/broker/credentials';
import { COMMAND_ACTIONS } from '../src/telemetry/commands';
import { MqttTelemetryPublisher } from '../src/telemetry/mqtt-publisher';
import { e1Span, FixtureSource } from '../test-support/telemetry/fixture-source';
import { startTestBroker, TEST_USERS } from '../test-support/telemetry/test-brokers';
import { cheapHash, SimGateway, startSimGateway } from './sim-gateway-process';

jest.setTimeout(90_000);

const DIR = join(__dirname, '..', 'schemas', 'mqtt');
const ajv = new Ajv({ strict: true, allErrors: true });
const schemas = new Map<string, ValidateFunction>();
for (const file of readdirSync(DIR).filter((f) => f.endsWith('.schema.json')))
  schemas.set(file.replace('.schema.json', ''), ajv.compile(JSON.parse(readFileSync(join(DIR, file), 'utf8'))));

/** Which schema a topic's payload follows. */
function schemaOf(topic: string): string | undefined {
  const t = topic.split('/').slice(2);
  if (t[0] === 'status') return 'status';
  if (t[0] === 'spans') return { state: 'span-state', channels: 'span-channels', counters: 'span-counters' }[t[2]];
  if (t[0] === 'modems') return t[1] === 'unassigned' ? 'modem-unassigned' : 'modem-state';
  if (t[0] === 'seats') return 'seat-state';
  if (t[0] === 'campaigns') return t[2] === 'progress' ? 'campaign-progress' : t[2] === 'pacing' ? 'campaign-pacing' : undefined;
  if (t[0] === 'queues') return 'queue-state';
  if (t[0] === 'calls') return 'call-event';
  if (t[0] === 'access') return 'access';
  if (t[0] === 'reply') return 'reply';
  if (t[0] === 'cmd') return 'command';
  return undefined;
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Seen {
  topic: string;
  json: unknown;
}

function violations(seen: Seen[]): string[] {
  const bad: string[] = [];
  for (const m of seen) {
    const name = schemaOf(m.topic);
    const validate = name && schemas.get(name);
    if (!validate) {
      bad.push(`${m.topic}: no schema`);
      continue;
    }
    if (!validate(m.json)) bad.push(`${m.topic} (${name}): ${ajv.errorsText(validate.errors)} in ${JSON.stringify(m.json).slice(0, 300)}`);
  }
  return bad;
}

describe('on the simulated runtime', () => {
  let gateway: SimGateway;
  let client: mqtt.MqttClient;
  const seen: Seen[] = [];
  const discovery: Seen[] = [];

  beforeAll(async () => {
    gateway = await startSimGateway(`  homeAssistant: true
  users:
    boss: { role: operator, password_scrypt: "${cheapHash('boss-pw')}" }
  commands: { boss: ["campaign.*", "seat.*"] }`);
    client = await mqtt.connectAsync(gateway.mqttUrl, { username: 'boss', password: 'boss-pw' });
    client.on('message', (topic, payload) => {
      if (!payload.length) return;
      const json = JSON.parse(payload.toString());
      (topic.startsWith('homeassistant/') ? discovery : seen).push({ topic, json });
    });
    await client.subscribeAsync([`${gateway.root}/#`, 'homeassistant/#']);
    await client.publishAsync(`${gateway.root}/cmd/boss/campaign.list`, JSON.stringify({ id: 'ok-1' }), { qos: 1 });
    await client.publishAsync(`${gateway.root}/cmd/boss/call.release`, JSON.stringify({ id: 'refused-1', callId: 'x' }), { qos: 1 });
    // Until every kind of message a campaign makes has come by (calls end, seats change, figures move).
    const want = [
      'status',
      'span-state',
      'span-channels',
      'span-counters',
      'seat-state',
      'campaign-progress',
      'campaign-pacing',
      'call-event',
      'access',
      'reply',
    ];
    const deadline = Date.now() + 40_000;
    while (want.some((w) => !seen.some((m) => schemaOf(m.topic) === w)) || seen.filter((m) => schemaOf(m.topic) === 'reply').length < 2) {
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 3000)); // a few more seconds of a busy campaign
  });

  afterAll(async () => {
    await client?.endAsync();
    await gateway?.stop();
  });

  it('publishes every kind of message, each valid against its published schema and carrying the contract version', () => {
    const kinds = new Set(seen.map((m) => schemaOf(m.topic)));
    for (const k of [
      'status',
      'span-state',
      'span-channels',
      'span-counters',
      'seat-state',
      'campaign-progress',
      'campaign-pacing',
      'call-event',
      'access',
      'reply',
    ])
      expect(kinds).toContain(k);
    expect(seen.length).toBeGreaterThan(50);
    expect(violations(seen)).toEqual([]);
    expect(seen.every((m) => (m.json as { v?: number }).v === 1)).toBe(true);
  });

  it('answers commands in the reply schema, allowed and refused', () => {
    const replies = seen
      .filter((m) => schemaOf(m.topic) === 'reply')
      .map((m) => m.json as { id: string; ok: boolean; error?: { code: string } });
    expect(replies.find((r) => r.id === 'ok-1')?.ok).toBe(true);
    expect(replies.find((r) => r.id === 'refused-1')?.error?.code).toBe('FORBIDDEN');
  });

  it('publishes the rolling-hour abandonment and the figures the wallboard tiles need', () => {
    const pacing = seen.filter((m) => schemaOf(m.topic) === 'campaign-pacing').at(-1)!.json as Record<string, unknown>;
    expect(pacing).toMatchObject({ abandonTarget: 0.03, acd: { abandonmentHour: expect.any(Number), callsPerHour: expect.any(Number) } });
    expect(typeof pacing.waiting).toBe('number');
  });

  it('offers Home Assistant discovery for spans, seats and campaigns, pointing at topics it publishes', () => {
    const topics = new Set(seen.map((m) => m.topic));
    const objects = discovery.map((d) => d.topic.split('/')[3]);
    expect(objects).toEqual(expect.arrayContaining(['span_1_link', 'span_2_alarms', 'seat_seat1', 'seat_seat16']));
    expect(objects.some((o) => /^campaign_.*_abandonment_hour$/.test(o))).toBe(true);
    for (const d of discovery) {
      const config = d.json as { state_topic: string; unique_id: string; availability_topic: string };
      expect(topics).toContain(config.state_topic);
      expect(config.availability_topic).toBe(`${gateway.root}/status`);
      expect(d.topic).toMatch(/^homeassistant\/(sensor|binary_sensor)\/trunkpilot_demo-sim\/[A-Za-z0-9_-]+\/config$/);
    }
    expect(new Set(discovery.map((d) => (d.json as { unique_id: string }).unique_id)).size).toBe(
      new Set(discovery.map((d) => d.topic)).size,
    );
  });
});

describe('the schemas themselves', () => {
  it('name every role and command action the gateway knows, so a new one cannot go out unlisted', () => {
    const access = JSON.parse(readFileSync(join(DIR, 'access.schema.json'), 'utf8'));
    expect([...access.properties.role.enum].sort()).toEqual([...TELEMETRY_ROLES].sort());
    expect([...access.properties.actions.items.enum].sort()).toEqual([...COMMAND_ACTIONS].sort());
  });

  it('cover every topic of the topic tree', () => {
    const topics = readFileSync(join(__dirname, '..', 'src', 'telemetry', 'topics.ts'), 'utf8');
    const listed = [...topics.matchAll(/^ \* {3}([a-z]+\/[^ ]*|status)\s/gm)].map((m) => `trunkpilot/gw/${m[1]}`);
    expect(listed.length).toBeGreaterThanOrEqual(12);
    for (const topic of listed)
      expect({ topic, schema: schemaOf(topic) && schemas.has(schemaOf(topic)!) }).toEqual({ topic, schema: true });
  });
});

describe('through the publisher', () => {
  it('validates a GSM module, and leaves out a number that is not finite instead of sending null', async () => {
    const broker = await startTestBroker('aedes');
    const source = new FixtureSource();
    source.spanList = [e1Span(1)];
    source.queueList = [
      {
        answerGroup: 'hotline',
        waiting: 2,
        longestWaitMs: 4100,
        offered: 30,
        refusedFull: 0,
        connected: 25,
        connectedWithinTarget: 22,
        abandonedInQueue: 2,
        timedOut: 1,
        serviceLevel: 0.79,
      },
    ];
    source.modemList = [
      {
        span: 3,
        channel: 1,
        path: '/dev/ttyUSB2',
        model: 'EC20',
        state: 'ready',
        reason: 'registered',
        rssi: 21,
        callsToday: 4,
        dailyCap: 150,
      },
    ];
    source.unassignedList = [
      { vendorId: '1e0e', productId: '9001', serialNumber: 'SIM76X', model: 'simcom-sim7600', atPort: '/dev/ttyUSB9', pluggedAt: 1 },
    ];
    source.pacingList = [{ campaign: 'c1', dialLevel: Number.POSITIVE_INFINITY, occupancy: Number.NaN, abandonment: 0 }];
    const publisher = new MqttTelemetryPublisher(source, {
      url: broker.url,
      gateway: 'gw1',
      clock: systemClock,
      username: 'trunkpilot',
      password: TEST_USERS.trunkpilot,
      intervalMs: 50,
    });
    const seen: Seen[] = [];
    const client = await mqtt.connectAsync(broker.url, { username: 'viewer', password: TEST_USERS.viewer });
    client.on('message', (topic, payload) => payload.length && seen.push({ topic, json: JSON.parse(payload.toString()) }));
    await client.subscribeAsync('trunkpilot/gw1/#');
    try {
      await publisher.start();
      const deadline = Date.now() + 5000;
      while (!seen.some((m) => m.topic.endsWith('/pacing')) || !seen.some((m) => m.topic.endsWith('/modems/unassigned'))) {
        if (Date.now() > deadline) throw new Error('nothing published');
        await new Promise((r) => setTimeout(r, 50));
      }
      await until(() => seen.some((m) => m.topic.includes('/queues/')));
      expect(violations(seen.filter((m) => m.topic.includes('/modems/') || m.topic.includes('/queues/')))).toEqual([]);
      const pacing = seen.find((m) => m.topic.endsWith('/pacing'))!.json as Record<string, unknown>;
      expect(pacing).not.toHaveProperty('dialLevel');
      expect(pacing).not.toHaveProperty('occupancy');
      expect(JSON.stringify(pacing)).not.toContain('null');
      // Left out, the payload no longer meets its schema: the contract flags it rather than a consumer reading null as 0.
      expect(violations([seen.find((m) => m.topic.endsWith('/pacing'))!])).toHaveLength(1);
    } finally {
      await client.endAsync();
      await publisher.close();
      await broker.close();
    }
  });
});
