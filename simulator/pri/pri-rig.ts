import { PriInstance } from '../../drivers/libpri/pri-instance';
import { DChannelTransport } from '../../drivers/ports/signalling-link';
import { MemoryDChannelLink } from '../ports/memory-dchannel';
import { LapdPcapWriter } from '../../src/capture/pcap-writer';
import { Clock, systemClock } from '../../src/core/clock';
import { InputError } from '../../src/core/errors';
import { Span } from '../../src/controller/span';
import { TrunkGroup } from '../../src/controller/trunk-group';
import { PriSpanSignalling } from '../../src/signalling/pri/pri-span-signalling';
import { rigFaults, SimFaultName, unknownFault } from '../fault-catalogue';
import { RigOptions, SimRig } from '../sim-rig';
import { SimulatedPriNetwork } from './pri-network';
import { TrunkAudio } from '../../drivers/ports/channel-audio-port';
import { InbandAnalysingSignalling } from '../../src/signalling/inband/inband-analysing-signalling';
import { MemoryTrunkAudioLink } from '../ports/memory-trunk-audio';
import type { SimSpan } from '../dahdi/simulated-dahdi';

export interface PriRigOptions extends RigOptions {
  /** libpri timers for both ends (ms), e.g. { T203: 2000 }. */
  timers?: Record<string, number>;
  ringTimeoutSec?: number;
  /** libpri debug flags (PRI_DEBUG_*) for both ends; messages go to the logger at debug level. */
  priDebug?: number;
  /**
   * How the two ends' D-channels are joined: 'memory' (an in-memory pair) or 'dahdi'
   * (each end on its own span of the userspace DAHDI, through drivers/dahdi exactly as
   * on a board; needs libfakedahdi.so preloaded).
   */
  transport?: 'memory' | 'dahdi';
  /**
   * Defaults to the wall clock. On another clock (a VirtualClock) libpri's timers at both
   * ends follow it too, and the caller drives time and waits for readiness (runVirtual
   * with framesInFlight; group.whenReady). With transport 'dahdi' the B-channel audio
   * moves on it too, and the D-channel frames cross the userspace DAHDI at once (in
   * wall time), so the caller moves it as a line clock (20 ms per wall-clock tick).
   */
  clock?: Clock;
}

/** The cable between the two ends of one span, whatever carries it. */
export interface SpanCable {
  readonly cpeEnd: DChannelTransport;
  readonly netEnd: DChannelTransport;
  /** A line condition from the fault catalogue (simulator/dahdi/faults.ts) set or cleared. */
  condition(kind: PriLineFault, on: boolean): void;
  close(): void;
  /** Frames sent but not yet read by the far end (memory cables; undefined where unknown). */
  inFlight?(): number;
  /** The B-channels' audio at each end, where the cable carries audio. */
  readonly cpeAudio?: TrunkAudio;
  readonly netAudio?: TrunkAudio;
}

/** The line conditions a PRI span's cable can show. */
export type PriLineFault = 'LOS' | 'AIS' | 'DCHANNEL_DOWN';
export const PRI_LINE_FAULTS: readonly PriLineFault[] = ['LOS', 'AIS', 'DCHANNEL_DOWN'];

function memoryCable(): SpanCable {
  const link = new MemoryDChannelLink();
  const condition = (kind: PriLineFault, on: boolean) => {
    if (kind === 'DCHANNEL_DOWN') link.silence(on);
    else if (on) link.cut(kind);
    else link.restore();
  };
  return { cpeEnd: link.a, netEnd: link.b, condition, close: () => undefined, inFlight: () => link.a.pending + link.b.pending };
}

/** One simulated E1 PRI span: the controller's CPE end, the cable, and the network's NET end. */
export interface SimulatedPriSpan {
  readonly id: number;
  readonly cable: SpanCable;
  readonly cpe: PriSpanSignalling;
  readonly network: SimulatedPriNetwork;
  readonly span: Span;
}

export class PriRig implements SimRig {
  readonly faultCatalogue = rigFaults(['LOS', 'AIS', 'DCHANNEL_DOWN', 'GLARE', 'RESET_CHANNEL']);

  constructor(
    readonly group: TrunkGroup,
    readonly population: RigOptions['population'],
    readonly spans: readonly SimulatedPriSpan[],
    private readonly pcap: LapdPcapWriter | undefined,
    /** The controller's side of every span's B-channels (with `audio`), by the controller's span id. */
    readonly trunkAudio?: TrunkAudio,
    private readonly onClose: () => void = () => undefined,
  ) {}

  /**
   * Faults of the catalogue (params.span, default 1): the line conditions 'LOS',
   * 'AIS', 'DCHANNEL_DOWN' (set; params.clear true clears them), 'GLARE' (the
   * network's next call crosses the controller's on the same channel),
   * 'RESET_CHANNEL' (the network restarts params.channel).
   */
  injectFault(name: SimFaultName, params: Record<string, unknown> = {}): void {
    const span = this.spanById(params.span ?? 1);
    switch (name) {
      case 'LOS':
      case 'AIS':
      case 'DCHANNEL_DOWN':
        return span.cable.condition(name, params.clear !== true);
      case 'GLARE':
        return span.network.armGlare();
      case 'RESET_CHANNEL': {
        const ch = Number(params.channel);
        if (!span.cpe.bearerChannels.includes(ch))
          throw new InputError('fault RESET_CHANNEL', `channel ${String(params.channel)} is not a bearer channel`);
        return span.network.restartChannel(ch);
      }
      default:
        throw unknownFault(name, Object.keys(this.faultCatalogue));
    }
  }

  /** Whether a D-channel frame is on its way on some span: virtual time must not jump past its arrival. */
  framesInFlight(): boolean {
    return this.spans.some((s) => (s.cable.inFlight?.() ?? 0) > 0);
  }

  /** libpri calls still held at either end (0 once everything has cleared). */
  heldLibpriCalls(): number {
    return this.spans.reduce((n, s) => n + s.cpe.heldCalls + s.network.signalling.heldCalls, 0);
  }

  async close(): Promise<void> {
    for (const s of this.spans) {
      await s.cpe.close();
      await s.network.close();
      s.cable.close();
    }
    this.onClose();
    this.pcap?.close();
  }

  private spanById(id: unknown): SimulatedPriSpan {
    const s = this.spans.find((x) => x.id === Number(id));
    if (!s) throw new InputError('fault span', `no span ${String(id)} (spans 1-${this.spans.length})`);
    return s;
  }
}

/** Builds N PRI spans back to back with the network and waits until every channel is in service. */
export async function buildPriRig(opts: PriRigOptions): Promise<PriRig> {
  if (!Number.isInteger(opts.spans) || opts.spans < 1 || opts.spans > 8)
    throw new InputError('--spans', `must be 1-8 E1 spans, got ${opts.spans}`);
  const clock = opts.clock ?? systemClock;
  const pcap = opts.pcapFile ? new LapdPcapWriter(opts.pcapFile, false) : undefined;
  const spans: SimulatedPriSpan[] = [];
  const audioLink = opts.audio && opts.transport !== 'dahdi' ? new MemoryTrunkAudioLink(clock) : undefined;
  const dahdi = opts.transport === 'dahdi' ? await dahdiCables(Boolean(opts.audio), clock) : undefined;
  const makeCable = dahdi?.make ?? memoryCable;
  const cpeAudio: TrunkAudio[] = [];
  for (let id = 1; id <= opts.spans; id++) {
    const cable = makeCable(id);
    const netAudio = audioLink?.b ?? cable.netAudio;
    if (audioLink) cpeAudio.push(audioLink.a);
    else if (cable.cpeAudio) cpeAudio.push(cable.cpeAudio);
    if (pcap) cable.cpeEnd.tap((dir, frame) => pcap.write(dir, frame));
    const logger = opts.logger.child({ span: id });
    const cpe = new PriSpanSignalling(
      new PriInstance({
        role: 'cpe',
        transport: cable.cpeEnd,
        logger: logger.child({ end: 'cpe' }),
        timers: opts.timers,
        debug: opts.priDebug,
        clock,
      }),
      'cpe',
      { logger, clock },
    );
    const netSignalling = new PriSpanSignalling(
      new PriInstance({
        role: 'net',
        transport: cable.netEnd,
        logger: logger.child({ end: 'net' }),
        timers: opts.timers,
        debug: opts.priDebug,
        clock,
      }),
      'net',
      { logger, clock },
    );
    const network = new SimulatedPriNetwork(netSignalling, {
      population: opts.population,
      clock,
      logger,
      noAnswerMs: opts.noAnswerMs,
      audio: opts.audio && netAudio ? { trunkAudio: netAudio, span: id, seed: opts.seed, ...opts.audio } : undefined,
      earlyMediaMs: opts.audio?.earlyMediaMs,
    });
    const controllerAudio = audioLink?.a ?? cable.cpeAudio;
    const listened =
      opts.audio?.analysis && controllerAudio
        ? new InbandAnalysingSignalling(cpe, { span: id, audio: controllerAudio, clock, logger, ...opts.audio.analysis })
        : cpe;
    const span = new Span(id, listened, { clock, logger });
    spans.push({ id, cable, cpe, network, span });
  }
  const group = new TrunkGroup(
    spans.map((s) => s.span),
    { clock, logger: opts.logger, defaultRingTimeoutSec: opts.ringTimeoutSec },
  );
  const trunkAudio: TrunkAudio | undefined = cpeAudio.length
    ? { open: (span, channel) => cpeAudio[span - 1]?.open(span, channel) }
    : undefined;
  const rig = new PriRig(group, opts.population, spans, pcap, trunkAudio, () => {
    audioLink?.close();
    dahdi?.stop();
  });
  // On a virtual clock the caller drives time, and waits for readiness in it.
  if (clock === systemClock && !(await group.whenReady(15_000))) {
    await rig.close();
    throw new Error('simulated PRI spans did not come into service within 15 s');
  }
  return rig;
}

/**
 * Cables made of two E1 CCS spans of the userspace DAHDI joined back to back: each
 * end opens its span's TS16 hardhdlc channel with DahdiDChannel and watches its
 * span's alarms with DahdiSpanMonitor, the production classes.
 */
async function dahdiCables(audio: boolean, clock: Clock): Promise<{ make: (id: number) => SpanCable; stop: () => void }> {
  const { SimulatedDahdi } = await import('../dahdi/simulated-dahdi');
  const { DahdiDChannel } = await import('../../drivers/dahdi/dahdi-dchannel');
  const { DahdiSpanMonitor } = await import('../../drivers/dahdi/span-monitor');
  const sim = SimulatedDahdi.attach();
  const lender = audio ? new (await import('../../drivers/dahdi/dahdi-channel-lender')).DahdiChannelLender() : undefined;
  const { DahdiTrunkAudio } = await import('../../drivers/dahdi/dahdi-channel-audio');
  // B-channel audio moves on DAHDI's 8 kHz clock, 20 ms at a time.
  if (audio) sim.startClock(clock, 20);
  const make = (id: number): SpanCable => {
    const a = sim.addSpan('e1-ccs');
    const b = sim.addSpan('e1-ccs');
    sim.connectSpans(a, b);
    // Alarm debounce shortened from DAHDI's 2.5 s so fault runs stay quick.
    const monitors = [a, b].map(
      (s) => new DahdiSpanMonitor({ spanno: s.spanno, statusIntervalMs: 50, debounceMs: { red: 100, blue: 100, yellow: 50 } }),
    );
    for (const m of monitors) m.start();
    const cpeEnd = DahdiDChannel.open(a.dchannel!, { monitor: monitors[0] });
    const netEnd = DahdiDChannel.open(b.dchannel!, { monitor: monitors[1] });
    const bearerAudio = (s: SimSpan) =>
      lender ? new DahdiTrunkAudio({ channo: (span, ch) => (span === id ? s.channels[ch - 1] : undefined), channels: lender }) : undefined;
    return {
      cpeEnd,
      netEnd,
      condition: (kind: PriLineFault, on: boolean) => (on ? sim.injectFault(a, kind) : sim.clearFault(a, kind)),
      close: () => monitors.forEach((m) => m.close()),
      cpeAudio: bearerAudio(a),
      netAudio: bearerAudio(b),
    };
  };
  return { make, stop: () => sim.stopClock() };
}
