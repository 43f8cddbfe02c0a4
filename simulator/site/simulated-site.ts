/**
 * What `trunkpilot run --simulate` puts around the gateway: the site's boards as
 * spans of the userspace DAHDI (numbered as the site layout numbers them, so the
 * gateway opens them through drivers/dahdi exactly as on a board), the simulated
 * exchange at the far end of each trunk span (a libpri NET instance behind PRI
 * spans, a China No.7 exchange behind ss7-isup/ss7-tup spans, a China No.1 exchange
 * behind r2-cn spans, answering as the callee population says), simulated GSM/LTE modules for the site's modems (on the
 * mock serial binding; site-modems-sim.ts), the faults its simulation section
 * stages (site-fault-plan.ts), and simulated agents at the seat phones: each
 * picks up (off hook), talks while the customer does, wraps up, and goes ready.
 * Needs libfakedahdi.so preloaded (the run command re-executes itself with it).
 *
 * TRUNKPILOT_SIM_OFFER_LOG=FILE appends every number the exchange is offered to
 * FILE, one line each, as it arrives (the crash test compares it with the store).
 */
import { appendFileSync } from 'node:fs';
import { DahdiDChannel } from '../../drivers/dahdi/dahdi-dchannel';
import { PriInstance } from '../../drivers/libpri/pri-instance';
import { Clock, systemClock, TimerHandle } from '../../src/core/clock';
import { InputError } from '../../src/core/errors';
import { Logger, silentLogger } from '../../src/core/logger';
import { layoutSite } from '../../src/provisioning/layout';
import { LoadedSite } from '../../src/provisioning/site-config';
import { SiteDistribution } from '../../src/provisioning/site-types';
import { PriSpanSignalling } from '../../src/signalling/pri/pri-span-signalling';
import { Seat } from '../../src/seats/seat';
import { CalleeKind, CalleePopulation } from '../callee-population';
import { SimSpan, SimSpanKind, SimulatedDahdi } from '../dahdi/simulated-dahdi';
import { SimulatedPriNetwork } from '../pri/pri-network';
import { SimulatedInboundCallers } from './inbound-callers';
import { Distribution, parseDistribution, Rng, sample } from '../random';
import { SimulatedMediaBridge } from '../ports/simulated-media-bridge';
import { SimulatedVoicePlayer } from '../ports/simulated-voice-player';
import { SimulatedModemAccess, SimulatedSiteHandle, SiteSimulator } from '../../src/runtime/site-simulator';
import { FAULT_CATALOGUE, FaultName, isConditionFault } from '../dahdi/faults';
import { faultTargetName, SiteFaultPlan } from './site-fault-plan';
import { SiteModemsSim } from './site-modems-sim';
import { buildNo7FarEnd, No7FarEnd } from './site-no7-exchange';
import { buildR2FarEnd, R2FarEnd } from './site-r2-exchange';
import { fakeDahdiLibraryPath } from '../dahdi/fake-dahdi-lib';
import { DahdiChannelLender } from '../../drivers/dahdi/dahdi-channel-lender';
import { DahdiTrunkAudio } from '../../drivers/dahdi/dahdi-channel-audio';

/** Quick-start traffic: people answer after a few seconds and talk for a while. */
export const DEFAULT_CALLEES = {
  mix: { answer: 0.4, busy: 0.1, unallocated: 0.08, no_answer: 0.3, congestion: 0.04, absent: 0.08 } as Record<CalleeKind, number>,
  ringSec: { dist: 'lognormal', median: 5, sigma: 0.5 } as Distribution,
  talkSec: { dist: 'lognormal', median: 15, sigma: 0.5 } as Distribution,
  noAnswerSec: 20,
};
export const DEFAULT_WRAP_SEC: Distribution = { dist: 'lognormal', mean: 6, cv: 0.5 };
export const DEFAULT_ANSWER_SEC: Distribution = { dist: 'fixed', value: 0.4 };

export interface SimulatedSiteOptions {
  clock?: Clock;
  logger?: Logger;
}

export class SimulatedSite implements SimulatedSiteHandle {
  readonly voice: SimulatedVoicePlayer;
  readonly mediaBridge = new SimulatedMediaBridge();
  private readonly timers = new Map<Seat, TimerHandle>();
  private readonly closers: (() => Promise<void> | void)[] = [];
  private agentSeats: readonly Seat[] = [];
  /** The exchange's side of the B-channels it plays callee audio on (open while a call is up). */
  farChannels: DahdiChannelLender | undefined;
  /** Customers calling in (simulation.inbound), when the site asks for them. */
  inboundCallers: SimulatedInboundCallers | undefined;
  /** Phones whose handset the simulated agent holds up. */
  private readonly lifted = new Set<number>();

  private constructor(
    readonly sim: SimulatedDahdi,
    readonly population: CalleePopulation,
    readonly networks: readonly SimulatedPriNetwork[],
    /** DAHDI channel of each seat's phone (far end of the FXS port), by seat id. */
    private readonly phones: ReadonlyMap<string, number>,
    private readonly wrapSec: Distribution,
    private readonly answerSec: Distribution,
    private readonly rng: Rng,
    private readonly clock: Clock,
    /** The No.7 exchanges behind the site's ss7-isup/ss7-tup spans. */
    readonly no7Exchanges: readonly No7FarEnd[] = [],
    private readonly simulatedModems?: SiteModemsSim,
    /** The site's simulation.faults, as staged. */
    readonly faults?: SiteFaultPlan,
    /** The China No.1 exchanges behind the site's r2-cn spans. */
    readonly r2Exchanges: readonly R2FarEnd[] = [],
  ) {
    this.voice = new SimulatedVoicePlayer({ clock, durationSec: () => 6 });
  }

  /** Builds the boards and the exchange; call before the gateway opens the site. */
  get modems(): SimulatedModemAccess | undefined {
    return this.simulatedModems?.access();
  }

  static build(loaded: LoadedSite, opts: SimulatedSiteOptions = {}): SimulatedSite {
    if (!SimulatedDahdi.available())
      throw new InputError('--simulate', 'needs libfakedahdi.so preloaded (LD_PRELOAD); trunkpilot run re-executes itself with it');
    const clock = opts.clock ?? systemClock;
    const logger = opts.logger ?? silentLogger;
    const simulation = loaded.site.simulation ?? {};
    const seed = simulation.seed ?? 1;
    const callees = simulation.callees ?? {};
    const population = new CalleePopulation({
      seed,
      mix: { ...DEFAULT_CALLEES.mix, ...(callees.mix as Partial<Record<CalleeKind, number>>) },
      ringSec: dist(callees.ringSec, 'simulation.callees.ringSec') ?? DEFAULT_CALLEES.ringSec,
      talkSec: dist(callees.talkSec, 'simulation.callees.talkSec') ?? DEFAULT_CALLEES.talkSec,
    });
    const sim = SimulatedDahdi.attach();
    const layout = layoutSite(loaded);
    const ours = new Map<number, SimSpan>();
    for (const slot of layout.spans) {
      let kind: SimSpanKind;
      let ports: number | undefined;
      if (slot.profile.kind === 'analog') {
        kind = loaded.site.seats?.board === slot.board.id ? 'fxs' : 'fxo';
        ports = slot.channelCount;
      } else {
        kind = slot.config?.signalling === 'r2-cn' ? 'e1-cas' : 'e1-ccs';
      }
      const span = sim.addSpan(kind, { ports, name: `TPSIM/${slot.board.id}/${slot.local}` });
      if (span.spanno !== slot.spanno) throw new Error(`simulated span ${span.spanno} is not the site's span ${slot.spanno}`);
      ours.set(slot.spanno, span);
    }
    const networks: SimulatedPriNetwork[] = [];
    const farChannels = new DahdiChannelLender({ logger });
    const no7: No7FarEnd[] = [];
    const r2: R2FarEnd[] = [];
    const farCalls = new Map<number, { count: () => number; numbers: () => string[] }>();
    const noAnswerMs = (callees.noAnswerSec ?? DEFAULT_CALLEES.noAnswerSec) * 1000;
    const offerLog = process.env.TRUNKPILOT_SIM_OFFER_LOG;
    // Every number the simulated network is offered: logged when asked, and the first one starts the staged faults.
    const staged: { plan?: SiteFaultPlan } = {};
    const offered = (number: string) => {
      if (offerLog) appendFileSync(offerLog, `${number}\n`);
      staged.plan?.callSeen();
    };
    for (const slot of layout.spans) {
      const signalling = slot.config?.signalling;
      if (!signalling) continue;
      if (signalling === 'ss7-isup' || signalling === 'ss7-tup') {
        const end = buildNo7FarEnd(sim, ours.get(slot.spanno)!, slot, {
          population,
          clock,
          logger,
          noAnswerMs,
          onOffered: (ev) => offered(ev.number),
        });
        no7.push(end);
        farCalls.set(slot.spanno, { count: () => end.exchange.activeCalls, numbers: () => end.exchange.activeNumbers() });
        continue;
      }
      if (signalling === 'r2-cn') {
        const audio = callees.audio;
        const end = buildR2FarEnd(sim, ours.get(slot.spanno)!, slot, {
          population,
          clock,
          logger,
          noAnswerMs,
          audio: audio && { seed, ...audio },
          onOffered: offered,
        });
        r2.push(end);
        farCalls.set(slot.spanno, { count: () => end.exchange.activeCalls, numbers: () => end.exchange.activeNumbers() });
        continue;
      }
      if (signalling !== 'pri-cpe') {
        throw new InputError(
          `site ${loaded.site.site} span ${slot.spanno}`,
          `--simulate puts a simulated exchange behind pri-cpe, r2-cn, ss7-isup and ss7-tup spans only; '${signalling}' has no simulated far end here yet`,
        );
      }
      const far = sim.addSpan('e1-ccs', { name: `TPSIM/exchange/${slot.spanno}` });
      sim.connectSpans(ours.get(slot.spanno)!, far);
      const net = new PriSpanSignalling(
        new PriInstance({ role: 'net', transport: DahdiDChannel.open(far.dchannel!), logger: logger.child({ exchange: slot.spanno }) }),
        'net',
        { clock, logger },
      );
      net.onEvent((ev) => ev.type === 'offered' && offered(ev.number));
      const audio = callees.audio;
      // The exchange's side of the B-channels: the far span's channels, read and written through the DAHDI driver.
      const trunkAudio = audio
        ? new DahdiTrunkAudio({ channo: (span, ch) => (span === slot.spanno ? far.channels[ch - 1] : undefined), channels: farChannels })
        : undefined;
      const network = new SimulatedPriNetwork(net, {
        population,
        clock,
        logger,
        noAnswerMs,
        audio: trunkAudio && { trunkAudio, span: slot.spanno, seed, musicShare: audio!.musicShare, machineShare: audio!.machineShare },
        earlyMediaMs: (audio?.earlyMediaSec ?? 0) * 1000,
      });
      networks.push(network);
      farCalls.set(slot.spanno, { count: () => network.activeCalls, numbers: () => [] });
    }
    const modems = loaded.site.modems?.length
      ? new SiteModemsSim(loaded, { population, clock, noAnswerMs, env: process.env, onDialled: offered })
      : undefined;
    const faultPlan = simulation.faults?.length
      ? new SiteFaultPlan(
          simulation.faults,
          (f, where) => {
            const name = faultTargetName(f, where);
            if (f.modem !== undefined) {
              if (!modems) throw new InputError(where, `the site has no modems, so no modem '${f.modem}'`);
              const id = f.modem;
              return {
                name,
                target: {
                  check: (fault) => modems.check(id, fault),
                  set: (fault) => modems.fault(id, fault),
                  clear: (fault) => modems.clearFault(id, fault),
                  carriesCall: () => modems.inCall(id),
                  callNumbers: () => modems.callNumbers(id),
                },
              };
            }
            const span = ours.get(f.span!);
            const calls = farCalls.get(f.span!);
            if (!span || !calls) throw new InputError(where, `span ${f.span} is not a trunk span of this site`);
            return {
              name,
              target: {
                check: (fault) => {
                  if (!(fault in FAULT_CATALOGUE) || !isConditionFault(fault as FaultName))
                    throw new InputError(where, `'${fault}' is not a line condition (LOS, LOF, AIS, RAI, DCHANNEL_DOWN)`);
                },
                set: (fault) => sim.injectFault(span, fault as FaultName),
                clear: (fault) => sim.clearFault(span, fault as FaultName),
                carriesCall: () => calls.count() > 0,
                callNumbers: () => calls.numbers(),
              },
            };
          },
          clock,
          logger,
        )
      : undefined;
    if (layout.analog.length) throw new InputError(`site ${loaded.site.site}`, '--simulate has no simulated exchange for FXO lines yet');
    staged.plan = faultPlan;
    const phones = new Map<string, number>();
    for (const s of layout.seats) if (s.channo !== undefined) phones.set(`seat${s.seat}`, s.channo);
    const site = new SimulatedSite(
      sim,
      population,
      networks,
      phones,
      dist(simulation.agents?.wrapSec, 'simulation.agents.wrapSec') ?? DEFAULT_WRAP_SEC,
      dist(simulation.agents?.answerSec, 'simulation.agents.answerSec') ?? DEFAULT_ANSWER_SEC,
      new Rng(`${seed}/agents`),
      clock,
      no7,
      modems,
      faultPlan,
      r2,
    );
    site.farChannels = farChannels;
    // Audio (and so the seat conferences) moves every 20 ms, as on a board.
    sim.startClock(clock, 20);
    site.closers.push(() => sim.stopClock());
    for (const n of networks) site.closers.push(() => n.close());
    for (const e of no7) site.closers.push(() => e.close());
    for (const e of r2) site.closers.push(() => e.close());
    if (modems) site.closers.push(() => modems.close());
    if (faultPlan) site.closers.push(() => faultPlan.stop());
    if (simulation.inbound) {
      const inbound = simulation.inbound;
      const called =
        inbound.called ??
        loaded.site.inbound?.rules?.find((r) => r.called && !r.called.endsWith('*'))?.called ??
        loaded.site.callerIdPool?.[0];
      if (!called)
        throw new InputError('simulation.inbound.called', 'no number to call: give one, or an inbound rule with a called number');
      if (!networks.length)
        throw new InputError('simulation.inbound', 'simulated callers come through PRI exchanges, and this site has no pri-cpe span');
      site.inboundCallers = new SimulatedInboundCallers(
        networks,
        {
          callsPerHour: inbound.callsPerHour,
          called,
          callbackShare: inbound.callbackShare,
          talkSec: dist(inbound.talkSec, 'simulation.inbound.talkSec') ?? DEFAULT_CALLEES.talkSec,
          patienceSec: inbound.patienceSec,
        },
        clock,
        new Rng(`${seed}/inbound`),
        logger,
      );
      site.inboundCallers.start();
      site.closers.push(() => site.inboundCallers?.stop());
    }
    return site;
  }

  /**
   * Puts agents at the seats: the first `loggedIn` stay logged in (the rest log out).
   * An agent at a phone lifts the handset when it rings (after `answerSec`), puts it
   * down when the customer has gone, does its after-call work and goes ready; one
   * without a phone (a simulated seat) takes calls at once.
   */
  staffSeats(seats: readonly Seat[], loggedIn = seats.length): void {
    this.agentSeats = seats;
    seats.forEach((seat, i) => {
      if (i >= loggedIn) {
        if (seat.state === 'ready') seat.logout();
        return;
      }
      seat.onChange((s, e) => this.onSeat(s, e.to));
    });
  }

  /** No new customers call in (simulation.inbound); those on the line finish their talk. */
  stopTraffic(): void {
    this.inboundCallers?.stopArrivals();
    // The run is stopping: agents cut their after-call work short, so a stop with a
    // short --grace is not held up by simulated wrap-up times.
    this.stopping = true;
    for (const seat of this.agentSeats) if (seat.state === 'wrap-up') this.onSeat(seat, 'wrap-up');
  }

  private stopping = false;

  /** Seats whose agent is still busy with a call or its wrap-up. */
  busySeats(): number {
    return this.agentSeats.filter((s) => s.state !== 'ready' && s.state !== 'logged-out').length;
  }

  async close(): Promise<void> {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const c of this.closers.splice(0).reverse()) await c();
  }

  private onSeat(seat: Seat, to: string): void {
    this.timers.get(seat)?.cancel();
    this.timers.delete(seat);
    const phone = this.phones.get(seat.id);
    if (phone !== undefined) {
      const offHook = this.lifted.has(phone);
      // Offered a call: the phone rings; the agent lifts it (if it is still ringing by then).
      if (to === 'reserved') {
        this.timers.set(
          seat,
          this.clock.setTimer(sample(this.answerSec, this.rng) * 1000, () => {
            if (!this.sim.channelState(phone).ringingFarEnd) return;
            this.lifted.add(phone);
            this.sim.farHook(phone, true);
          }),
        );
        return;
      }
      // The call is over (or another agent took it first): the handset goes back down.
      if ((to === 'wrap-up' || to === 'paused' || to === 'ready') && offHook) {
        this.lifted.delete(phone);
        this.sim.farHook(phone, false);
      }
    }
    // The customer ends the talk (the exchange clears after the callee's talk time); the agent then wraps up.
    if (to === 'wrap-up')
      this.timers.set(
        seat,
        this.clock.setTimer(this.stopping ? STOPPING_WRAP_MS : sample(this.wrapSec, this.rng) * 1000, () =>
          seat.wrapDone('agent finished'),
        ),
      );
  }
}

/** After-call work of an agent once the run is stopping. */
const STOPPING_WRAP_MS = 300;

function dist(value: SiteDistribution | undefined, where: string): Distribution | undefined {
  return value === undefined ? undefined : parseDistribution(value, where);
}

/** The line simulator as `trunkpilot run --simulate` takes it. */
export const SITE_SIMULATOR: SiteSimulator = {
  preloaded: () => SimulatedDahdi.available(),
  libraryPath: () => fakeDahdiLibraryPath(),
  build: (loaded, opts) => SimulatedSite.build(loaded, opts),
};
