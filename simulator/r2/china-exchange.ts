import { Clock, TimerHandle } from '../../src/core/clock';
import { Logger, silentLogger } from '../../src/core/logger';
import { Q850 } from '../../src/core/q850';
import { CasPort } from '../../drivers/ports/cas-port';
import { DeadlineFeeder } from '../../src/core/deadline-feeder';
import { R2Channel } from '../../src/signalling/r2/r2-channel';
import { CalledLineStatus } from '../../src/signalling/r2/register-backward';
import { R2Variant } from '../../src/signalling/r2/variants';
import { CalleeBehaviour, CalleePopulation } from '../callee-population';
import { CalleeAudio, FarEndFeed } from '../audio/callee-audio';
import { BearerPlayback, CallPlayback } from '../audio/bearer-playback';
import { Emitter, Unsubscribe } from '../../src/core/emitter';
import { ChannelAudioPort } from '../../drivers/ports/channel-audio-port';

export interface ChinaExchangeOptions {
  variant: R2Variant;
  ports: readonly CasPort[];
  clock: Clock;
  population: CalleePopulation;
  logger?: Logger;
  /** Refuse vacant and congested numbers in group A (A5/A4) rather than group B (KB5/KB4). */
  refuseInGroupA?: boolean;
  /** How long an unanswered call rings before the exchange releases it (ms); default: until the caller gives up. */
  noAnswerMs?: number;
  /**
   * Play the callee's audio on each call's timeslot once register signalling is
   * over (ringback or colour ring-back, greetings, announcements, the keys of the
   * callee's script). `seed` fixes the draws.
   */
  audio?: { seed: number | string; musicShare?: number; machineShare?: number };
  /**
   * A switched-off or unreachable callee (China No.1 has no signal for it) is
   * offered as idle and gets a recorded announcement in-band for this long, then
   * the exchange clears (default 0: refused as congestion). Needs `audio`.
   */
  earlyMediaMs?: number;
}

/** Group B answer for what the callee does. China No.1 has no "absent" signal: the exchange says congestion. */
const STATUS: Record<CalleeBehaviour['kind'], CalledLineStatus> = {
  answer: 'idle',
  no_answer: 'idle',
  busy: 'busy',
  unallocated: 'vacant',
  congestion: 'congestion',
  absent: 'congestion',
};

/**
 * A China No.1 exchange on the far side of simulated E1 CAS spans: the project's
 * R2 engine in the backward role in front of the callee population, and on
 * demand a misbehaving one (glare, blocked circuits, a circuit that never
 * acknowledges a seizure).
 */
export class SimulatedChinaExchange {
  readonly channels = new Map<number, R2Channel>();
  private readonly feeder: DeadlineFeeder;
  private readonly timers = new Map<number, TimerHandle[]>();
  private readonly behaviour = new Map<number, CalleeBehaviour>();
  /** How long the callee on a channel talks once the answer is on the line. */
  private readonly talkMs = new Map<number, number>();
  private readonly playbacks = new Map<number, BearerPlayback>();
  private readonly attempts = new Map<string, number>();
  /** The called number of each circuit's call, from its offer until it is released. */
  private readonly numbers = new Map<number, string>();
  private readonly ports = new Map<number, CasPort>();
  private readonly logger: Logger;
  readonly stats = { offered: 0, answered: 0, glares: 0, refused: 0 };
  private readonly playbackStarted = new Emitter<[ev: CallPlayback]>();

  /** Each call whose callee audio this network plays, as it starts: what it plays, and what the callee hears. */
  onCallPlayback(listener: (ev: CallPlayback) => void): Unsubscribe {
    return this.playbackStarted.on(listener);
  }

  constructor(private readonly opts: ChinaExchangeOptions) {
    this.logger = (opts.logger ?? silentLogger).child({ side: 'exchange' });
    this.feeder = new DeadlineFeeder(opts.clock);
    for (const port of opts.ports) {
      this.ports.set(port.channel, port);
      const ch = new R2Channel({
        variant: opts.variant,
        port,
        now: () => opts.clock.now(),
        onDeadlineChanged: (c) => this.feeder.changed(c),
        // The exchange keeps its seizure on glare; the controller's end yields.
        glare: 'hold',
        numberComplete: opts.refuseInGroupA ? (dnis) => this.groupAVerdict(port.channel, dnis) : undefined,
      });
      ch.on((ev) => {
        switch (ev.type) {
          case 'offered':
            return this.onOffered(ch, ev.call.dnis);
          case 'answered': {
            // The call is talking from the moment the answer is on the line (after the register
            // and the answer delay), not from when the callee picked up: a quick answer still talks its time.
            const talkMs = this.talkMs.get(ch.channel);
            this.talkMs.delete(ch.channel);
            if (talkMs !== undefined) this.after(ch.channel, talkMs, () => ch.hangup(Q850.NORMAL_CLEARING));
            return;
          }
          case 'released':
            return this.drop(ch.channel);
          case 'fault':
            this.logger.debug('r2 fault at the exchange', { channel: ch.channel, fault: ev.error.fault });
            return;
          default:
            return;
        }
      });
      this.channels.set(port.channel, ch);
      this.feeder.add(ch);
    }
  }

  /** Calls offered to the exchange and not yet released. */
  get activeCalls(): number {
    return this.numbers.size;
  }

  /** The called numbers of those calls. */
  activeNumbers(): string[] {
    return [...this.numbers.values()];
  }

  /** Seizes a circuit towards the controller (an incoming call for it; crossing its seizure = glare). */
  originate(channel: number, dnis = '4000', ani = '075500000000'): void {
    this.stats.glares++;
    this.channels.get(channel)?.seize(dnis, ani);
  }

  /** The E1 failed or came back (the exchange sees RAI or its own LOS): its circuits drop their calls, then return idle. */
  lineAlarm(inAlarm: boolean): void {
    for (const ch of this.channels.values()) ch.lineAlarm(inAlarm);
  }

  block(channel: number): void {
    this.channels.get(channel)?.block();
  }

  unblock(channel: number): void {
    this.channels.get(channel)?.unblock();
  }

  close(): void {
    this.feeder.close();
    for (const ch of this.timers.keys()) this.drop(ch);
  }

  private groupAVerdict(channel: number, dnis: string): 'continue' | 'vacant' | 'congestion' {
    const b = this.opts.population.decide(dnis);
    this.behaviour.set(channel, b);
    if (b.kind === 'unallocated') return 'vacant';
    if (b.kind === 'congestion') return 'congestion';
    return 'continue';
  }

  private onOffered(ch: R2Channel, dnis: string): void {
    this.stats.offered++;
    this.numbers.set(ch.channel, dnis);
    const b = this.behaviour.get(ch.channel) ?? this.opts.population.decide(dnis);
    this.behaviour.delete(ch.channel);
    const audio = this.calleeAudio(ch, dnis, b);
    const inband = b.kind === 'absent' && audio && (this.opts.earlyMediaMs ?? 0) > 0;
    const status = inband ? 'idle' : STATUS[b.kind];
    if (status !== 'idle') this.stats.refused++;
    ch.decide(status);
    if (inband) {
      this.playbacks.get(ch.channel)?.play(audio.failure());
      this.after(ch.channel, this.opts.earlyMediaMs!, () => ch.hangup(Q850.SUBSCRIBER_ABSENT));
      return;
    }
    if (status === 'idle') this.playbacks.get(ch.channel)?.play(audio?.ringing());
    if (b.kind === 'no_answer' && this.opts.noAnswerMs !== undefined) {
      this.after(ch.channel, this.opts.noAnswerMs, () => ch.hangup(Q850.NO_ANSWER));
    }
    if (b.kind !== 'answer') return;
    this.after(ch.channel, b.ringMs, () => {
      this.stats.answered++;
      const answered = audio?.answered();
      // A recorded greeting or machine keeps the line until it has played out.
      this.talkMs.set(ch.channel, answered ? Math.max(b.talkMs, answered.busyMs + 500) : b.talkMs);
      ch.answer();
      this.playbacks.get(ch.channel)?.play(answered?.source);
    });
  }

  /** The callee's audio on the call's timeslot, sent only once the MF register signalling is over. */
  private calleeAudio(ch: R2Channel, dnis: string, b: CalleeBehaviour): CalleeAudio | undefined {
    const a = this.opts.audio;
    const port = this.ports.get(ch.channel);
    if (!a || !port) return undefined;
    const attempt = (this.attempts.get(dnis) ?? 0) + 1;
    this.attempts.set(dnis, attempt);
    const audio = new CalleeAudio(b, { seed: a.seed, number: dnis, attempt, musicShare: a.musicShare, machineShare: a.machineShare });
    const offs: (() => void)[] = [];
    const voicePath: ChannelAudioPort = {
      name: `exchange ts ${ch.channel}`,
      law: 'alaw',
      onBlock: (listener) => {
        const off = port.onAudio(listener);
        offs.push(off);
        return off;
      },
      // The R2 engine's MF tones own the timeslot until the register phase is over.
      writeBlock: (block) => {
        if (!ch.registerComplete) return 0;
        port.writeAudio(block);
        return block.length;
      },
      close: async () => offs.splice(0).forEach((off) => off()),
    };
    this.playbacks.get(ch.channel)?.close();
    const playback = new BearerPlayback(voicePath, new FarEndFeed(audio.noiseRng));
    this.playbacks.set(ch.channel, playback);
    this.playbackStarted.emit({ number: dnis, channel: ch.channel, behaviour: b, playback });
    return audio;
  }

  private after(channel: number, ms: number, fn: () => void): void {
    const list = this.timers.get(channel) ?? [];
    list.push(this.opts.clock.setTimer(ms, fn));
    this.timers.set(channel, list);
  }

  private drop(channel: number): void {
    for (const t of this.timers.get(channel) ?? []) t.cancel();
    void this.playbacks.get(channel)?.close();
    this.playbacks.delete(channel);
    this.timers.delete(channel);
    this.numbers.delete(channel);
    this.behaviour.delete(channel);
    this.talkMs.delete(channel);
  }
}
