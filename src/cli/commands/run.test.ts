import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCT_COMMANDS, runCommand } from '../main';
import { CliIO } from '../cli-io';
import { runLogger } from './run';

function captureIO(isTTY = false): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTTY,
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
  };
  return io;
}

describe('trunkpilot run', () => {
  test('the shipped systemd unit runs `trunkpilot run` with options the command knows', async () => {
    const unit = readFileSync(join(__dirname, '../../../packaging/systemd/trunkpilot@.service'), 'utf8');
    const exec = /^ExecStart=(\S+) (.*)$/m.exec(unit);
    expect(exec).not.toBeNull();
    expect(exec![1]).toMatch(/\/bin\/trunkpilot$/);
    const args = exec![2].replace(/%i/g, 'lab').split(/\s+/);
    expect(args.slice(0, 3)).toEqual(['run', '--site', '/etc/trunkpilot/lab.yaml']);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    // Every option parses (an unknown one would be an error before --help is seen).
    const io = captureIO();
    expect(await runCommand(PRODUCT_COMMANDS, [...args, '--help'], io)).toBe(0);
    expect(io.out).toMatch(/usage: trunkpilot run --site FILE/);
  });

  test('--simulate without a line simulator in the build is refused by name', async () => {
    const io = captureIO();
    const site = join(__dirname, '../../../board-profiles/sites/demo-sim.yaml');
    expect(await runCommand(PRODUCT_COMMANDS, ['run', '--site', site, '--simulate'], io)).toBe(1);
    expect(io.err).toMatch(/--simulate.*no line simulator/);
  });

  test('a shared store: a postgres:// URL, not beside --db, and a gateway name fit for topics; a bad one is named, never echoed with its password', async () => {
    const site = join(__dirname, '../../../board-profiles/sites/demo-sim.yaml');
    const cases: [string[], RegExp][] = [
      [['--store', 'mysql://u:hunter2@db/x'], /--store: 'mysql:\/\/u:\*\*\*@db\/x' is not a postgres:\/\/ URL/],
      [['--store', 'postgres://db/x', '--db', '/tmp/x.db'], /give either --db FILE .* or --store URL/],
      [['--gateway', 'gw 1', '--store', 'postgres://db/x'], /'gw 1' is not a valid gateway name/],
    ];
    for (const [args, message] of cases) {
      const io = captureIO();
      expect(await runCommand(PRODUCT_COMMANDS, ['run', '--site', site, ...args], io)).toBe(1);
      expect(io.err).toMatch(message);
      expect(io.err).not.toContain('hunter2');
    }
  });

  test('logs are JSON lines when stdout is not a terminal', () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      runLogger(captureIO(false), 'info').child({ site: 'lab' }).warn('span out of service', { span: 2 });
    } finally {
      write.mockRestore();
    }
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'warn',
      msg: 'span out of service',
      site: 'lab',
      span: 2,
      time: expect.any(String),
    });
  });
});
