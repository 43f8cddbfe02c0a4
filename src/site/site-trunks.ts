import { DAHDI } from '../../drivers/dahdi/abi';
import { DahdiChannel } from '../../drivers/dahdi/dahdi-channel';
import { DahdiDChannel } from '../../drivers/dahdi/dahdi-dchannel';
import { DahdiSpanMonitor } from '../../drivers/dahdi/span-monitor';
import { PriInstance } from '../../drivers/libpri/pri-instance';
import { Clock, systemClock } from '../core/clock';
import { InputError, TrunkpilotError } from '../core/errors';
import { FXO_LINE_SIGNALLING, FxoLineSignalling, SIGNALLING_NAMES } from '../provisioning/analog-signalling';
import { Logger, silentLogger } from '../core/logger';
import { Span } from '../controller/span';
import { TrunkGroup } from '../controller/trunk-group';
import { LoadedSite } from '../provisioning/site-config';
import { AnalogLines, layoutSite, SpanSlot } from '../provisioning/layout';
import { DahdiAnalogPort } from '../../drivers/dahdi/dahdi-analog-port';
import { FxoSpanSignalling } from '../signalling/fxo/fxo-span-signalling';
import { PriSpanSignalling } from '../signalling/pri/pri-span-signalling';
import { DahdiCasPort } from '../../drivers/dahdi/dahdi-cas-port';
import { R2SpanSignalling } from '../signalling/r2/r2-span-signalling';
import { expandRanges } from '../provisioning/ranges';
import { r2VariantForSpan } from './r2-site-variant';
import { SpanSignalling } from '../signalling/span-signalling';
import { openSiteModems, OpenedModemGroup, SiteModemOptions } from './site-modems';
import { UnassignedModem, UnknownModemWatch, watchUnknownModems } from './unknown-modems';
import { SimCallLedger } from '../signalling/gsm/sim-call-ledger';
import { dahdiChannelNumber, E1_SIGNALLING_TIMESLOT } from '../core/timeslots';
import { Mtp3Variant, MTP3_VARIANTS, NI_INTERNATIONAL, NI_NATIONAL, parsePointCode } from '../signalling/ss7/mtp3/routing-label';
import { openNo7Span } from '../signalling/ss7/no7-stack';
import { DahdiChannelLender } from '../../drivers/dahdi/dahdi-channel-lender';
import { DahdiTrunkAudio } from '../../drivers/dahdi/dahdi-channel-audio';
import { InbandAnalysingSignalling } from '../signalling/inband/inband-analysing-signalling';

/** Signalling whose bearer channels carry a call's audio here: their calls can ask for in-band analysis (AMD). */
const LISTENED: ReadonlySet<string> = new Set(['pri-cpe', 'pri-net', 'r2-cn']);

/**
 * A provisioned site's trunks, opened on DAHDI: every configured span gets its
 * signalling module over the DAHDI driver, and spans are grouped by the site's
 * trunk groups. This is how the controller meets real boards (and, in the tests,
 * the userspace DAHDI, through the same calls).
 */
export interface SiteTrunksOptions {
  clock?: Clock;
  logger?: Logger;
  /** Span alarm debounce in ms (DAHDI's own: RED/BLUE 2500, YELLOW 500). */
  alarmDebounceMs?: { red: number; blue: number; yellow: number };
  /**
   * What to do when a span cannot be opened (its board is missing, a channel is
   * held elsewhere): 'fail' (default, for one-off commands) closes what was opened
   * and throws; 'out-of-service' leaves that span out, reports it in
   * `outOfService` and opens the rest (the long-running gateway).
   */
  onOpenError?: 'fail' | 'out-of-service';
  /** GSM/LTE modules: serial opener, sysfs root, environment for SIM PINs, USB hot-plug. */
  modems?: Omit<SiteModemOptions, 'clock' | 'logger'>;
}

export interface OpenedSpan {
  signalling: SpanSignalling;
  /** Span id the controller uses (DAHDI span number; analog lines use their span). */
  id: number;
  /** DAHDI channels the span holds open: the media bridge borrows them (DAHDI opens a channel once). */
  heldChannels?: readonly DahdiChannel[];
  close(): Promise<void>;
}

export interface SpanOpenContext {
  clock: Clock;
  logger: Logger;
  monitor: () => DahdiSpanMonitor;
}

/** One opener per span signalling; analog lines have their own below. */
export type SpanOpener = (slot: SpanSlot, ctx: SpanOpenContext) => Promise<OpenedSpan>;
export type AnalogOpener = (lines: AnalogLines, ctx: SpanOpenContext) => Promise<OpenedSpan>;

function priOpener(role: 'cpe' | 'net'): SpanOpener {
  return async (slot, ctx) => {
    const dchannel = dahdiChannelNumber(slot.basechan, slot.config!.dchannel ?? E1_SIGNALLING_TIMESLOT);
    const monitor = ctx.monitor();
    const transport = DahdiDChannel.open(dchannel, { monitor, logger: ctx.logger });
    const signalling = new PriSpanSignalling(new PriInstance({ role, transport, logger: ctx.logger, clock: ctx.clock }), role, {
      logger: ctx.logger,
      clock: ctx.clock,
    });
    return { signalling, id: slot.spanno, close: () => signalling.close() };
  };
}

/** China No.1: one CAS port per bearer timeslot (CAS bits and A-law audio through DAHDI). */
const openR2Span: SpanOpener = async (slot, ctx) => {
  const variant = r2VariantForSpan(slot.config!.r2, `span ${slot.spanno}`);
  const ports: DahdiCasPort[] = [];
  try {
    for (const ts of expandRanges(slot.config!.bearer ?? ''))
      ports.push(DahdiCasPort.open(dahdiChannelNumber(slot.basechan, ts), ts, variant.line.forward.idle, { logger: ctx.logger }));
  } catch (err) {
    for (const p of ports) p.close();
    throw err;
  }
  // The span's debounced RED/BLUE alarms take the circuits down with the line (CAS bits mean nothing then).
  const monitor = ctx.monitor();
  if (ports[0]) monitor.watch(ports[0].dahdi);
  const lineAlarms = { onAlarm: (listener: (inAlarm: boolean, reason: string) => void) => monitor.onDown(listener) };
  const signalling = new R2SpanSignalling({ variant, ports, clock: ctx.clock, logger: ctx.logger, lineAlarms });
  return {
    signalling,
    id: slot.spanno,
    heldChannels: ports.map((p) => p.dahdi),
    close: async () => {
      await signalling.close();
      for (const p of ports) p.close();
    },
  };
};

/** A No.7 span's signalling point as the site declares it: what our end opens, and what a simulated exchange mirrors. */
export interface No7SpanPlan {
  kind: 'ss7-isup' | 'ss7-tup';
  variant: Mtp3Variant;
  ni: number;
  opc: number;
  dpc: number;
  /** Timeslot of the signalling link. */
  linkTs: number;
  mode: 'mtp2' | 'dchan';
  /** Bearer timeslot -> CIC. */
  circuits: ReadonlyMap<number, number>;
}

export function no7SpanPlan(slot: SpanSlot): No7SpanPlan {
  const c = slot.config!;
  const kind = c.signalling;
  const s = c.ss7;
  const where = `span ${slot.spanno} ss7`;
  if (kind !== 'ss7-isup' && kind !== 'ss7-tup') throw new InputError(`span ${slot.spanno}`, `'${kind}' is not a No.7 signalling`);
  if (!s) throw new InputError(where, `${kind} needs ss7 settings (opc, dpc)`);
  const variant = MTP3_VARIANTS[s.variant ?? 'china'];
  // China's usual plan: CIC = E1 number x 32 + timeslot, unless the carrier says otherwise.
  const cicBase = s.cicBase ?? (slot.spanno - 1) * 32;
  return {
    kind,
    variant,
    ni: s.networkIndicator === 'international' ? NI_INTERNATIONAL : NI_NATIONAL,
    opc: parsePointCode(variant, s.opc, `${where}.opc`),
    dpc: parsePointCode(variant, s.dpc, `${where}.dpc`),
    linkTs: c.dchannel ?? E1_SIGNALLING_TIMESLOT,
    mode: s.linkMode ?? 'mtp2',
    circuits: new Map(expandRanges(c.bearer).map((ts) => [ts, cicBase + ts])),
  };
}

/**
 * China No.7 (or ITU): MTP2 on the span's signalling timeslot (DAHDI mtp2= or
 * dchan=), MTP3 to the adjacent exchange, ISUP or TUP for the bearer circuits.
 */
const openNo7: SpanOpener = async (slot, ctx) => {
  const plan = no7SpanPlan(slot);
  const transport = DahdiDChannel.open(dahdiChannelNumber(slot.basechan, plan.linkTs), { monitor: ctx.monitor(), logger: ctx.logger });
  const signalling = openNo7Span({
    ...plan,
    links: [{ name: `span ${slot.spanno} TS${plan.linkTs}`, transport, mode: plan.mode }],
    clock: ctx.clock,
    logger: ctx.logger,
  });
  return { signalling, id: slot.spanno, close: () => signalling.close() };
};

export const SPAN_OPENERS: Partial<Record<string, SpanOpener>> = {
  'pri-cpe': priOpener('cpe'),
  'pri-net': priOpener('net'),
  'r2-cn': openR2Span,
  'ss7-isup': openNo7,
  'ss7-tup': openNo7,
};

/** DAHDI's sigtype for the keyword provisioning writes for FXO lines: one definition, both sides. */
const FXO_LINE_SIGTYPE: Record<FxoLineSignalling, number> = { fxsls: DAHDI.SIG_FXSLS };
const SIGTYPE_KEYWORDS = new Map<number, string>([
  [DAHDI.SIG_FXSLS, 'fxsls'],
  [DAHDI.SIG_FXSKS, 'fxsks'],
  [DAHDI.SIG_FXSGS, 'fxsgs'],
  [DAHDI.SIG_FXOLS, 'fxols'],
  [DAHDI.SIG_FXOKS, 'fxoks'],
]);

/**
 * Refuses an FXO line channel DAHDI has not configured the way `provision apply` writes it
 * (a hand-edited system.conf, or dahdi_cfg not run): its hook and ring events would differ.
 */
export function checkFxoLineChannel(channo: number, sigtype: number): void {
  if (sigtype === FXO_LINE_SIGTYPE[FXO_LINE_SIGNALLING]) return;
  const kw = SIGTYPE_KEYWORDS.get(sigtype);
  const is =
    sigtype === 0
      ? 'not configured'
      : kw
        ? `configured ${kw} (${SIGNALLING_NAMES[kw]})`
        : `configured with signalling 0x${sigtype.toString(16)}`;
  throw new TrunkpilotError(
    'CHANNEL_UNAVAILABLE',
    `DAHDI channel ${channo} is ${is}, but FXO lines are ${FXO_LINE_SIGNALLING} (${SIGNALLING_NAMES[FXO_LINE_SIGNALLING]}): run trunkpilot provision apply, then dahdi_cfg -vv`,
  );
}

/** FXO lines: each port is a DAHDI fxsls channel; the group is one span's signalling. */
const openFxoLines: AnalogOpener = async (lines, ctx) => {
  const ports: DahdiAnalogPort[] = [];
  try {
    for (const { channo } of lines.channels) {
      const channel = DahdiChannel.open(channo, { logger: ctx.logger });
      try {
        checkFxoLineChannel(channo, channel.sigtype);
      } catch (err) {
        channel.close();
        throw err;
      }
      ports.push(new DahdiAnalogPort(channel));
    }
  } catch (err) {
    for (const p of ports) await p.close();
    throw err;
  }
  const signalling = new FxoSpanSignalling(ports, { clock: ctx.clock, logger: ctx.logger });
  return { signalling, id: lines.spanno, heldChannels: ports.map((p) => p.channel), close: () => signalling.close() };
};

export const ANALOG_OPENERS: { fxo?: AnalogOpener } = { fxo: openFxoLines };

/** A span or line group the site configures that could not be opened (board missing, channel busy): out of service. */
export interface SpanOutOfService {
  /** DAHDI span number the site layout gives it. */
  spanno: number;
  trunkGroup: string;
  reason: string;
}

export class SiteTrunks {
  constructor(
    readonly groups: ReadonlyMap<string, TrunkGroup>,
    readonly spans: readonly Span[],
    private readonly closers: (() => Promise<void> | void)[],
    private readonly held: ReadonlyMap<number, DahdiChannel> = new Map(),
    /** What could not be opened; the rest of the site runs without it. */
    readonly outOfService: readonly SpanOutOfService[] = [],
    /** The site's GSM/LTE module groups (status and calls-today per module for telemetry). */
    readonly modemGroups: readonly OpenedModemGroup[] = [],
    /**
     * The site's one lender of DAHDI channels: the channels spans hold are borrowed,
     * others opened while someone needs them. The media bridge and the trunk voice
     * paths share it, since DAHDI opens a channel once.
     */
    readonly channels: DahdiChannelLender = new DahdiChannelLender({ lookup: (n) => held.get(n) }),
    /** Channels others hold open that the lender lends too (seat phones). */
    private readonly lent: Map<number, DahdiChannel> = new Map(),
    private readonly clock: Clock = systemClock,
    private readonly logger: Logger = silentLogger,
  ) {}

  private simCalls?: SimCallLedger;

  /** Each SIM's calls of the day kept in `ledger` (the gateway's store), for the modules there are and any adopted later. */
  useSimCallLedger(ledger: SimCallLedger): void {
    this.simCalls = ledger;
    for (const g of this.modemGroups) g.signalling.useSimCallLedger(ledger);
  }

  /** GSM modules plugged in that the site file does not list (set when USB hot-plug is followed). */
  unknownModems?: UnknownModemWatch;

  /** Modules not in the site file and not used (telemetry's modems/unassigned). */
  unassignedModems(): UnassignedModem[] {
    return this.unknownModems?.unassigned() ?? [];
  }

  /**
   * A module group opened while the gateway runs (an unknown module adopted): its span takes
   * the next span id, joins its trunk group (made if the site has none of that name) and the
   * span list telemetry reads, and is closed with the rest.
   */
  adoptModemGroup(g: OpenedModemGroup): Span {
    const span = new Span(Math.max(0, ...this.spans.map((s) => s.id)) + 1, g.signalling, { clock: this.clock, logger: this.logger });
    (this.spans as Span[]).push(span);
    (this.modemGroups as OpenedModemGroup[]).push(g);
    if (this.simCalls) g.signalling.useSimCallLedger(this.simCalls);
    this.closers.push(() => g.close());
    const group = this.groups.get(g.trunkGroup);
    if (group) group.addSpan(span);
    else
      (this.groups as Map<string, TrunkGroup>).set(
        g.trunkGroup,
        new TrunkGroup([span], { clock: this.clock, logger: this.logger.child({ trunkGroup: g.trunkGroup }) }),
      );
    this.logger.info('span added to its trunk group', { span: span.id, trunkGroup: g.trunkGroup });
    return span;
  }

  /** Lends a channel someone else holds open (a seat phone) through `channels`, never closing it. */
  lend(channel: DahdiChannel): void {
    this.lent.set(channel.channo, channel);
  }

  /** The open DAHDI channel a span holds for this channel number, if any (for the media bridge to borrow). */
  heldChannel(channo: number): DahdiChannel | undefined {
    return this.held.get(channo);
  }

  group(name: string): TrunkGroup {
    const g = this.groups.get(name);
    if (!g) throw new InputError('trunk group', `no trunk group '${name}' in this site (${[...this.groups.keys()].join(', ') || 'none'})`);
    return g;
  }

  async close(): Promise<void> {
    for (const c of this.closers.splice(0).reverse()) await c();
  }
}

/** Opens every configured span and analog line group of a site. */
export async function openSiteTrunks(loaded: LoadedSite, opts: SiteTrunksOptions = {}): Promise<SiteTrunks> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const layout = layoutSite(loaded);
  const closers: (() => Promise<void> | void)[] = [];
  const byGroup = new Map<string, Span[]>();
  const spans: Span[] = [];
  const held = new Map<number, DahdiChannel>();
  const outOfService: SpanOutOfService[] = [];
  const lent = new Map<number, DahdiChannel>();
  const lender = new DahdiChannelLender({ lookup: (n) => held.get(n) ?? lent.get(n), logger });
  const attempt = async (spanno: number, group: string, open: () => Promise<OpenedSpan>) => {
    if (!byGroup.has(group)) byGroup.set(group, []);
    try {
      add(group, await open());
    } catch (err) {
      if (opts.onOpenError !== 'out-of-service' || err instanceof InputError) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      logger.error('span out of service: it could not be opened', { span: spanno, trunkGroup: group, reason });
      outOfService.push({ spanno, trunkGroup: group, reason });
    }
  };
  const modemGroups: OpenedModemGroup[] = [];
  const add = (group: string, opened: OpenedSpan) => {
    for (const ch of opened.heldChannels ?? []) held.set(ch.channo, ch);
    const span = new Span(opened.id, opened.signalling, { clock, logger });
    spans.push(span);
    byGroup.set(group, [...(byGroup.get(group) ?? []), span]);
    closers.push(() => opened.close());
  };
  try {
    for (const slot of layout.spans) {
      if (!slot.config) continue;
      const opener = SPAN_OPENERS[slot.config.signalling];
      if (!opener)
        throw new InputError(
          `site ${loaded.site.site} span ${slot.spanno}`,
          `signalling '${slot.config.signalling}' cannot be opened on DAHDI by this build`,
        );
      const ctx = spanContext(slot.spanno, clock, logger.child({ span: slot.spanno }), opts, closers);
      await attempt(slot.spanno, slot.config.trunkGroup, async () => listened(slot, await opener(slot, ctx), lender, ctx));
    }
    for (const lines of layout.analog) {
      const opener = ANALOG_OPENERS.fxo;
      if (!opener)
        throw new InputError(
          `site ${loaded.site.site} board ${lines.board.id}`,
          'analog FXO lines cannot be opened on DAHDI by this build',
        );
      await attempt(lines.spanno, lines.trunkGroup, () =>
        opener(lines, spanContext(lines.spanno, clock, logger.child({ span: lines.spanno }), opts, closers)),
      );
    }
    // Modem groups take span ids after the DAHDI spans; a trunk group may mix both.
    let nextId = Math.max(0, ...layout.spans.map((s) => s.spanno), ...spans.map((s) => s.id)) + 1;
    for (const g of await openSiteModems(loaded, { ...opts.modems, clock, logger })) {
      modemGroups.push(g);
      add(g.trunkGroup, { signalling: g.signalling, id: nextId++, close: () => g.close() });
    }
  } catch (err) {
    for (const c of closers.reverse()) await c();
    throw err;
  }
  const groups = new Map([...byGroup].map(([name, s]) => [name, new TrunkGroup(s, { clock, logger: logger.child({ trunkGroup: name }) })]));
  const trunks = new SiteTrunks(groups, spans, closers, held, outOfService, modemGroups, lender, lent, clock, logger);
  const usb = opts.modems?.usb;
  if (usb) {
    const site = loaded.site.modems ?? [];
    const watch = watchUnknownModems(usb, {
      ...opts.modems,
      clock,
      logger,
      site,
      modelOf: (m) => loaded.profiles.get(m.profile)?.profile.modem?.model,
      policy: loaded.site.modemHotplug,
      adopt: (g) => trunks.adoptModemGroup(g),
    });
    trunks.unknownModems = watch;
    closers.push(() => watch.close());
  }
  return trunks;
}

/**
 * A PRI or China No.1 span whose calls may ask for in-band analysis: its signalling
 * wrapped so those calls' bearer channels are read (through the site's lender).
 */
function listened(slot: SpanSlot, opened: OpenedSpan, lender: DahdiChannelLender, ctx: SpanOpenContext): OpenedSpan {
  if (!LISTENED.has(slot.config!.signalling)) return opened;
  const bearers = new Set(expandRanges(slot.config!.bearer ?? ''));
  const audio = new DahdiTrunkAudio({
    channo: (span, channel) =>
      span === opened.id && (bearers.size === 0 || bearers.has(channel)) ? dahdiChannelNumber(slot.basechan, channel) : undefined,
    channels: lender,
    logger: ctx.logger,
  });
  const signalling = new InbandAnalysingSignalling(opened.signalling, { span: opened.id, audio, clock: ctx.clock, logger: ctx.logger });
  return {
    ...opened,
    signalling,
    close: async () => {
      signalling.stopListening();
      await opened.close();
    },
  };
}

function spanContext(
  spanno: number,
  clock: Clock,
  logger: Logger,
  opts: SiteTrunksOptions,
  closers: (() => Promise<void> | void)[],
): SpanOpenContext {
  return {
    clock,
    logger,
    monitor: () => {
      const m = new DahdiSpanMonitor({ spanno, clock, logger, debounceMs: opts.alarmDebounceMs });
      m.start();
      closers.push(() => m.close());
      return m;
    },
  };
}
