/**
 * (About 440 lines: one lifecycle, and on a shared store the same lifecycle followed
 * from the store; splitting those would split one state machine. Its table is in
 * campaign-lifecycle.ts, a campaign's running objects in live-campaign.ts, the
 * campaign file's settings in campaign-spec-settings.ts.)
 *
 * The gateway's campaigns: added from campaign files, kept in the store (the
 * file's settings, the list, every attempt), approved, started, paused, resumed,
 * stopped, exported. What a campaign was doing survives a restart: a running one
 * runs again, a paused one stays paused; attempts a crash cut off are closed as
 * interrupted by PersistentContacts, so nobody is dialled twice for one attempt.
 *
 * The lifecycle (campaign-lifecycle.ts): pending approval, ready, running, paused,
 * stopping, stopped, finished; a store that refuses writes pauses a running one
 * with alarm STORAGE_FAILED until it is resumed.
 *
 * On a shared store (PostgreSQL, several gateways) the store's state is the
 * centre's: every gateway follows it (polling), so a campaign started, paused or
 * stopped from any gateway is started, paused or stopped on all of them, and a
 * gateway that starts later joins the campaigns that are running.
 */
import { TimerHandle } from '../core/clock';
import { InputError } from '../core/errors';
import { StateMachine } from '../core/state-machine';
import { Awaitable, GatewayCampaignStats, StoredContacts } from '../campaign/campaign-storage';
import { importContacts } from '../campaign/contact-import';
import { AttemptRecord, OutboundCampaign } from '../campaign/outbound-campaign';
import { approvalsNeeded, CampaignSpec } from './campaign-file';
import { Emitter, Unsubscribe } from '../core/emitter';
import { CAMPAIGN_LIFECYCLE, CampaignLifecycle, LifecycleEvent, lifecyclePath } from './campaign-lifecycle';
import { ImportSummary, importSummary, readBlacklist } from './campaign-spec-settings';
import { buildLiveCampaign, LiveCampaign, LiveCampaignDeps } from './live-campaign';

/** What the registry needs of the rest of the gateway (beyond what its live campaigns need). */
export interface CampaignRegistryDeps extends LiveCampaignDeps {
  /** How often a gateway on a shared store reads the centre's campaign states (default 1 s). */
  followEveryMs?: number;
  /** Caller numbers the site has approved (its callerIdPool). */
  approvedCallerIds: readonly string[];
  /** This gateway's name (per-gateway statistics). */
  gateway?: string;
}

export interface CampaignView {
  id: string;
  mode: string;
  state: CampaignLifecycle;
  trunkGroup: string;
  answerGroup?: string;
  needs: string[];
  total: number;
  done: number;
  activeCalls: number;
  outcomes: Record<string, number>;
  /** Why the gateway paused it by itself (STORAGE_FAILED: its store refuses writes); cleared on resume. */
  alarm?: string;
  /** What the campaign's answered calls came to, per gateway (one row on a store only this gateway uses). */
  gateways: GatewayCampaignStats[];
  /** Abandoned / (connected + abandoned) over every gateway. */
  abandonment: number;
}

interface Entry {
  spec: CampaignSpec;
  fsm: StateMachine<CampaignLifecycle, LifecycleEvent>;
  needs: string[];
  importReport: unknown;
  live?: LiveCampaign;
  outcomes: Record<string, number>;
  alarm?: string;
  counts: { total: number; done: number };
  stats: GatewayCampaignStats[];
  /**
   * Lifecycle changes made here (counted as each store write starts and ends) and
   * writes in flight: a read of the shared store begun before one of them may
   * return the state it replaced, and following that would undo it (a pause
   * answered "running" and the campaign dialled on).
   */
  localMoves: number;
  movesInFlight: number;
}

export class CampaignRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly attempts = new Emitter<[campaign: string, record: AttemptRecord]>((err) =>
    this.deps.logger.error('attempt listener failed', { error: String(err) }),
  );
  private shuttingDown = false;
  private following: TimerHandle | undefined;
  /** Builds and starts in progress, so following does not start a campaign twice. */
  private readonly building = new Map<string, Promise<unknown>>();

  private constructor(private readonly deps: CampaignRegistryDeps) {}

  /** The registry with every campaign the store keeps; on a shared store it follows the centre's states from now on. */
  static async open(deps: CampaignRegistryDeps): Promise<CampaignRegistry> {
    const r = new CampaignRegistry(deps);
    for (const row of await deps.store.campaignDefs()) {
      // A crash or a shutdown in 'stopping' leaves nothing running here: it is stopped (on a shared store, others may still stop it).
      const state = (row.state === 'stopping' && !deps.store.shared ? 'stopped' : row.state) as CampaignLifecycle;
      const e = r.entry(row.spec as CampaignSpec, state, row.needs, row.importReport);
      r.entries.set(row.id, e);
      await r.refreshCounts(row.id, e);
    }
    if (deps.store.shared) r.follow();
    return r;
  }

  /** Takes up what was running or paused before the gateway stopped (or crashed). */
  async resumeAfterRestart(): Promise<string[]> {
    const resumed: string[] = [];
    for (const [id, e] of this.entries) {
      if (e.fsm.state !== 'running' && e.fsm.state !== 'paused') continue;
      let live;
      try {
        live = await this.build(e);
      } catch (err) {
        // Its store cannot close what a crash left in flight: it does not dial, and says why.
        if ((err as { code?: unknown }).code === 'STORAGE_FAILED') {
          e.alarm = `STORAGE_FAILED: ${(err as Error).message}`;
          this.deps.logger.error('campaign not resumed: its store refuses writes (alarm STORAGE_FAILED)', { campaign: id, err: e.alarm });
          continue;
        }
        // On a shared store the campaign is the centre's: one gateway that cannot work it (no such trunk group) does not stop.
        if (!this.deps.store.shared) throw err;
        this.deps.logger.error('cannot work this campaign on this gateway', { campaign: id, err: String(err) });
        continue;
      }
      live.campaign.start();
      if (e.fsm.state === 'paused') live.campaign.pause();
      resumed.push(id);
      this.deps.logger.info('campaign resumed after restart', { campaign: id, state: e.fsm.state });
    }
    return resumed;
  }

  onAttempt(listener: (campaign: string, record: AttemptRecord) => void): Unsubscribe {
    return this.attempts.on(listener);
  }

  /** Adds a campaign from its (already checked) file: imports its list into the store. */
  async add(spec: CampaignSpec): Promise<{ campaign: CampaignView; import: ImportSummary }> {
    if (spec.mode === 'broadcast' && !this.deps.voice)
      throw new InputError(
        `campaign ${spec.id}`,
        'this gateway has no voice player for broadcast campaigns (playing voice files on a board is not implemented yet)',
      );
    if (this.entries.has(spec.id))
      throw new InputError(`campaign ${spec.id}`, 'already exists (campaign ids are unique per gateway; stop it and use another id)');
    const blacklist = await readBlacklist(spec.blacklist, spec.contactsEncoding);
    const store = this.deps.store;
    const good: { number: string; fields: string[]; line: number }[] = [];
    const skipped: { number: string; fields: string[]; line: number }[] = [];
    // Blacklisted rows are kept aside (finished, never dialled) so the results list every number of the file.
    const report = await importContacts(spec.contacts, (row) => (blacklist.has(row.number) ? skipped : good).push(row), {
      numberColumn: typeof spec.numberColumn === 'number' ? spec.numberColumn - 1 : spec.numberColumn,
      encoding: spec.contactsEncoding,
    });
    report.accepted = good.length;
    report.blacklisted += skipped.length;
    if (report.accepted === 0)
      throw new InputError(
        `campaign ${spec.id} contacts`,
        `${spec.contacts} has no number to dial (${report.rejected} rows rejected${report.problems[0] ? `, first: line ${report.problems[0].line}: ${report.problems[0].reason}` : ''})`,
      );
    const needs = approvalsNeeded(spec, this.deps.approvedCallerIds);
    if (store.shared && (await store.campaignDefs()).some((d) => d.id === spec.id))
      throw new InputError(`campaign ${spec.id}`, 'already exists in the shared store (another gateway added it)');
    const state: CampaignLifecycle = needs.length ? 'pending-approval' : 'ready';
    const summary = importSummary(report);
    const now = this.deps.clock.now();
    // The list goes in before the campaign's row (a list can be large): a crash in between leaves rows nobody lists, cleared here.
    await store.discardUnlistedContacts(spec.id);
    for (let i = 0; i < good.length; i += 1000) await store.addContacts(spec.id, good.slice(i, i + 1000));
    if (skipped.length) await store.addSkippedContacts(spec.id, skipped, 'blacklisted');
    // Every gateway honours the blacklist, also one without the file.
    await store.saveBlacklist(spec.id, blacklist.numbers());
    await store.saveCampaignDef(spec.id, spec, state, needs, summary, now);
    const e = this.entry(spec, state, needs, summary);
    this.entries.set(spec.id, e);
    await this.refreshCounts(spec.id, e);
    this.deps.logger.info('campaign added', {
      campaign: spec.id,
      state,
      accepted: report.accepted,
      rejected: report.rejected,
      blacklisted: report.blacklisted,
    });
    return { campaign: this.view(spec.id), import: summary };
  }

  list(): CampaignView[] {
    return [...this.entries.keys()].map((id) => this.view(id));
  }

  /** As last read from the store (at once on SQLite; on a shared store within a second or so). */
  view(id: string): CampaignView {
    const e = this.get(id);
    const counts = e.counts;
    const humans = e.stats.reduce((n, g) => n + g.connected + g.abandoned, 0);
    return {
      id,
      mode: e.spec.mode,
      state: e.fsm.state,
      trunkGroup: e.spec.trunkGroup,
      answerGroup: e.spec.answerGroup,
      needs: e.needs,
      total: counts.total,
      done: counts.done,
      activeCalls: e.live?.campaign.activeCalls() ?? 0,
      outcomes: { ...e.outcomes },
      ...(e.alarm ? { alarm: e.alarm } : {}),
      gateways: e.stats.map((g) => ({ ...g, gateway: g.gateway ?? this.deps.gateway })),
      abandonment: humans ? e.stats.reduce((n, g) => n + g.abandoned, 0) / humans : 0,
    };
  }

  show(id: string): CampaignView & { spec: CampaignSpec; import: unknown } {
    const e = this.get(id);
    return { ...this.view(id), spec: e.spec, import: e.importReport };
  }

  async approve(id: string): Promise<CampaignView> {
    const e = this.get(id);
    await this.move(e, 'approve', []);
    return this.view(id);
  }

  async start(id: string): Promise<CampaignView> {
    const e = this.get(id);
    if (this.shuttingDown) throw new InputError(`campaign ${id}`, 'the gateway is shutting down');
    if (e.fsm.state === 'pending-approval')
      throw new InputError(`campaign ${id}`, `waits for approval of ${e.needs.join('; ')} (trunkpilot campaign approve ${id})`);
    if (!e.fsm.can('start')) throw new InputError(`campaign ${id}`, `cannot start a campaign that is ${e.fsm.state}`);
    const live = e.live && e.live.campaign.state === 'created' ? e.live : await this.build(e);
    if (!e.fsm.can('start')) throw new InputError(`campaign ${id}`, `cannot start a campaign that is ${e.fsm.state}`);
    await this.move(e, 'start');
    live.campaign.start();
    return this.view(id);
  }

  async pause(id: string): Promise<CampaignView> {
    const e = this.get(id);
    if (!e.fsm.can('pause') || (!e.live && !this.deps.store.shared))
      throw new InputError(`campaign ${id}`, `cannot pause a campaign that is ${e.fsm.state}`);
    e.live?.campaign.pause();
    await this.move(e, 'pause');
    await e.live?.contacts.release();
    return this.view(id);
  }

  async resume(id: string): Promise<CampaignView> {
    const e = this.get(id);
    if (!e.fsm.can('resume') || (!e.live && !this.deps.store.shared))
      throw new InputError(`campaign ${id}`, `cannot resume a campaign that is ${e.fsm.state}`);
    const live = e.live ?? (await this.build(e));
    e.alarm = undefined;
    if (live.campaign.state === 'created') live.campaign.start();
    else live.campaign.resume();
    await this.move(e, 'resume');
    return this.view(id);
  }

  /** No new calls; calls in progress finish. Resolves with the view once stopped. */
  async stop(id: string): Promise<CampaignView> {
    const e = this.get(id);
    if (!e.fsm.can('stop')) throw new InputError(`campaign ${id}`, `cannot stop a campaign that is ${e.fsm.state}`);
    await this.move(e, 'stop');
    await this.stopLive(e);
    if (e.fsm.state === 'stopping') await this.move(e, 'drained');
    return this.view(id);
  }

  /** One call to a number outside the list, with the campaign's settings (any state but finished). */
  async testCall(id: string, number: string): Promise<AttemptRecord> {
    const e = this.get(id);
    if (e.fsm.state === 'finished') throw new InputError(`campaign ${id}`, 'is finished');
    const live = e.live ?? (await this.build(e));
    return live.campaign.testCall(number);
  }

  /** Calls in progress over every campaign. */
  activeCalls(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.live?.campaign.activeCalls() ?? 0;
    return n;
  }

  liveCampaigns(): { id: string; answerGroup?: string; campaign: OutboundCampaign; contacts: StoredContacts }[] {
    return [...this.entries].flatMap(([id, e]) => (e.live ? [{ id, answerGroup: e.spec.answerGroup, ...e.live }] : []));
  }

  /**
   * Gateway shutdown: every campaign stops dialling and its calls in progress may
   * finish, but what the store says it was doing stays, so the next run takes it up.
   */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.following?.cancel();
    await Promise.all([...this.building.values()].map((b) => b.catch(() => undefined)));
    await Promise.all([...this.entries.values()].map((e) => this.stopLive(e)));
  }

  /** No new calls from this gateway; its calls in progress finish; numbers it leased ahead go back. */
  private async stopLive(e: Entry): Promise<void> {
    const c = e.live?.campaign;
    if (c && c.state !== 'finished' && c.state !== 'created') await c.stop();
    await e.live?.contacts.release();
  }

  /** A shared store: reads the centre's campaigns every second and does here what the others decided. */
  private follow(): void {
    this.following = this.deps.clock.setTimer(this.deps.followEveryMs ?? 1000, () => {
      this.followOnce()
        .catch((err: unknown) => this.deps.logger.warn('reading the shared campaign store failed', { err: String(err) }))
        .finally(() => {
          if (!this.shuttingDown) this.follow();
        });
    });
  }

  private async followOnce(): Promise<void> {
    const movesBefore = new Map([...this.entries].map(([id, e]) => [id, e.localMoves]));
    for (const row of await this.deps.store.campaignDefs()) {
      if (this.shuttingDown) return;
      let e = this.entries.get(row.id);
      if (!e) {
        // Added from another gateway: known here now (and joined below if it runs).
        e = this.entry(
          row.spec as CampaignSpec,
          row.state === 'running' || row.state === 'paused' ? 'ready' : (row.state as CampaignLifecycle),
          row.needs,
          row.importReport,
        );
        this.entries.set(row.id, e);
      }
      await this.refreshCounts(row.id, e);
      const movedHere = e.movesInFlight > 0 || (movesBefore.has(row.id) && movesBefore.get(row.id) !== e.localMoves);
      if (!movedHere) await this.followState(row.id, e, row.state as CampaignLifecycle, row.needs);
    }
  }

  /** Brings this gateway's copy of a campaign to the state the centre's store says, without writing it back. */
  private async followState(id: string, e: Entry, target: CampaignLifecycle, needs: string[]): Promise<void> {
    if (e.fsm.state === target || this.building.has(id)) return;
    const path = lifecyclePath(e.fsm.state, target);
    if (!path) return;
    if (e.fsm.state === 'pending-approval') e.needs = needs;
    const live = e.live?.campaign;
    for (const ev of path) e.fsm.transition(ev, 'followed the shared store');
    switch (target) {
      case 'running': {
        if (live && live.state === 'paused') live.resume();
        else if (live && live.state === 'created') live.start();
        else if (!live || live.state === 'finished') {
          // Join: this gateway's part of the campaign, dialling for its own seats and trunks.
          const joining = this.build(e).then(
            (l) => {
              if (this.shuttingDown) return;
              l.campaign.start();
              this.deps.logger.info('joined a running campaign', { campaign: id });
            },
            (err: unknown) => this.deps.logger.error('cannot work this campaign on this gateway', { campaign: id, err: String(err) }),
          );
          this.building.set(id, joining);
          await joining.finally(() => this.building.delete(id));
        }
        return;
      }
      case 'paused':
        if (live && (live.state === 'running' || live.state === 'outside-hours')) live.pause();
        await e.live?.contacts.release();
        return;
      case 'stopped':
      case 'stopping':
        await this.stopLive(e);
        return;
      default:
        // ready, pending-approval: nothing runs; finished: each gateway's campaign ends by itself once the list is done.
        return;
    }
  }

  /** The list's counts and the per-gateway statistics, from the store (at once when the store answers at once). */
  private refreshCounts(id: string, e: Entry): Awaitable<void> {
    const store = this.deps.store;
    const counts = store.contactCounts(id);
    const stats = store.gatewayStats(id);
    if (!(counts instanceof Promise) && !(stats instanceof Promise)) {
      e.counts = counts;
      e.stats = stats;
      return;
    }
    return Promise.all([counts, stats]).then(([c, g]) => {
      e.counts = c;
      e.stats = g;
    });
  }

  private get(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new InputError('campaign', `no campaign '${id}' (${[...this.entries.keys()].join(', ') || 'none added yet'})`);
    return e;
  }

  private entry(spec: CampaignSpec, state: CampaignLifecycle, needs: string[], importReport: unknown): Entry {
    return {
      spec,
      needs,
      importReport,
      outcomes: {},
      counts: { total: 0, done: 0 },
      stats: [],
      localMoves: 0,
      movesInFlight: 0,
      fsm: new StateMachine(`campaign ${spec.id}`, CAMPAIGN_LIFECYCLE, state, { clock: this.deps.clock }),
    };
  }

  private async move(e: Entry, event: LifecycleEvent, needs?: string[]): Promise<void> {
    e.fsm.transition(event);
    if (needs) e.needs = needs;
    e.localMoves++;
    e.movesInFlight++;
    try {
      await this.deps.store.setCampaignState(e.spec.id, e.fsm.state, this.deps.clock.now(), needs);
    } finally {
      e.movesInFlight--;
      e.localMoves++;
    }
  }

  /** The running objects for a campaign (live-campaign.ts), its events kept in the registry's counts and lifecycle. */
  private async build(e: Entry): Promise<LiveCampaign> {
    const { spec } = e;
    e.live = await buildLiveCampaign(spec, this.deps, {
      attemptEnded: (record) => {
        if (!record.test) {
          e.outcomes[record.outcome] = (e.outcomes[record.outcome] ?? 0) + 1;
          void Promise.resolve(this.refreshCounts(spec.id, e)).catch(() => undefined);
        }
        this.attempts.emit(spec.id, record);
      },
      listDone: () => {
        if (e.fsm.state === 'running')
          this.move(e, 'list-done').catch((err: unknown) =>
            this.deps.logger.error('could not record a finished campaign', { campaign: spec.id, err: String(err) }),
          );
      },
      alarm: (text) => {
        e.alarm = text;
        // Kept in memory if the store cannot take this either: the next start finds it running and tries again.
        if (e.fsm.can('pause') && e.fsm.state === 'running')
          this.move(e, 'pause').catch((err: unknown) =>
            this.deps.logger.warn('paused state not recorded', { campaign: spec.id, err: String(err) }),
          );
      },
    });
    return e.live;
  }
}
