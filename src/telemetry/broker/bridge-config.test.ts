/**
 * A centre's telemetry through real mosquitto bridges: two gateways' brokers
 * (mosquitto, with the generated bridge snippet) bridged to a central mosquitto
 * (with the generated ACL). The centre sees both trees under their gateway names;
 * a command addressed to one gateway reaches that gateway only, and its reply
 * comes back; a user cannot send commands under another's name at the centre.
 */
import { MosquittoServer } from '../../../test-support/telemetry/mosquitto-server';
import { MqttWatch } from '../../../test-support/telemetry/mqtt-watch';
import { centralBridgeAcl, mosquittoBridgeSnippet, parseCentral } from './bridge-config';

const SERVICE = 'trunkpilot';
const users = { [SERVICE]: 'svc-pw-123', boss: 'boss-pw-123', eve: 'eve-pw-1234', 'bridge-gw1': 'br1-pw-123', 'bridge-gw2': 'br2-pw-123' };

describe('a centre of gateways through mosquitto bridges', () => {
  const servers: MosquittoServer[] = [];
  const watches: MqttWatch[] = [];
  afterAll(async () => {
    for (const w of watches) await w.client.endAsync(true);
    for (const s of servers) await s.close();
  });

  test("each gateway's tree reaches the centre under its name; a command for gw1 reaches gw1 only; its reply comes back", async () => {
    const central = await MosquittoServer.start({
      users,
      roles: { boss: 'operator', eve: 'operator', 'bridge-gw1': 'viewer', 'bridge-gw2': 'viewer' },
      serviceUser: SERVICE,
      extraAcl: centralBridgeAcl([
        { gateway: 'gw1', bridgeUser: 'bridge-gw1' },
        { gateway: 'gw2', bridgeUser: 'bridge-gw2' },
      ]),
    });
    servers.push(central);
    const gateway = async (gw: string) => {
      const s = await MosquittoServer.start({
        users: { [SERVICE]: users[SERVICE] },
        roles: {},
        serviceUser: SERVICE,
        extraConf: mosquittoBridgeSnippet({
          gateway: gw,
          central: parseCentral(`127.0.0.1:${central.port}`, false),
          bridgeUser: `bridge-${gw}`,
          bridgePassword: users[`bridge-${gw}` as 'bridge-gw1'],
        }),
      });
      servers.push(s);
      // What the gateway's own broker carries, any gateway's tree: a command bridged to the wrong gateway would show here.
      const local = await MqttWatch.connect(s.url, { username: SERVICE, password: users[SERVICE] }, 'trunkpilot/#');
      watches.push(local);
      return { s, local };
    };
    const [gw1, gw2] = [await gateway('gw1'), await gateway('gw2')];

    const wallboard = await MqttWatch.connect(central.url, { username: 'boss', password: users.boss }, 'trunkpilot/+/status');
    watches.push(wallboard);
    await wallboard.client.subscribeAsync('trunkpilot/+/reply/boss', { qos: 1 });
    // The bridges connect in their own time: status keeps being published until the centre has both.
    const seenBoth = async () => {
      for (let i = 0; i < 100; i++) {
        for (const [name, g] of [
          ['gw1', gw1],
          ['gw2', gw2],
        ] as const)
          await g.local.client.publishAsync(`trunkpilot/${name}/status`, JSON.stringify({ state: 'online', gateway: name }), { qos: 1 });
        const names = new Set(wallboard.seen.filter((m) => m.topic.endsWith('/status')).map((m) => m.json.gateway));
        if (names.has('gw1') && names.has('gw2')) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the centre never saw both gateways');
    };
    await seenBoth();
    expect(wallboard.seen.find((m) => m.topic === 'trunkpilot/gw1/status')?.json).toEqual({ state: 'online', gateway: 'gw1' });

    // A command for gw1 at the centre: gw1's broker has it, gw2's does not.
    await wallboard.client.publishAsync('trunkpilot/gw1/cmd/boss/campaign.list', JSON.stringify({ id: 'c1', args: {} }), { qos: 1 });
    const got = await gw1.local.next((m) => m.topic === 'trunkpilot/gw1/cmd/boss/campaign.list', 5000, 'the command at gw1');
    expect(got.json).toEqual({ id: 'c1', args: {} });
    // gw1 answers on its own broker; the reply reaches the user at the centre.
    await gw1.local.client.publishAsync('trunkpilot/gw1/reply/boss', JSON.stringify({ id: 'c1', ok: true }), { qos: 1 });
    expect((await wallboard.next((m) => m.topic === 'trunkpilot/gw1/reply/boss', 5000, 'the reply at the centre')).json).toEqual({
      id: 'c1',
      ok: true,
    });
    // Impersonation at the centre is refused by its ACL (eve publishing as boss), so gw1 never hears of it.
    const eve = await MqttWatch.connect(central.url, { username: 'eve', password: users.eve });
    watches.push(eve);
    await eve.client.publishAsync('trunkpilot/gw1/cmd/boss/campaign.stop', JSON.stringify({ id: 'x', args: {} }), { qos: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(gw1.local.seen.some((m) => m.topic.endsWith('campaign.stop'))).toBe(false);
    expect(gw2.local.seen.some((m) => m.topic.includes('/cmd/'))).toBe(false);
  }, 30_000);
});
