/**
 * A real Debian mosquitto for tests: a loopback port, a password file and the ACL
 * trunkpilot documents (broker-acl.ts), in a temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { mosquittoAcl } from '../../src/telemetry/broker/broker-acl';
import type { TelemetryRole } from '../../src/telemetry/broker/credentials';
import { freePort, waitForPort } from './ports';
import { ServerProcess } from './server-process';

export interface MosquittoOptions {
  /** User name to plain password (mosquitto_passwd hashes them). */
  users: Record<string, string>;
  roles: Record<string, TelemetryRole>;
  serviceUser: string;
  /** Lines added to the acl_file (e.g. a centre's bridge users). */
  extraAcl?: string;
  /** Lines added to mosquitto.conf (e.g. a bridge to a centre's broker). */
  extraConf?: string;
  /** Adds a TLS listener on another port with these PEM files. */
  tls?: { certfile: string; keyfile: string };
}

export class MosquittoServer extends ServerProcess {
  /** The TLS listener's port (0 without one). */
  tlsPort = 0;

  private constructor(
    dir: string,
    readonly port: number,
  ) {
    super(dir);
  }

  static async start(opts: MosquittoOptions): Promise<MosquittoServer> {
    const dir = mkdtempSync(join(tmpdir(), 'tp-mosquitto-'));
    const server = new MosquittoServer(dir, await freePort());
    const pw = join(dir, 'passwd');
    writeFileSync(pw, '');
    for (const [user, password] of Object.entries(opts.users)) execFileSync('mosquitto_passwd', ['-b', pw, user, password]);
    writeFileSync(join(dir, 'acl'), mosquittoAcl(opts) + '\n' + (opts.extraAcl ?? '') + '\n');
    if (opts.tls) server.tlsPort = await freePort();
    const tlsListener = opts.tls
      ? [`listener ${server.tlsPort} 127.0.0.1`, `certfile ${opts.tls.certfile}`, `keyfile ${opts.tls.keyfile}`]
      : [];
    writeFileSync(
      join(dir, 'mosquitto.conf'),
      [
        `listener ${server.port} 127.0.0.1`,
        // Run as whoever runs the tests: as root mosquitto would switch to a user that cannot read this directory.
        `user ${userInfo().username}`,
        'allow_anonymous false',
        `password_file ${pw}`,
        `acl_file ${join(dir, 'acl')}`,
        ...tlsListener,
        'persistence false',
        'log_dest stderr',
        'log_type error',
        'log_type warning',
        opts.extraConf ?? '',
        '',
      ].join('\n'),
    );
    await server.run();
    return server;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** Starts a stopped broker again on the same port (its retained messages went with it: persistence is off). */
  async start(): Promise<void> {
    await this.run();
  }

  protected async run(): Promise<void> {
    this.spawnServer('mosquitto', ['-c', join(this.dir, 'mosquitto.conf')]);
    try {
      await waitForPort(this.port, 5000, 'mosquitto');
    } catch (err) {
      throw new Error(`${(err as Error).message}; mosquitto said: ${this.output}`);
    }
  }
}
