import { InputError } from '../core/errors';
import { Seat, SeatEndpoint } from './seat';
import { SeatDistributor } from './seat-distributor';

/**
 * What a team lead can do to live calls and seats: listen in (hears both sides,
 * is not heard), barge in (joins the conversation), force release (hangs the call
 * up), transfer to another seat, and force a seat busy or ready.
 */
export class Supervisor {
  constructor(
    private readonly distributor: SeatDistributor,
    readonly endpoint: SeatEndpoint,
  ) {}

  async listen(seatId: string): Promise<void> {
    await this.conferenceOf(seatId).join(this.endpoint, 'listen');
  }

  async bargeIn(seatId: string): Promise<void> {
    await this.conferenceOf(seatId).join(this.endpoint, 'talk');
  }

  async leave(seatId: string): Promise<void> {
    await this.conferenceOf(seatId).leave(this.endpoint);
  }

  forceRelease(seatId: string): void {
    this.conferenceOf(seatId);
    this.distributor.hangupFromSeat(seatId, 'supervisor');
  }

  transfer(fromSeatId: string, to: Seat): Promise<void> {
    return this.distributor.transfer(fromSeatId, to);
  }

  forceBusy(seat: Seat): void {
    seat.forceBusy('supervisor');
  }

  forceReady(seat: Seat): void {
    seat.forceReady('supervisor');
  }

  private conferenceOf(seatId: string) {
    const live = this.distributor.liveCall(seatId);
    if (!live) throw new InputError(`seat ${seatId}`, 'has no live call');
    return live.conference;
  }
}
