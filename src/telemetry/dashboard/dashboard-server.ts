/**
 * Serves the dashboard page (web/dashboard/), the browser build of mqtt.js, and the
 * page's configuration. The page itself talks MQTT over WebSocket to the broker and
 * logs in there with a telemetry user (a viewer is enough); this server hands out
 * no telemetry.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { listen } from '../broker/embedded-broker';

export interface DashboardConfig {
  gateway: string;
  /** Where the page connects: a path on this server ('/mqtt') or a full ws:// URL. */
  mqttWebSocket: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** web/dashboard, found from either the TypeScript source or the compiled dist/ tree. */
export function dashboardDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'web', 'dashboard');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`web/dashboard/index.html not found above ${__dirname}`);
}

export class DashboardServer {
  readonly http: Server;
  private readonly files = new Map<string, { type: string; body: Buffer }>();

  private constructor(config: DashboardConfig) {
    const dir = dashboardDir();
    // The page and its modules: every .html, .js and .css file of the directory, read once.
    for (const name of readdirSync(dir)) {
      const type = TYPES[name.slice(name.lastIndexOf('.'))];
      if (type) this.files.set(`/${name}`, { type, body: readFileSync(join(dir, name)) });
    }
    this.files.set('/', this.files.get('/index.html')!);
    this.files.set('/vendor/mqtt.min.js', { type: TYPES['.js'], body: readFileSync(require.resolve('mqtt/dist/mqtt.min')) });
    this.files.set('/config.json', { type: 'application/json', body: Buffer.from(JSON.stringify(config)) });
    // A client that dribbles its request in is cut off instead of holding a socket.
    this.http = createServer({ headersTimeout: 10_000, requestTimeout: 10_000 }, (req, res) => this.serve(req, res));
  }

  static async start(config: DashboardConfig, host: string, port: number): Promise<DashboardServer> {
    const server = new DashboardServer(config);
    await listen(server.http, host, port, 'dashboard', '--http-port');
    return server;
  }

  get port(): number {
    return (this.http.address() as { port: number }).port;
  }

  close(): Promise<void> {
    this.http.closeAllConnections();
    return new Promise((r) => this.http.close(() => r()));
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const file = req.method === 'GET' ? this.files.get(path) : undefined;
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  }
}
