/**
 * A real Debian mosquitto for tests: a loopback port, a password file and the ACL
 * trunkpilot documents (broker-acl.ts), in a temporary directory.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { mosquittoAcl } from '../broker/broker-acl';
import { freePort, waitForPort } from './ports';

export interface MosquittoOptions {
  users: Record<string, string>;
  serviceUser: string;
  allowAnonymousRead: boolean;
  /** Adds a TLS listener on another port with these PEM files. */
  tls?: { certfile: string; keyfile: string };
}

export class MosquittoServer {
  private child: ChildProcess | undefined;
  private output = '';

  /** The TLS listener's port (0 without one). */
  tlsPort = 0;

  private constructor(readonly dir: string, readonly port: number) {}

  static async start(opts: MosquittoOptions): Promise<MosquittoServer> {
    const dir = mkdtempSync(join(tmpdir(), 'tp-mosquitto-'));
    const server = new MosquittoServer(dir, await freePort());
    const pw = join(dir, 'passwd');
    writeFileSync(pw, '');
    for (const [user, password] of Object.entries(opts.users)) execFileSync('mosquitto_passwd', ['-b', pw, user, password]);
    writeFileSync(join(dir, 'acl'), mosquittoAcl(opts));
    if (opts.tls) server.tlsPort = await freePort();
    const tlsListener = opts.tls ? [`listener ${server.tlsPort} 127.0.0.1`, `certfile ${opts.tls.certfile}`, `keyfile ${opts.tls.keyfile}`] : [];
    writeFileSync(
      join(dir, 'mosquitto.conf'),
      [
        `listener ${server.port} 127.0.0.1`,
        // Run as whoever runs the tests: as root mosquitto would switch to a user that cannot read this directory.
        `user ${userInfo().username}`,
        `allow_anonymous ${opts.allowAnonymousRead}`,
        `password_file ${pw}`,
        `acl_file ${join(dir, 'acl')}`,
        ...tlsListener,
        'persistence false',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        '',
      ].join('\n'),
    );
    await server.run();
    return server;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Stops the broker (its retained messages go with it: persistence is off). */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
    this.child = undefined;
  }

  /** Starts a stopped broker again on the same port. */
  async start(): Promise<void> {
    await this.run();
  }

  /** Starts it again on the same port. */
  async restart(): Promise<void> {
    await this.stop();
    await this.run();
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async run(): Promise<void> {
    const child = spawn('mosquitto', ['-c', join(this.dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d) => (this.output += String(d)));
    this.child = child;
    try {
      await waitForPort(this.port, 5000, 'mosquitto');
    } catch (err) {
      throw new Error(`${(err as Error).message}; mosquitto said: ${this.output}`);
    }
  }
}
