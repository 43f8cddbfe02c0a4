/**
 * A real Debian PostgreSQL for tests and the store benchmark: initdb and the
 * server in a temporary directory, listening on a loopback port and a unix
 * socket in that directory, trust authentication for the local user `postgres`.
 * PostgreSQL refuses to run as root: when the tests run as root (CI), the
 * server runs as `nobody` through runuser and owns its directory.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from '../telemetry/ports';
import { ServerProcess } from '../telemetry/server-process';

/** The newest installed server's programs (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((d) => existsSync(join(root, d, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!majors.length) throw new Error(`no PostgreSQL server under ${root}: run scripts/setup (Debian package postgresql)`);
  return join(root, majors[0], 'bin');
}

export interface PostgresOptions {
  /** fsync and synchronous commit off: tests that do not measure durability run faster. Default false. */
  unsafeFast?: boolean;
  maxConnections?: number;
}

export class PostgresServer extends ServerProcess {
  private constructor(
    dir: string,
    readonly port: number,
    private readonly opts: PostgresOptions,
  ) {
    super(dir);
  }

  static async start(opts: PostgresOptions = {}): Promise<PostgresServer> {
    const dir = mkdtempSync(join(tmpdir(), 'tp-postgres-'));
    const server = new PostgresServer(dir, await freePort(), opts);
    if (process.getuid?.() === 0) {
      const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
      const group = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
      chownSync(dir, nobody, group);
    }
    server.asServerUser(join(postgresBin(), 'initdb'), [
      '-D',
      join(dir, 'data'),
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
    ]);
    await server.run();
    return server;
  }

  /** A connection string for the database `postgres`. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Creates a database and returns its connection string. */
  createDatabase(name: string): string {
    execFileSync(join(postgresBin(), 'createdb'), ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', name]);
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  protected async run(): Promise<void> {
    const args = [
      '-D',
      join(this.dir, 'data'),
      '-p',
      String(this.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${this.dir}`,
      '-c',
      `max_connections=${this.opts.maxConnections ?? 50}`,
      ...(this.opts.unsafeFast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ];
    const [cmd, cmdArgs] = this.command(join(postgresBin(), 'postgres'), args);
    this.spawnServer(cmd, cmdArgs);
    try {
      await waitForPort(this.port, 15_000, 'postgres');
      // The port opens before the server accepts queries; pg_isready waits for that.
      for (let i = 0; i < 100; i++) {
        try {
          execFileSync(join(postgresBin(), 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(this.port)]);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error('postgres is not ready after 10 s');
    } catch (err) {
      throw new Error(`${(err as Error).message}; postgres said: ${this.output}`);
    }
  }

  private command(file: string, args: string[]): [string, string[]] {
    return process.getuid?.() === 0 ? ['runuser', ['-u', 'nobody', '--', file, ...args]] : [file, args];
  }

  private asServerUser(file: string, args: string[]): void {
    const [cmd, cmdArgs] = this.command(file, args);
    execFileSync(cmd, cmdArgs, { stdio: 'pipe', cwd: this.dir });
  }
}
