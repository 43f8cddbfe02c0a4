import { Clock } from '../core/clock';
import { Unsubscribe } from '../core/emitter';
import { Logger, silentLogger } from '../core/logger';
import { SeatEndpoint } from '../../drivers/ports/media-port';
import { PhoneRing } from './phone-ring';
import { Seat } from './seat';
import { SeatAlert, SeatAnswering, SeatPhone } from './seat-answering';

/** The pause reason the handset sets; only this pause is lifted by putting the handset down. */
export const HANDSET_OFF_HOOK = 'handset off hook';

/**
 * Feature codes dialled from the seat phone (off hook, in no call). Each ends at its
 * second key; a wrong code gets the refuse tone.
 */
export const FEATURE_CODES = {
  '*1': 'login',
  '*2': 'logout',
  '*3': 'ready',
  '*4': 'not-ready',
  '*5': 'end-wrap-up',
} as const;
export type FeatureCode = keyof typeof FEATURE_CODES;

export interface SeatPhoneAgentOptions {
  clock: Clock;
  logger?: Logger;
  /** The agent put the handset down during a call: clear it. */
  hangUp: (seat: Seat) => void;
}

/**
 * An FXS seat driven by its phone. The phone rings for an offered call (PhoneRing) and
 * the lift answers; putting the handset down ends the call; in wrap-up the seat stays
 * until its wrap-up time ends (or *5); a handset off hook while the seat would be ready
 * makes it not ready ('handset off hook') until it is put back. Feature codes: *1 log
 * in, *2 log out, *3 ready (on hang-up), *4 not ready, *5 end wrap-up, each confirmed
 * by a tone.
 */
export class SeatPhoneAgent implements SeatAnswering {
  private digits = '';
  private ringing: PhoneRing | undefined;
  private readonly offs: Unsubscribe[] = [];
  private readonly logger: Logger;

  constructor(
    readonly seat: Seat,
    readonly phone: SeatPhone,
    private readonly opts: SeatPhoneAgentOptions,
  ) {
    this.logger = opts.logger ?? silentLogger;
    this.offs.push(phone.onHook((up) => this.onHook(up)));
    this.offs.push(phone.onDigit((d) => this.onDigit(d)));
    seat.onChange((s, e) => {
      // Paused or logged out while ringing: the phone stops at once.
      if (e.from === 'reserved' && e.to !== 'talking') this.ringing?.withdraw();
      // Back to ready (end of wrap-up, a command) with the handset up: not ready until it is put down.
      if (e.to === 'ready' && this.phone.offHook) s.forceBusy(HANDSET_OFF_HOOK);
    });
  }

  alert(callId: string, ringMs: number): SeatAlert {
    const ring = new PhoneRing(callId, this.phone, this.seat.endpoint as SeatEndpoint, ringMs, this.opts.clock);
    this.ringing = ring;
    void ring.answered.then(() => {
      if (this.ringing === ring) this.ringing = undefined;
    });
    return ring;
  }

  finished(): void {}

  close(): void {
    for (const off of this.offs.splice(0)) off();
  }

  private onHook(offHook: boolean): void {
    this.digits = '';
    const seat = this.seat;
    if (offHook) {
      // A lift while reserved is the answer (PhoneRing has it); while ready it is the agent taking the line for itself.
      if (seat.state === 'ready') seat.forceBusy(HANDSET_OFF_HOOK);
      return;
    }
    if (seat.state === 'talking') this.opts.hangUp(seat);
    else if (seat.state === 'paused' && seat.pauseReason === HANDSET_OFF_HOOK) seat.forceReady('handset on hook');
  }

  private onDigit(digit: string): void {
    if (!this.phone.offHook || this.seat.state === 'talking' || this.seat.state === 'reserved') return;
    this.digits = (this.digits + digit).slice(-2);
    if (this.digits.length < 2) return;
    const code = this.digits as FeatureCode;
    this.digits = '';
    const action = FEATURE_CODES[code];
    let ok = false;
    try {
      ok = action !== undefined && this.run(action);
    } catch (err) {
      this.logger.info('feature code refused', { seat: this.seat.id, code, err: String(err) });
    }
    this.phone.playTone(ok ? 'confirm' : 'refuse');
  }

  /** True when the code did something in the seat's state. */
  private run(action: (typeof FEATURE_CODES)[FeatureCode]): boolean {
    const seat = this.seat;
    switch (action) {
      case 'login':
        if (seat.state !== 'logged-out') return false;
        seat.login(); // ready, then at once not ready for the handset still up
        return true;
      case 'logout':
        if (seat.state === 'logged-out') return false;
        seat.logout();
        return true;
      case 'ready':
        if (seat.state === 'logged-out') return false;
        // Ready as soon as the handset goes down.
        if (seat.state === 'wrap-up') seat.wrapDone('agent: ready (*3)');
        else if (seat.state === 'paused') seat.forceBusy(HANDSET_OFF_HOOK);
        return true;
      case 'not-ready':
        if (seat.state === 'logged-out') return false;
        seat.forceBusy('agent: not ready (*4)');
        return true;
      case 'end-wrap-up':
        if (seat.state !== 'wrap-up') return false;
        seat.wrapDone('agent: end of wrap-up (*5)');
        return true;
    }
  }
}
