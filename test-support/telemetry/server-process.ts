/** A real server process a test starts in a temporary directory: start, stop, restart, clean up. */
import { ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

export abstract class ServerProcess {
  private child: ChildProcess | undefined;
  /** What the server printed, for error messages. */
  protected output = '';

  protected constructor(readonly dir: string) {}

  /** Spawns `command` and collects its output; the subclass then waits until it serves. */
  protected spawnServer(command: string, args: string[]): void {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (this.output += String(d)));
    child.stderr!.on('data', (d) => (this.output += String(d)));
    this.child = child;
  }

  protected abstract run(): Promise<void>;

  /** Stops the server (SIGTERM) and waits for it to exit. */
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
    this.child = undefined;
  }

  /** Starts it again on the same ports. */
  async restart(): Promise<void> {
    await this.stop();
    await this.run();
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
