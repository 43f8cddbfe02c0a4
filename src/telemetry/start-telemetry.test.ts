/** startTelemetry as `npm start` uses it: ports, and a supervisor command reaching a live call. */
import { createServer, Server } from 'node:net';
import { priRig } from '../../hil-tests/pri-harness';
import { PriRig } from '../../simulator/pri/pri-rig';
import { hashPassword, TelemetryUser } from './broker/credentials';
import { PortInUseError } from './errors';
import { startTelemetry } from './start-telemetry';
import { MqttWatch } from '../../test-support/telemetry/mqtt-watch';

jest.setTimeout(30_000);

let rig: PriRig;
beforeAll(async () => {
  rig = await priRig({ spans: 1 });
});
afterAll(async () => {
  await rig?.close();
});

const operator = (pw: string): TelemetryUser => ({ passwordHash: hashPassword(pw, { logN: 10, r: 8, p: 1 }), role: 'operator' });

async function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port };
}

it('says which port is taken and which option moves it, and leaves nothing listening', async () => {
  const held = await occupy();
  try {
    const mqttFail = startTelemetry({ group: rig.group, mqttPort: held.port, httpPort: 0 });
    await expect(mqttFail).rejects.toThrow(PortInUseError);
    await expect(mqttFail).rejects.toThrow(
      `port ${held.port} on 127.0.0.1 is already in use, so the MQTT broker cannot start; stop what holds it or choose another port with --mqtt-port`,
    );

    const free = await occupy();
    const mqttPort = free.port;
    await new Promise((r) => free.server.close(r));
    await expect(startTelemetry({ group: rig.group, mqttPort, httpPort: held.port })).rejects.toThrow(
      /so the dashboard cannot start; .* --http-port/,
    );
    // The broker started before the dashboard failed was closed again: its port is usable.
    const again = await startTelemetry({ group: rig.group, mqttPort, httpPort: 0 });
    expect(again.mqttUrl).toBe(`mqtt://127.0.0.1:${mqttPort}`);
    await again.close();
  } finally {
    await new Promise((r) => held.server.close(r));
  }
});

it('lets an authorised supervisor release a live call over MQTT, and refuses anyone else', async () => {
  rig.population.override('02155501234', { kind: 'answer', ringMs: 50, talkMs: 60_000 });
  const t = await startTelemetry({
    group: rig.group,
    gateway: 'gw9',
    mqttPort: 0,
    httpPort: false,
    users: { boss: operator('pw1'), intern: operator('pw2') },
    acl: { boss: ['call.release'], intern: [] },
  });
  const boss = await MqttWatch.connect(t.mqttUrl, { username: 'boss', password: 'pw1' }, 'trunkpilot/gw9/reply/boss');
  const intern = await MqttWatch.connect(t.mqttUrl, { username: 'intern', password: 'pw2' }, 'trunkpilot/gw9/reply/intern');
  try {
    const result = await rig.group.dial({ number: '02155501234' });
    expect(result.outcome).toBe('answered');
    const callId = result.callId!;

    await intern.client.publishAsync('trunkpilot/gw9/cmd/intern/call.release', JSON.stringify({ id: 'i1', callId }), { qos: 1 });
    expect((await intern.next((m) => m.json.id === 'i1')).json.error.code).toBe('FORBIDDEN');
    expect(result.call!.state).toBe('answered');

    await boss.client.publishAsync('trunkpilot/gw9/cmd/boss/call.release', JSON.stringify({ id: 'b1', callId: 'nope' }), { qos: 1 });
    expect((await boss.next((m) => m.json.id === 'b1')).json.error).toMatchObject({
      code: 'FAILED',
      message: "call.release: no active call 'nope'",
    });

    await boss.client.publishAsync('trunkpilot/gw9/cmd/boss/call.release', JSON.stringify({ id: 'b2', callId, cause: 31 }), { qos: 1 });
    expect((await boss.next((m) => m.json.id === 'b2')).json).toEqual({
      v: 1,
      id: 'b2',
      action: 'call.release',
      ok: true,
      result: { released: callId },
    });
    const release = await result.call!.ended;
    expect(release).toMatchObject({ cause: 31, by: 'local' });
  } finally {
    await boss.close();
    await intern.close();
    await t.close();
  }
});

it('publishes seats attached after start, and routes their commands', async () => {
  const t = await startTelemetry({
    group: rig.group,
    gateway: 'gw8',
    mqttPort: 0,
    httpPort: false,
    intervalMs: 50,
    users: { boss: operator('pw1') },
    acl: { boss: ['seat.*'] },
  });
  const boss = await MqttWatch.connect(t.mqttUrl, { username: 'boss', password: 'pw1' }, 'trunkpilot/gw8/#');
  try {
    await boss.client.publishAsync('trunkpilot/gw8/cmd/boss/seat.force-busy', JSON.stringify({ id: 'f0', seat: 'a1' }), { qos: 1 });
    expect((await boss.next((m) => m.json.id === 'f0')).json.error.code).toBe('UNAVAILABLE');

    let state = 'ready';
    t.attach(
      { seats: () => [{ seat: 'a1', state, since: 0 }], campaigns: () => [], pacing: () => [] },
      { forceSeat: (_seat, availability) => void (state = availability === 'busy' ? 'paused' : 'ready') },
    );
    await boss.next((m) => m.topic === 'trunkpilot/gw8/seats/a1/state' && m.json.state === 'ready');
    await boss.client.publishAsync('trunkpilot/gw8/cmd/boss/seat.force-busy', JSON.stringify({ id: 'f1', seat: 'a1' }), { qos: 1 });
    expect((await boss.next((m) => m.json.id === 'f1')).json.ok).toBe(true);
    await boss.next((m) => m.topic === 'trunkpilot/gw8/seats/a1/state' && m.json.state === 'paused');
  } finally {
    await boss.close();
    await t.close();
  }
});
