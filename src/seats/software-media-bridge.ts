import { Unsubscribe } from '../core/emitter';
import { InputError } from '../core/errors';
import { Conference, endpointKey, MediaBridge, Participant, ParticipantMode, SeatEndpoint, TrunkLeg } from '../../drivers/ports/media-port';
import { PCM_FRAME_SAMPLES, PcmVoicePort } from '../../drivers/ports/pcm-voice-port';

export interface SoftwareBridgePorts {
  /** The voice stream of a trunk leg (a GSM module's PCM port); undefined when it has none. */
  trunk(leg: TrunkLeg): PcmVoicePort | undefined;
  /** A seat's voice stream; undefined when the seat cannot be reached this way. */
  seat(endpoint: SeatEndpoint): PcmVoicePort | undefined;
  /** Gives back a seat's stream once it leaves the conference (a board channel held for the call); default: kept open. */
  release?(endpoint: SeatEndpoint, port: PcmVoicePort): void;
}

interface Member {
  endpoint: SeatEndpoint;
  mode: ParticipantMode;
  port: PcmVoicePort;
  /** The seat's latest frame, mixed into the next trunk frame and consumed. */
  pending?: Int16Array;
  off: Unsubscribe;
}

function mix(frames: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(PCM_FRAME_SAMPLES);
  for (let i = 0; i < PCM_FRAME_SAMPLES; i++) {
    let s = 0;
    for (const f of frames) s += f[i] ?? 0;
    out[i] = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
  }
  return out;
}

const silence = new Int16Array(PCM_FRAME_SAMPLES);

/**
 * One call's conference mixed in software, for trunks whose audio is a PCM stream rather
 * than a DAHDI channel (GSM modules). The trunk's frames clock it: each one goes to every
 * seat with the other talkers mixed in; the talkers' latest frames go back to the trunk.
 * A listening supervisor hears both sides and is heard by no one.
 */
class SoftwareConference implements Conference {
  private readonly members = new Map<string, Member>();
  private readonly offTrunk: Unsubscribe;
  private closed = false;

  constructor(
    readonly trunk: TrunkLeg,
    private readonly trunkPort: PcmVoicePort,
    private readonly ports: SoftwareBridgePorts,
  ) {
    this.offTrunk = trunkPort.onFrame((frame) => this.onTrunkFrame(frame));
  }

  participants(): Participant[] {
    return [...this.members.values()].map(({ endpoint, mode }) => ({ endpoint, mode }));
  }

  async join(endpoint: SeatEndpoint, mode: ParticipantMode): Promise<void> {
    if (this.closed) throw new InputError('conference', `call ${this.trunk.callId} is already torn down`);
    const key = endpointKey(endpoint);
    const existing = this.members.get(key);
    if (existing) {
      existing.mode = mode;
      return;
    }
    const port = this.ports.seat(endpoint);
    if (!port) throw new InputError(`seat ${key}`, 'has no voice stream the software bridge can reach');
    const member: Member = { endpoint, mode, port, off: () => undefined };
    member.off = port.onFrame((frame) => {
      if (member.mode === 'talk') member.pending = frame;
    });
    this.members.set(key, member);
  }

  async leave(endpoint: SeatEndpoint): Promise<void> {
    const key = endpointKey(endpoint);
    const member = this.members.get(key);
    if (!member) return;
    this.members.delete(key);
    this.drop(member);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.offTrunk();
    const members = [...this.members.values()];
    this.members.clear();
    for (const m of members) this.drop(m);
  }

  private drop(member: Member): void {
    member.off();
    this.ports.release?.(member.endpoint, member.port);
  }

  private onTrunkFrame(frame: Int16Array): void {
    const talkers = [...this.members.values()].filter((m) => m.mode === 'talk' && m.pending);
    for (const m of this.members.values()) {
      const others = talkers.filter((t) => t !== m).map((t) => t.pending!);
      void m.port.writeFrame(others.length ? mix([frame, ...others]) : frame).catch(() => undefined);
    }
    const toTrunk = talkers.length ? mix(talkers.map((t) => t.pending!)) : silence;
    for (const t of talkers) t.pending = undefined;
    void this.trunkPort.writeFrame(toTrunk).catch(() => undefined);
  }
}

/** The MediaBridge for PCM-stream trunks (GSM modules): seats join a software conference per call. */
export class SoftwareMediaBridge implements MediaBridge {
  constructor(private readonly ports: SoftwareBridgePorts) {}

  async bridge(trunk: TrunkLeg, seat: SeatEndpoint): Promise<Conference> {
    const port = this.ports.trunk(trunk);
    if (!port)
      throw new InputError(
        `trunk span ${trunk.span} channel ${trunk.channel}`,
        'has no voice stream (no PCM port configured for this module)',
      );
    const conf = new SoftwareConference(trunk, port, this.ports);
    try {
      await conf.join(seat, 'talk');
    } catch (err) {
      await conf.close();
      throw err;
    }
    return conf;
  }
}
