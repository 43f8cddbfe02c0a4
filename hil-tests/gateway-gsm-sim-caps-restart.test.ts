/**
 * Per-SIM daily caps across a gateway restart, through the whole gateway on a simulated
 * site: one SIM uses up its cap, the gateway stops and starts again on the same campaign
 * store, and that SIM stays out of service for the day while the other SIM keeps its
 * calls. The count lives in the store (sim_calls, by ICCID and local date).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithFakeDahdi, until } from '../test-support/dahdi/jest-preload';
import { loadProfiles } from '../src/provisioning/board-profile';
import { siteFromSource } from '../src/provisioning/site-config';
import { YamlSource } from '../src/provisioning/yaml-source';
import { Gateway, openGateway } from '../src/runtime/gateway';
import { ModemSpanSignalling } from '../src/signalling/gsm/modem-span-signalling';
import { SimulatedSite } from '../simulator/site/simulated-site';

const SITE = `version: 1
site: hil-gsm-caps
boards: []
modems:
  - { id: gsm1, profile: simcom-sim7600, port: /dev/ttyUSB6, trunkGroup: mobile, dailyCallCap: 2 }
  - { id: gsm2, profile: simcom-sim7600, port: /dev/ttyUSB16, trunkGroup: mobile, dailyCallCap: 2 }
simulation:
  seed: 8
  callees: { mix: { answer: 0, busy: 1, unallocated: 0, no_answer: 0, congestion: 0, absent: 0 } }
`;

describeWithFakeDahdi('per-SIM caps across a gateway restart', __filename, () => {
  const running: { sim: SimulatedSite; gateway: Gateway }[] = [];
  afterAll(async () => {
    for (const r of running) {
      await r.gateway.close(0);
      await r.sim.close();
    }
    running[0]?.sim.sim.reset();
  });

  async function start(dir: string) {
    const loaded = siteFromSource(YamlSource.fromText(SITE, join(dir, 'site.yaml')), loadProfiles());
    const sim = SimulatedSite.build(loaded);
    const gateway = await openGateway({
      site: loaded,
      dbPath: join(dir, 'gw.db'),
      mediaBridge: sim.mediaBridge,
      modems: sim.modems,
      telemetry: false,
    });
    running.push({ sim, gateway });
    const signalling = gateway.trunks.spans[0].signalling as ModemSpanSignalling;
    return { sim, gateway, signalling, span: gateway.trunks.spans[0], group: gateway.trunks.group('mobile') };
  }

  test('a SIM that used its cap stays out after the restart; the other keeps its count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-gsm-caps-'));
    writeFileSync(join(dir, 'site.yaml'), SITE);
    const first = await start(dir);
    expect(await first.group.whenReady(20_000)).toBe(true);
    // The group dials the highest idle module first: gsm2 twice (its cap), then gsm1 once.
    for (const n of ['13800000001', '13800000002', '13800000003']) expect((await first.group.dial({ number: n })).outcome).toBe('busy');
    expect([1, 2].map((ch) => first.signalling.callsToday(ch).calls)).toEqual([1, 2]);
    await until(() => first.span.channel(2)!.state === 'out-of-service', 'gsm2 capped', 5000);
    await first.gateway.close(0);
    await first.sim.close();
    running.length = 0;

    const second = await start(dir);
    await until(
      () => second.signalling.callsToday(1).calls === 1 && second.signalling.callsToday(2).calls === 2,
      'the counts read back from the store',
      20_000,
    );
    await until(() => second.span.channel(1)!.state === 'idle', 'gsm1 in service', 20_000);
    expect(second.span.channel(2)!.state).toBe('out-of-service');
    expect((await second.group.dial({ number: '13800000004' })).outcome).toBe('busy');
    expect(second.signalling.callsToday(1)).toEqual({ calls: 2, cap: 2 });
    await until(() => second.span.channel(1)!.state === 'out-of-service', 'gsm1 capped', 5000);
  }, 90_000);
});
