/**
 * `trunkpilot run` as a user runs it, for the hil-tests: the binary started as a
 * child process (ready when it prints 'ready'), the CLI run beside it as one-off
 * commands, and what those tests poll and parse.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export { freePort } from '../telemetry/ports';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'trunkpilot');

export interface GatewayChild {
  child: ChildProcess;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `trunkpilot run` and resolves once it prints 'ready'. */
export async function startGateway(args: string[], env: NodeJS.ProcessEnv = {}): Promise<GatewayChild> {
  const child = spawn(process.execPath, [BIN, 'run', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const deadline = Date.now() + 30_000;
  while (!/^ready$/m.test(out)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`gateway exited before ready:\n${out}\n${err}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway not ready in 30 s:\n${out}\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, out: () => out + err, exited };
}

/** One trunkpilot command, run to its end. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): { code: number; out: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status ?? 1, out: r.stdout + r.stderr };
}

export async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A campaign export (no quoted fields in what these tests write). */
export function parseCsv(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trim().split('\n');
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}
