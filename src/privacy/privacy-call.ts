import { Logger, silentLogger } from '../core/logger';
import { Q850 } from '../core/q850';
import { Dialer } from '../controller/trunk-group';
import { TrunkCall } from '../controller/trunk-call';
import { TrunkPatch, TrunkPatchLink } from '../../drivers/ports/media-port';
import { VoicePlayer } from '../../drivers/ports/voice-port';
import { legOf } from '../seats/seat-distributor';
import { PrivacyNumberError } from './privacy-binding';
import { PrivacyNumbers } from './privacy-numbers';

/** How a privacy call ended up (what a test or the log wants to know). */
export type PrivacyCallResult =
  | { kind: 'connected'; x: string; to: string; caller: TrunkCall; far: TrunkCall }
  /** No live binding carries this caller to X: announcement (when there is a player), then release. */
  | { kind: 'unbound'; x: string }
  /** The far party did not answer (busy, no answer, ...): the caller is released with the far cause. */
  | { kind: 'far-failed'; x: string; to: string; cause: number }
  /** The caller hung up before the far party answered. */
  | { kind: 'caller-gone'; x: string; to: string };

export interface PrivacyCallsOptions {
  numbers: PrivacyNumbers;
  /** The trunks the far leg is dialled on, for a call that came in on a span (or for a callback: undefined). */
  dialer: (incoming: TrunkCall | undefined) => Dialer;
  /** Answers an offered incoming call (its span's accept). */
  answer: (call: TrunkCall) => void;
  /** Tells the caller the far party is ringing (its span's ringback), so the network does not time the call out. */
  ringback?: (call: TrunkCall) => void;
  patch: TrunkPatch;
  voice?: VoicePlayer;
  /** Voice file for a call to an X with no binding for the caller. */
  unboundAnnouncement?: string;
  ringTimeoutSec?: number;
  logger?: Logger;
}

/**
 * Privacy-number calls. A call to X from A (direct dial) or from B (calling back
 * the privacy number) is carried to the other party of the binding; the far leg
 * shows X as the caller, never the real number, and the two legs are patched once
 * the far party answers. A callback is placed by the gateway: A first, then B,
 * each shown X. Whichever side hangs up, the other is released.
 */
export class PrivacyCalls {
  private readonly logger: Logger;

  constructor(private readonly opts: PrivacyCallsOptions) {
    this.logger = opts.logger ?? silentLogger;
  }

  /** An offered call whose called number is the pool number `x`. */
  async incoming(call: TrunkCall, x: string): Promise<PrivacyCallResult> {
    const route = await this.opts.numbers.route(x, call.callerId);
    if (route.kind === 'unbound') {
      this.logger.info('call to a privacy number with no binding for the caller', { call: call.id, x });
      await this.announceAndRelease(call);
      return { kind: 'unbound', x };
    }
    this.opts.ringback?.(call);
    const dialled = await this.opts.dialer(call).dial({
      number: route.to,
      callerId: x,
      ringTimeoutSec: this.opts.ringTimeoutSec,
      until: call.ended,
    });
    if (call.state === 'ended') {
      dialled.call?.hangup(Q850.NORMAL_CLEARING);
      return { kind: 'caller-gone', x, to: route.to };
    }
    if (!dialled.call) {
      call.hangup(dialled.cause);
      return { kind: 'far-failed', x, to: route.to, cause: dialled.cause };
    }
    this.opts.answer(call);
    await this.join(call, dialled.call);
    return { kind: 'connected', x, to: route.to, caller: call, far: dialled.call };
  }

  /** The gateway calls A, then B, both shown X, and connects them (a binding in either mode). */
  async callback(x: string): Promise<PrivacyCallResult> {
    const binding = (await this.opts.numbers.list()).find((b) => b.x === (this.opts.numbers.poolNumber(x) ?? x));
    if (!binding) throw new PrivacyNumberError('NOT_BOUND', 'x', `${x} has no binding`);
    const dialer = this.opts.dialer(undefined);
    const first = await dialer.dial({ number: binding.a, callerId: binding.x, ringTimeoutSec: this.opts.ringTimeoutSec });
    if (!first.call) return { kind: 'far-failed', x: binding.x, to: binding.a, cause: first.cause };
    const second = await dialer.dial({
      number: binding.b,
      callerId: binding.x,
      ringTimeoutSec: this.opts.ringTimeoutSec,
      until: first.call.ended,
    });
    if (first.call.state === 'ended') {
      second.call?.hangup(Q850.NORMAL_CLEARING);
      return { kind: 'caller-gone', x: binding.x, to: binding.b };
    }
    if (!second.call) {
      first.call.hangup(second.cause);
      return { kind: 'far-failed', x: binding.x, to: binding.b, cause: second.cause };
    }
    await this.join(first.call, second.call);
    return { kind: 'connected', x: binding.x, to: binding.b, caller: first.call, far: second.call };
  }

  private async join(a: TrunkCall, b: TrunkCall): Promise<void> {
    let link: TrunkPatchLink | undefined;
    try {
      link = await this.opts.patch.patch(legOf(a), legOf(b));
    } catch (err) {
      this.logger.warn('privacy call could not be patched: both released', { a: a.id, b: b.id, err: String(err) });
      a.hangup(Q850.TEMPORARY_FAILURE);
      b.hangup(Q850.TEMPORARY_FAILURE);
      return;
    }
    const endBoth = () => {
      a.hangup(Q850.NORMAL_CLEARING);
      b.hangup(Q850.NORMAL_CLEARING);
      void link.close();
    };
    void Promise.race([a.ended, b.ended]).then(endBoth);
  }

  private async announceAndRelease(call: TrunkCall): Promise<void> {
    const file = this.opts.unboundAnnouncement;
    if (!file || !this.opts.voice) {
      call.hangup(Q850.UNALLOCATED);
      return;
    }
    this.opts.answer(call);
    try {
      await this.opts.voice.play(legOf(call), { file, plays: 1 }, call.ended);
    } catch (err) {
      this.logger.warn('privacy announcement failed', { call: call.id, err: String(err) });
    }
    call.hangup(Q850.NORMAL_CLEARING);
  }
}
