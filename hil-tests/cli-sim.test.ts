import { main } from '../app/trunkpilot';
import { CliIO } from '../src/cli/cli-io';

function captureIO(): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTTY: false,
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
  };
  return io;
}

describe('trunkpilot sim calls (the CLI contract later work relies on)', () => {
  it('prints one JSON object with every outcome counted and exits 0', async () => {
    const io = captureIO();
    const code = await main(
      ['sim', 'calls', '--signalling', 'pri', '--spans', '1', '--calls', '120', '--concurrency', '20', '--seed', '3', '--json'],
      io,
    );
    expect(code).toBe(0);
    const doc = JSON.parse(io.out);
    expect(Object.keys(doc).sort()).toEqual(
      [
        'attempts',
        'resolved',
        'retried',
        'calls_per_sec',
        'causes',
        'elapsed_ms',
        'leaked_channels',
        'outcomes',
        'faults_injected',
        'rss_start_mb',
        'rss_end_mb',
      ].sort(),
    );
    expect(Object.keys(doc.outcomes).sort()).toEqual(
      ['absent', 'answered', 'busy', 'congestion', 'no_answer', 'other', 'unallocated', 'link_down', 'no_free_channel'].sort(),
    );
    expect(doc.attempts).toBe(120);
    const total = Object.values(doc.outcomes as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(120);
    expect(Object.values(doc.causes as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(120);
    expect(doc.causes['16']).toBe(doc.outcomes.answered);
    expect(doc.causes['17']).toBe(doc.outcomes.busy);
    expect(doc.leaked_channels).toBe(0);
    expect(doc.outcomes.answered).toBeGreaterThan(30);
  }, 60_000);

  it('gives the same outcomes for the same seed', async () => {
    const a = captureIO();
    const b = captureIO();
    await main(['sim', 'calls', '--calls', '40', '--seed', '9', '--json'], a);
    await main(['sim', 'calls', '--calls', '40', '--seed', '9', '--json'], b);
    expect(JSON.parse(a.out).outcomes).toEqual(JSON.parse(b.out).outcomes);
  }, 60_000);

  it('names the bad option and exits 2 (a usage error)', async () => {
    const io = captureIO();
    expect(await main(['sim', 'calls', '--spans', '0', '--json'], io)).toBe(2);
    expect(io.err).toMatch(/--spans: must be a whole number from 1 to 8, got '0'/);
    const io2 = captureIO();
    expect(await main(['sim', 'calls', '--signalling', 'ss7-bogus'], io2)).toBe(2);
    expect(io2.err).toMatch(/'ss7-bogus' is not simulated here/);
  });
});
