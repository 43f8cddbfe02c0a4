/**
 * The embedded broker probed as a hostile client would: oversized packets, oversized
 * WebSocket messages from another origin, silent connections, non-loopback without
 * users. What is refused must be refused before it is buffered: RSS stays flat.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, Socket } from 'node:net';
import WebSocket from 'ws';
import { InputError } from '../../core/errors';
import { DashboardServer } from '../dashboard/dashboard-server';
import { tsChildArgs } from '../../../test-support/run-ts';
import { MqttWatch } from '../../../test-support/telemetry/mqtt-watch';
import { hashPassword, TelemetryUser } from './credentials';
import { EmbeddedBroker } from './embedded-broker';

jest.setTimeout(60_000);

const cheap = (pw: string, role: TelemetryUser['role']): TelemetryUser => ({
  passwordHash: hashPassword(pw, { logN: 10, r: 8, p: 1 }),
  role,
});
const USERS = { trunkpilot: cheap('svc', 'operator'), watcher: cheap('watch', 'viewer') };
const MB = 1024 * 1024;

let broker: EmbeddedBroker;
let dashboard: DashboardServer;
/** The same broker and dashboard in a child process, whose RSS the attack tests read. */
let child: ChildProcess;
let childPorts: { mqttPort: number; httpPort: number };
beforeAll(async () => {
  broker = await EmbeddedBroker.start({
    host: '127.0.0.1',
    port: 0,
    users: USERS,
    serviceUser: 'trunkpilot',
    limits: { connectTimeoutMs: 800 },
  });
  dashboard = await DashboardServer.start({ gateway: 'gw', mqttWebSocket: '/mqtt' }, '127.0.0.1', 0);
  broker.attachWebSocket(dashboard.http, '/mqtt');
  child = spawn(process.execPath, tsChildArgs('telemetry/broker-child.ts'), {
    env: { ...process.env, TP_USERS: JSON.stringify(USERS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  childPorts = await new Promise((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve(JSON.parse(String(d))));
    child.once('exit', (code) => reject(new Error(`broker child exited with ${code}`)));
  });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await broker?.close();
  await dashboard?.close();
});

/** The broker child's resident memory, from /proc. */
function childRssMb(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
}

/** MQTT remaining-length varint. */
function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

function connectPacket(user?: string, password?: string): Buffer {
  const str = (s: string) => Buffer.concat([Buffer.from([s.length >> 8, s.length & 0xff]), Buffer.from(s)]);
  const flags = (user ? 0x80 : 0) | (password ? 0x40 : 0) | 0x02;
  const body = Buffer.concat([
    str('MQTT'),
    Buffer.from([4, flags, 0, 60]),
    str('attacker'),
    ...(user ? [str(user)] : []),
    ...(password ? [str(password)] : []),
  ]);
  return Buffer.concat([Buffer.from([0x10]), varint(body.length), body]);
}

/**
 * Streams `declared` bytes of one packet (header then zeros, 1 MiB at a time, one
 * buffer reused so the sender's own memory stays flat) until done or the broker hangs up.
 * Returns how many bytes were written before the connection closed.
 */
async function streamPacket(sock: Socket, header: Buffer, declared: number): Promise<number> {
  const chunk = Buffer.alloc(MB);
  let sent = 0;
  let closed = false;
  sock.on('close', () => (closed = true));
  sock.on('error', () => (closed = true));
  sock.write(header);
  while (!closed && sent < declared) {
    const ok = sock.write(chunk);
    sent += chunk.length;
    if (!ok)
      await new Promise((r) => {
        sock.once('drain', r);
        sock.once('close', r);
      });
  }
  if (!closed) await new Promise((r) => sock.once('close', r));
  return sent;
}

async function tcp(port = broker.port): Promise<Socket> {
  const sock = tcpConnect(port, '127.0.0.1');
  await once(sock, 'connect');
  return sock;
}

it('hangs up on an anonymous 250 MB PUBLISH before buffering it: RSS stays flat', async () => {
  const before = childRssMb();
  const sock = await tcp(childPorts.mqttPort);
  const declared = 250 * MB;
  const publish = Buffer.concat([Buffer.from([0x30]), varint(declared)]);
  const sent = await streamPacket(sock, publish, declared);
  const after = childRssMb();
  console.log(
    `anonymous 250 MB PUBLISH: broker RSS ${before.toFixed(0)} -> ${after.toFixed(0)} MB, ${(sent / MB).toFixed(0)} MB written before the hang-up`,
  );
  expect(sent).toBeLessThan(declared);
  expect(after - before).toBeLessThan(20);
});

it("hangs up on a 250 MB CONNECT and on a logged-in user's 250 MB PUBLISH", async () => {
  const before = childRssMb();
  const huge = 250 * MB;
  const s1 = await tcp(childPorts.mqttPort);
  const sent1 = await streamPacket(s1, Buffer.concat([Buffer.from([0x10]), varint(huge)]), huge);
  const s2 = await tcp(childPorts.mqttPort);
  s2.write(connectPacket('watcher', 'watch'));
  await new Promise((r) => setTimeout(r, 200));
  const sent2 = await streamPacket(s2, Buffer.concat([Buffer.from([0x30]), varint(huge)]), huge);
  const after = childRssMb();
  console.log(`250 MB CONNECT and logged-in 250 MB PUBLISH: broker RSS ${before.toFixed(0)} -> ${after.toFixed(0)} MB`);
  expect(sent1).toBeLessThan(huge);
  expect(sent2).toBeLessThan(huge);
  expect(after - before).toBeLessThan(20);

  // In-process, the refusals are counted by kind.
  const s3 = await tcp();
  await streamPacket(s3, Buffer.concat([Buffer.from([0x10]), varint(huge)]), huge);
  expect(broker.refusals.oversized).toBe(1);
});

it('refuses anonymous logins and closes a connection that never logs in within the connect timeout', async () => {
  await expect(MqttWatch.connect(broker.url, {})).rejects.toThrow(/[Nn]ot authorized/);
  const silent = await tcp();
  const t0 = Date.now();
  await new Promise((r) => silent.once('close', r));
  expect(Date.now() - t0).toBeLessThan(3000);
  // A real user still gets in.
  const ok = await MqttWatch.connect(broker.url, { username: 'watcher', password: 'watch' });
  await ok.close();
});

it('refuses a WebSocket from another origin at the upgrade, and a 90 MB message from any origin: RSS stays flat', async () => {
  const url = `ws://127.0.0.1:${childPorts.httpPort}/mqtt`;
  const before = childRssMb();
  for (let i = 0; i < 3; i++) {
    const evil = new WebSocket(url, 'mqtt', { origin: 'http://evil.example' });
    const status = await new Promise<number>((resolve) => {
      evil.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      evil.on('open', () => resolve(101));
      evil.on('error', () => resolve(-1));
    });
    expect(status).toBe(401);
  }

  // The same page's origin gets through the upgrade, but not with a 90 MB message
  // (once to warm up the WebSocket path, then three times measured).
  const big = Buffer.alloc(90 * MB);
  let measuredFrom = before;
  for (let i = 0; i < 4; i++) {
    if (i === 1) measuredFrom = childRssMb();
    const own = new WebSocket(url, 'mqtt', { origin: `http://127.0.0.1:${childPorts.httpPort}`, maxPayload: 0 });
    await once(own, 'open');
    const closed = new Promise<number>((resolve) => own.on('close', (code) => resolve(code)));
    own.on('error', () => undefined);
    own.send(big);
    expect(await closed).toBe(1009); // "message too big"
  }
  const after = childRssMb();
  console.log(
    `3 cross-origin WebSockets, then 4 x 90 MB messages: broker RSS ${before.toFixed(0)} -> ${measuredFrom.toFixed(0)} (after the first) -> ${after.toFixed(0)} MB`,
  );
  // One buffered message would cost 90 MB; what remains is allocator noise (it plateaus over 10 tries).
  expect(after - measuredFrom).toBeLessThan(40);

  // In-process, a cross-origin upgrade is counted.
  const evil = new WebSocket(`ws://127.0.0.1:${dashboard.port}/mqtt`, 'mqtt', { origin: 'https://evil.example' });
  await new Promise((r) => {
    evil.on('unexpected-response', r);
    evil.on('error', r);
  });
  expect(broker.refusals.badOrigin).toBe(1);
});

it('will not listen beyond loopback without users, and says which setting to change', async () => {
  const err = await EmbeddedBroker.start({
    host: '0.0.0.0',
    port: 0,
    users: { trunkpilot: USERS.trunkpilot },
    serviceUser: 'trunkpilot',
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toBe(
    'telemetry.host: refusing to listen on 0.0.0.0 (beyond loopback) with no users configured: add users under telemetry.users, or listen on 127.0.0.1',
  );
  const withUsers = await EmbeddedBroker.start({ host: '0.0.0.0', port: 0, users: USERS, serviceUser: 'trunkpilot' });
  await withUsers.close();
});
