/** Per-module telemetry of modem trunks over MQTT: state, signal, registration, operator, SIM, calls today against the cap. */
import { silentLogger } from '../core/logger';
import { CalleePopulation } from '../../simulator/callee-population';
import { buildGsmRig, GsmRig } from '../../simulator/modem/gsm-rig';
import { MqttWatch } from '../../test-support/telemetry/mqtt-watch';
import { hashPassword } from './broker/credentials';
import { startTelemetry, TelemetryHandle } from './start-telemetry';

jest.setTimeout(30_000);

let rig: GsmRig;
let t: TelemetryHandle;
let watch: MqttWatch;

beforeAll(async () => {
  const population = new CalleePopulation({ seed: 2 });
  rig = await buildGsmRig({ spans: 1, modems: 2, seed: 2, population, logger: silentLogger, dailyCallCap: 40 });
  // A viewer (read-only): what a dashboard of the mobile trunks logs in as.
  const viewer = { passwordHash: hashPassword('pw', { logN: 10, r: 8, p: 1 }), role: 'viewer' as const };
  t = await startTelemetry({ group: rig.group, gateway: 'gsm1', mqttPort: 0, httpPort: false, intervalMs: 100, users: { wall: viewer } });
  watch = await MqttWatch.connect(t.mqttUrl, { username: 'wall', password: 'pw' }, 'trunkpilot/gsm1/modems/#');
});

afterAll(async () => {
  await watch?.close();
  await t?.close();
  await rig?.close();
});

it('publishes each module retained, and its change when the network drops it', async () => {
  const first = await watch.next((m) => m.topic === 'trunkpilot/gsm1/modems/1/1/state');
  expect(first.retain).toBe(true);
  expect(first.json).toMatchObject({
    span: 1,
    channel: 1,
    model: 'quectel-ec2x',
    state: 'ready',
    rssi: 20,
    registration: 'home',
    operator: 'CHINA MOBILE',
    sim: 'ready',
    imei: '866123456700000',
    callsToday: 0,
    dailyCap: 40,
  });
  expect((await watch.next((m) => m.topic === 'trunkpilot/gsm1/modems/1/2/state')).json).toMatchObject({
    model: 'simcom-sim7600',
    state: 'ready',
  });

  rig.population.override('13800138000', 'busy');
  await rig.group.dial({ number: '13800138000' });
  expect((await watch.next((m) => m.json.callsToday === 1)).json).toMatchObject({ callsToday: 1, dailyCap: 40 });

  rig.injectFault('NOT_REGISTERED', { modem: 2 });
  const dropped = await watch.next((m) => m.topic === 'trunkpilot/gsm1/modems/1/2/state' && m.json.state === 'not-ready');
  expect(dropped.json.reason).toMatch(/not registered/);
});
