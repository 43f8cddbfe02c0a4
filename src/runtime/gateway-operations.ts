import { Clock } from '../core/clock';
import { InputError } from '../core/errors';
import { Seat } from '../seats/seat';
import { Supervisor } from '../seats/supervisor';
import { AcdFigures } from '../telemetry/acd-figures';
import { AgentSeatAction, SupervisorActions } from '../telemetry/commands';
import { OccupancyMeter } from '../telemetry/occupancy-meter';
import { CampaignSnapshot, OperationsSource, PacingSnapshot, QueueSnapshot, SeatSnapshot } from '../telemetry/source';
import { CampaignRegistry } from './campaign-registry';
import { SiteAnswerGroup, SiteSeats } from './site-seats';

/**
 * Seats, campaigns and pacing of the whole gateway for telemetry: every seat of
 * the site, every campaign the registry knows (added ones too, not only running
 * ones), the pacing figures of the live ones.
 */
export class GatewayOperations implements OperationsSource {
  private readonly occupancy: OccupancyMeter;
  private readonly seatCampaign = new Map<string, string>();
  private readonly answered = new Map<string, { answered: number; abandoned: number; connected: number; acd: AcdFigures }>();
  private readonly groupsOfSeat = new Map<string, string[]>();

  constructor(
    private readonly seatList: readonly Seat[],
    private readonly registry: CampaignRegistry,
    private readonly clock: Clock,
    answerGroups: ReadonlyMap<string, SiteAnswerGroup> = new Map(),
    /** The inbound queues' figures, where the site takes incoming calls. */
    private readonly queueFigures: () => QueueSnapshot[] = () => [],
  ) {
    this.occupancy = new OccupancyMeter(seatList, clock, 300_000);
    for (const [name, g] of answerGroups)
      for (const s of g.group.seats) this.groupsOfSeat.set(s.id, [...(this.groupsOfSeat.get(s.id) ?? []), name]);
    registry.onAttempt((id, r) => {
      if (r.test) return;
      const t = this.answered.get(id) ?? { answered: 0, abandoned: 0, connected: 0, acd: new AcdFigures() };
      if (r.answeredAt !== undefined) t.answered++;
      if (r.outcome === 'abandoned') t.abandoned++;
      if (r.outcome === 'connected') t.connected++;
      t.acd.record(r);
      if (r.seatId) this.seatCampaign.set(r.seatId, id);
      this.answered.set(id, t);
    });
  }

  seats(): SeatSnapshot[] {
    // Until a seat's first attempt of a campaign has ended, the campaign is the one live campaign its answer group serves.
    const byGroup = new Map<string, string[]>();
    for (const { id, answerGroup } of this.registry.liveCampaigns())
      if (answerGroup) byGroup.set(answerGroup, [...(byGroup.get(answerGroup) ?? []), id]);
    const guess = (seatId: string) => {
      const ids = new Set((this.groupsOfSeat.get(seatId) ?? []).flatMap((g) => byGroup.get(g) ?? []));
      return ids.size === 1 ? [...ids][0] : undefined;
    };
    return this.seatList.map((s) => ({
      seat: s.id,
      state: s.state,
      campaign: this.seatCampaign.get(s.id) ?? guess(s.id),
      callId: s.callId,
      ...(s.pauseReason ? { reason: s.pauseReason } : {}),
      since: s.since,
      answerGroups: this.groupsOfSeat.get(s.id) ?? [],
    }));
  }

  campaigns(): CampaignSnapshot[] {
    return this.registry.list().map((v) => {
      const t = this.answered.get(v.id);
      const dialled = Object.entries(v.outcomes).reduce((n, [k, c]) => (k === 'blacklisted' ? n : n + c), 0) + v.activeCalls;
      return {
        campaign: v.id,
        state: v.state,
        total: v.total,
        dialled,
        answered: t?.answered ?? 0,
        answeredByPerson: (t?.connected ?? 0) + (t?.abandoned ?? 0),
        abandoned: t?.abandoned ?? 0,
        remaining: v.total - v.done,
        ...(v.alarm ? { alarm: v.alarm } : {}),
        ...(v.answerGroup ? { answerGroup: v.answerGroup } : {}),
      };
    });
  }

  queues(): QueueSnapshot[] {
    return this.queueFigures();
  }

  pacing(): PacingSnapshot[] {
    const occupancy = this.occupancy.occupancy();
    const now = this.clock.now();
    return this.registry.liveCampaigns().map(({ id, campaign }) => {
      const snap = campaign.snapshot(0);
      const t = this.answered.get(id);
      const humans = (t?.connected ?? 0) + (t?.abandoned ?? 0);
      const oldest = campaign.oldestWaitingSince();
      return {
        campaign: id,
        dialLevel: snap.dialingAges.length / Math.max(1, snap.readySeats),
        occupancy,
        abandonment: humans ? t!.abandoned / humans : 0,
        centreAbandonment: this.registry.view(id).abandonment,
        callsInProgress: campaign.activeCalls(),
        abandonTarget: campaign.settings.abandonTarget,
        waiting: snap.waitingAnswered,
        longestWaitMs: oldest === undefined ? 0 : now - oldest,
        acd: (t?.acd ?? new AcdFigures()).snapshot(now),
      };
    });
  }
}

/** An agent's own command on its seat, refused (typed) when the seat's state does not allow it. */
export function applyAgentAction(s: Seat, action: AgentSeatAction, reason?: string): void {
  const refuse = (why: string) => {
    throw new InputError(`seat ${s.id}`, why);
  };
  switch (action) {
    case 'login':
      if (s.state !== 'logged-out') refuse(`is already logged in (${s.state})`);
      return s.login();
    case 'logout':
      if (s.state === 'logged-out') refuse('is already logged out');
      if (s.state === 'talking' || s.state === 'reserved') refuse(`cannot log out while ${s.state}: end the call first`);
      return s.logout();
    case 'ready':
      if (s.state === 'logged-out') refuse('is logged out: log in first');
      if (s.state === 'wrap-up') return s.wrapDone('agent: ready');
      return s.forceReady('agent: ready');
    case 'pause':
      if (s.state === 'logged-out') refuse('is logged out');
      return s.forceBusy(reason ? `agent: ${reason}` : 'agent: not ready');
    case 'end-wrap':
      if (s.state !== 'wrap-up') refuse(`is not in wrap-up (${s.state})`);
      return s.wrapDone('agent: end of wrap-up');
  }
}

/**
 * Supervisor actions (force busy/ready, listen, barge-in, transfer, force release) and
 * the agents' own (log in/out, ready, pause with a reason, end wrap-up) over MQTT
 * commands, on whichever answer group holds the seat's call.
 */
export function seatCommandActions(site: Pick<SiteSeats, 'seat' | 'distributorOf'>): SupervisorActions {
  const seat = (id: string) => site.seat(id);
  const distributorOf = (seatId: string) => {
    const d = site.distributorOf(seatId);
    if (!d) throw new InputError('seat', `seat '${seatId}' is not on a call`);
    return d;
  };
  const view = (s: Seat) => ({ seat: s.id, state: s.state, ...(s.pauseReason ? { reason: s.pauseReason } : {}) });
  return {
    forceSeat: (id, availability) => {
      const s = seat(id);
      if (availability === 'busy') s.forceBusy('supervisor command');
      else s.forceReady('supervisor command');
      return view(s);
    },
    listen: (sup, id) => new Supervisor(distributorOf(id), seat(sup).endpoint).listen(seat(id).id),
    barge: (sup, id) => new Supervisor(distributorOf(id), seat(sup).endpoint).bargeIn(seat(id).id),
    transfer: async (id, to) => {
      await distributorOf(id).transfer(seat(id).id, seat(to));
      return view(seat(to));
    },
    releaseSeat: (id) => {
      distributorOf(id).hangupFromSeat(seat(id).id, 'supervisor');
      return view(seat(id));
    },
    agentSeat: (id, action, reason) => {
      const s = seat(id);
      applyAgentAction(s, action, reason);
      return view(s);
    },
  };
}
