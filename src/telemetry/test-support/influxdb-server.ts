/** A real Debian influxd (1.x) for tests: loopback ports and a temporary data directory. */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports';

export class InfluxdbServer {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(readonly dir: string, readonly port: number, readonly rpcPort: number) {}

  static async start(): Promise<InfluxdbServer> {
    const dir = mkdtempSync(join(tmpdir(), 'tp-influxdb-'));
    const server = new InfluxdbServer(dir, await freePort(), await freePort());
    writeFileSync(
      join(dir, 'influxdb.conf'),
      [
        'reporting-disabled = true',
        `bind-address = "127.0.0.1:${server.rpcPort}"`,
        '[meta]',
        `  dir = "${join(dir, 'meta')}"`,
        '[data]',
        `  dir = "${join(dir, 'data')}"`,
        `  wal-dir = "${join(dir, 'wal')}"`,
        '  query-log-enabled = false',
        '[http]',
        `  bind-address = "127.0.0.1:${server.port}"`,
        '  log-enabled = false',
        '[monitor]',
        '  store-enabled = false',
        '[continuous_queries]',
        '  enabled = false',
        '',
      ].join('\n'),
    );
    await server.run();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async query(db: string, q: string): Promise<{ results: { series?: { name: string; columns: string[]; values: unknown[][]; tags?: Record<string, string> }[]; error?: string }[] }> {
    const res = await fetch(`${this.url}/query?db=${encodeURIComponent(db)}&epoch=ms&q=${encodeURIComponent(q)}`);
    return (await res.json()) as never;
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
    this.child = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.run();
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async run(): Promise<void> {
    const child = spawn('influxd', ['run', '-config', join(this.dir, 'influxdb.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (this.output += String(d)));
    child.stderr!.on('data', (d) => (this.output += String(d)));
    this.child = child;
    try {
      await waitForPort(this.port, 15000, 'influxd');
      // The port opens a moment before the HTTP service answers.
      for (let i = 0; i < 100; i++) {
        const ok = await fetch(`${this.url}/ping`).then((r) => r.status === 204, () => false);
        if (ok) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('influxd does not answer /ping');
    } catch (err) {
      throw new Error(`${(err as Error).message}; influxd said: ${this.output.slice(-2000)}`);
    }
  }
}
