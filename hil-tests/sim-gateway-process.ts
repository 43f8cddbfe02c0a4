/**
 * `trunkpilot run --site <demo-sim + telemetry> --simulate --demo-campaign` as a child
 * process on free ports, for the tests that look at what a running gateway publishes
 * and serves (the wallboard, the MQTT payload schemas).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeDahdiLibraryPath } from '../simulator/dahdi/fake-dahdi-lib';
import { hashPassword } from '../src/telemetry/broker/credentials';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'trunkpilot');

export interface SimGateway {
  readonly mqttUrl: string;
  readonly dashboardUrl: string;
  /** Topic root, trunkpilot/demo-sim. */
  readonly root: string;
  output(): string;
  stop(): Promise<void>;
}

/** Scrypt at the lowest cost trunkpilot accepts, to keep logins quick in tests. */
export const cheapHash = (password: string) => hashPassword(password, { logN: 10, r: 8, p: 1 });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** `telemetry` is the site's telemetry section as YAML lines (indented two spaces). */
export async function startSimGateway(telemetry: string): Promise<SimGateway> {
  if (!existsSync(join(ROOT, 'dist', 'app', 'trunkpilot.js')) || !existsSync(fakeDahdiLibraryPath()))
    throw new Error('dist/ or build/libfakedahdi.so is missing: run scripts/setup (npm test does)');
  const dir = mkdtempSync(join(tmpdir(), 'tp-simgw-'));
  const demo = readFileSync(join(ROOT, 'board-profiles', 'sites', 'demo-sim.yaml'), 'utf8');
  // Short talks and wrap-ups: seats change often, and a stop does not wait long for the last call
  // (run waits up to 30 s for simulated agents still busy after the grace period).
  const simulation =
    'simulation:\n  callees: { talkSec: { dist: lognormal, median: 4, sigma: 0.3 }, noAnswerSec: 3 }\n  agents: { wrapSec: { dist: fixed, value: 1 } }\n';
  writeFileSync(join(dir, 'site.yaml'), `${demo}\n${simulation}telemetry:\n${telemetry}\n`);
  const [mqttPort, httpPort] = [await freePort(), await freePort()];
  const args = ['run', '--site', join(dir, 'site.yaml'), '--simulate', '--demo-campaign', '--duration', '300', '--grace', '1'];
  args.push('--mqtt-port', String(mqttPort), '--http-port', String(httpPort), '--db', join(dir, 'store.sqlite'));
  // Its own process group: --simulate re-executes itself, and a hung stop is killed whole.
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // A stop ends calls within --grace, closes attempts and flushes the store; SIGKILL only if it hangs.
      child.kill('SIGTERM');
      const hung = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 45_000);
      await exited;
      clearTimeout(hung);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 40_000;
  while (!/^ready$/m.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`gateway not ready:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    dashboardUrl: /^dashboard: (\S+)$/m.exec(out)![1],
    root: 'trunkpilot/demo-sim',
    output: () => out,
    stop,
  };
}
