/**
 * A site on the virtual network for inbound and privacy-number tests, in
 * virtual time: the real Span and TrunkGroup over one virtual span, seats with
 * an answer group and its distributor, the simulated media bridge (which also
 * patches trunk calls) and a voice player that records what it played.
 */
import { VirtualClock } from '../../src/core/clock';
import { Span } from '../../src/controller/span';
import { TrunkGroup } from '../../src/controller/trunk-group';
import { AnswerGroup, AnswerStrategy } from '../../src/seats/answer-group';
import { Seat } from '../../src/seats/seat';
import { SeatDistributor } from '../../src/seats/seat-distributor';
import { TrunkLeg } from '../../drivers/ports/media-port';
import { PlayRequest, VoicePlayer } from '../../drivers/ports/voice-port';
import { SimulatedMediaBridge } from '../../simulator/ports/simulated-media-bridge';
import { SimulatedVoicePlayer } from '../../simulator/ports/simulated-voice-player';
import { parseScenario } from '../../simulator/virtual-trunk/scenario';
import { VirtualNetwork } from '../../simulator/virtual-trunk/virtual-network';

export class RecordingVoicePlayer implements VoicePlayer {
  readonly played: { callId: string; file: string; at: number }[] = [];
  private readonly inner: SimulatedVoicePlayer;

  constructor(private readonly clock: VirtualClock) {
    this.inner = new SimulatedVoicePlayer({ clock, durationSec: () => 5 });
  }

  play(leg: TrunkLeg, req: PlayRequest, hangup: Promise<unknown>) {
    this.played.push({ callId: leg.callId, file: req.file, at: this.clock.now() });
    return this.inner.play(leg, req, hangup);
  }

  filesFor(callId: string): string[] {
    return this.played.filter((p) => p.callId === callId).map((p) => p.file);
  }
}

export interface VirtualSiteOptions {
  seats?: number;
  strategy?: AnswerStrategy;
  lines?: number;
}

export function virtualSite(opts: VirtualSiteOptions = {}) {
  const clock = new VirtualClock(1_000_000);
  const lines = opts.lines ?? 8;
  const scenario = parseScenario({
    name: 'inbound',
    agents: 1,
    lines,
    hours: 1,
    outcomes: { human: 1 },
    talk_sec: { dist: 'fixed', value: 30 },
  });
  const network = new VirtualNetwork(scenario, 7, clock, lines);
  const netSpan = network.spans[0];
  const span = new Span(1, netSpan, { clock });
  const group = new TrunkGroup([span], { clock });
  const bridge = new SimulatedMediaBridge();
  const voice = new RecordingVoicePlayer(clock);
  const seats = Array.from(
    { length: opts.seats ?? 3 },
    (_, i) => new Seat(`seat${i + 1}`, { kind: 'simulated', id: `seat${i + 1}` }, { clock }),
  );
  const answerGroup = new AnswerGroup('sales', seats, opts.strategy ?? 'round-robin', () => 0);
  const distributor = new SeatDistributor({ clock, group: answerGroup, bridge, playAbandonMessage: async () => undefined });
  network.start();
  /** Lets promise chains run and virtual time pass, in small steps. */
  const run = async (ms: number, stepMs = 10) => {
    const until = clock.now() + ms;
    while (clock.now() < until) {
      await flush();
      clock.advance(Math.min(stepMs, until - clock.now()));
    }
    await flush();
  };
  return { clock, network, netSpan, span, group, bridge, voice, seats, answerGroup, distributor, run };
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
