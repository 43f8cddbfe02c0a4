/**
 * What MTP3 needs from one signalling link, whatever carries it: an MTP2 end on
 * a DAHDI timeslot (Mtp2HdlcLink), or, in the simulator, the same engine on an
 * in-memory cable. (Port interface: moves to drivers/ports/ with the other ports
 * once that folder is on main.)
 */
export type SignallingLinkEvent =
  | { type: 'in-service' }
  | { type: 'out-of-service'; reason: string }
  /** An MSU accepted in sequence: SIO + SIF. */
  | { type: 'msu'; payload: Uint8Array };

export interface SignallingLinkPort {
  /** For logs and telemetry: "span 1 TS16". */
  readonly name: string;
  readonly inService: boolean;
  /** MTP2 state for telemetry ('in-service', 'proving', ...). */
  readonly state: string;
  /** Starts alignment; emergency proving when no other link of the set is in service. */
  start(emergency: boolean): void;
  stop(): void;
  /** Sends SIO + SIF; false when the link is not in service. */
  send(payload: Uint8Array): boolean;
  /** Unacknowledged and queued MSUs, taken out of the link (changeover). */
  retrieve(): Uint8Array[];
  /** FSN of the last MSU accepted from the peer (changeover order). */
  readonly lastAcceptedFsn: number;
  onEvent(listener: (ev: SignallingLinkEvent) => void): () => void;
  close(): void;
}
