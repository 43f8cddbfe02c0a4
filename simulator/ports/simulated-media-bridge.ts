import {
  Conference,
  endpointKey,
  MediaBridge,
  Participant,
  ParticipantMode,
  SeatEndpoint,
  TrunkLeg,
  TrunkPatch,
  TrunkPatchLink,
} from '../../drivers/ports/media-port';

/** A MediaBridge (and trunk patch) that keeps the conferences in memory: for the simulator and tests. */
export class SimulatedMediaBridge implements MediaBridge, TrunkPatch {
  private readonly open = new Map<string, SimulatedConference>();
  private readonly patches = new Set<TrunkPatchLink>();

  async patch(a: TrunkLeg, b: TrunkLeg): Promise<TrunkPatchLink> {
    const link: TrunkPatchLink = {
      legs: [a, b],
      close: async () => {
        this.patches.delete(link);
      },
    };
    this.patches.add(link);
    return link;
  }

  /** The trunk calls patched together now, as pairs of call ids. */
  patchedCalls(): [string, string][] {
    return [...this.patches].map((p) => [p.legs[0].callId, p.legs[1].callId]);
  }

  async bridge(trunk: TrunkLeg, seat: SeatEndpoint): Promise<Conference> {
    const conf = new SimulatedConference(trunk, () => this.open.delete(trunk.callId));
    await conf.join(seat, 'talk');
    this.open.set(trunk.callId, conf);
    return conf;
  }

  /** The conference carrying a trunk call, if it is open. */
  conferenceFor(callId: string): SimulatedConference | undefined {
    return this.open.get(callId);
  }

  openCount(): number {
    return this.open.size;
  }
}

export class SimulatedConference implements Conference {
  private readonly members = new Map<string, Participant>();
  private closed = false;

  constructor(
    readonly trunk: TrunkLeg,
    private readonly onClose: () => void,
  ) {}

  participants(): Participant[] {
    return [...this.members.values()];
  }

  async join(endpoint: SeatEndpoint, mode: ParticipantMode): Promise<void> {
    if (this.closed) return;
    this.members.set(endpointKey(endpoint), { endpoint, mode });
  }

  async leave(endpoint: SeatEndpoint): Promise<void> {
    this.members.delete(endpointKey(endpoint));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.members.clear();
    this.onClose();
  }
}
