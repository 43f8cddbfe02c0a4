import { SignallingLinkPort } from '../../drivers/ports/signalling-link';
import { MemoryDChannelLink } from '../../simulator/ports/memory-dchannel';
import { Mtp2PcapWriter } from '../../src/capture/mtp2-pcap-writer';
import { Clock, systemClock, VirtualClock } from '../../src/core/clock';
import { FreeRunningClock } from '../analog/free-running-clock';
import { InputError } from '../../src/core/errors';
import { Span } from '../../src/controller/span';
import { TrunkGroup } from '../../src/controller/trunk-group';
import { Mtp2ChannelMode } from '../../src/signalling/ss7/mtp2/mtp2-hdlc-link';
import { MTP3_VARIANTS } from '../../src/signalling/ss7/mtp3/routing-label';
import { No7SpanSignalling } from '../../src/signalling/ss7/no7-span-signalling';
import { chinaCicPlan, openNo7Span } from '../../src/signalling/ss7/no7-stack';
import { rigFaults, SimFaultName, unknownFault } from '../fault-catalogue';
import { RigOptions, SimRig } from '../sim-rig';
import { SimulatedNo7Exchange } from './no7-exchange';

export interface No7RigOptions extends RigOptions {
  kind: 'ss7-isup' | 'ss7-tup';
  mode?: Mtp2ChannelMode;
  ringTimeoutSec?: number;
  /**
   * Time for both ends (default the system clock). A FreeRunningClock runs the rig in
   * virtual time by itself, and the build waits for readiness as on the wall clock. On
   * another VirtualClock the caller drives time and waits for readiness (runVirtual
   * with framesInFlight, then group.whenReady and settled()).
   */
  clock?: Clock;
}

/** The signalling timeslot between the controller and the exchange, whatever carries it. */
interface LinkCable {
  readonly ours: SignallingLinkPort;
  readonly theirs: SignallingLinkPort;
  cut(): void;
  mend(): void;
  close(): void;
  /** Frames sent but not yet read by the far end (memory cables; undefined where unknown). */
  inFlight?(): number;
}

export interface SimulatedNo7Span {
  readonly id: number;
  readonly cable: LinkCable;
  readonly signalling: No7SpanSignalling;
  readonly exchange: SimulatedNo7Exchange;
  readonly span: Span;
}

/** Point codes of the simulated network: us 1-1-1 and the exchange 2-2-2 (China), 1-1-1 / 2-2-2 as ITU 3-8-3. */
export const SIM_POINT_CODES = { china: { ours: 0x010101, exchange: 0x020202 }, itu: { ours: 0x0809, exchange: 0x1012 } } as const;

export class No7Rig implements SimRig {
  readonly faultCatalogue = rigFaults(['LINK_FAILURE', 'BLOCK', 'RESET_CHANNEL']);

  constructor(
    readonly group: TrunkGroup,
    readonly population: RigOptions['population'],
    readonly spans: readonly SimulatedNo7Span[],
    private readonly pcap: Mtp2PcapWriter | undefined,
  ) {}

  /**
   * Faults of the catalogue (params.span defaults to 1): 'LINK_FAILURE' (the
   * signalling timeslot's cable cut; mended with params.clear true), 'BLOCK' (the
   * exchange blocks params.channel; unblocks with params.clear true),
   * 'RESET_CHANNEL' (the exchange resets params.channel).
   */
  injectFault(name: SimFaultName, params: Record<string, unknown> = {}): void {
    const s = this.spans.find((x) => x.id === Number(params.span ?? 1));
    if (!s) throw new InputError('fault span', `no span ${String(params.span)} (spans 1-${this.spans.length})`);
    const channel = Number(params.channel);
    const needChannel = () => {
      if (!s.signalling.bearerChannels.includes(channel))
        throw new InputError(`fault ${name}`, `channel ${String(params.channel)} is not a bearer channel`);
    };
    switch (name) {
      case 'LINK_FAILURE':
        return params.clear === true ? s.cable.mend() : s.cable.cut();
      case 'BLOCK':
        needChannel();
        return params.clear === true ? s.exchange.signalling.unblock(channel) : s.exchange.signalling.block(channel);
      case 'RESET_CHANNEL':
        needChannel();
        return s.exchange.signalling.resetChannel(channel);
      default:
        throw unknownFault(name, Object.keys(this.faultCatalogue));
    }
  }

  /** Whether a signalling unit is on its way on some span: virtual time must not jump past its arrival. */
  framesInFlight(): boolean {
    return this.spans.some((s) => (s.cable.inFlight?.() ?? 0) > 0);
  }

  /** Both ends' circuit group resets acknowledged on every span: a late GRS would undo blocking set up after it. */
  settled(): boolean {
    return this.spans.every((s) => s.signalling.settled && s.exchange.signalling.settled);
  }

  heldCalls(): number {
    return this.spans.reduce((n, s) => n + s.signalling.heldCalls + s.exchange.signalling.heldCalls, 0);
  }

  async close(): Promise<void> {
    for (const s of this.spans) {
      await s.signalling.close();
      await s.exchange.close();
      s.cable.close();
    }
    this.pcap?.close();
  }
}

function memoryCable(): LinkCable {
  const link = new MemoryDChannelLink();
  return {
    ours: link.a,
    theirs: link.b,
    cut: () => link.cut('LOS'),
    mend: () => link.restore(),
    close: () => undefined,
    inFlight: () => link.a.pending + link.b.pending,
  };
}

/** Builds N E1 spans with No.7 on TS16, each against a simulated exchange, and waits until their circuits are in service. */
export async function buildNo7Rig(opts: No7RigOptions): Promise<No7Rig> {
  if (!Number.isInteger(opts.spans) || opts.spans < 1 || opts.spans > 8)
    throw new InputError('--spans', `must be 1-8 E1 spans, got ${opts.spans}`);
  const clock = opts.clock ?? systemClock;
  const variantName = opts.variant ?? 'china';
  if (variantName !== 'china' && variantName !== 'itu') throw new InputError('--variant', `must be china or itu, got '${variantName}'`);
  const variant = MTP3_VARIANTS[variantName];
  const pcs = SIM_POINT_CODES[variantName];
  const mode = opts.mode ?? 'mtp2';
  const pcap = opts.pcapFile ? new Mtp2PcapWriter(opts.pcapFile) : undefined;
  const makeCable = opts.transport === 'dahdi' ? await dahdiCables() : memoryCable;
  const spans: SimulatedNo7Span[] = [];
  for (let id = 1; id <= opts.spans; id++) {
    const cable = makeCable();
    if (pcap) cable.ours.tap((dir, frame) => pcap.write(dir, frame));
    const logger = opts.logger.child({ span: id });
    const circuits = chinaCicPlan(id - 1);
    const common = { kind: opts.kind, variant, circuits, clock, mtp2Timers: { T4n: 2_000 } };
    const signalling = openNo7Span({
      ...common,
      opc: pcs.ours,
      dpc: pcs.exchange,
      links: [{ name: `span ${id} TS16`, transport: cable.ours, mode }],
      logger,
    });
    const exchangeSignalling = openNo7Span({
      ...common,
      opc: pcs.exchange,
      dpc: pcs.ours,
      links: [{ name: `exchange ${id} TS16`, transport: cable.theirs, mode }],
      logger: logger.child({ end: 'exchange' }),
    });
    const exchange = new SimulatedNo7Exchange(exchangeSignalling, {
      population: opts.population,
      clock,
      logger,
      noAnswerMs: opts.noAnswerMs,
    });
    const span = new Span(id, signalling, { clock, logger });
    spans.push({ id, cable, signalling, exchange, span });
  }
  const group = new TrunkGroup(
    spans.map((s) => s.span),
    { clock, logger: opts.logger, defaultRingTimeoutSec: opts.ringTimeoutSec },
  );
  const rig = new No7Rig(group, opts.population, spans, pcap);
  // On a virtual clock the caller drives, time does not move here: it waits for readiness and settled() itself.
  if (clock instanceof VirtualClock && !(clock instanceof FreeRunningClock)) return rig;
  const settled = async () => {
    for (let i = 0; i < 500 && !rig.settled(); i++) await new Promise((r) => setTimeout(r, 10));
    return true;
  };
  if (!(await group.whenReady(15_000)) || !(await settled())) {
    await rig.close();
    throw new Error('simulated No.7 spans did not come into service within 15 s');
  }
  return rig;
}

/**
 * Signalling links made of two E1 CCS spans of the userspace DAHDI joined back to
 * back: each end opens its span's TS16 HDLC channel with DahdiDChannel and
 * watches its span's alarms with DahdiSpanMonitor, the production classes.
 */
async function dahdiCables(): Promise<() => LinkCable> {
  const { SimulatedDahdi } = await import('../dahdi/simulated-dahdi');
  const { DahdiDChannel } = await import('../../drivers/dahdi/dahdi-dchannel');
  const { DahdiSpanMonitor } = await import('../../drivers/dahdi/span-monitor');
  const sim = SimulatedDahdi.attach();
  return () => {
    const a = sim.addSpan('e1-ccs');
    const b = sim.addSpan('e1-ccs');
    sim.connectSpans(a, b);
    const monitors = [a, b].map(
      (s) => new DahdiSpanMonitor({ spanno: s.spanno, statusIntervalMs: 50, debounceMs: { red: 100, blue: 100, yellow: 50 } }),
    );
    for (const m of monitors) m.start();
    return {
      ours: DahdiDChannel.open(a.dchannel!, { monitor: monitors[0] }),
      theirs: DahdiDChannel.open(b.dchannel!, { monitor: monitors[1] }),
      cut: () => sim.injectFault(a, 'LOS'),
      mend: () => sim.clearFault(a, 'LOS'),
      close: () => monitors.forEach((m) => m.close()),
    };
  };
}
