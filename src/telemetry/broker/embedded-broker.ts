/**
 * The in-process broker of the quick start: aedes on a TCP port for MQTT clients,
 * and on the dashboard's HTTP server (path /mqtt) for browsers over WebSocket.
 * Authentication is by user name and password; topics follow broker-acl.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, Server } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type Aedes from 'aedes';
import { Client, createBroker } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { Logger, silentLogger } from '../../core/logger';
import { PortInUseError } from '../errors';
import { BrokerAclOptions, mayPublish, mayRead } from './broker-acl';

export interface EmbeddedBrokerOptions extends BrokerAclOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** User name to password. */
  users: Record<string, string>;
  logger?: Logger;
}

export class EmbeddedBroker {
  private readonly aedes: Aedes;
  private readonly tcp: Server;
  private readonly wsServers: WebSocketServer[] = [];
  private readonly userOf = new WeakMap<Client, string>();
  private boundPort = 0;

  private constructor(private readonly opts: EmbeddedBrokerOptions) {
    this.aedes = createBroker();
    const logger = (opts.logger ?? silentLogger).child({ module: 'broker' });
    this.aedes.authenticate = (client, username, password, done) => {
      if (username === undefined || username === '') return done(null, opts.allowAnonymousRead);
      const ok = Object.prototype.hasOwnProperty.call(opts.users, username) && samePassword(opts.users[username], password);
      if (!ok) {
        logger.warn('MQTT login refused', { user: username, client: client.id });
        const err = Object.assign(new Error('bad user name or password'), { returnCode: 4 as const });
        return done(err, false);
      }
      this.userOf.set(client, username);
      done(null, true);
    };
    this.aedes.authorizePublish = (client, packet, done) => {
      const user = client ? this.userOf.get(client) : opts.serviceUser;
      if (mayPublish(user, packet.topic, opts)) return done(null);
      logger.warn('MQTT publish refused', { user: user ?? '(anonymous)', topic: packet.topic });
      done(new Error(`not allowed to publish to ${packet.topic}`));
    };
    this.aedes.authorizeSubscribe = (_client, sub, done) => done(null, sub);
    // Reading is checked per message, so a wildcard subscription sees only what it may.
    this.aedes.authorizeForward = (client, packet) => (mayRead(this.userOf.get(client), packet.topic, opts) ? packet : null);
    this.tcp = createServer((socket) => this.aedes.handle(socket));
  }

  static async start(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
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

  /** Serves MQTT over WebSocket on an HTTP server (the dashboard's) at `path`. */
  attachWebSocket(server: HttpServer, path = '/mqtt'): void {
    const wss = new WebSocketServer({ server, path });
    wss.on('connection', (ws) => {
      const stream = createWebSocketStream(ws);
      stream.on('error', () => ws.terminate());
      this.aedes.handle(stream as never);
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
}

function samePassword(expected: string, given: Buffer | undefined): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
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
