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

export const TEST_USERS = { trunkpilot: 'svc-secret', supervisor: 'sup-secret', viewer: 'view-secret' };
const ACL_OPTS = { serviceUser: 'trunkpilot', allowAnonymousRead: true };

export type BrokerKind = 'aedes' | 'mosquitto';

export async function startTestBroker(kind: BrokerKind): Promise<TestBroker> {
  if (kind === 'mosquitto') return MosquittoServer.start({ users: TEST_USERS, ...ACL_OPTS });
  const opts = { host: '127.0.0.1', port: 0, users: TEST_USERS, ...ACL_OPTS };
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
