import { Clock } from '../src/core/clock';
import { Logger } from '../src/core/logger';
import { TrunkGroup } from '../src/controller/trunk-group';
import { CalleePopulation } from './callee-population';
import type { SimFault, SimFaultName } from './fault-catalogue';

/**
 * A controller wired to a simulated network, ready to dial: what `trunkpilot sim
 * calls --signalling KIND` builds. One builder per signalling kind is registered in
 * simulator/rigs.ts.
 */
export interface RigOptions {
  spans: number;
  /** GSM/LTE modules, for rigs of modem trunks (`--modems N`). */
  modems?: number;
  seed: number;
  population: CalleePopulation;
  logger: Logger;
  /** How long the simulated exchange lets an unanswered call ring before clearing it (ms). */
  noAnswerMs?: number;
  /**
   * 'memory' joins the two ends directly; 'dahdi' puts each end on a span of the
   * userspace DAHDI so the production DAHDI driver carries the signalling (needs
   * libfakedahdi.so preloaded). A rig that supports only one says so.
   */
  transport?: 'memory' | 'dahdi';
  /** Write the signalling link(s) to this pcap file, where the signalling has one. */
  pcapFile?: string;
  /** Signalling variant where the kind has several (No.7: 'china' or 'itu'). */
  variant?: string;
  /** Receives one line per signalling step (`--trace`), where the signalling can say them. */
  trace?: (line: string) => void;
  /**
   * Bearer audio, where the rig can carry it (PRI, China No.1): the network plays
   * each callee's audio on the call's channel, and the rig's `trunkAudio` is the
   * controller's side of those channels.
   */
  audio?: RigAudioOptions;
  /**
   * The clock every part of the rig runs on (default the wall clock), where the rig
   * supports another: on a VirtualClock the caller drives time and waits for readiness.
   */
  clock?: Clock;
}

export interface RigAudioOptions {
  /** Share of subscribers with colour ring-back (default 0.3). */
  musicShare?: number;
  /** Share of answers taken by a machine when a callee's script does not say (default 0.15). */
  machineShare?: number;
  /** Failures played in-band for this long before the network clears them (default 0: at once). */
  earlyMediaMs?: number;
  /**
   * The controller listens too: each span's signalling is wrapped in the in-band
   * analysis (call progress in early media, who answered within this many ms).
   */
  analysis?: { maxAnalysisMs?: number };
}

export interface SimRig {
  readonly group: TrunkGroup;
  readonly population: CalleePopulation;
  /**
   * Injects a fault of the shared catalogue (fault-catalogue.ts) that this rig has:
   * params.span (default 1), params.channel for a channel's fault; a condition
   * stays until injected again with params.clear true.
   */
  injectFault(name: SimFaultName, params?: Record<string, unknown>): void;
  /** The faults of the catalogue this rig can show (what `--fault` and the soak may drive). */
  readonly faultCatalogue: Readonly<Partial<Record<SimFaultName, SimFault>>>;
  /**
   * The rig's time where it is not the wall clock (a rig in free-running virtual time):
   * the faults, back-offs and seats of a run follow it. Absent: the wall clock.
   */
  readonly clock?: Clock;
  /** Whether a message is still travelling between the rig's ends (virtual time must wait for it). */
  framesInFlight?(): boolean;
  /**
   * Whether the rig has finished starting up beyond its channels being in service
   * (No.7: both ends' circuit group resets acknowledged). Absent: ready is enough.
   * In virtual time the run waits for it before the first call.
   */
  settled?(): boolean;
  close(): Promise<void>;
}

export type RigBuilder = (opts: RigOptions) => Promise<SimRig>;
