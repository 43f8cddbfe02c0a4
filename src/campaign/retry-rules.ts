import { InputError } from '../core/errors';
import { CallOutcome } from '../core/q850';

/**
 * What an attempt at a number came to, as the campaign records it, and whether
 * and when to try the number again.
 */
export type AttemptOutcome =
  | Exclude<CallOutcome, 'answered'>
  /** Answered and talked to a seat. */
  | 'connected'
  /** Answered, no seat within the limit: heard the recorded message. */
  | 'abandoned'
  /** Answered, but hung up (or the line failed) before a seat was connected. */
  | 'lost'
  /** Answered by a machine (answering-machine detection). */
  | 'machine'
  /** Broadcast: the message was played. */
  | 'played'
  /** On the blacklist when its turn came: never dialled. */
  | 'blacklisted';

export interface RetryRule {
  /** Attempts allowed in all for a number that keeps ending this way. */
  maxAttempts: number;
  /** Wait before the next attempt (s). */
  delaySec: number;
}

export type RetryRules = Partial<Record<AttemptOutcome, RetryRule>>;

/** Numbers that cannot be reached are not retried; people who were busy or out are. */
export const DEFAULT_RETRY_RULES: RetryRules = {
  busy: { maxAttempts: 3, delaySec: 300 },
  no_answer: { maxAttempts: 3, delaySec: 1800 },
  congestion: { maxAttempts: 5, delaySec: 60 },
  absent: { maxAttempts: 2, delaySec: 3600 },
  link_down: { maxAttempts: 5, delaySec: 60 },
  other: { maxAttempts: 2, delaySec: 600 },
  abandoned: { maxAttempts: 2, delaySec: 3600 },
  lost: { maxAttempts: 2, delaySec: 1800 },
  machine: { maxAttempts: 2, delaySec: 3600 },
};

/** Outcomes that say nothing about the number: the attempt is given back without counting. */
const NOT_COUNTED: ReadonlySet<AttemptOutcome> = new Set(['no_free_channel']);

export type RetryVerdict = { retry: true; at: number; counts: boolean } | { retry: false };

export function retryVerdict(rules: RetryRules, outcome: AttemptOutcome, attemptsMade: number, now: number): RetryVerdict {
  if (NOT_COUNTED.has(outcome)) return { retry: true, at: now + 5000, counts: false };
  const rule = rules[outcome];
  if (!rule || attemptsMade >= rule.maxAttempts) return { retry: false };
  return { retry: true, at: now + rule.delaySec * 1000, counts: true };
}

/** Reads per-outcome rules from a settings object, naming any bad entry. */
export function parseRetryRules(value: unknown, where = 'retries'): RetryRules {
  if (value === undefined) return { ...DEFAULT_RETRY_RULES };
  if (!value || typeof value !== 'object') throw new InputError(where, 'must be an object of outcome: {max_attempts, delay_sec}');
  const rules: RetryRules = { ...DEFAULT_RETRY_RULES };
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const r = v as Record<string, unknown>;
    if (!r || typeof r.max_attempts !== 'number' || typeof r.delay_sec !== 'number' || r.max_attempts < 0 || r.delay_sec < 0) {
      throw new InputError(`${where}.${k}`, 'needs max_attempts and delay_sec as non-negative numbers');
    }
    rules[k as AttemptOutcome] = { maxAttempts: r.max_attempts, delaySec: r.delay_sec };
  }
  return rules;
}
