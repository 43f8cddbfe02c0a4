/**
 * Publishes a TelemetrySource to an MQTT broker under trunkpilot/<gateway>/ (see
 * topics.ts). Retained state is sent only when it changed, and all of it again after
 * every (re)connect, so a broker restart or a new subscriber always sees the present.
 * While disconnected nothing is queued: state is re-sent on reconnect and call events
 * of that time are counted as dropped, so an absent broker never grows memory.
 */
import mqtt, { IClientOptions, IPublishPacket, MqttClient } from 'mqtt';
import { CallEvent } from '../core/call-events';
import { Clock, TimerHandle } from '../core/clock';
import { Logger, silentLogger } from '../core/logger';
import { StateMachine, TransitionTable } from '../core/state-machine';
import { CallCounters } from './call-counters';
import { COMMAND_ACTIONS, CommandAcl, CommandHandler, CommandRateLimit, SupervisorActions } from './commands';
import { BrokerConnectError } from './errors';
import { discoveryMessages } from './home-assistant';
import { NumberPolicy, presentNumber } from './number-mask';
import { TelemetrySource } from './source';
import { TopicTree } from './topics';
import { sendsCommands, type TelemetryRole } from './broker/credentials';

/** The payload contract's version, in every message as "v" (schemas/mqtt/). Raised on an incompatible change. */
export const CONTRACT_VERSION = 1;

export interface MqttTlsOptions {
  /** PEM contents (not paths). */
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
}

export interface MqttPublisherOptions {
  /** mqtt://host:port, mqtts://host:port, ws://... */
  url: string;
  gateway: string;
  clock: Clock;
  username?: string;
  password?: string;
  /** 4 = MQTT 3.1.1 (default), 5 = MQTT 5. */
  protocolVersion?: 4 | 5;
  tls?: MqttTlsOptions;
  clientId?: string;
  /** How often state is compared and changes published (default 1000 ms). */
  intervalMs?: number;
  /** Phone numbers in call events: masked unless set to 'clear'. */
  numbers?: NumberPolicy;
  /** Commands are accepted only when given (ACL plus the actions to run). */
  commands?: { acl: CommandAcl; actions: SupervisorActions; rate?: CommandRateLimit; seatOf?: Record<string, string> };
  /** Users who may log in (dashboard, command tools): each is told its role and allowed actions on access/<user>. */
  access?: Record<string, TelemetryRole>;
  /** Home Assistant MQTT discovery for spans, seats and campaigns under this prefix (e.g. 'homeassistant'). */
  homeAssistantPrefix?: string;
  logger?: Logger;
  /** How long start() waits for the first connection (default 5000 ms). */
  connectTimeoutMs?: number;
}

export interface MqttPublisherStats {
  messages: number;
  bytes: number;
  callEvents: number;
  /** Call events that happened while the broker was unreachable. */
  callEventsDropped: number;
  commands: number;
  commandsRejected: number;
  reconnects: number;
}

type LinkState = 'idle' | 'connecting' | 'online' | 'offline' | 'closed';
type LinkEvent = 'start' | 'connected' | 'lost' | 'close';
const LINK: TransitionTable<LinkState, LinkEvent> = {
  idle: { start: 'connecting', close: 'closed' },
  connecting: { connected: 'online', lost: 'connecting', close: 'closed' },
  online: { lost: 'offline', connected: 'online', close: 'closed' },
  offline: { connected: 'online', lost: 'offline', close: 'closed' },
  closed: { lost: 'closed', close: 'closed', connected: 'closed' },
};

export class MqttTelemetryPublisher {
  readonly topics: TopicTree;
  private client: MqttClient | undefined;
  private readonly link: StateMachine<LinkState, LinkEvent>;
  private readonly lastSent = new Map<string, string>();
  /** Retained topics the snapshot being published contains. */
  private current = new Set<string>();
  private readonly counters = new CallCounters();
  private readonly commands: CommandHandler | undefined;
  private readonly logger: Logger;
  private readonly numbers: NumberPolicy;
  private timer: TimerHandle | undefined;
  private unsubscribeCalls: (() => void) | undefined;
  private readonly statistics: MqttPublisherStats = {
    messages: 0,
    bytes: 0,
    callEvents: 0,
    callEventsDropped: 0,
    commands: 0,
    commandsRejected: 0,
    reconnects: 0,
  };
  private readonly startedAt: number;

  constructor(
    private readonly source: TelemetrySource,
    private readonly opts: MqttPublisherOptions,
  ) {
    this.topics = new TopicTree(opts.gateway);
    this.logger = (opts.logger ?? silentLogger).child({ module: 'mqtt' });
    this.link = new StateMachine('mqtt link', LINK, 'idle', { clock: opts.clock });
    this.numbers = opts.numbers ?? 'masked';
    this.commands = opts.commands
      ? new CommandHandler(opts.commands.acl, opts.commands.actions, opts.commands.rate, opts.clock, opts.commands.seatOf)
      : undefined;
    this.startedAt = opts.clock.now();
  }

  get state(): LinkState {
    return this.link.state;
  }

  stats(): MqttPublisherStats {
    return { ...this.statistics };
  }

  /** Connects, publishes everything, and keeps publishing; rejects if the first connection fails. */
  async start(): Promise<void> {
    this.link.transition('start');
    const o = this.opts;
    const clientOpts: IClientOptions = {
      protocolVersion: o.protocolVersion ?? 4,
      clientId: o.clientId ?? `trunkpilot-${o.gateway}-${process.pid}`,
      username: o.username,
      password: o.password,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: o.connectTimeoutMs ?? 5000,
      queueQoSZero: false,
      will: {
        topic: this.topics.status(),
        payload: Buffer.from(JSON.stringify({ v: CONTRACT_VERSION, state: 'offline', reason: 'connection lost' })),
        qos: 1,
        retain: true,
      },
      ...o.tls,
    };
    const client = mqtt.connect(o.url, clientOpts);
    this.client = client;
    client.on('connect', () => this.onConnect());
    client.on('close', () => {
      if (this.link.state === 'online') this.logger.warn('broker connection lost; retrying', { url: o.url });
      this.link.transition('lost');
    });
    client.on('message', (topic, payload, packet) => void this.onMessage(topic, payload, packet));
    this.unsubscribeCalls = this.source.onCallEvent((ev) => this.onCallEvent(ev));

    await new Promise<void>((resolve, reject) => {
      const giveUp = o.clock.setTimer((o.connectTimeoutMs ?? 5000) + 500, () =>
        fail(new BrokerConnectError(o.url, 'no connection', false)),
      );
      const fail = (err: Error) => {
        giveUp.cancel();
        client.removeListener('connect', ok);
        void this.close().finally(() => reject(err));
      };
      const ok = () => {
        giveUp.cancel();
        client.removeListener('error', onError);
        client.on('error', (err) => this.logger.warn('broker error', { error: err.message }));
        resolve();
      };
      const onError = (err: Error & { code?: number | string }) => {
        const auth = err.code === 4 || err.code === 5 || err.code === 134 || err.code === 135;
        fail(new BrokerConnectError(o.url, err.message, auth));
      };
      client.once('connect', ok);
      client.once('error', onError);
    });
    this.schedule();
  }

  /** Compares the source with what was last sent and publishes the differences. */
  publishChanges(): void {
    if (!this.client?.connected) return;
    const t = this.topics;
    const live = new Set<string>();
    this.current = live;
    for (const s of this.source.spans()) {
      const { channels, ...state } = s;
      this.retain(t.spanState(s.span), state);
      this.retain(t.spanChannels(s.span), { span: s.span, channels: Object.fromEntries(channels.map((c) => [c.channel, c.state])) });
      this.retain(t.spanCounters(s.span), { span: s.span, ...this.counters.span(s.span) });
    }
    for (const m of this.source.modems?.() ?? []) this.retain(t.modem(m.span, m.channel), m);
    const unassigned = this.source.unassignedModems?.();
    if (unassigned) this.retain(t.unassignedModems(), { devices: unassigned });
    for (const seat of this.source.seats()) this.retain(t.seat(seat.seat), seat);
    for (const c of this.source.campaigns()) this.retain(t.campaignProgress(c.campaign), c);
    for (const p of this.source.pacing()) this.retain(t.campaignPacing(p.campaign), p);
    for (const q of this.source.queues?.() ?? []) this.retain(t.queue(q.answerGroup), q);
    for (const [user, role] of Object.entries(this.opts.access ?? {})) {
      const actions = sendsCommands(role) && this.commands ? COMMAND_ACTIONS.filter((a) => this.commands!.mayRun(user, a)) : [];
      this.retain(t.access(user), { user, role, actions });
    }
    if (this.opts.homeAssistantPrefix) {
      const snapshot = { spans: this.source.spans(), seats: this.source.seats(), campaigns: this.source.campaigns() };
      for (const m of discoveryMessages(this.opts.homeAssistantPrefix, t, snapshot)) this.retain(m.topic, m.config, false);
    }
    // A seat, campaign or span that is gone: an empty retained message removes it from the broker.
    for (const topic of [...this.lastSent.keys()]) {
      if (live.has(topic)) continue;
      this.lastSent.delete(topic);
      this.send(topic, '', 1, true);
    }
  }

  async close(): Promise<void> {
    if (this.link.state === 'closed') return;
    this.link.transition('close');
    this.timer?.cancel();
    this.unsubscribeCalls?.();
    const client = this.client;
    if (!client) return;
    if (client.connected) {
      // A clean stop says so; the last-will covers every other way of going away.
      await client
        .publishAsync(
          this.topics.status(),
          JSON.stringify({ v: CONTRACT_VERSION, state: 'offline', reason: 'shutdown', at: this.opts.clock.now() }),
          {
            qos: 1,
            retain: true,
          },
        )
        .catch(() => undefined);
    }
    await client.endAsync(!client.connected);
  }

  private schedule(): void {
    this.timer = this.opts.clock.setTimer(this.opts.intervalMs ?? 1000, () => {
      if (this.link.state === 'closed') return;
      try {
        this.publishChanges();
      } catch (err) {
        this.logger.error('telemetry snapshot failed', { error: String(err) });
      }
      this.schedule();
    });
  }

  private onConnect(): void {
    if (this.link.state === 'closed') return;
    if (this.link.state === 'offline') this.statistics.reconnects++;
    this.link.transition('connected');
    this.logger.info('connected to broker', { url: this.opts.url });
    // Clean session: the broker may have lost our retained state; send all of it again.
    // Keep the topics (so what vanished meanwhile is still removed) but forget their contents.
    for (const topic of this.lastSent.keys()) this.lastSent.set(topic, '');
    this.send(
      this.topics.status(),
      JSON.stringify({
        v: CONTRACT_VERSION,
        state: 'online',
        gateway: this.opts.gateway,
        since: this.startedAt,
        at: this.opts.clock.now(),
      }),
      1,
      true,
    );
    if (this.commands) this.client!.subscribe(this.topics.commandFilter(), { qos: 1 });
    this.publishChanges();
  }

  private onCallEvent(ev: CallEvent): void {
    this.counters.record(ev);
    this.statistics.callEvents++;
    if (!this.client?.connected) {
      this.statistics.callEventsDropped++;
      return;
    }
    const out: Record<string, unknown> = { v: CONTRACT_VERSION, ...ev };
    if ('number' in ev) out.number = presentNumber(ev.number, this.numbers);
    if ('callerId' in ev && ev.callerId !== undefined) out.callerId = presentNumber(ev.callerId, this.numbers);
    this.send(this.topics.calls(ev.span), JSON.stringify(out, finiteOnly), 0, false);
  }

  private async onMessage(topic: string, payload: Buffer, packet: IPublishPacket): Promise<void> {
    const cmd = this.topics.parseCommand(topic);
    if (!cmd || !this.commands) return;
    this.statistics.commands++;
    const reply = await this.commands.handle(cmd.user, cmd.action, payload);
    if (!reply) {
      this.statistics.commandsRejected++;
      return;
    }
    if (!reply.ok) {
      this.statistics.commandsRejected++;
      this.logger.warn('command refused', { user: cmd.user, action: cmd.action, code: reply.error.code, message: reply.error.message });
    } else {
      this.logger.info('command run', { user: cmd.user, action: cmd.action, id: reply.id });
    }
    // MQTT 5 callers may name a response topic, but only inside their own reply subtree.
    const own = this.topics.reply(cmd.user);
    const asked = packet.properties?.responseTopic;
    const replyTopic = asked && (asked === own || asked.startsWith(own + '/')) ? asked : own;
    const properties = packet.properties?.correlationData ? { correlationData: packet.properties.correlationData } : undefined;
    if (this.client?.connected) {
      const body = JSON.stringify({ v: CONTRACT_VERSION, ...reply }, finiteOnly);
      this.count(body);
      this.client.publish(replyTopic, body, {
        qos: 1,
        retain: false,
        ...(properties && this.opts.protocolVersion === 5 ? { properties } : {}),
      });
    }
  }

  /** `stamped`: with the contract version and the time (everything of ours; not Home Assistant's configs). */
  private retain(topic: string, body: object, stamped = true): void {
    this.current.add(topic);
    const json = JSON.stringify(stamped ? { v: CONTRACT_VERSION, ...body } : body, finiteOnly);
    if (this.lastSent.get(topic) === json) return;
    this.lastSent.set(topic, json);
    this.send(topic, stamped ? json.slice(0, -1) + `,"at":${this.opts.clock.now()}}` : json, 1, true);
  }

  private send(topic: string, body: string, qos: 0 | 1, retain: boolean): void {
    this.count(body);
    this.client!.publish(topic, body, { qos, retain });
  }

  private count(body: string): void {
    this.statistics.messages++;
    this.statistics.bytes += Buffer.byteLength(body);
  }
}

/** A number the contract types as a number is never sent as null: NaN and infinities are left out instead. */
function finiteOnly(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? undefined : value;
}
