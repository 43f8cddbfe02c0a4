/**
 * What MTP3 needs from one MTP2 link: the service MTP2 gives the layer above
 * (Q.703/Q.704 primitives). Not a hardware port: the frames underneath go through
 * drivers/ports/signalling-link.ts (a DAHDI mtp2/dchan channel on a board, an
 * in-memory pair in the simulator); Mtp2HdlcLink runs the MTP2 engine over one.
 */
import type { RetrievedMsus } from './error-correction';

export type Mtp2ServiceEvent =
  | { type: 'in-service' }
  | { type: 'out-of-service'; reason: string }
  /** An MSU accepted in sequence: SIO + SIF. */
  | { type: 'msu'; payload: Uint8Array };

export interface Mtp2Service {
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
  /** Unacknowledged MSUs (with their FSNs) and queued ones, taken out of the link (changeover). */
  retrieve(): RetrievedMsus;
  /** FSN of the last MSU accepted from the peer (changeover order). */
  readonly lastAcceptedFsn: number;
  onEvent(listener: (ev: Mtp2ServiceEvent) => void): () => void;
  close(): void;
}
