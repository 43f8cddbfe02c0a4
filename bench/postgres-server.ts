/**
 * A real Debian PostgreSQL for the store benchmark and the tests (which reach it
 * through test-support/postgres): benchmarks ship in dist/ and take no test code,
 * so this file stands alone. initdb and the
 * server in a temporary directory, listening on a loopback port and a unix
 * socket in that directory, trust authentication for the local user `postgres`.
 * PostgreSQL refuses to run as root: when the tests run as root (CI), the
 * server runs as `nobody` (setpriv: it replaces itself with the server, so signals
 * reach the server) and owns its directory.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

export class PostgresServer {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly opts: PostgresOptions,
  ) {}

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

  /** Stops the server (fast shutdown) and removes its directory. */
  async close(): Promise<void> {
    const c = this.child;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGINT');
      await exited;
    }
    this.child = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async run(): Promise<void> {
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
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (this.output += String(d)));
    child.stderr!.on('data', (d) => (this.output += String(d)));
    this.child = child;
    try {
      // pg_isready answers once the server accepts connections.
      for (let i = 0; i < 150; i++) {
        if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}`);
        try {
          execFileSync(join(postgresBin(), 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(this.port)]);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error('postgres is not ready after 15 s');
    } catch (err) {
      throw new Error(`${(err as Error).message}; postgres said: ${this.output}`);
    }
  }

  private command(file: string, args: string[]): [string, string[]] {
    if (process.getuid?.() !== 0) return [file, args];
    const id = (flag: string) => execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim();
    return ['setpriv', [`--reuid=${id('-u')}`, `--regid=${id('-g')}`, '--clear-groups', '--', file, ...args]];
  }

  private asServerUser(file: string, args: string[]): void {
    const [cmd, cmdArgs] = this.command(file, args);
    execFileSync(cmd, cmdArgs, { stdio: 'pipe', cwd: this.dir });
  }
}

/** A loopback port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
