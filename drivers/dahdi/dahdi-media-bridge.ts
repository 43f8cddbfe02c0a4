import { ClosedError, InputError, TrunkpilotError } from '../../src/core/errors';
import { Logger, silentLogger } from '../../src/core/logger';
import { StateMachine, TransitionTable } from '../../src/core/state-machine';
import { DahdiChannelLender, DahdiChannelSource, HeldChannel } from './dahdi-channel-lender';
import { ConferenceRole, DahdiChannel } from './dahdi-channel';
import { SiteLayout } from '../../src/provisioning/layout';
import { DahdiChannelResolver, layoutChannelResolver } from './dahdi-channel-resolver';
import { Conference, endpointKey, MediaBridge, Participant, ParticipantMode, SeatEndpoint, TrunkLeg } from '../ports/media-port';

/**
 * A seat the board cannot put in a DAHDI conference: FXS ports and remote agents on a
 * live trunk leg can be; a remote agent not called out yet, or a simulated agent, cannot.
 */
export class UnsupportedSeatEndpointError extends InputError {
  constructor(readonly endpoint: SeatEndpoint) {
    super(
      `seat endpoint ${endpointKey(endpoint)}`,
      endpoint.kind === 'remote'
        ? 'a remote agent is bridged on its call leg, and this one has none (call the agent out first)'
        : 'a simulated agent has no DAHDI channel: use SimulatedMediaBridge',
    );
  }
}

/** A DAHDI channel could not be put in (or taken out of) a conference; names the channel and the step. */
export class BridgeChannelError extends TrunkpilotError {
  constructor(
    readonly channo: number,
    readonly step: string,
    readonly reason: unknown,
  ) {
    super('CHANNEL_UNAVAILABLE', `DAHDI channel ${channo}: ${step} failed: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}

/**
 * What each participant is in DAHDI terms. Everyone is a member of one
 * conference (CONF_CONF); DAHDI sums the audio of TALKER members and sends
 * every LISTENER member the sum of the others.
 *  - talk (trunk, agent, barged-in supervisor): talker + listener.
 *  - listen (supervisor listening in): listener only. It hears the sum of every
 *    talker (customer, agent, and anyone who barges in or takes a transfer) and,
 *    not being a talker, is added to nobody's audio. A MONITORBOTH on the trunk
 *    channel would hear the same two voices but is tied to that channel rather
 *    than the call, and barge-in would mean leaving the monitor and joining: a
 *    moment in neither. As a listener, barge-in is one SETCONF adding TALKER.
 */
function memberRole(confno: number, mode: ParticipantMode): ConferenceRole {
  return { kind: 'member', confno, talker: mode === 'talk', listener: true };
}

/** Whoever holds a channel in a conference: a call's DahdiConference, or a trunk patch (dahdi-trunk-patch.ts). */
export interface ConferenceOwner {
  readonly trunk: TrunkLeg;
}

export interface DahdiMediaBridgeOptions {
  resolver: DahdiChannelResolver;
  /** Open channels (default: a DahdiChannelLender that opens them itself). */
  channels?: DahdiChannelSource;
  logger?: Logger;
}

/**
 * Bridges a trunk channel and an agent's FXS port (or a remote agent's trunk leg) on
 * the board: both join a new DAHDI conference (SETCONF with confno -1: DAHDI picks the number);
 * supervisors join the same conference to listen or barge in. Whatever a step
 * fails on, what was already done is undone, so nothing stays joined.
 */
export class DahdiMediaBridge implements MediaBridge {
  /** Which conference each DAHDI channel is in: a channel can be in one at a time. */
  private readonly channelUse = new Map<number, ConferenceOwner>();
  readonly resolver: DahdiChannelResolver;
  private readonly channels: DahdiChannelSource;
  private readonly logger: Logger;

  constructor(opts: DahdiMediaBridgeOptions) {
    this.resolver = opts.resolver;
    this.logger = opts.logger ?? silentLogger;
    this.channels = opts.channels ?? new DahdiChannelLender({ logger: this.logger });
  }

  async bridge(trunk: TrunkLeg, seat: SeatEndpoint): Promise<Conference> {
    const seatChan = this.seatChannel(seat);
    const trunkChan = this.resolver.trunkChannel(trunk);
    const conference = new DahdiConference(trunk, this, this.logger.child({ call: trunk.callId }));
    conference.open(trunkChan, seat, seatChan);
    return conference;
  }

  /** @internal the DAHDI channel a seat joins on: its FXS port, or a remote agent's trunk leg. */
  seatChannel(endpoint: SeatEndpoint): number {
    if (endpoint.kind === 'fxs') return this.resolver.seatChannel(endpoint);
    if (endpoint.kind === 'remote' && endpoint.leg) return this.resolver.trunkChannel(endpoint.leg);
    throw new UnsupportedSeatEndpointError(endpoint);
  }

  /** Conferences open now (one per bridged call). */
  openConferences(): DahdiConference[] {
    return [...new Set(this.channelUse.values())].filter((o): o is DahdiConference => o instanceof DahdiConference);
  }

  /** Channels in any conference or patch now. */
  claimedChannels(): number[] {
    return [...this.channelUse.keys()];
  }

  /** @internal the conference's way to claim a channel, open it and set its mode. */
  claim(conference: ConferenceOwner, channo: number, role: ConferenceRole): { held: HeldChannel; confno: number } {
    const owner = this.channelUse.get(channo);
    if (owner) throw new BridgeChannelError(channo, 'joining', `already in the conference of call ${owner.trunk.callId}`);
    let held: HeldChannel;
    try {
      held = this.channels.hold(channo);
    } catch (err) {
      throw new BridgeChannelError(channo, 'opening', err);
    }
    try {
      const before = held.channel.conference();
      if (before.confmode !== 0)
        throw new Error(`already in DAHDI conference ${before.confno} (mode 0x${before.confmode.toString(16)}) set up by someone else`);
      const confno = held.channel.setConference(role);
      this.channelUse.set(channo, conference);
      return { held, confno };
    } catch (err) {
      held.release();
      throw new BridgeChannelError(channo, 'DAHDI_SETCONF (join)', err);
    }
  }

  /** @internal takes a channel out of its conference and gives it back; throws after cleaning up. */
  unclaim(channo: number, held: HeldChannel): void {
    this.channelUse.delete(channo);
    try {
      held.channel.setConference({ kind: 'none' });
    } catch (err) {
      throw new BridgeChannelError(channo, 'DAHDI_SETCONF (leave)', err);
    } finally {
      held.release();
    }
  }
}

/**
 * The bridge of a provisioned site on its boards: trunk legs and seats found by
 * the site's layout. `borrow` lends channels other parts already hold open (DAHDI
 * opens a channel once), e.g. the FXO line ports SiteTrunks opened.
 */
export function dahdiMediaBridgeForSite(
  layout: SiteLayout,
  opts: {
    borrow?: (channo: number) => DahdiChannel | undefined;
    /** The site's lender, shared with whatever else opens trunk channels (the trunks' voice paths); else one of its own. */
    channels?: DahdiChannelSource;
    logger?: Logger;
  } = {},
): DahdiMediaBridge {
  const logger = opts.logger ?? silentLogger;
  return new DahdiMediaBridge({
    resolver: layoutChannelResolver(layout),
    channels: opts.channels ?? new DahdiChannelLender({ lookup: opts.borrow, logger }),
    logger,
  });
}

interface Member {
  /** undefined for the trunk leg */
  endpoint?: SeatEndpoint;
  channo: number;
  held: HeldChannel;
  mode: ParticipantMode;
}

type ConferenceState = 'opening' | 'open' | 'closed';
type ConferenceEvent = 'opened' | 'close';

const CONFERENCE_TRANSITIONS: TransitionTable<ConferenceState, ConferenceEvent> = {
  opening: { opened: 'open', close: 'closed' },
  open: { close: 'closed' },
  closed: {},
};

/** One call's DAHDI conference: the trunk channel, its seat, and any supervisors. */
export class DahdiConference implements Conference {
  private readonly fsm: StateMachine<ConferenceState, ConferenceEvent>;
  private readonly members = new Map<string, Member>();
  private trunkMember: Member | undefined;
  private confno = 0;

  constructor(
    readonly trunk: TrunkLeg,
    private readonly bridge: DahdiMediaBridge,
    private readonly logger: Logger,
  ) {
    this.fsm = new StateMachine(`conference of call ${trunk.callId}`, CONFERENCE_TRANSITIONS, 'opening');
  }

  get state(): ConferenceState {
    return this.fsm.state;
  }

  /** The DAHDI conference number (0 until open). */
  get number(): number {
    return this.confno;
  }

  /** @internal trunk first (DAHDI allocates the conference number), then the seat. */
  open(trunkChan: number, seat: SeatEndpoint, seatChan: number): void {
    try {
      const { held, confno } = this.bridge.claim(this, trunkChan, memberRole(0, 'talk'));
      this.trunkMember = { channo: trunkChan, held, mode: 'talk' };
      this.confno = confno;
      this.add(seat, seatChan, 'talk');
    } catch (err) {
      this.teardown();
      throw err;
    }
    this.fsm.transition('opened', `DAHDI conference ${this.confno}`);
  }

  participants(): Participant[] {
    return [...this.members.values()].map((m) => ({ endpoint: m.endpoint!, mode: m.mode }));
  }

  async join(endpoint: SeatEndpoint, mode: ParticipantMode): Promise<void> {
    if (this.fsm.state !== 'open') throw new ClosedError(this.fsm.name);
    const member = this.members.get(endpointKey(endpoint));
    if (!member) {
      this.add(endpoint, this.bridge.seatChannel(endpoint), mode);
      return;
    }
    if (member.mode === mode) return;
    try {
      member.held.channel.setConference(memberRole(this.confno, mode));
    } catch (err) {
      throw new BridgeChannelError(member.channo, `DAHDI_SETCONF (${member.mode} -> ${mode})`, err);
    }
    member.mode = mode;
  }

  async leave(endpoint: SeatEndpoint): Promise<void> {
    const key = endpointKey(endpoint);
    const member = this.members.get(key);
    if (!member) return;
    this.members.delete(key);
    this.bridge.unclaim(member.channo, member.held);
  }

  /** Takes every channel out of the conference; idempotent, never throws (failures are logged). */
  async close(): Promise<void> {
    if (this.fsm.state === 'closed') return;
    this.teardown();
  }

  private add(endpoint: SeatEndpoint, channo: number, mode: ParticipantMode): void {
    const { held } = this.bridge.claim(this, channo, memberRole(this.confno, mode));
    this.members.set(endpointKey(endpoint), { endpoint, channo, held, mode });
  }

  private teardown(): void {
    const all = [...this.members.values(), ...(this.trunkMember ? [this.trunkMember] : [])];
    this.members.clear();
    this.trunkMember = undefined;
    for (const m of all) {
      try {
        this.bridge.unclaim(m.channo, m.held);
      } catch (err) {
        this.logger.warn('channel not cleanly taken out of the conference', { channo: m.channo, err: String(err) });
      }
    }
    this.fsm.transition('close', `DAHDI conference ${this.confno}`);
  }
}
