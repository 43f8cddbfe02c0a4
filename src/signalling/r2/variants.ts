import { InputError } from '../../core/errors';
import { Q850 } from '../../core/q850';
import type { Abcd } from '../../../drivers/ports/cas-port';

/**
 * R2 variants as data: line-signal bit patterns, what each backward register
 * signal means to the forward end, which signals the backward end uses for each
 * request, number-length rules, and timers. China No.1 first, ITU-T generic
 * second (the variant openr2 gets right). A carrier's quirks are overrides of
 * these fields from the site configuration, never code.
 */

/** ABCD bits as a 4-bit number, A the most significant (0b1011 = A1 B0 C1 D1). */
export type { Abcd };

export interface LineBits {
  /** Bits compared on receive (0b1100 = A and B only; 0b1110 for exchanges that use C). */
  rxMask: Abcd;
  forward: { idle: Abcd; seize: Abcd; clearForward: Abcd };
  backward: { idle: Abcd; seizeAck: Abcd; answer: Abcd; clearBack: Abcd; blocked: Abcd };
}

/** What a group A signal asks of the forward end. */
export type GroupAAction =
  | { do: 'send-next' } // next digit of the list being sent (China A1)
  | { do: 'send-next-dnis' } // next called digit (ITU A1)
  | { do: 'send-category-then-ani' } // KA, then calling digits on A1 (China A6)
  | { do: 'send-category-or-ani' } // category first time, calling digits after (ITU A5)
  | { do: 'group-b' } // send KD; the answer is a group B signal (A3)
  | { do: 'address-complete' } // no group B: wait for answer (ITU A6)
  | { do: 'fail'; cause: number };

/** What a group B signal says about the called line. */
export type GroupBMeaning = { is: 'idle' } | { is: 'fail'; cause: number };

export interface R2Timers {
  /** Forward: seize to seize-acknowledge. */
  seizeAckMs: number;
  /** Longest wait for the far end's next move within one compelled cycle. */
  mfCycleMs: number;
  /** Backward: silence after a called digit that ends the number when no rule did. */
  dnisTimeoutMs: number;
  /** Forward: the whole register phase, seize-acknowledge to group B. */
  registerSafetyMs: number;
  /** Forward: group B idle to the answer line signal. */
  answerMs: number;
  /** Backward: group B signal off to sending the answer bits. */
  answerDelayMs: number;
  /** Length of a pulsed backward signal (A3 without a forward signal to answer). */
  pulseMs: number;
  /** Backward: the application's time to choose a group B signal after KD. */
  decisionMs: number;
  /** Backward: clear-forward to sending idle (the release guard). */
  releaseGuardDelayMs: number;
  /** Forward: clear-forward to seeing the release guard before the circuit is taken out of service. */
  releaseGuardTimeoutMs: number;
  /** Backward: clear-back to clear-forward before the circuit is forced out of service. */
  clearForwardTimeoutMs: number;
  /**
   * How long a change of the received ABCD bits must persist before it counts as a
   * line signal (Q.422's recognition time, 20 +/- 10 ms): a line hit shorter than
   * this is not a seizure, an answer or a clear. 0 acts on every change at once:
   * the default for now, because our forward end seizes again right after its
   * clear-forward (r2-faults.test.ts 'a seizure that arrives during the release
   * guard'), which a far end applying the recognition time would not see.
   */
  lineRecognitionMs: number;
}

export interface NumberLengthRule {
  prefix: string;
  length: number;
}

export interface R2Variant {
  name: string;
  line: LineBits;
  /** Meaning of group A signals 1-15 to the forward end (absent = protocol error). */
  groupA: Partial<Record<number, GroupAAction>>;
  groupB: Partial<Record<number, GroupBMeaning>>;
  /** Signals the backward end sends. */
  backward: {
    nextDnis: number;
    requestCategory: number;
    nextAni: number;
    toGroupB: number;
    congestionA: number;
    /** Group A vacant-number signal, if the variant has one (China A5). */
    vacantA?: number;
    groupB: { idle: number; busy: number; congestion: number; vacant: number; outOfOrder: number };
  };
  forward: {
    /** Group II category sent on the category request (KA). */
    category: number;
    /** Group II signal sent on A3 (KD in China; the category again in ITU). */
    groupBCategory: number;
    /**
     * Group I signal ending the calling number. Absent: the exchange counts the
     * digits itself and the next request after the last one is for the called number.
     */
    endOfAni?: number;
    /** Group I signal ending the called number, if the variant has one. */
    endOfDnis?: number;
  };
  /** Backward: called digits after which to ask for the category and calling number (0 = never). */
  requestAniAfterDigits: number;
  /** Called-number lengths by longest matching prefix. */
  numberLengths: NumberLengthRule[];
  maxDnisDigits: number;
  timers: R2Timers;
}

export const FIELD_TIMERS: R2Timers = {
  seizeAckMs: 2000,
  mfCycleMs: 2000,
  dnisTimeoutMs: 2000,
  registerSafetyMs: 30_000,
  answerMs: 60_000,
  answerDelayMs: 150,
  pulseMs: 150,
  decisionMs: 1500,
  releaseGuardDelayMs: 100,
  releaseGuardTimeoutMs: 5000,
  clearForwardTimeoutMs: 30_000,
  lineRecognitionMs: 0,
};

export const CHINA: R2Variant = {
  name: 'china',
  line: {
    rxMask: 0b1100,
    forward: { idle: 0b1011, seize: 0b0011, clearForward: 0b1011 },
    backward: { idle: 0b1011, seizeAck: 0b1111, answer: 0b0111, clearBack: 0b1111, blocked: 0b1111 },
  },
  groupA: {
    1: { do: 'send-next' },
    3: { do: 'group-b' },
    4: { do: 'fail', cause: Q850.NO_CIRCUIT_AVAILABLE },
    5: { do: 'fail', cause: Q850.UNALLOCATED },
    6: { do: 'send-category-then-ani' },
  },
  groupB: {
    1: { is: 'idle' },
    2: { is: 'fail', cause: Q850.USER_BUSY },
    3: { is: 'fail', cause: Q850.USER_BUSY },
    4: { is: 'fail', cause: Q850.NO_CIRCUIT_AVAILABLE },
    5: { is: 'fail', cause: Q850.UNALLOCATED },
  },
  backward: {
    nextDnis: 1,
    requestCategory: 6,
    nextAni: 1,
    toGroupB: 3,
    congestionA: 4,
    vacantA: 5,
    groupB: { idle: 1, busy: 2, congestion: 4, vacant: 5, outOfOrder: 4 },
  },
  forward: { category: 1, groupBCategory: 3, endOfAni: 15 },
  requestAniAfterDigits: 1,
  numberLengths: [
    { prefix: '1', length: 11 }, // mobile
    { prefix: '11', length: 3 }, // 110, 119, 114 ...
    { prefix: '12', length: 3 }, // 120, 122
    { prefix: '10', length: 5 }, // 10000, 10086 service numbers
    { prefix: '9', length: 5 }, // 95xxx
    { prefix: '01', length: 11 }, // 010 + 8 (Beijing)
    { prefix: '02', length: 11 }, // 02x + 8
    { prefix: '0', length: 12 }, // 0xxx + 8
    { prefix: '400', length: 10 },
    { prefix: '800', length: 10 },
    { prefix: '2', length: 8 },
    { prefix: '3', length: 8 },
    { prefix: '4', length: 8 },
    { prefix: '5', length: 8 },
    { prefix: '6', length: 8 },
    { prefix: '7', length: 8 },
    { prefix: '8', length: 8 },
  ],
  maxDnisDigits: 20,
  timers: FIELD_TIMERS,
};

export const ITU: R2Variant = {
  name: 'itu',
  line: {
    rxMask: 0b1100,
    forward: { idle: 0b1001, seize: 0b0001, clearForward: 0b1001 },
    backward: { idle: 0b1001, seizeAck: 0b1101, answer: 0b0101, clearBack: 0b1101, blocked: 0b1101 },
  },
  groupA: {
    1: { do: 'send-next-dnis' },
    3: { do: 'group-b' },
    4: { do: 'fail', cause: Q850.NO_CIRCUIT_AVAILABLE },
    5: { do: 'send-category-or-ani' },
    6: { do: 'address-complete' },
  },
  groupB: {
    1: { is: 'idle' },
    2: { is: 'fail', cause: Q850.NUMBER_CHANGED },
    3: { is: 'fail', cause: Q850.USER_BUSY },
    4: { is: 'fail', cause: Q850.NO_CIRCUIT_AVAILABLE },
    5: { is: 'fail', cause: Q850.UNALLOCATED },
    6: { is: 'idle' },
    7: { is: 'idle' },
    8: { is: 'fail', cause: Q850.DESTINATION_OUT_OF_ORDER },
  },
  backward: {
    nextDnis: 1,
    requestCategory: 5,
    nextAni: 5,
    toGroupB: 3,
    congestionA: 4,
    groupB: { idle: 6, busy: 3, congestion: 4, vacant: 5, outOfOrder: 8 },
  },
  forward: { category: 1, groupBCategory: 1, endOfAni: 15, endOfDnis: 15 },
  requestAniAfterDigits: 1,
  numberLengths: [],
  maxDnisDigits: 20,
  timers: FIELD_TIMERS,
};

export const VARIANTS: Readonly<Record<string, R2Variant>> = { china: CHINA, itu: ITU };

/** Per-carrier overrides from the site configuration: any field, timers one by one. */
export type R2VariantOverrides = Partial<Omit<R2Variant, 'timers' | 'line' | 'forward' | 'backward'>> & {
  timers?: Partial<R2Timers>;
  line?: Partial<LineBits>;
  forward?: Partial<R2Variant['forward']>;
  backward?: Partial<R2Variant['backward']>;
};

export function resolveVariant(name: string, overrides: R2VariantOverrides = {}, where = 'r2'): R2Variant {
  const base = VARIANTS[name];
  if (!base) throw new InputError(`${where}.variant`, `unknown R2 variant '${name}' (known: ${Object.keys(VARIANTS).join(', ')})`);
  const v: R2Variant = {
    ...base,
    ...overrides,
    name: overrides.name ?? base.name,
    line: { ...base.line, ...overrides.line },
    forward: { ...base.forward, ...overrides.forward },
    backward: { ...base.backward, ...overrides.backward },
    timers: { ...base.timers, ...overrides.timers },
  };
  for (const [key, ms] of Object.entries(v.timers)) {
    // The recognition time may be 0 (act on every change); every other timer must run.
    const min = key === 'lineRecognitionMs' ? 0 : Number.MIN_VALUE;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < min)
      throw new InputError(`${where}.timers.${key}`, `must be a positive number of ms, got ${String(ms)}`);
  }
  for (const r of v.numberLengths) {
    if (!/^[0-9]+$/.test(r.prefix) || !(r.length >= r.prefix.length && r.length <= v.maxDnisDigits)) {
      throw new InputError(
        `${where}.numberLengths`,
        `rule ${JSON.stringify(r)} needs a digit prefix and a length from the prefix length to ${v.maxDnisDigits}`,
      );
    }
  }
  return v;
}

/** Expected length of a called number by its longest matching prefix rule, if any. */
export function expectedLength(variant: R2Variant, digits: string): number | undefined {
  let best: NumberLengthRule | undefined;
  for (const r of variant.numberLengths) {
    if (digits.startsWith(r.prefix) && (!best || r.prefix.length > best.prefix.length)) best = r;
  }
  return best?.length;
}
