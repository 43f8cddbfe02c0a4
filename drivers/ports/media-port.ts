/**
 * How a seat's own line is reached: a board port, a remote number (with, while the agent
 * is called out, the trunk leg carrying it), or a simulated agent.
 */
export type SeatEndpoint =
  { kind: 'fxs'; span: number; channel: number } | { kind: 'remote'; number: string; leg?: TrunkLeg } | { kind: 'simulated'; id: string };

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

/** Two trunk calls patched together (a privacy-number call): closing it takes both out. */
export interface TrunkPatchLink {
  readonly legs: readonly [TrunkLeg, TrunkLeg];
  close(): Promise<void>;
}

/** Connects the voice of two trunk channels (on a board: both in one DAHDI conference). */
export interface TrunkPatch {
  patch(a: TrunkLeg, b: TrunkLeg): Promise<TrunkPatchLink>;
}
