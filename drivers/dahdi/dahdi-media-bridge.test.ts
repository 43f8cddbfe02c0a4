/**
 * The DAHDI media bridge on the userspace DAHDI: what each far end HEARS. The
 * customer is the exchange behind an uncabled E1 timeslot, the agent and the
 * supervisor are phones on FXS ports; each sends its own tone and we measure
 * which tones arrive where.
 */
import { DAHDI, DAHDI_IOCTL } from './abi';
import { DahdiChannel } from './dahdi-channel';
import { ERRNO, lastErrno, loadLibC } from './ffi';
import { describeWithFakeDahdi } from '../../test-support/dahdi/jest-preload';
import { amplitudeAt, toneBlock } from '../../test-support/dahdi/by-ear';
import { SimSpan, SimulatedDahdi } from '../../simulator/dahdi/simulated-dahdi';
import { DahdiChannelLender } from './dahdi-channel-lender';
import { DahdiChannelResolver } from './dahdi-channel-resolver';
import { BridgeChannelError, dahdiMediaBridgeForSite, DahdiMediaBridge, UnsupportedSeatEndpointError } from './dahdi-media-bridge';
import { join } from 'path';
import { loadProfiles } from '../../src/provisioning/board-profile';
import { layoutSite } from '../../src/provisioning/layout';
import { boardProfilesDir } from '../../src/provisioning/paths';
import { loadSite } from '../../src/provisioning/site-config';
import { TrunkLeg } from '../ports/media-port';
import { SeatEndpoint } from '../../src/seats/seat';

const BLOCK = 160;
// Whole cycles per 20 ms block, so every block is the same and the tones are orthogonal.
const CUSTOMER_HZ = 450;
const AGENT_HZ = 1050;
const SUPERVISOR_HZ = 1750;
const AMPLITUDE = 4000;
const HEARD = AMPLITUDE * 0.7;
const NOT_HEARD = AMPLITUDE * 0.05;

const tone = (hz: number) => toneBlock(hz, AMPLITUDE);

describeWithFakeDahdi('DAHDI media bridge: trunk-to-seat conferences by ear', __filename, () => {
  let sim: SimulatedDahdi;
  let trunks: SimSpan;
  let seats: SimSpan;
  let resolver: DahdiChannelResolver;
  const blockers: DahdiChannel[] = [];
  const leg: TrunkLeg = { callId: 'call-1', span: 0, channel: 5 };
  let agent: SeatEndpoint;
  let supervisor: SeatEndpoint;

  beforeEach(() => {
    sim = SimulatedDahdi.attach();
    trunks = sim.addSpan('e1-ccs');
    seats = sim.addSpan('fxs', { ports: 3 });
    leg.span = trunks.spanno;
    agent = { kind: 'fxs', span: seats.spanno, channel: 1 };
    supervisor = { kind: 'fxs', span: seats.spanno, channel: 2 };
    resolver = {
      trunkChannel: (l) => trunks.channels[l.channel - 1],
      seatChannel: (s) => seats.channels[s.channel - 1],
    };
  });
  afterEach(() => {
    for (const c of blockers.splice(0)) c.close();
    sim.reset();
  });

  const customerChan = () => trunks.channels[leg.channel - 1];
  const portChan = (e: SeatEndpoint) => seats.channels[(e as { channel: number }).channel - 1];

  /** Everyone speaks for a few 20 ms ticks; returns the last block each far end heard. */
  function talk(ticks = 3): { customer: Uint8Array; agent: Uint8Array; supervisor: Uint8Array } {
    const ends = [customerChan(), portChan(agent), portChan(supervisor)];
    const tones = [tone(CUSTOMER_HZ), tone(AGENT_HZ), tone(SUPERVISOR_HZ)];
    for (const ch of ends) sim.farReadAudio(ch, 64 * BLOCK);
    for (let i = 0; i < ticks; i++) {
      ends.forEach((ch, k) => sim.farWriteAudio(ch, tones[k]));
      sim.advanceAudio(20);
    }
    const last = (ch: number) => sim.farReadAudio(ch, 64 * BLOCK).subarray(-BLOCK);
    return { customer: last(ends[0]), agent: last(ends[1]), supervisor: last(ends[2]) };
  }

  test('customer and agent hear each other; a listening supervisor hears both unheard; after barge-in all three talk', async () => {
    const bridge = new DahdiMediaBridge({ resolver });
    const conf = await bridge.bridge(leg, agent);

    let heard = talk();
    expect(amplitudeAt(heard.agent, CUSTOMER_HZ)).toBeGreaterThan(HEARD);
    expect(amplitudeAt(heard.customer, AGENT_HZ)).toBeGreaterThan(HEARD);
    expect(amplitudeAt(heard.supervisor, CUSTOMER_HZ)).toBeLessThan(NOT_HEARD); // not in the call yet

    await conf.join(supervisor, 'listen');
    heard = talk();
    expect(amplitudeAt(heard.supervisor, CUSTOMER_HZ)).toBeGreaterThan(HEARD);
    expect(amplitudeAt(heard.supervisor, AGENT_HZ)).toBeGreaterThan(HEARD);
    expect(amplitudeAt(heard.customer, SUPERVISOR_HZ)).toBeLessThan(NOT_HEARD);
    expect(amplitudeAt(heard.agent, SUPERVISOR_HZ)).toBeLessThan(NOT_HEARD);
    // Nobody hears their own voice back.
    expect(amplitudeAt(heard.customer, CUSTOMER_HZ)).toBeLessThan(NOT_HEARD);
    expect(amplitudeAt(heard.agent, AGENT_HZ)).toBeLessThan(NOT_HEARD);

    await conf.join(supervisor, 'talk');
    heard = talk();
    expect(amplitudeAt(heard.customer, SUPERVISOR_HZ)).toBeGreaterThan(HEARD);
    expect(amplitudeAt(heard.agent, SUPERVISOR_HZ)).toBeGreaterThan(HEARD);
    expect(amplitudeAt(heard.supervisor, CUSTOMER_HZ)).toBeGreaterThan(HEARD);
    expect(amplitudeAt(heard.supervisor, AGENT_HZ)).toBeGreaterThan(HEARD);
    expect(conf.participants()).toEqual([
      { endpoint: agent, mode: 'talk' },
      { endpoint: supervisor, mode: 'talk' },
    ]);

    await conf.leave(supervisor);
    heard = talk();
    expect(amplitudeAt(heard.customer, SUPERVISOR_HZ)).toBeLessThan(NOT_HEARD);
    expect(amplitudeAt(heard.supervisor, CUSTOMER_HZ)).toBeLessThan(NOT_HEARD);
    expect(amplitudeAt(heard.customer, AGENT_HZ)).toBeGreaterThan(HEARD);
    expect(sim.channelState(portChan(supervisor)).open).toBe(false);
    await conf.close();
  });

  test('after close nothing flows, every channel the bridge opened is closed, and the same channels bridge again; closing twice is harmless', async () => {
    const bridge = new DahdiMediaBridge({ resolver });
    const first = await bridge.bridge(leg, agent);
    await first.join(supervisor, 'listen');
    await first.close();
    await first.close();
    const heard = talk();
    expect(amplitudeAt(heard.agent, CUSTOMER_HZ)).toBeLessThan(NOT_HEARD);
    expect(amplitudeAt(heard.customer, AGENT_HZ)).toBeLessThan(NOT_HEARD);
    expect(amplitudeAt(heard.supervisor, CUSTOMER_HZ)).toBeLessThan(NOT_HEARD);
    for (const ch of [customerChan(), portChan(agent), portChan(supervisor)]) expect(sim.channelState(ch).open).toBe(false);
    expect(bridge.openConferences()).toEqual([]);
    await expect(first.join(supervisor, 'talk')).rejects.toThrow(/closed/);

    const second = await bridge.bridge(leg, agent);
    expect(amplitudeAt(talk().agent, CUSTOMER_HZ)).toBeGreaterThan(HEARD);
    await second.close();
  });

  test('a channel held elsewhere (an FXO port, say) is borrowed, not reopened, and left open but out of the conference', async () => {
    const held = DahdiChannel.open(customerChan());
    blockers.push(held);
    const bridge = new DahdiMediaBridge({
      resolver,
      channels: new DahdiChannelLender({ lookup: (n) => (n === held.channo ? held : undefined) }),
    });
    const conf = await bridge.bridge(leg, agent);
    expect(amplitudeAt(talk().customer, AGENT_HZ)).toBeGreaterThan(HEARD);
    await conf.close();
    expect(sim.channelState(held.channo).open).toBe(true);
    expect(held.conference().confmode).toBe(0);
  });

  test('a failure half-way leaves nothing joined and names the channel', async () => {
    // Someone else has the agent's port open: DAHDI refuses a second open (EBUSY).
    blockers.push(DahdiChannel.open(portChan(agent)));
    let bridge = new DahdiMediaBridge({ resolver });
    const err = await bridge.bridge(leg, agent).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeChannelError);
    expect(err).toMatchObject({ channo: portChan(agent), step: 'opening' });
    expect(String((err as Error).message)).toMatch(new RegExp(`DAHDI channel ${portChan(agent)}: opening failed: .*EBUSY`));
    // The trunk channel, already joined when the seat failed, is out and closed again.
    expect(sim.channelState(customerChan()).open).toBe(false);
    expect(bridge.openConferences()).toEqual([]);

    // A port someone else put in a conference is refused too, and the trunk is again left clean.
    blockers.splice(0).forEach((c) => c.close());
    const other = DahdiChannel.open(portChan(supervisor));
    blockers.push(other);
    other.setConference({ kind: 'member', confno: 0 });
    // The bridge borrows it (as it would a port a seat watcher holds) and finds it taken.
    bridge = new DahdiMediaBridge({
      resolver,
      channels: new DahdiChannelLender({ lookup: (n) => (n === other.channo ? other : undefined) }),
    });
    await expect(bridge.bridge(leg, supervisor)).rejects.toThrow(
      new RegExp(`DAHDI channel ${portChan(supervisor)}: DAHDI_SETCONF \\(join\\) failed: already in DAHDI conference`),
    );
    expect(sim.channelState(customerChan()).open).toBe(false);

    // With the port free, the same call bridges.
    const conf = await bridge.bridge(leg, agent);
    expect(amplitudeAt(talk().agent, CUSTOMER_HZ)).toBeGreaterThan(HEARD);
    // A channel can be in one call only.
    await expect(bridge.bridge({ callId: 'call-2', span: trunks.spanno, channel: 6 }, agent)).rejects.toThrow(
      /already in the conference of call call-1/,
    );
    expect(sim.channelState(trunks.channels[5]).open).toBe(false);
    await conf.close();
  });

  test('a remote agent not called out yet and a simulated seat are refused with a typed error before any channel is touched', async () => {
    const bridge = new DahdiMediaBridge({ resolver });
    await expect(bridge.bridge(leg, { kind: 'remote', number: '13800138000' })).rejects.toThrow(UnsupportedSeatEndpointError);
    await expect(bridge.bridge(leg, { kind: 'remote', number: '13800138000' })).rejects.toThrow(/has none \(call the agent out first\)/);
    await expect(bridge.bridge(leg, { kind: 'simulated', id: 'a1' })).rejects.toThrow(UnsupportedSeatEndpointError);
    expect(sim.channelState(customerChan()).open).toBe(false);
    const conf = await bridge.bridge(leg, agent);
    await expect(conf.join({ kind: 'remote', number: '13800138000' }, 'listen')).rejects.toThrow(UnsupportedSeatEndpointError);
    await conf.close();
  });

  test('on the shipped PRI site: span 2 timeslot 5 is bridged to seat port 3 through the layout', async () => {
    // Renumber from channel 1 as the site's boards are: the D430P's 4 E1 spans, then the Astribank's 32 FXS ports.
    sim.reset();
    const e1 = [1, 2, 3, 4].map(() => sim.addSpan('e1-ccs'));
    const astribank = sim.addSpan('fxs', { ports: 32 });
    expect([e1[1].channels[4], astribank.spanno, astribank.channels[2]]).toEqual([36, 5, 127]);
    const layout = layoutSite(loadSite(join(boardProfilesDir(), 'sites', 'pri-cpe.yaml'), loadProfiles()));
    const bridge = dahdiMediaBridgeForSite(layout);
    const conf = await bridge.bridge({ callId: 'pri-1', span: 2, channel: 5 }, { kind: 'fxs', span: 5, channel: 3 });
    for (let i = 0; i < 3; i++) {
      sim.farWriteAudio(36, tone(CUSTOMER_HZ));
      sim.farWriteAudio(127, tone(AGENT_HZ));
      sim.advanceAudio(20);
    }
    expect(amplitudeAt(sim.farReadAudio(127, 64 * BLOCK).subarray(-BLOCK), CUSTOMER_HZ)).toBeGreaterThan(HEARD);
    expect(amplitudeAt(sim.farReadAudio(36, 64 * BLOCK).subarray(-BLOCK), AGENT_HZ)).toBeGreaterThan(HEARD);
    await conf.close();
    expect([sim.channelState(36).open, sim.channelState(127).open]).toEqual([false, false]);
  });

  test('as the kernel does, DAHDI refuses a conference mode with confno 0; a new conference is asked for with -1', () => {
    const ch = DahdiChannel.open(customerChan());
    blockers.push(ch);
    const libc = loadLibC();
    const ask = (confno: number) => {
      const info = { chan: 0, confno, confmode: DAHDI.CONF_CONF | DAHDI.CONF_TALKER | DAHDI.CONF_LISTENER };
      const res = libc.ioctlConfinfo(ch.fd, DAHDI_IOCTL.SETCONF, info);
      return { res, errno: res === 0 ? 0 : lastErrno(), confno: info.confno };
    };
    expect(ask(0)).toMatchObject({ res: -1, errno: ERRNO.EINVAL });
    expect(ask(-1)).toMatchObject({ res: 0, confno: expect.any(Number) });
    expect(ch.conference().confno).toBeGreaterThan(0);
    ch.setConference({ kind: 'none' });
    expect(ch.setConference({ kind: 'member', confno: 0 })).toBeGreaterThan(0); // the driver's "new conference"
  });
});
