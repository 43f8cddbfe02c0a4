/**
 * The client side of the gateway's command interface: publishes a request to
 * trunkpilot/<gw>/cmd/<user>/<action> as an authenticated MQTT user and waits for
 * the matching reply on trunkpilot/<gw>/reply/<user>. What `trunkpilot campaign`
 * uses to reach a running gateway.
 */
import { randomBytes } from 'node:crypto';
import mqtt, { MqttClient } from 'mqtt';
import { InputError, TrunkpilotError } from '../core/errors';
import { SiteConfig } from '../provisioning/site-types';
import { TopicTree } from '../telemetry/topics';
import { BrokerConnectError } from '../telemetry/errors';
import { gatewayName } from './site-telemetry';

export interface CommandTarget {
  url: string;
  gateway: string;
  user: string;
  password: string;
}

/** The gateway answered with an error (code as the command handler gives it). */
export class CommandFailedError extends TrunkpilotError {
  constructor(
    readonly action: string,
    readonly replyCode: string,
    message: string,
  ) {
    super('INPUT_INVALID', `${action}: ${replyCode}: ${message}`);
  }
}

/**
 * Where the site's gateway listens (options first, then the site's telemetry section)
 * and who to be: --user/--password (or TRUNKPILOT_USER/TRUNKPILOT_PASSWORD); the
 * site file holds only password hashes, so the password always comes from outside.
 * Without a user, the agent of `seat` is taken when the site has one, else the site's
 * only operator allowed the action.
 */
export function commandTarget(
  site: SiteConfig,
  action: string,
  opts: { broker?: string; user?: string; password?: string; seat?: string; gateway?: string },
): CommandTarget {
  const t = site.telemetry ?? {};
  const host = !t.host || t.host === '0.0.0.0' || t.host === '::' ? '127.0.0.1' : t.host;
  const url = opts.broker ?? t.broker?.url ?? `mqtt://${host.includes(':') ? `[${host}]` : host}:${t.mqttPort ?? 1883}`;
  let user = opts.user;
  if (!user && opts.seat !== undefined)
    user = Object.entries(t.users ?? {}).find(([, u]) => u.role === 'agent' && u.seat === opts.seat)?.[0];
  if (!user) {
    const mayRun = (name: string) =>
      (t.commands?.[name] ?? ['*']).some((p) => p === '*' || p === action || (p.endsWith('.*') && action.startsWith(p.slice(0, -1))));
    const operators = Object.entries(t.users ?? {})
      .filter(([name, u]) => u.role === 'operator' && mayRun(name))
      .map(([name]) => name);
    if (operators.length !== 1)
      throw new InputError(
        '--user',
        `${operators.length ? `the site has several operators allowed '${action}' (${operators.join(', ')})` : `the site's telemetry.users has no operator allowed '${action}'`}: give --user (or TRUNKPILOT_USER)`,
      );
    user = operators[0];
  }
  if (opts.password === undefined)
    throw new InputError(
      '--password',
      `no password for user '${user}': give --password or set TRUNKPILOT_PASSWORD (the site file holds only its hash)`,
    );
  return { url, gateway: opts.gateway ?? gatewayName(site), user, password: opts.password };
}

export class CommandClient {
  private readonly topics: TopicTree;
  private readonly pending = new Map<
    string,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; action: string }
  >();

  private constructor(
    private readonly client: MqttClient,
    private readonly target: CommandTarget,
    private readonly timeoutMs: number,
  ) {
    this.topics = new TopicTree(target.gateway);
    client.on('message', (topic, payload) => this.onReply(topic, payload));
  }

  static async connect(target: CommandTarget, timeoutMs = 60_000): Promise<CommandClient> {
    const client = mqtt.connect(target.url, {
      username: target.user,
      password: target.password,
      clientId: `trunkpilot-cli-${randomBytes(6).toString('hex')}`,
      reconnectPeriod: 0,
      connectTimeout: Math.min(timeoutMs, 10_000),
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', (err) => {
        const bad = /not authori[sz]ed|bad user ?name or password/i.test(err.message);
        client.end(true);
        reject(new BrokerConnectError(target.url, bad ? `refused user '${target.user}': ${err.message}` : err.message, bad));
      });
      client.once('close', () =>
        reject(new BrokerConnectError(target.url, 'connection closed: is `trunkpilot run` running for this site?', false)),
      );
    });
    const c = new CommandClient(client, target, timeoutMs);
    await client.subscribeAsync(c.topics.reply(target.user), { qos: 1 });
    return c;
  }

  /** Runs one action; resolves with its result or rejects with CommandFailedError. */
  request(action: string, args: Record<string, unknown> = {}): Promise<unknown> {
    const id = randomBytes(8).toString('hex');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new CommandFailedError(
            action,
            'TIMEOUT',
            `no reply from gateway '${this.target.gateway}' at ${this.target.url} within ${this.timeoutMs / 1000} s`,
          ),
        );
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer, action });
      this.client.publish(this.topics.command(this.target.user, action), JSON.stringify({ id, ...args }), { qos: 1 });
    });
  }

  async close(): Promise<void> {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    await this.client.endAsync();
  }

  private onReply(topic: string, payload: Buffer): void {
    let reply: { id?: string; ok?: boolean; result?: unknown; error?: { code: string; message: string } };
    try {
      reply = JSON.parse(payload.toString('utf8'));
    } catch {
      return;
    }
    const p = reply.id ? this.pending.get(reply.id) : undefined;
    if (!p || topic !== this.topics.reply(this.target.user)) return;
    this.pending.delete(reply.id!);
    clearTimeout(p.timer);
    if (reply.ok) p.resolve(reply.result);
    else p.reject(new CommandFailedError(p.action, reply.error?.code ?? 'FAILED', reply.error?.message ?? 'failed'));
  }
}
