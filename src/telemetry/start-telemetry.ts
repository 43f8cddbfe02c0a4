/**
 * One call to bring telemetry up next to a running controller: the embedded broker
 * (or a connection to an external one), the MQTT publisher, the dashboard, and
 * optionally InfluxDB history. `npm start` (the demo command) uses this.
 */
import { randomBytes } from 'node:crypto';
import { Clock, systemClock } from '../core/clock';
import { InputError } from '../core/errors';
import { Logger, silentLogger } from '../core/logger';
import { Span } from '../controller/span';
import { TrunkGroup } from '../controller/trunk-group';
import { TelemetryUser, hashPassword } from './broker/credentials';
import { BrokerLimits, EmbeddedBroker } from './broker/embedded-broker';
import { CommandAcl, SupervisorActions } from './commands';
import { ControllerTelemetrySource, SpanLineStatus } from './controller-source';
import { DashboardServer } from './dashboard/dashboard-server';
import { assertListenAllowed } from './exposure';
import { InfluxRecorder } from './influx/influx-recorder';
import { InfluxWriter } from './influx/influx-writer';
import { MqttPublisherOptions, MqttTelemetryPublisher, MqttTlsOptions } from './mqtt-publisher';
import { NumberPolicy } from './number-mask';
import { OperationsSource, UnassignedModemSnapshot } from './source';

export interface TelemetryOptions {
  /** The controller's spans: a TrunkGroup or the spans themselves. */
  group?: TrunkGroup;
  spans?: readonly Span[];
  /** GSM modules plugged in that the site file does not list (published on modems/unassigned). */
  unassignedModems?: () => UnassignedModemSnapshot[];
  gateway?: string;
  clock?: Clock;
  logger?: Logger;
  /**
   * Address the embedded broker and the dashboard listen on (default 127.0.0.1).
   * Anything beyond loopback needs `users`: it is refused otherwise.
   */
  host?: string;
  /** Embedded broker's MQTT port (default 1883; 0 picks one). */
  mqttPort?: number;
  /** Dashboard port (default 8080; 0 picks one; false for no dashboard). */
  httpPort?: number | false;
  /** An external broker instead of the embedded one. */
  broker?: {
    url: string;
    username?: string;
    password?: string;
    protocolVersion?: 4 | 5;
    tls?: MqttTlsOptions;
    dashboardWebSocketUrl?: string;
  };
  /**
   * Who may log in to the embedded broker and the dashboard (viewers read, operators
   * also command): scrypt hashes, see broker/credentials.ts. Nobody logs in anonymously.
   */
  users?: Record<string, TelemetryUser>;
  /** Packet size, login time and WebSocket origin limits of the embedded broker. */
  limits?: Partial<BrokerLimits>;
  /** Which user may run which command (default: none). */
  acl?: CommandAcl;
  /** Agents: user name to its own seat, the only one its commands may name. */
  seatOf?: Record<string, string>;
  /** Seats and campaigns' supervisor actions; call.release is provided by the controller. */
  actions?: SupervisorActions;
  /** Seats, campaigns and pacing, when those modules are running. */
  operations?: OperationsSource;
  /** Span alarms and framing from the line (e.g. DahdiLineStatus on a board). */
  line?: SpanLineStatus;
  numbers?: NumberPolicy;
  /** MQTT state interval (default 1000 ms). */
  intervalMs?: number;
  /** Home Assistant MQTT discovery under this prefix (e.g. 'homeassistant'); off when absent. */
  homeAssistantPrefix?: string;
  influx?: { url: string; database: string; username?: string; password?: string; intervalMs?: number };
}

export interface TelemetryHandle {
  readonly source: ControllerTelemetrySource;
  readonly publisher: MqttTelemetryPublisher;
  /** mqtt://... of the broker in use. */
  readonly mqttUrl: string;
  /** http://... of the dashboard, when there is one. */
  readonly dashboardUrl: string | undefined;
  readonly influx: { writer: InfluxWriter; recorder: InfluxRecorder } | undefined;
  /** Plugs in seats/campaigns/pacing (and their supervisor actions) once they are running. */
  attach(operations: OperationsSource, actions?: SupervisorActions): void;
  close(): Promise<void>;
}

const SERVICE_USER = 'trunkpilot';

export async function startTelemetry(opts: TelemetryOptions): Promise<TelemetryHandle> {
  const spans = opts.spans ?? opts.group?.spans;
  if (!spans) throw new InputError('telemetry', 'needs the controller spans (group or spans)');
  const clock = opts.clock ?? systemClock;
  const logger = (opts.logger ?? silentLogger).child({ module: 'telemetry' });
  const gateway = opts.gateway ?? 'gw1';
  const host = opts.host ?? '127.0.0.1';
  const source = new ControllerTelemetrySource(spans, opts.operations, opts.line);
  source.unassignedModems = opts.unassignedModems;
  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };

  try {
    let broker: EmbeddedBroker | undefined;
    let connect: Pick<MqttPublisherOptions, 'url' | 'username' | 'password' | 'protocolVersion' | 'tls'>;
    if (opts.broker) {
      connect = opts.broker;
    } else {
      if (opts.users && Object.prototype.hasOwnProperty.call(opts.users, SERVICE_USER))
        throw new InputError('telemetry.users', `'${SERVICE_USER}' is reserved for trunkpilot itself`);
      const servicePassword = randomBytes(18).toString('base64url');
      const service: TelemetryUser = { passwordHash: hashPassword(servicePassword), role: 'operator' };
      broker = await EmbeddedBroker.start({
        host,
        port: opts.mqttPort ?? 1883,
        users: { ...opts.users, [SERVICE_USER]: service },
        serviceUser: SERVICE_USER,
        discoveryPrefix: opts.homeAssistantPrefix,
        limits: opts.limits,
        logger,
      });
      closers.push(() => broker!.close());
      connect = { url: broker.url, username: SERVICE_USER, password: servicePassword };
    }

    let dashboard: DashboardServer | undefined;
    if (opts.httpPort !== false) {
      const ws = opts.broker ? opts.broker.dashboardWebSocketUrl : '/mqtt';
      if (ws === undefined)
        throw new InputError(
          'telemetry.broker.dashboardWebSocketUrl',
          "the dashboard needs the external broker's WebSocket URL (or httpPort: false)",
        );
      // The page itself holds no data, but it is a listener like any other.
      assertListenAllowed(host, opts.broker !== undefined || Object.keys(opts.users ?? {}).length > 0, 'telemetry.host', 'telemetry.users');
      dashboard = await DashboardServer.start({ gateway, mqttWebSocket: ws }, host, opts.httpPort ?? 8080);
      closers.push(() => dashboard!.close());
      broker?.attachWebSocket(dashboard.http, '/mqtt');
    }

    // One object the command handler keeps: attach() adds the seats' actions to it later.
    const actions: SupervisorActions = { releaseCall: (id, cause) => releaseCall(spans, id, cause), ...opts.actions };
    const publisher = new MqttTelemetryPublisher(source, {
      ...connect,
      gateway,
      clock,
      logger,
      numbers: opts.numbers,
      intervalMs: opts.intervalMs,
      commands: { acl: opts.acl ?? {}, actions, seatOf: opts.seatOf },
      // The dashboard shows each user the buttons its role and the command ACL allow.
      access: Object.fromEntries(Object.entries(opts.users ?? {}).map(([name, u]) => [name, u.role])),
      homeAssistantPrefix: opts.homeAssistantPrefix,
    });
    await publisher.start();
    closers.push(() => publisher.close());

    let influx: TelemetryHandle['influx'];
    if (opts.influx) {
      const writer = new InfluxWriter({
        url: opts.influx.url,
        database: opts.influx.database,
        username: opts.influx.username,
        password: opts.influx.password,
        clock,
        logger,
      });
      const recorder = new InfluxRecorder(source, writer, { gateway, clock, intervalMs: opts.influx.intervalMs, logger });
      recorder.start();
      closers.push(() => writer.close());
      closers.push(() => recorder.close());
      influx = { writer, recorder };
    }

    const hostForUrl = host.includes(':') ? `[${host}]` : host;
    return {
      source,
      publisher,
      mqttUrl: connect.url,
      dashboardUrl: dashboard ? `http://${hostForUrl}:${dashboard.port}/` : undefined,
      influx,
      attach(operations, more) {
        source.setOperations(operations);
        Object.assign(actions, more);
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

function releaseCall(spans: readonly Span[], callId: string, cause: number): { released: string } {
  for (const span of spans) {
    const call = span.activeCalls().find((c) => c.id === callId);
    if (call) {
      call.hangup(cause);
      return { released: callId };
    }
  }
  throw new InputError('call.release', `no active call '${callId}'`);
}
