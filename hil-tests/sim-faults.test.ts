/**
 * Faults driven from the tools, as a bounded soak in the suite: `sim calls --fault`
 * and `sim soak --faults all` on each signalling kind. Every number is resolved,
 * no channel leaks, no seat is left stuck, faults really fire, and a number that meets a dead link is
 * retried after a back-off instead of being written off (3,000 calls used to become
 * "other" in one second during a 3 s D-channel cut).
 */
import { main } from '../app/trunkpilot';
import { CliIO } from '../src/cli/cli-io';

jest.setTimeout(120_000);

function captureIO(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

async function run(args: string[]) {
  const io = captureIO();
  const code = await main(args, io);
  return { code, doc: io.out ? JSON.parse(io.out) : undefined, err: io.err };
}

it('sim calls --fault: a 2 s loss of signal mid-run delays numbers instead of burning them', async () => {
  const { code, doc } = await run([
    'sim',
    'calls',
    '--calls',
    '200',
    '--concurrency',
    '30',
    '--seed',
    '5',
    '--fault',
    'LOS@500ms+2s',
    '--json',
  ]);
  expect(code).toBe(0);
  expect(doc.faults_injected).toEqual({ LOS: 1 });
  expect(doc.resolved).toBe(200);
  expect(doc.retried).toBeGreaterThan(0);
  // Retried until the link was back: none written off as link down.
  expect(doc.outcomes.link_down).toBe(0);
  expect(doc.outcomes.answered).toBeGreaterThan(60);
  expect(doc.leaked_channels).toBe(0);
});

it('sim calls --fault names what the rig has when asked for what it has not', async () => {
  const { code, err } = await run(['sim', 'calls', '--signalling', 'fxo', '--calls', '1', '--fault', 'LOS@1s', '--json']);
  expect(code).toBe(1);
  expect(err).toContain("this rig has no fault 'LOS' (it has: BATTERY_LOSS, MESSAGE_WAITING)");
});

describe.each([
  ['pri', 200, 1500],
  ['fxo', 30, 1000],
  ['r2-cn', 60, 500],
  ['ss7-isup', 100, 500],
  ['ss7-tup', 100, 500],
  ['gsm', 200, 1000],
])('sim soak --signalling %s --faults all', (signalling, calls, every) => {
  it('resolves every call with the whole catalogue firing, leaks no channel, leaves no seat stuck', async () => {
    const { code, doc } = await run([
      'sim',
      'soak',
      '--signalling',
      signalling as string,
      '--calls',
      String(calls),
      '--faults',
      'all',
      '--fault-every',
      String(every),
      '--fault-for',
      '500',
      '--seed',
      '2',
      '--json',
    ]);
    expect(Object.keys(doc)).toEqual(
      expect.arrayContaining([
        'attempts',
        'resolved',
        'leaked_channels',
        'stuck_seats',
        'faults_injected',
        'rss_start_mb',
        'rss_end_mb',
        'calls_per_sec',
      ]),
    );
    expect(doc.resolved).toBe(calls);
    expect(doc.attempts).toBeGreaterThanOrEqual(calls);
    expect(doc.leaked_channels).toBe(0);
    // Answered calls went to the seats, and every seat is ready again at the end.
    expect(doc.seats.connected).toBeGreaterThan(0);
    expect(doc.seats.routed).toBe(doc.outcomes.answered);
    expect(doc.stuck_seats).toBe(0);
    expect(Object.values(doc.faults_injected as Record<string, number>).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(code).toBe(0);
  });
});

it('sim soak --signalling pri runs in virtual time (libpri too): 2,000 calls, every fault of the catalogue fired, nothing leaked', async () => {
  const { code, doc } = await run(['sim', 'soak', '--signalling', 'pri', '--calls', '2000', '--faults', 'all', '--seed', '4', '--json']);
  expect(doc.resolved).toBe(2000);
  expect(doc.leaked_channels).toBe(0);
  // At the default 3 s between faults of a kind, 2,000 calls take long enough in the span's time for each to fire.
  expect(Object.keys(doc.faults_injected).sort()).toEqual(['AIS', 'DCHANNEL_DOWN', 'GLARE', 'LOS', 'RESET_CHANNEL']);
  for (const n of Object.values(doc.faults_injected as Record<string, number>)) expect(n).toBeGreaterThan(0);
  expect(doc.outcomes.answered).toBeGreaterThan(500);
  expect(code).toBe(0);
});

// R2 calls take longest in the span's time (MF digits, line signals), so fewer of them see every fault fire.
describe.each([
  ['r2-cn', 300, ['LOS', 'AIS', 'BLOCK', 'CAS_HIT', 'GLARE']],
  ['ss7-isup', 3000, ['LINK_FAILURE', 'BLOCK', 'RESET_CHANNEL']],
  ['ss7-tup', 3000, ['LINK_FAILURE', 'BLOCK', 'RESET_CHANNEL']],
])('sim soak --signalling %s in virtual time', (signalling, calls, catalogue) => {
  it(`${calls} calls with every fault of the catalogue fired: all resolved, no channel leaked, no seat stuck`, async () => {
    const { runSoak } = await import('../simulator/soak-run');
    const { silentLogger } = await import('../src/core/logger');
    const r = await runSoak({ signalling: signalling as string, calls: calls as number, seed: 6, faults: true, logger: silentLogger });
    expect(r.resolved).toBe(calls);
    expect(r.leaked_channels).toBe(0);
    expect(r.stuck_seats).toBe(0);
    expect(Object.keys(r.faults_injected).sort()).toEqual([...(catalogue as string[])].sort());
    for (const n of Object.values(r.faults_injected)) expect(n).toBeGreaterThan(0);
    expect(r.seats!.ended_by.fault).toBeGreaterThan(0);
    expect(r.outcomes.answered).toBeGreaterThan((calls as number) / 10);
  });
});

it('sim calls refuses virtual time on a rig that runs on the wall clock only, naming the ones that can', async () => {
  const { runSimulatedCalls } = await import('../simulator/call-run');
  const { silentLogger } = await import('../src/core/logger');
  await expect(
    runSimulatedCalls({ signalling: 'fxo', spans: 1, calls: 1, seed: 1, logger: silentLogger, virtualTime: true }),
  ).rejects.toThrow("'fxo' runs on the wall clock only (virtual time: pri, r2-cn, ss7-isup, ss7-tup)");
});
