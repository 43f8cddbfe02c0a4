import { InputError } from '../core/errors';

/**
 * A privacy-number binding A-X-B: calls between two real numbers A and B are
 * carried through a number X from the site's pool, and each party sees only X.
 * - two-way: A calling X reaches B, and B calling X reaches A.
 * - reverse-only: only B calling X reaches A (B can call back whoever reached
 *   it through X; A calling X is treated as a call to an unbound X).
 * A binding lives until it is removed or its expiry passes; then X returns to the pool.
 */
export type PrivacyMode = 'two-way' | 'reverse-only';
export const PRIVACY_MODES: readonly PrivacyMode[] = ['two-way', 'reverse-only'];

export interface PrivacyBinding {
  x: string;
  a: string;
  b: string;
  mode: PrivacyMode;
  /** When it was made and when it lapses (clock ms). */
  createdAt: number;
  expiresAt: number;
}

/** What went wrong with a privacy request; the command interface and CLI show it. */
export type PrivacyProblem = 'MALFORMED_NUMBER' | 'UNKNOWN_X' | 'X_IN_USE' | 'POOL_EXHAUSTED' | 'NOT_BOUND' | 'BAD_EXPIRY' | 'BAD_MODE';

/** A privacy request refused: `reason` says why as a code (the base class's `problem` is the sentence). */
export class PrivacyNumberError extends InputError {
  constructor(
    readonly reason: PrivacyProblem,
    where: string,
    message: string,
  ) {
    super(where, message);
  }
}

/** A real or pool number: 3-20 digits, an optional leading '+'. */
const NUMBER = /^\+?[0-9]{3,20}$/;

export function checkPrivacyNumber(field: string, value: unknown): string {
  if (typeof value !== 'string' || !NUMBER.test(value))
    throw new PrivacyNumberError(
      'MALFORMED_NUMBER',
      field,
      `must be 3-20 digits with an optional leading '+', got ${JSON.stringify(value)?.slice(0, 40)}`,
    );
  return value;
}

export function parsePrivacyMode(value: unknown, where = 'mode'): PrivacyMode {
  if (value === undefined) return 'two-way';
  if ((PRIVACY_MODES as readonly unknown[]).includes(value)) return value as PrivacyMode;
  throw new PrivacyNumberError('BAD_MODE', where, `must be one of ${PRIVACY_MODES.join(', ')}, got ${JSON.stringify(value)?.slice(0, 40)}`);
}

/** Longest binding a request may ask for: 90 days. */
export const MAX_BINDING_SEC = 90 * 24 * 3600;

export function checkExpirySec(value: unknown, where = 'expiresInSec'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_BINDING_SEC)
    throw new PrivacyNumberError(
      'BAD_EXPIRY',
      where,
      `must be a whole number of seconds 1-${MAX_BINDING_SEC}, got ${JSON.stringify(value)?.slice(0, 40)}`,
    );
  return value;
}

/**
 * Where a call from `caller` to X goes under a binding, or undefined when the
 * binding does not carry it (a stranger, or A on a reverse-only binding).
 */
export function farPartyFor(binding: PrivacyBinding, caller: string | undefined): string | undefined {
  if (caller === undefined) return undefined;
  if (sameNumber(caller, binding.b)) return binding.a;
  if (binding.mode === 'two-way' && sameNumber(caller, binding.a)) return binding.b;
  return undefined;
}

/**
 * Two ways of writing one subscriber's number: the network may present a caller
 * with or without the trunk prefix (0, +86, 0086). Compared on the national digits.
 */
export function sameNumber(x: string, y: string): boolean {
  return nationalDigits(x) === nationalDigits(y);
}

export function nationalDigits(n: string): string {
  return n.replace(/^\+86|^0086/, '').replace(/^0(?=[1-9])/, '');
}
