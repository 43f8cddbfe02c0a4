/**
 * Agents' own controls over the gateway's command interface, end to end: the site's
 * telemetry users (two agents with their seats, a supervisor) on the embedded broker,
 * the CLI's command client, and the gateway's seat actions. An agent acts on its own
 * seat only and runs no supervisor command; the supervisor acts on any seat.
 */
import { VirtualClock } from '../core/clock';
import { SiteConfig } from '../provisioning/site-types';
import { AnswerGroup } from '../seats/answer-group';
import { Seat } from '../seats/seat';
import { SeatDistributor } from '../seats/seat-distributor';
import { hashPassword } from '../telemetry/broker/credentials';
import { startTelemetry, TelemetryHandle } from '../telemetry/start-telemetry';
import { CommandClient, CommandFailedError, commandTarget } from './command-client';
import { seatCommandActions } from './gateway-operations';
import { telemetryOptionsForSite } from './site-telemetry';

const hash = (pw: string) => hashPassword(pw, { logN: 10, r: 8, p: 1 });

describe('agent commands over MQTT', () => {
  const clock = new VirtualClock(0);
  const seats = ['seat1', 'seat2'].map((id) => new Seat(id, { kind: 'simulated', id }, { clock }));
  const distributor = new SeatDistributor({
    clock,
    group: new AnswerGroup('all', seats, 'round-robin'),
    bridge: { bridge: async () => Promise.reject(new Error('no calls here')) },
    playAbandonMessage: async () => undefined,
  });
  const site = {
    version: 1,
    site: 'agents-lab',
    boards: [],
    telemetry: {
      users: {
        ann: { role: 'agent', seat: 'seat1', password_scrypt: hash('ann-pw') },
        bob: { role: 'agent', seat: 'seat2', password_scrypt: hash('bob-pw') },
        boss: { role: 'operator', password_scrypt: hash('boss-pw') },
      },
    },
  } as SiteConfig;
  let telemetry: TelemetryHandle;
  const clients: CommandClient[] = [];

  beforeAll(async () => {
    const fromSite = telemetryOptionsForSite(site, { mqttPort: 0, httpPort: false });
    telemetry = await startTelemetry({
      ...fromSite,
      spans: [],
      actions: seatCommandActions({
        seat: (id) => {
          const s = seats.find((x) => x.id === id);
          if (!s) throw new Error(`no seat '${id}'`);
          return s;
        },
        distributorOf: (id) => (distributor.liveCall(id) ? distributor : undefined),
      }),
    });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await telemetry.close();
  });

  /** Connects as the site's agent of `seat` (no --user: the CLI's default) or as the named user. */
  const as = async (password: string, opts: { seat?: string; user?: string }) => {
    const target = commandTarget(
      { ...site, telemetry: { ...site.telemetry, mqttPort: Number(new URL(telemetry.mqttUrl).port) } },
      'seat.ready',
      {
        ...opts,
        password,
      },
    );
    const client = await CommandClient.connect(target, 10_000);
    clients.push(client);
    return client;
  };
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (err: CommandFailedError) => err.replyCode,
    );

  test("an agent logs in and out, pauses with a reason, goes ready, on its own seat; another agent's seat is refused", async () => {
    const ann = await as('ann-pw', { seat: 'seat1' });
    expect(await ann.request('seat.login', { seat: 'seat1' })).toEqual({ seat: 'seat1', state: 'ready' });
    expect(await ann.request('seat.pause', { seat: 'seat1', reason: 'lunch' })).toEqual({
      seat: 'seat1',
      state: 'paused',
      reason: 'agent: lunch',
    });
    expect(await ann.request('seat.ready', { seat: 'seat1' })).toEqual({ seat: 'seat1', state: 'ready' });
    expect(await refusal(ann.request('seat.end-wrap', { seat: 'seat1' }))).toBe('FAILED'); // not in wrap-up

    // Bob's seat: every agent command refused, and nothing changes there.
    for (const action of ['seat.login', 'seat.logout', 'seat.ready', 'seat.pause', 'seat.end-wrap'])
      expect(await refusal(ann.request(action, { seat: 'seat2' }))).toBe('FORBIDDEN');
    expect(seats[1].state).toBe('logged-out');
    // Supervisor commands: refused even on its own seat.
    for (const action of ['seat.force-busy', 'seat.force-ready', 'seat.release'])
      expect(await refusal(ann.request(action, { seat: 'seat1' }))).toBe('FORBIDDEN');
    expect(await refusal(ann.request('seat.transfer', { seat: 'seat1', to: 'seat2' }))).toBe('FORBIDDEN');
    expect(await ann.request('seat.logout', { seat: 'seat1' })).toEqual({ seat: 'seat1', state: 'logged-out' });
  });

  test('a supervisor acts on any seat; the other agent only on its own', async () => {
    const boss = await as('boss-pw', { user: 'boss' });
    expect(await boss.request('seat.login', { seat: 'seat2' })).toEqual({ seat: 'seat2', state: 'ready' });
    expect(await boss.request('seat.force-busy', { seat: 'seat2' })).toEqual({
      seat: 'seat2',
      state: 'paused',
      reason: 'supervisor command',
    });
    const bob = await as('bob-pw', { seat: 'seat2' });
    expect(await bob.request('seat.ready', { seat: 'seat2' })).toEqual({ seat: 'seat2', state: 'ready' });
    expect(await refusal(bob.request('seat.login', { seat: 'seat1' }))).toBe('FORBIDDEN');
    expect(seats[0].state).toBe('logged-out');
  });
});
