import { TelemetryRole, TelemetryUser, hashPassword } from '../../src/telemetry/broker/credentials';
import { EmbeddedBroker } from '../../src/telemetry/broker/embedded-broker';
import { MosquittoServer } from './mosquitto-server';

/** One broker the MQTT contract suite runs against. */
export interface TestBroker {
  readonly url: string;
  /** Stops and starts the broker on the same port; its retained messages are lost. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Starts a stopped broker again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_USERS = { trunkpilot: 'svc-secret', supervisor: 'sup-secret', agent: 'agent-secret', viewer: 'view-secret' };
/** agent is an operator the command ACL of the tests does not name. */
export const TEST_ROLES: Record<keyof typeof TEST_USERS, TelemetryRole> = {
  trunkpilot: 'operator',
  supervisor: 'operator',
  agent: 'operator',
  viewer: 'viewer',
};
const ACL_OPTS = { serviceUser: 'trunkpilot' };

/** Test users for the embedded broker, hashed at scrypt's lowest cost we accept (2^10) to keep tests quick. */
export function hashedTestUsers(): Record<string, TelemetryUser> {
  const out: Record<string, TelemetryUser> = {};
  for (const [user, pw] of Object.entries(TEST_USERS))
    out[user] = { passwordHash: hashPassword(pw, { logN: 10, r: 8, p: 1 }), role: TEST_ROLES[user as keyof typeof TEST_USERS] };
  return out;
}

export type BrokerKind = 'aedes' | 'mosquitto';

export async function startTestBroker(kind: BrokerKind): Promise<TestBroker> {
  if (kind === 'mosquitto') return MosquittoServer.start({ users: TEST_USERS, roles: TEST_ROLES, ...ACL_OPTS });
  const opts = { host: '127.0.0.1', port: 0, users: hashedTestUsers(), ...ACL_OPTS };
  let broker: EmbeddedBroker | undefined = await EmbeddedBroker.start(opts);
  const port = broker.port;
  const url = broker.url;
  const stop = async () => {
    await broker?.close();
    broker = undefined;
  };
  const start = async () => {
    broker = await EmbeddedBroker.start({ ...opts, port });
  };
  return {
    url,
    stop,
    start,
    async restart() {
      await stop();
      await start();
    },
    close: stop,
  };
}
