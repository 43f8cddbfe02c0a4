import { Logger, silentLogger } from '../core/logger';
import { Q850 } from '../core/q850';
import { TrunkCall } from '../controller/trunk-call';
import { SeatEndpoint } from '../../drivers/ports/media-port';
import { Seat } from './seat';
import { SeatAlert, SeatAnswering } from './seat-answering';

/** Calls a remote agent out: the answered leg, or undefined when it was not answered or failed. */
export type AgentDialer = (number: string, ringSec: number) => Promise<TrunkCall | undefined>;

/**
 * - per-call: the agent's number is dialled for each offered call; the leg is cleared after it.
 * - nailed-up: dialled once at login and kept for the session; calls are bridged to it at once.
 */
export type RemoteAgentMode = 'per-call' | 'nailed-up';

export interface RemoteAgentOptions {
  mode: RemoteAgentMode;
  dial: AgentDialer;
  /** How long to ring the agent when logging in a nailed-up one (default 30 s). */
  loginRingSec?: number;
  /** The agent hung up during a customer call: clear the customer side too. */
  hangUp: (seat: Seat) => void;
  logger?: Logger;
}

export const AGENT_LEG_FAILED = 'agent leg not answered';
export const AGENT_LEG_DROPPED = 'agent leg dropped';
const CALLING_AGENT = 'calling the agent';

/**
 * A seat whose agent is a phone number reached over a trunk group. A leg that is not
 * answered makes the seat not ready; a leg that drops in a call clears the call; a
 * nailed-up leg that drops makes the seat not ready until the agent (or a supervisor)
 * logs in or readies it again, which calls the agent again.
 */
export class RemoteAgentLine implements SeatAnswering {
  private leg: TrunkCall | undefined;
  private dialling: Promise<TrunkCall | undefined> | undefined;
  private readonly logger: Logger;

  constructor(
    readonly seat: Seat,
    readonly number: string,
    private readonly opts: RemoteAgentOptions,
  ) {
    this.logger = opts.logger ?? silentLogger;
    if (opts.mode === 'nailed-up')
      seat.onChange((s, e) => {
        if (e.to === 'logged-out') this.clearLeg();
        // Logged in or made ready without a leg: call the agent first, ready once the leg is up.
        else if ((e.to === 'ready' || e.event === 'login') && !this.leg) this.startSession();
      });
  }

  /** The live leg to the agent (nailed-up between calls, per-call during one). */
  get agentLeg(): TrunkCall | undefined {
    return this.leg;
  }

  alert(callId: string, ringMs: number): SeatAlert {
    if (this.opts.mode === 'nailed-up') {
      const endpoint = this.leg ? this.endpoint(this.leg) : undefined;
      return { answered: Promise.resolve(endpoint), withdraw: () => undefined };
    }
    let withdrawn = false;
    const answered = this.opts.dial(this.number, Math.max(1, Math.round(ringMs / 1000))).then(
      (leg) => {
        if (!leg) return undefined;
        if (withdrawn || leg.state === 'ended') {
          leg.hangup(Q850.NORMAL_CLEARING);
          return undefined;
        }
        this.adopt(leg);
        return this.endpoint(leg);
      },
      (err) => {
        this.logger.warn('calling the remote agent failed', { seat: this.seat.id, err: String(err) });
        return undefined;
      },
    );
    return { answered, withdraw: () => (withdrawn = true) };
  }

  finished(): void {
    if (this.opts.mode === 'per-call') this.clearLeg();
  }

  close(): void {
    this.clearLeg();
  }

  private startSession(): void {
    if (this.dialling) return;
    if (this.seat.state === 'ready') this.seat.forceBusy(CALLING_AGENT);
    this.dialling = this.opts.dial(this.number, this.opts.loginRingSec ?? 30).catch((err) => {
      this.logger.warn('calling the nailed-up agent failed', { seat: this.seat.id, err: String(err) });
      return undefined;
    });
    void this.dialling.then((leg) => {
      this.dialling = undefined;
      if (this.seat.state === 'logged-out') {
        leg?.hangup(Q850.NORMAL_CLEARING);
        return;
      }
      if (!leg || leg.state === 'ended') {
        if (this.seat.state !== 'talking') this.seat.forceBusy(AGENT_LEG_FAILED);
        return;
      }
      this.adopt(leg);
      if (this.seat.state === 'paused' && this.seat.pauseReason === CALLING_AGENT) this.seat.forceReady('agent leg up');
    });
  }

  private adopt(leg: TrunkCall): void {
    this.leg = leg;
    void leg.ended.then(() => {
      if (this.leg !== leg) return;
      this.leg = undefined;
      const seat = this.seat;
      // The agent hung up (or its leg failed) in a call: the customer's side is cleared too.
      if (seat.state === 'talking') this.opts.hangUp(seat);
      if (this.opts.mode === 'nailed-up' && seat.state !== 'logged-out') seat.forceBusy(AGENT_LEG_DROPPED);
    });
  }

  private clearLeg(): void {
    const leg = this.leg;
    this.leg = undefined;
    if (leg && leg.state !== 'ended') leg.hangup(Q850.NORMAL_CLEARING);
  }

  private endpoint(leg: TrunkCall): SeatEndpoint {
    return { kind: 'remote', number: this.number, leg: { callId: leg.id, span: leg.span, channel: leg.channel } };
  }
}
