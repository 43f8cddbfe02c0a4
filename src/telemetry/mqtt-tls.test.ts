/**
 * TLS to an external broker: a real mosquitto with a TLS listener and a throwaway CA
 * made with openssl. The publisher trusts the broker only through the CA it is given.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../core/clock';
import { BrokerConnectError } from './errors';
import { MqttTelemetryPublisher } from './mqtt-publisher';
import { e1Span, FixtureSource } from '../../test-support/telemetry/fixture-source';
import { MosquittoServer } from '../../test-support/telemetry/mosquitto-server';
import { MqttWatch } from '../../test-support/telemetry/mqtt-watch';
import { TEST_ROLES, TEST_USERS } from '../../test-support/telemetry/test-brokers';

jest.setTimeout(30_000);

let dir: string;
let broker: MosquittoServer;
let ca: Buffer;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tp-tls-'));
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=trunkpilot test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server.crt',
  );
  ca = readFileSync(join(dir, 'ca.crt'));
  broker = await MosquittoServer.start({
    users: TEST_USERS,
    roles: TEST_ROLES,
    serviceUser: 'trunkpilot',
    tls: { certfile: join(dir, 'server.crt'), keyfile: join(dir, 'server.key') },
  });
});

afterAll(async () => {
  await broker?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function publisher(tls: { ca?: Buffer }): MqttTelemetryPublisher {
  const source = new FixtureSource();
  source.spanList = [e1Span(1, 2)];
  return new MqttTelemetryPublisher(source, {
    url: `mqtts://127.0.0.1:${broker.tlsPort}`,
    gateway: 'tls',
    clock: systemClock,
    username: 'trunkpilot',
    password: TEST_USERS.trunkpilot,
    tls,
    connectTimeoutMs: 3000,
  });
}

it('publishes over TLS when given the CA that signed the broker certificate', async () => {
  const p = publisher({ ca });
  await p.start();
  const w = await MqttWatch.connect(
    `mqtts://127.0.0.1:${broker.tlsPort}`,
    { ca, username: 'viewer', password: TEST_USERS.viewer },
    'trunkpilot/tls/#',
  );
  try {
    expect((await w.next((m) => m.topic === 'trunkpilot/tls/status')).json.state).toBe('online');
    expect((await w.next((m) => m.topic === 'trunkpilot/tls/spans/1/state')).json.counts.connected).toBe(2);
  } finally {
    await w.close();
    await p.close();
  }
});

it('refuses a broker whose certificate it cannot verify', async () => {
  const p = publisher({});
  const err = await p.start().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BrokerConnectError);
  expect(String((err as Error).message)).toMatch(/certificate/);
});
