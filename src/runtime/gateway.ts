/**
 * The gateway's one composition root: from a site file it opens every span and
 * line group on DAHDI, the seats and answer groups, the caller-ID pool, the
 * campaign store, the campaigns (pacing included) and telemetry. `trunkpilot run`
 * (on a board, or with --simulate on the userspace DAHDI), `trunkpilot dial` and
 * the tests all build the gateway here; nothing else wires these parts together.
 */
import { dirname, join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { Clock, systemClock } from '../core/clock';
import { InputError } from '../core/errors';
import { Logger, silentLogger } from '../core/logger';
import { CampaignStore } from '../campaign/campaign-store';
import { CampaignStorage } from '../campaign/campaign-storage';
import { PgCampaignStore } from '../campaign/pg-campaign-store';
import { VoicePlayer } from '../../drivers/ports/voice-port';
import { layoutSite, SiteLayout } from '../provisioning/layout';
import { LoadedSite } from '../provisioning/site-config';
import { layoutChannelResolver } from '../../drivers/dahdi/dahdi-channel-resolver';
import { DahdiChannelAudioSource } from '../../drivers/dahdi/dahdi-channel-audio';
import { ChannelVoicePlayer } from '../voice/channel-voice-player';
import { PromptLibrary } from '../voice/prompt-library';
import { CallPrompts, checkAgentNumber } from '../voice/call-prompts';
import { CallRecorder } from '../voice/call-recorder';
import { absAgentNumber } from './campaign-file';
import { DahdiMediaBridge } from '../../drivers/dahdi/dahdi-media-bridge';
import { DahdiTrunkPatch } from '../../drivers/dahdi/dahdi-trunk-patch';
import { SqlitePrivacyStore } from '../privacy/privacy-store';
import { PgPrivacyStore } from '../privacy/pg-privacy-store';
import { buildSiteInbound, SiteInbound } from './site-inbound';
import { SiteFiles } from '../provisioning/site-files';
import { legOf } from '../seats/seat-distributor';
import { MediaBridge, TrunkLeg, TrunkPatch } from '../../drivers/ports/media-port';
import { openSiteTrunks, SiteTrunks, SiteTrunksOptions } from '../site/site-trunks';
import { TelemetryHandle } from '../telemetry/start-telemetry';
import { TelemetryUser } from '../telemetry/broker/credentials';
import { loadCampaignFile } from './campaign-file';
import { exportPage } from './campaign-export';
import { CampaignRegistry } from './campaign-registry';
import { GatewayOperations, seatCommandActions } from './gateway-operations';
import { buildSiteSeats, SiteSeats } from './site-seats';
import { PcmTrunkMediaBridge } from '../seats/pcm-trunk-media-bridge';
import { pcmTrunkChannels } from '../voice/pcm-trunk-channels';
import { ModemSpanSignalling } from '../signalling/gsm/modem-span-signalling';
import { SeatKeypad } from './seat-keypad';
import { DahdiSeatPhone } from '../../drivers/dahdi/dahdi-seat-phone';
import { DahdiChannel } from '../../drivers/dahdi/dahdi-channel';
import { ringCadenceForZone } from '../../drivers/ports/seat-phone-port';
import { siteToneZone } from '../provisioning/site-locale';
import { gatewayName, telemetryOptionsForSite, TelemetryOverrides } from './site-telemetry';

export interface GatewayOptions {
  site: LoadedSite;
  clock?: Clock;
  logger?: Logger;
  /** The campaign store (SQLite file); this or `storeUrl` unless `trunksOnly`. */
  dbPath?: string;
  /** A shared campaign store (postgres://...): several gateways work the same campaigns. */
  storeUrl?: string;
  /** Shared store: a gateway silent this long is taken for dead and its numbers are taken over (default 30 s). */
  leaseTimeoutMs?: number;
  /** This gateway's name (its MQTT tree, its rows in a shared store); default the site's telemetry.gateway or name. */
  gatewayName?: string;
  /** Telemetry from the site file, with these overrides; false for none. */
  telemetry?: TelemetryOverrides | false;
  /** Only the trunks (a one-off dial): no seats, store, campaigns or telemetry. */
  trunksOnly?: boolean;
  /** A site whose spans cannot all be opened still runs (the rest) instead of failing. Default true unless trunksOnly. */
  tolerateMissingSpans?: boolean;
  alarmDebounceMs?: SiteTrunksOptions['alarmDebounceMs'];
  /** Plays voice files to trunk calls (broadcast, the abandon message); default: on the calls' DAHDI channels. */
  voice?: VoicePlayer;
  /** Telemetry users beyond the site's (e.g. a one-time viewer for a simulation's dashboard). */
  extraUsers?: Record<string, TelemetryUser>;
  /** Bridges trunk calls to seats that have no FXS port (simulated seats); FXS seats use DAHDI conferences. */
  mediaBridge?: MediaBridge;
  /** Connects two trunk calls (privacy numbers); default a DAHDI conference of the two channels. */
  trunkPatch?: TrunkPatch;
  random?: () => number;
  /** GSM/LTE modules: serial opener, sysfs root, USB hot-plug (default: serialport's native binding, '/', none). */
  modems?: SiteTrunksOptions['modems'];
}

export class Gateway {
  private closed = false;

  constructor(
    readonly site: LoadedSite,
    readonly layout: SiteLayout,
    readonly trunks: SiteTrunks,
    readonly seats: SiteSeats | undefined,
    readonly store: CampaignStorage | undefined,
    readonly campaigns: CampaignRegistry | undefined,
    readonly telemetry: TelemetryHandle | undefined,
    readonly clock: Clock,
    private readonly logger: Logger,
    /** Incoming calls: the inbound queues and privacy numbers (absent for a trunks-only gateway). */
    readonly inbound?: SiteInbound,
    /** The FXS seat phones the gateway holds open (closed last, after the calls). */
    private readonly seatPhones: readonly SeatKeypad[] = [],
    /** Recordings of calls, when anything records (its directory, for tools and tests). */
    readonly recorder?: CallRecorder,
    private readonly onClose: (() => void)[] = [],
  ) {}

  get name(): string {
    return this.site.site.site;
  }

  /** Channels not idle over every span (0 when everything has cleared). */
  busyChannels(): number {
    return this.trunks.spans.reduce((n, s) => n + s.channels.filter((c) => c.state !== 'idle' && c.state !== 'out-of-service').length, 0);
  }

  /**
   * Orderly stop: no new calls, calls in progress may finish within `graceMs`
   * (then they are released), attempts closed in the store, telemetry flushed
   * and `offline` published, everything closed.
   */
  async close(graceMs = 30_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // No new incoming calls while the calls in progress finish.
    this.inbound?.stopTaking();
    for (const f of this.onClose) f();
    if (this.campaigns) {
      const stopping = this.campaigns.shutdown();
      const deadline = this.clock.now() + graceMs;
      let released = false;
      while (this.campaigns.activeCalls() > 0) {
        if (!released && this.clock.now() >= deadline) {
          released = true;
          this.logger.warn('calls still up after the shutdown grace period: releasing them', { calls: this.campaigns.activeCalls() });
          for (const span of this.trunks.spans) for (const call of span.activeCalls()) call.hangup();
        }
        if (released && this.clock.now() >= deadline + 10_000) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await Promise.race([stopping, new Promise((r) => setTimeout(r, 1000))]);
    }
    await this.telemetry?.close();
    this.inbound?.close();
    await this.store?.close();
    this.seats?.close();
    for (const p of this.seatPhones) await p.close().catch(() => undefined);
    await this.trunks.close();
  }
}

/** A site without seats bridges nothing. */
const NO_SEATS_BRIDGE: MediaBridge = {
  bridge: async () => {
    throw new InputError('seats', 'this site has no seats');
  },
};

export async function openGateway(opts: GatewayOptions): Promise<Gateway> {
  const clock = opts.clock ?? systemClock;
  const logger = (opts.logger ?? silentLogger).child({ site: opts.site.site.site });
  const loaded = opts.site;
  const layout = layoutSite(loaded);
  const trunks = await openSiteTrunks(loaded, {
    clock,
    logger,
    alarmDebounceMs: opts.alarmDebounceMs,
    modems: opts.modems,
    onOpenError: (opts.tolerateMissingSpans ?? !opts.trunksOnly) ? 'out-of-service' : 'fail',
  });
  if (opts.trunksOnly) return new Gateway(loaded, layout, trunks, undefined, undefined, undefined, undefined, clock, logger);

  const closeOnError: (() => Promise<void> | void)[] = [() => trunks.close()];
  try {
    const hasFxsSeats = layout.seats.some((s) => s.channo !== undefined);
    // Each FXS seat's phone stays open for the gateway's life (ringing, hook, feature codes); the bridge borrows its channel.
    const phones = new Map<number, { keypad: SeatKeypad; channel: DahdiChannel }>();
    closeOnError.push(async () => {
      for (const p of phones.values()) await p.keypad.close().catch(() => undefined);
    });
    const cadence = ringCadenceForZone(siteToneZone(loaded));
    for (const slot of layout.seats) {
      if (slot.channo === undefined) continue;
      try {
        const port = DahdiSeatPhone.open(slot.channo, cadence);
        phones.set(slot.seat, { keypad: new SeatKeypad(port, logger), channel: port.channel });
      } catch (err) {
        logger.error('seat phone could not be opened: the seat takes calls without ringing', {
          seat: slot.seat,
          channo: slot.channo,
          err: String(err),
        });
      }
    }
    // One lender for every part that opens a call's channels (DAHDI opens a channel once): the
    // conferences, the prompt player, the recorder and the trunks' in-band analysis share what the
    // spans and seat phones already hold (the site's lender; the phones are lent to it).
    for (const p of phones.values()) trunks.lend(p.channel);
    const lender = trunks.channels;
    const resolver = layoutChannelResolver(layout);
    const boardAudio = new DahdiChannelAudioSource(resolver, lender, logger);
    // A call on a GSM module is played to and recorded on the module's PCM port.
    const modemSpans = new Map(trunks.spans.flatMap((s) => (s.signalling instanceof ModemSpanSignalling ? [[s.id, s.signalling]] : [])));
    const modemAudio = {
      isPcmSpan: (span: number) => modemSpans.has(span),
      trunkPort: (leg: TrunkLeg) => modemSpans.get(leg.span)?.requireVoicePort(leg.channel),
    };
    const channelAudio = modemSpans.size ? pcmTrunkChannels({ ...modemAudio, otherwise: boardAudio }) : boardAudio;
    const voice = opts.voice ?? new ChannelVoicePlayer({ audio: channelAudio, prompts: new PromptLibrary(), clock, logger });
    const siteVoice = loaded.site.voice ?? {};
    const siteFiles = new SiteFiles(loaded.site.site, loaded.source.file);
    const abs = (p: string) => siteFiles.path(p);
    const agentNumber = siteVoice.agentNumber && absAgentNumber(siteVoice.agentNumber, abs);
    if (agentNumber) checkAgentNumber(agentNumber, `site ${loaded.site.site} voice.agentNumber`);
    const prompts = new CallPrompts(
      voice,
      { abandonMessage: siteVoice.abandonMessage && abs(siteVoice.abandonMessage), agentNumber },
      logger.child({ part: 'prompts' }),
    );
    let dahdiBridge: DahdiMediaBridge | undefined;
    const boardBridge = () => (dahdiBridge ??= new DahdiMediaBridge({ resolver, channels: lender, logger }));
    let bridge: MediaBridge | undefined = hasFxsSeats ? boardBridge() : opts.mediaBridge;
    if (!bridge && layout.seats.length)
      throw new InputError(
        `site ${loaded.site.site} seats`,
        `board '${loaded.site.seats!.board}' has no FXS ports for the seats, and this gateway has no other way to reach them`,
      );
    bridge ??= NO_SEATS_BRIDGE;
    // Calls on GSM modules reach FXS seats through the software bridge (the module's PCM port and the seat's channel).
    if (modemSpans.size && hasFxsSeats) bridge = new PcmTrunkMediaBridge({ ...modemAudio, seatAudio: boardAudio, otherwise: bridge });
    const seats = buildSiteSeats(loaded.site, layout, {
      clock,
      logger,
      bridge,
      random: opts.random,
      phoneOf: (n) => phones.get(n)?.keypad,
      agentDialer: (name, where) => {
        const group = trunks.groups.get(name);
        if (!group)
          throw new InputError(where, `no trunk group '${name}' in this site (${[...trunks.groups.keys()].join(', ') || 'none'})`);
        return async (number, ringSec) => {
          // A nailed-up agent logs in as the gateway starts: wait (up to 30 s) for a link to come up first.
          for (const start = clock.now(); !group.spans.some((s) => s.linkUp) && clock.now() - start < 30_000;)
            await new Promise((r) => clock.setTimer(50, () => r(undefined)));
          const r = await group.dial({ number, ringTimeoutSec: ringSec });
          if (r.outcome === 'answered') return r.call;
          logger.info('remote agent did not answer', { number, outcome: r.outcome, cause: r.cause });
          return undefined;
        };
      },
      // Without an abandon message (site or campaign) the call is released at once.
      playAbandonMessage: (call) => prompts.abandon(legOf(call), call.ended),
      announceSeat: (call, seatNumber) => prompts.announceSeat(legOf(call), seatNumber, call.ended),
    });
    const recordsAny = (loaded.site.answerGroups ?? []).some((g) => g.record) || siteVoice.recordings !== undefined;
    const recordingDir = siteVoice.recordings?.dir
      ? abs(siteVoice.recordings.dir)
      : opts.dbPath && opts.dbPath !== ':memory:'
        ? join(dirname(resolve(opts.dbPath)), 'recordings')
        : siteFiles.path('recordings');
    const recorder = new CallRecorder({ audio: channelAudio, dir: recordingDir, clock, logger: logger.child({ part: 'recorder' }) });
    const onClose: (() => void)[] = [];
    const retentionDays = siteVoice.recordings?.retentionDays;
    if (retentionDays) {
      let timer = clock.setTimer(0, function prune() {
        void recorder.prune(retentionDays).catch((err) => logger.error('old recordings not deleted', { err: String(err) }));
        timer = clock.setTimer(3_600_000, prune);
      });
      onClose.push(() => timer.cancel());
    }

    const name = opts.gatewayName ?? gatewayName(loaded.site);
    let store: CampaignStorage;
    if (opts.storeUrl) {
      store = await PgCampaignStore.open(opts.storeUrl, { gateway: name, clock, logger, leaseTimeoutMs: opts.leaseTimeoutMs });
    } else {
      if (!opts.dbPath) throw new InputError('gateway', 'needs a campaign store (--db FILE or --store postgres://...)');
      if (opts.dbPath !== ':memory:') mkdirSync(dirname(opts.dbPath), { recursive: true });
      store = new CampaignStore(opts.dbPath);
    }
    closeOnError.push(() => store.close());
    // Per-SIM daily caps count on from the store after a restart.
    trunks.useSimCallLedger({
      simCallsOn: (iccid, day) => store.simCallsOn(iccid, day),
      countSimCall: (iccid, day) => store.countSimCall(iccid, day),
    });
    // The callback memory reads the SQLite file's attempts; privacy bindings live in whichever store the gateway has.
    const local = store instanceof CampaignStore ? store : undefined;
    const privacyStore = !loaded.site.privacy
      ? undefined
      : local
        ? new SqlitePrivacyStore(local.database)
        : new PgPrivacyStore(store as PgCampaignStore);
    const inbound = buildSiteInbound(loaded.site, {
      clock,
      logger,
      trunks,
      seats,
      history: local,
      privacyStore,
      voice,
      patch: loaded.site.privacy ? (opts.trunkPatch ?? new DahdiTrunkPatch(boardBridge(), logger)) : undefined,
      files: siteFiles,
    });
    closeOnError.push(() => inbound.close());
    const campaigns = await CampaignRegistry.open({
      store,
      clock,
      logger,
      gateway: name,
      voice,
      dialer: (name) => trunks.group(name),
      distributor: (name) => seats.answerGroup(name).distributor,
      recorder,
      answerGroupRecords: (name) => loaded.site.answerGroups?.find((g) => g.name === name)?.record ?? false,
      prompts,
      approvedCallerIds: loaded.site.callerIdPool ?? [],
    });

    let telemetry: TelemetryHandle | undefined;
    if (opts.telemetry !== false) {
      const { startTelemetry } = await import('../telemetry/start-telemetry');
      const operations = new GatewayOperations(seats.seats, campaigns, clock, seats.answerGroups, () => inbound.incoming.queueFigures());
      const privacy = inbound.privacy;
      const siteView = () => ({ trunkGroups: [...trunks.groups.keys()], answerGroups: [...seats.answerGroups.keys()] });
      const fromSite = telemetryOptionsForSite(loaded.site, { gateway: name, ...opts.telemetry });
      telemetry = await startTelemetry({
        ...fromSite,
        users: { ...fromSite.users, ...opts.extraUsers },
        spans: trunks.spans,
        unassignedModems: trunks.unknownModems && (() => trunks.unassignedModems()),
        clock,
        logger,
        operations,
        actions: {
          ...seatCommandActions(seats),
          addCampaign: async (file) => campaigns.add(loadCampaignFile(file, siteView())),
          listCampaigns: () => campaigns.list(),
          showCampaign: (id) => campaigns.show(id),
          startCampaign: (id) => campaigns.start(id),
          pauseCampaign: (id) => campaigns.pause(id),
          resumeCampaign: (id) => campaigns.resume(id),
          stopCampaign: (id) => campaigns.stop(id),
          approveCampaign: (id) => campaigns.approve(id),
          exportCampaign: (id, part, from) => {
            campaigns.view(id);
            return exportPage(store, id, part, from);
          },
          testCall: (id, number) => campaigns.testCall(id, number),
          ...(privacy
            ? {
                privacyBind: (req) => privacy.numbers.bind(req),
                privacyUnbind: (x) => privacy.numbers.unbind(x),
                privacyList: async () => ({ bindings: await privacy.numbers.list(), free: await privacy.numbers.freeNumbers() }),
                privacyCallback: async (x) => {
                  const r = await privacy.calls.callback(x);
                  return r.kind === 'connected' ? { kind: r.kind, x: r.x, callIds: [r.caller.id, r.far.id] } : r;
                },
              }
            : {}),
        },
      });
      closeOnError.push(() => telemetry!.close());
    }
    for (const seat of seats.seats) seat.login();
    for (const oos of trunks.outOfService) logger.error('trunks out of service', { ...oos });
    if (recordsAny) logger.info('calls are recorded', { dir: recordingDir, retentionDays });
    return new Gateway(
      loaded,
      layout,
      trunks,
      seats,
      store,
      campaigns,
      telemetry,
      clock,
      logger,
      inbound,
      [...phones.values()].map((p) => p.keypad),
      recorder,
      onClose,
    );
  } catch (err) {
    for (const c of closeOnError.reverse()) await c();
    throw err;
  }
}
