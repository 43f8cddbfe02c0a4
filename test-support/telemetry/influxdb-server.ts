/** A real Debian influxd (1.x) for tests: loopback ports and a temporary data directory. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports';
import { ServerProcess } from './server-process';

export class InfluxdbServer extends ServerProcess {
  private constructor(
    dir: string,
    readonly port: number,
    readonly rpcPort: number,
  ) {
    super(dir);
  }

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

  async query(
    db: string,
    q: string,
  ): Promise<{
    results: { series?: { name: string; columns: string[]; values: unknown[][]; tags?: Record<string, string> }[]; error?: string }[];
  }> {
    const res = await fetch(`${this.url}/query?db=${encodeURIComponent(db)}&epoch=ms&q=${encodeURIComponent(q)}`);
    return (await res.json()) as never;
  }

  protected async run(): Promise<void> {
    this.spawnServer('influxd', ['run', '-config', join(this.dir, 'influxdb.conf')]);
    try {
      await waitForPort(this.port, 15000, 'influxd');
      // The port opens a moment before the HTTP service answers.
      for (let i = 0; i < 100; i++) {
        const ok = await fetch(`${this.url}/ping`).then(
          (r) => r.status === 204,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('influxd does not answer /ping');
    } catch (err) {
      throw new Error(`${(err as Error).message}; influxd said: ${this.output.slice(-2000)}`);
    }
  }
}
