/**
 * The in-process broker of the quick start: aedes on a TCP port for MQTT clients,
 * and on the dashboard's HTTP server (path /mqtt) for browsers over WebSocket.
 * Every client logs in (user name and scrypt-hashed password, a viewer or operator
 * role); topics follow broker-acl.ts. The broker shares the process with live calls,
 * so what a client can make it hold is bounded: packets and WebSocket messages over
 * the size limit end the connection before they are buffered, a connection that
 * has not logged in within connectTimeoutMs is closed, and a browser page from
 * another origin cannot open the WebSocket.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { createServer, Server } from 'node:net';
import type { Duplex } from 'node:stream';
import type Aedes from 'aedes';
import { Client, createBroker } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { Logger, silentLogger } from '../../core/logger';
import { PortInUseError } from '../errors';
import { assertListenAllowed } from '../exposure';
import { BrokerAclOptions, BrokerPrincipal, mayPublish, mayRead } from './broker-acl';
import { TelemetryUser, verifyPassword } from './credentials';
import { MqttPacketGuard, PacketRefusal } from './mqtt-packet-guard';

export interface BrokerLimits {
  /** Largest MQTT packet (and WebSocket message) accepted, in bytes (default 256 KiB). */
  maxPacketBytes: number;
  /** A connection that has not logged in by then is closed (default 5000 ms). */
  connectTimeoutMs: number;
  /**
   * Origins (scheme://host:port) whose pages may open the WebSocket besides the page's
   * own server; a request without an Origin header (not a browser) is allowed.
   */
  allowedOrigins: readonly string[];
}

export const DEFAULT_BROKER_LIMITS: BrokerLimits = { maxPacketBytes: 256 * 1024, connectTimeoutMs: 5000, allowedOrigins: [] };

export interface EmbeddedBrokerOptions extends BrokerAclOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Who may log in; the service user must be one of them. */
  users: Record<string, TelemetryUser>;
  limits?: Partial<BrokerLimits>;
  logger?: Logger;
}

export interface BrokerRefusals {
  oversized: number;
  notConnect: number;
  badOrigin: number;
  badLogin: number;
}

export class EmbeddedBroker {
  private readonly aedes: Aedes;
  private readonly tcp: Server;
  private readonly wsServers: WebSocketServer[] = [];
  private readonly principalOf = new WeakMap<Client, BrokerPrincipal>();
  private readonly limits: BrokerLimits;
  private readonly logger: Logger;
  private boundPort = 0;
  /** Counts of what was refused (for tests and the status page); each also logged, at most once a second per kind. */
  readonly refusals: BrokerRefusals = { oversized: 0, notConnect: 0, badOrigin: 0, badLogin: 0 };
  private readonly lastLogged = new Map<keyof BrokerRefusals, number>();

  private constructor(private readonly opts: EmbeddedBrokerOptions) {
    this.limits = { ...DEFAULT_BROKER_LIMITS, ...opts.limits };
    this.aedes = createBroker({ connectTimeout: this.limits.connectTimeoutMs });
    const logger = (this.logger = (opts.logger ?? silentLogger).child({ module: 'broker' }));
    this.aedes.authenticate = (client, username, password, done) => {
      const user = username !== undefined && Object.prototype.hasOwnProperty.call(opts.users, username) ? opts.users[username] : undefined;
      verifyPassword(user?.passwordHash ?? '', password).then((ok) => {
        if (!ok || !user || username === undefined) {
          // returnCode 5 is "not authorized" (anonymous), 4 "bad user name or password".
          this.refuse('badLogin', 'MQTT login refused', { user: username || '(anonymous)', client: client.id });
          return done(Object.assign(new Error('login refused'), { returnCode: username ? (4 as const) : (5 as const) }), false);
        }
        this.principalOf.set(client, { user: username, role: user.role });
        done(null, true);
      });
    };
    this.aedes.authorizePublish = (client, packet, done) => {
      const who = client ? this.principalOf.get(client) : { user: opts.serviceUser, role: 'operator' as const };
      if (mayPublish(who, packet.topic, opts)) return done(null);
      logger.warn('MQTT publish refused', { user: who?.user ?? '(anonymous)', topic: packet.topic.slice(0, 200) });
      done(new Error('not allowed to publish there'));
    };
    this.aedes.authorizeSubscribe = (_client, sub, done) => done(null, sub);
    // Reading is checked per message, so a wildcard subscription sees only what it may.
    this.aedes.authorizeForward = (client, packet) => (mayRead(this.principalOf.get(client), packet.topic, opts) ? packet : null);
    this.tcp = createServer((socket) => this.handle(socket));
  }

  static async start(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
    if (!Object.prototype.hasOwnProperty.call(opts.users, opts.serviceUser))
      throw new Error(`the service user '${opts.serviceUser}' needs an entry in users`);
    const people = Object.keys(opts.users).filter((u) => u !== opts.serviceUser);
    assertListenAllowed(opts.host, people.length > 0, 'telemetry.host', 'telemetry.users');
    const broker = new EmbeddedBroker(opts);
    try {
      await listen(broker.tcp, opts.host, opts.port, 'MQTT broker', '--mqtt-port');
    } catch (err) {
      // aedes runs a heartbeat timer from creation: stop it, or the process never exits.
      await new Promise<void>((r) => broker.aedes.close(() => r()));
      throw err;
    }
    broker.boundPort = (broker.tcp.address() as { port: number }).port;
    return broker;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `mqtt://${this.opts.host.includes(':') ? `[${this.opts.host}]` : this.opts.host}:${this.boundPort}`;
  }

  /**
   * Serves MQTT over WebSocket on an HTTP server (the dashboard's) at `path`. A page
   * from another origin is refused at the upgrade; a message over the size limit
   * closes the socket (ws checks the frame header before reading the payload).
   */
  attachWebSocket(server: HttpServer, path = '/mqtt'): void {
    const wss = new WebSocketServer({
      server,
      path,
      maxPayload: this.limits.maxPacketBytes + 8,
      verifyClient: (info: { origin?: string; req: IncomingMessage }) => {
        if (sameOrAllowedOrigin(info.origin, info.req.headers.host, this.limits.allowedOrigins)) return true;
        this.refuse('badOrigin', 'WebSocket from another origin refused', { origin: String(info.origin).slice(0, 200) });
        return false;
      },
    });
    wss.on('connection', (ws, req) => {
      const stream = createWebSocketStream(ws);
      stream.on('error', () => ws.terminate());
      this.handle(stream, req);
    });
    this.wsServers.push(wss);
  }

  async close(): Promise<void> {
    for (const wss of this.wsServers) {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    }
    await new Promise<void>((r) => this.aedes.close(() => r()));
    await new Promise<void>((r) => this.tcp.close(() => r()));
  }

  private handle(conn: Duplex, req?: IncomingMessage): void {
    const guarded = new MqttPacketGuard(conn, this.limits.maxPacketBytes, (r) => this.onPacketRefused(r));
    this.aedes.handle(guarded as never, req as never);
  }

  private onPacketRefused(r: PacketRefusal): void {
    if (r.reason === 'too-large')
      this.refuse('oversized', 'MQTT packet over the size limit: connection closed', {
        declaredBytes: r.declaredBytes,
        maxPacketBytes: this.limits.maxPacketBytes,
      });
    else this.refuse('notConnect', 'MQTT connection did not start with CONNECT: closed', { ...r });
  }

  /** Counts a refusal and logs it, at most once a second per kind with the count since the last line. */
  private refuse(kind: keyof BrokerRefusals, msg: string, fields: Record<string, unknown>): void {
    this.refusals[kind]++;
    const now = Date.now();
    const last = this.lastLogged.get(kind) ?? -Infinity;
    if (now - last < 1000) return;
    this.lastLogged.set(kind, now);
    this.logger.warn(msg, { ...fields, refusedSoFar: this.refusals[kind] });
  }
}

/** A browser page's Origin must be the server it was loaded from, or one listed. */
function sameOrAllowedOrigin(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    const u = new URL(origin);
    return host !== undefined && (u.protocol === 'http:' || u.protocol === 'https:') && u.host === host;
  } catch {
    return false;
  }
}

/** Listens, turning EADDRINUSE into an error that says which port and which option moves it. */
export function listen(server: Server | HttpServer, host: string, port: number, purpose: string, option: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.removeListener('listening', onListening);
      reject(err.code === 'EADDRINUSE' || err.code === 'EACCES' ? new PortInUseError(port, host, purpose, option) : err);
    };
    const onListening = () => {
      server.removeListener('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
