import { SeatEndpoint } from './seat';

/**
 * The voice path between a trunk channel and seats. On a board it is a DAHDI
 * conference (SETCONF) per call; in simulation it is bookkeeping. Supervisors join
 * the same conference: listening (hears both, says nothing) or barged in (talks).
 */
export interface TrunkLeg {
  callId: string;
  span: number;
  channel: number;
}

export type ParticipantMode = 'talk' | 'listen';

export interface Participant {
  endpoint: SeatEndpoint;
  mode: ParticipantMode;
}

export interface Conference {
  readonly trunk: TrunkLeg;
  participants(): Participant[];
  /** Adds a seat or changes its mode. */
  join(endpoint: SeatEndpoint, mode: ParticipantMode): Promise<void>;
  leave(endpoint: SeatEndpoint): Promise<void>;
  /** Tears the conference down; idempotent. */
  close(): Promise<void>;
}

export interface MediaBridge {
  /** Connects a trunk channel to a seat in a new conference. */
  bridge(trunk: TrunkLeg, seat: SeatEndpoint): Promise<Conference>;
}

export function endpointKey(e: SeatEndpoint): string {
  switch (e.kind) {
    case 'fxs':
      return `fxs:${e.span}/${e.channel}`;
    case 'remote':
      return `remote:${e.number}`;
    case 'simulated':
      return `sim:${e.id}`;
  }
}

/** A MediaBridge that keeps the conferences in memory: for the simulator and tests. */
export class SimulatedMediaBridge implements MediaBridge {
  private readonly open = new Map<string, SimulatedConference>();

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
