import { Clock, TimerHandle } from '../core/clock';
import { Logger, silentLogger } from '../core/logger';
import {
  checkExpirySec,
  checkPrivacyNumber,
  farPartyFor,
  parsePrivacyMode,
  PrivacyBinding,
  PrivacyMode,
  PrivacyNumberError,
  sameNumber,
} from './privacy-binding';
import { PrivacyBindingStore } from './privacy-store';

export interface BindRequest {
  a: unknown;
  b: unknown;
  mode?: unknown;
  /** A particular X of the pool; default the first free one. */
  x?: unknown;
  expiresInSec?: unknown;
}

/** Where a call to X goes: the other party, or nowhere (announcement and release). */
export type PrivacyRoute = { kind: 'connect'; x: string; to: string; binding: PrivacyBinding } | { kind: 'unbound'; x: string };

export interface PrivacyNumbersOptions {
  /** The X numbers of the site's trunks. */
  pool: readonly string[];
  store: PrivacyBindingStore;
  clock: Clock;
  /** Expiry when a request names none (default one day). */
  defaultExpirySec?: number;
  logger?: Logger;
}

/**
 * The pool of privacy numbers and its bindings: bind and unbind (checked, each
 * problem a PrivacyNumberError with a code), where a call to X goes, and expiry:
 * a binding past its time is removed from the store and its X is free again. A
 * binding is looked up in the store on every call, so what the store holds is
 * what the gateway does, across restarts.
 */
export class PrivacyNumbers {
  private readonly pool: readonly string[];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private expiryTimer: TimerHandle | undefined;
  private closed = false;

  constructor(private readonly opts: PrivacyNumbersOptions) {
    opts.pool.forEach((x, i) => checkPrivacyNumber(`privacy.pool[${i}]`, x));
    this.pool = [...new Set(opts.pool)];
    this.clock = opts.clock;
    this.logger = opts.logger ?? silentLogger;
    this.expireSoon(0);
  }

  /** Whether a called number is one of the pool's X (as the network writes it or otherwise). */
  poolNumber(called: string): string | undefined {
    return this.pool.find((x) => sameNumber(x, called));
  }

  async bind(req: BindRequest): Promise<PrivacyBinding> {
    const a = checkPrivacyNumber('a', req.a);
    const b = checkPrivacyNumber('b', req.b);
    if (sameNumber(a, b)) throw new PrivacyNumberError('MALFORMED_NUMBER', 'b', `is the same number as a (${a})`);
    // A party that is itself an X would route a call to X back into the pool.
    for (const [field, n] of [
      ['a', a],
      ['b', b],
    ] as const)
      if (this.poolNumber(n))
        throw new PrivacyNumberError('MALFORMED_NUMBER', field, `${n} is a privacy number of the pool, not a real number`);
    const mode: PrivacyMode = parsePrivacyMode(req.mode);
    const ttl = req.expiresInSec === undefined ? (this.opts.defaultExpirySec ?? 86_400) : checkExpirySec(req.expiresInSec);
    await this.expire();
    const now = this.clock.now();
    const candidates = req.x === undefined ? this.pool : [this.knownX(req.x)];
    for (const x of candidates) {
      const binding: PrivacyBinding = { x, a, b, mode, createdAt: now, expiresAt: now + ttl * 1000 };
      if (!(await this.opts.store.insert(binding))) continue;
      this.logger.info('privacy binding made', { x, mode, expiresAt: binding.expiresAt });
      await this.armExpiry();
      return binding;
    }
    if (req.x !== undefined) throw new PrivacyNumberError('X_IN_USE', 'x', `${String(req.x)} is bound already`);
    throw new PrivacyNumberError('POOL_EXHAUSTED', 'privacy pool', `all ${this.pool.length} numbers are bound`);
  }

  async unbind(x: unknown): Promise<PrivacyBinding> {
    const known = this.knownX(x);
    const removed = await this.opts.store.remove(known);
    if (!removed) throw new PrivacyNumberError('NOT_BOUND', 'x', `${known} has no binding`);
    this.logger.info('privacy binding removed', { x: known });
    return removed;
  }

  /** Live bindings, X order. */
  async list(): Promise<PrivacyBinding[]> {
    await this.expire();
    return this.opts.store.list();
  }

  /** Free numbers of the pool now. */
  async freeNumbers(): Promise<string[]> {
    const bound = new Set((await this.list()).map((b) => b.x));
    return this.pool.filter((x) => !bound.has(x));
  }

  /** Where a call from `caller` to the pool number `x` goes. */
  async route(x: string, caller: string | undefined): Promise<PrivacyRoute> {
    const binding = await this.opts.store.get(x);
    if (!binding || binding.expiresAt <= this.clock.now()) return { kind: 'unbound', x };
    const to = farPartyFor(binding, caller);
    return to === undefined ? { kind: 'unbound', x } : { kind: 'connect', x, to, binding };
  }

  close(): void {
    this.closed = true;
    this.expiryTimer?.cancel();
  }

  private knownX(x: unknown): string {
    const given = checkPrivacyNumber('x', x);
    const known = this.poolNumber(given);
    if (!known) throw new PrivacyNumberError('UNKNOWN_X', 'x', `${given} is not a number of the privacy pool`);
    return known;
  }

  /** Removes what has expired, and sets the timer for the next expiry. */
  private async expire(): Promise<void> {
    for (const b of await this.opts.store.removeExpired(this.clock.now())) this.logger.info('privacy binding expired', { x: b.x });
    await this.armExpiry();
  }

  private async armExpiry(): Promise<void> {
    const next = Math.min(...(await this.opts.store.list()).map((b) => b.expiresAt));
    if (!Number.isFinite(next)) {
      this.expiryTimer?.cancel();
      this.expiryTimer = undefined;
      return;
    }
    // Timers far ahead are re-armed on the way (setTimeout holds at most ~24.8 days).
    this.expireSoon(Math.min(Math.max(0, next - this.clock.now()), 86_400_000));
  }

  /** The expiry timer: a store that fails is logged and tried again a minute later. */
  private expireSoon(delayMs: number): void {
    this.expiryTimer?.cancel();
    this.expiryTimer = undefined;
    if (this.closed) return;
    this.expiryTimer = this.clock.setTimer(delayMs, () => {
      this.expire().catch((err: unknown) => {
        this.logger.warn('privacy bindings could not be expired: trying again in a minute', { err: String(err) });
        this.expireSoon(60_000);
      });
    });
  }
}
