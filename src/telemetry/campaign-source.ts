/**
 * Seats, campaigns and pacing for telemetry from the live objects (src/seats,
 * src/campaign), and the supervisor actions they offer over MQTT commands.
 * Campaign figures are counted from each campaign's own attempt records.
 */
import { Clock } from '../core/clock';
import { InputError } from '../core/errors';
import { AttemptRecord, OutboundCampaign } from '../campaign/outbound-campaign';
import { ContactSource } from '../campaign/contact-list';
import { Seat } from '../seats/seat';
import { SeatDistributor } from '../seats/seat-distributor';
import { Supervisor } from '../seats/supervisor';
import { SupervisorActions } from './commands';
import { OccupancyMeter } from './occupancy-meter';
import { CampaignSnapshot, OperationsSource, PacingSnapshot, SeatSnapshot } from './source';

export interface WatchedCampaign {
  campaign: OutboundCampaign;
  contacts: ContactSource;
  /** Numbers in the list; by default what the list holds when watching starts. */
  total?: number;
}

interface Tally {
  watched: WatchedCampaign;
  total: number;
  ended: number;
  answered: number;
  connected: number;
  abandoned: number;
}

export class CampaignOperationsSource implements OperationsSource {
  private readonly tallies: Tally[];
  private readonly occupancy: OccupancyMeter;
  private readonly seatList: readonly Seat[];
  private readonly campaignOfSeat = new Map<Seat, string>();

  constructor(
    private readonly distributor: SeatDistributor,
    campaigns: readonly WatchedCampaign[],
    clock: Clock,
    occupancyWindowMs = 300_000,
  ) {
    this.seatList = distributor.group.seats;
    this.occupancy = new OccupancyMeter(this.seatList, clock, occupancyWindowMs);
    this.tallies = campaigns.map((watched) => {
      const t: Tally = { watched, total: watched.total ?? watched.contacts.remaining(), ended: 0, answered: 0, connected: 0, abandoned: 0 };
      watched.campaign.onEvent((ev) => ev.type === 'attempt-ended' && this.count(t, ev.record));
      return t;
    });
    // The seats of one distributor serve its campaigns; with one campaign, name it on each seat.
    if (campaigns.length === 1) for (const s of this.seatList) this.campaignOfSeat.set(s, campaigns[0].campaign.settings.name);
  }

  seats(): SeatSnapshot[] {
    return this.seatList.map((s) => ({
      seat: s.id,
      state: s.state,
      campaign: this.campaignOfSeat.get(s),
      callId: s.callId,
      since: s.since,
    }));
  }

  campaigns(): CampaignSnapshot[] {
    return this.tallies.map((t) => ({
      campaign: t.watched.campaign.settings.name,
      state: t.watched.campaign.state,
      total: t.total,
      dialled: t.ended + t.watched.campaign.activeCalls(),
      answered: t.answered,
      answeredByPerson: t.connected + t.abandoned,
      abandoned: t.abandoned,
      remaining: t.watched.contacts.remaining(),
    }));
  }

  pacing(): PacingSnapshot[] {
    const occupancy = this.occupancy.occupancy();
    return this.tallies.map((t) => {
      const snap = t.watched.campaign.snapshot(0);
      const humans = t.connected + t.abandoned;
      return {
        campaign: t.watched.campaign.settings.name,
        // Calls ringing out per seat free to take one.
        dialLevel: snap.dialingAges.length / Math.max(1, snap.readySeats),
        occupancy,
        abandonment: humans ? t.abandoned / humans : 0,
        callsInProgress: t.watched.campaign.activeCalls(),
      };
    });
  }

  /** Force busy/ready, listen and barge-in for MQTT commands (the supervisor sits at `supervisorSeat`). */
  actions(): SupervisorActions {
    return {
      forceSeat: (seatId, availability) => {
        const seat = this.seat(seatId);
        if (availability === 'busy') seat.forceBusy('supervisor command');
        else seat.forceReady('supervisor command');
        return { seat: seat.id, state: seat.state };
      },
      pauseCampaign: (name) => ({ campaign: name, state: this.campaign(name).pause() }),
      resumeCampaign: (name) => ({ campaign: name, state: this.campaign(name).resume() }),
      listen: (supervisorSeat, seatId) => new Supervisor(this.distributor, this.seat(supervisorSeat).endpoint).listen(this.seat(seatId).id),
      barge: (supervisorSeat, seatId) => new Supervisor(this.distributor, this.seat(supervisorSeat).endpoint).bargeIn(this.seat(seatId).id),
    };
  }

  private campaign(name: string): OutboundCampaign {
    const t = this.tallies.find((x) => x.watched.campaign.settings.name === name);
    if (!t) throw new InputError('campaign', `no campaign '${name}'`);
    return t.watched.campaign;
  }

  private seat(id: string): Seat {
    const seat = this.seatList.find((s) => s.id === id);
    if (!seat) throw new InputError('seat', `no seat '${id}'`);
    return seat;
  }

  private count(t: Tally, r: AttemptRecord): void {
    if (r.test || r.outcome === 'blacklisted') return;
    t.ended++;
    if (r.answeredAt !== undefined) t.answered++;
    if (r.outcome === 'connected') t.connected++;
    if (r.outcome === 'abandoned') t.abandoned++;
  }
}
