/**
 * A SIM's calls of the day survive a restart: counted in the campaign store (the SQLite
 * file and a real PostgreSQL server) by ICCID and local date, read back when the module is
 * ready again, so the daily cap holds across the restart and a new day starts from 0.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtModem } from '../../../drivers/modem/at-modem';
import { MODEM_PROFILES } from '../../../drivers/modem/modem-profiles';
import { PostgresServer } from '../../../test-support/postgres/postgres-server';
import { MockModemRig } from '../../../simulator/modem/modem-rig';
import { CampaignStorage } from '../../campaign/campaign-storage';
import { CampaignStore } from '../../campaign/campaign-store';
import { PgCampaignStore } from '../../campaign/pg-campaign-store';
import { systemClock } from '../../core/clock';
import { Span } from '../../controller/span';
import { TrunkGroup } from '../../controller/trunk-group';
import { ModemSpanSignalling } from './modem-span-signalling';

const ICCID = '89860012345678901234'; // what the simulated module reports
const CAP = 3;

let pg: PostgresServer;
beforeAll(async () => {
  pg = await PostgresServer.start({ unsafeFast: true });
}, 30_000);
afterAll(async () => {
  await pg?.close();
});

const stores: [string, () => Promise<() => Promise<CampaignStorage>>][] = [
  [
    'SQLite',
    async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'tp-sim-calls-')), 'c.db');
      return async () => new CampaignStore(path);
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const url = pg.createDatabase(`simcalls${Date.now()}`);
      return () => PgCampaignStore.open(url, { gateway: 'gw1', clock: systemClock });
    },
  ],
];

/** The gateway's process: a module on its trunk, the store opened after the trunks (as openGateway does). */
async function startGateway(rig: MockModemRig, openStore: () => Promise<CampaignStorage>) {
  const modem = new AtModem({ path: '/dev/ttyUSB6', profile: MODEM_PROFILES['simcom-sim7600'], opener: rig.opener, clock: rig.clock });
  const signalling = new ModemSpanSignalling([modem], { clock: rig.clock, dailyCallCap: CAP });
  const span = new Span(1, signalling, { clock: rig.clock });
  const group = new TrunkGroup([span], { clock: rig.clock });
  modem.start();
  const store = await openStore();
  signalling.useSimCallLedger({ simCallsOn: (i, d) => store.simCallsOn(i, d), countSimCall: (i, d) => store.countSimCall(i, d) });
  const stop = async () => {
    await signalling.close();
    await store.close();
  };
  return { signalling, span, group, store, stop };
}

/**
 * Runs virtual time with real pauses between steps, so a database server's answers arrive;
 * bounded by real time (a loaded machine answers slower), not by the virtual time it took.
 */
async function until(rig: MockModemRig, probe: () => boolean, realMs = 15_000): Promise<boolean> {
  for (const start = Date.now(); !probe() && Date.now() - start < realMs;) {
    await rig.run(50);
    await new Promise((r) => setTimeout(r, 2));
  }
  return probe();
}

/** Until the store has taken every count written so far (the channel's ledger queue drains). */
async function drained(read: () => Promise<number>, expected: number): Promise<number> {
  let got = await read();
  for (const start = Date.now(); got !== expected && Date.now() - start < 15_000; got = await read())
    await new Promise((r) => setTimeout(r, 10));
  return got;
}

async function dial(rig: MockModemRig, group: TrunkGroup, number: string) {
  let r: Awaited<ReturnType<TrunkGroup['dial']>> | undefined;
  void group.dial({ number }).then((x) => (r = x));
  expect(await until(rig, () => r !== undefined)).toBe(true);
  return r!;
}

describe.each(stores)('per-SIM calls today in the %s store', (_name, makeStore) => {
  test('a restart mid-day carries on from the stored count: the cap holds, and the next day starts from 0', async () => {
    const openStore = await makeStore();
    const rig = new MockModemRig(4);
    const device = rig.modem('/dev/ttyUSB6', 'simcom-sim7600');
    rig.population.override('13800138000', 'busy');

    const first = await startGateway(rig, openStore);
    expect(await until(rig, () => first.span.idleCount() === 1)).toBe(true);
    expect((await dial(rig, first.group, '13800138000')).outcome).toBe('busy');
    expect((await dial(rig, first.group, '13800138000')).outcome).toBe('busy');
    expect(first.signalling.callsToday(1)).toEqual({ calls: 2, cap: CAP });
    // 2026-01-05 09:00 UTC is 17:00 in China: the cap's local date.
    expect(await drained(() => Promise.resolve(first.store.simCallsOn(ICCID, '2026-01-05')), 2)).toBe(2);
    await first.stop();

    // Restarted the same day: the SIM has one call left, not three.
    const second = await startGateway(rig, openStore);
    expect(await until(rig, () => second.span.idleCount() === 1 && second.signalling.callsToday(1).calls === 2)).toBe(true);
    expect((await dial(rig, second.group, '13800138000')).outcome).toBe('busy');
    expect(await until(rig, () => second.span.channel(1)!.state === 'out-of-service')).toBe(true);
    expect(second.signalling.callsToday(1)).toEqual({ calls: CAP, cap: CAP });
    const refused = await dial(rig, second.group, '13800138000');
    expect(refused.outcome).not.toBe('busy');
    expect(device.dialled).toHaveLength(CAP);

    // Local midnight (16:00 UTC): the SIM is back with a fresh count, kept under the new date.
    rig.clock.advance(Date.UTC(2026, 0, 5, 16, 0, 1) - rig.clock.now());
    expect(await until(rig, () => second.span.idleCount() === 1)).toBe(true);
    expect(second.signalling.callsToday(1)).toEqual({ calls: 0, cap: CAP });
    expect((await dial(rig, second.group, '13800138000')).outcome).toBe('busy');
    expect(await drained(() => Promise.resolve(second.store.simCallsOn(ICCID, '2026-01-06')), 1)).toBe(1);
    expect(await second.store.simCallsOn(ICCID, '2026-01-05')).toBe(CAP);
    await second.stop();
  }, 60_000);
});
