import { Clock } from '../core/clock';
import { InputError } from '../core/errors';
import { Seat } from '../seats/seat';
import { Supervisor } from '../seats/supervisor';
import { AcdFigures } from '../telemetry/acd-figures';
import { SupervisorActions } from '../telemetry/commands';
import { OccupancyMeter } from '../telemetry/occupancy-meter';
import { CampaignSnapshot, OperationsSource, PacingSnapshot, SeatSnapshot } from '../telemetry/source';
import { CampaignRegistry } from './campaign-registry';
import { SiteAnswerGroup } from './site-seats';

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
    return this.seatList.map((s) => ({
      seat: s.id,
      state: s.state,
      campaign: this.seatCampaign.get(s.id),
      callId: s.callId,
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
        ...(v.answerGroup ? { answerGroup: v.answerGroup } : {}),
      };
    });
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
        callsInProgress: campaign.activeCalls(),
        abandonTarget: campaign.settings.abandonTarget,
        waiting: snap.waitingAnswered,
        longestWaitMs: oldest === undefined ? 0 : now - oldest,
        acd: (t?.acd ?? new AcdFigures()).snapshot(now),
      };
    });
  }

  /** Force busy/ready, listen and barge-in over MQTT commands, on whichever answer group holds the seat's call. */
  seatActions(groups: ReadonlyMap<string, SiteAnswerGroup>): SupervisorActions {
    const seat = (id: string) => {
      const s = this.seatList.find((x) => x.id === id);
      if (!s) throw new InputError('seat', `no seat '${id}'`);
      return s;
    };
    const distributorOf = (seatId: string) => {
      for (const g of groups.values()) if (g.distributor.liveCall(seatId)) return g.distributor;
      throw new InputError('seat', `seat '${seatId}' is not on a call`);
    };
    return {
      forceSeat: (id, availability) => {
        const s = seat(id);
        if (availability === 'busy') s.forceBusy('supervisor command');
        else s.forceReady('supervisor command');
        return { seat: s.id, state: s.state };
      },
      listen: (sup, id) => new Supervisor(distributorOf(id), seat(sup).endpoint).listen(seat(id).id),
      barge: (sup, id) => new Supervisor(distributorOf(id), seat(sup).endpoint).bargeIn(seat(id).id),
    };
  }
}
