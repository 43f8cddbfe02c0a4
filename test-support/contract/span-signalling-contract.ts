import { InputError } from '../../src/core/errors';
import { Q850 } from '../../src/core/q850';
import { SignallingCall, SignallingEvent, SpanSignalling } from '../../src/signalling/span-signalling';

/**
 * The contract every SpanSignalling keeps, whatever the protocol: one suite, run
 * against every implementation (hil-tests/span-signalling-contract.test.ts adds
 * each with one line). A new signalling module (China No.7, a modem trunk) is done
 * when it passes this too.
 */

/** What the far end does with the call the suite places. */
export type FarEnd = 'answers' | 'busy';

export interface SignallingUnderTest {
  /** The controller's end, with its link on the way up. */
  readonly signalling: SpanSignalling;
  /** A number the far end treats as asked. */
  readonly number: string;
  /** Lets `ms` of the subject's time pass (default: the wall clock's). */
  sleep?(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Builds a fresh span whose far end does `farEnd` with `number`. */
export type SignallingFactory = (farEnd: FarEnd) => Promise<SignallingUnderTest>;

const wallSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls in the subject's time, giving up after `polls` looks. */
async function waitFor(subject: SignallingUnderTest, pred: () => boolean, what: string, polls = 4000): Promise<void> {
  const sleep = subject.sleep ?? wallSleep;
  for (let i = 0; !pred(); i++) {
    if (i >= polls) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Every event the signalling sends about one call, in order. */
function recordCall(sig: SpanSignalling): { events: SignallingEvent[]; forCall: (call: SignallingCall) => SignallingEvent[] } {
  const events: SignallingEvent[] = [];
  sig.onEvent((ev) => events.push(ev));
  return { events, forCall: (call) => events.filter((ev) => 'call' in ev && ev.call === call) };
}

export function describeSpanSignallingContract(name: string, factory: SignallingFactory): void {
  describe(`SpanSignalling contract: ${name}`, () => {
    let subject: SignallingUnderTest | undefined;
    afterEach(async () => {
      await subject?.close();
      subject = undefined;
    });

    async function up(farEnd: FarEnd): Promise<SignallingUnderTest> {
      subject = await factory(farEnd);
      const sig = subject.signalling;
      await waitFor(subject, () => sig.linkUp, 'the signalling link to come up');
      return subject;
    }

    /** The channel the controller would pick first: it hunts from the top. */
    const topChannel = (sig: SpanSignalling) => Math.max(...sig.bearerChannels);

    it('comes up and names its bearer channels once each', async () => {
      const { signalling } = await up('answers');
      expect(signalling.bearerChannels.length).toBeGreaterThan(0);
      expect(new Set(signalling.bearerChannels).size).toBe(signalling.bearerChannels.length);
      for (const ch of signalling.bearerChannels) expect(Number.isInteger(ch) && ch >= 1).toBe(true);
    });

    it('an answered call: answered, then our hang-up ends it once, by us, with our cause, and nothing follows', async () => {
      const { signalling, number } = await up('answers');
      const rec = recordCall(signalling);
      const call = signalling.setup(topChannel(signalling), { number });
      await waitFor(subject!, () => rec.forCall(call).some((ev) => ev.type === 'answered'), 'the answer');
      signalling.hangup(call, Q850.NORMAL_CLEARING);
      signalling.hangup(call, Q850.NORMAL_CLEARING); // idempotent
      await waitFor(subject!, () => rec.forCall(call).some((ev) => ev.type === 'released'), 'the release');
      await (subject!.sleep ?? wallSleep)(50);
      const events = rec.forCall(call);
      const released = events.filter((ev) => ev.type === 'released');
      expect(released).toHaveLength(1);
      expect(released[0]).toMatchObject({ by: 'local', cause: Q850.NORMAL_CLEARING });
      expect(events[events.length - 1].type).toBe('released');
      expect(events.findIndex((ev) => ev.type === 'answered')).toBeLessThan(events.indexOf(released[0]));
    });

    it('a busy callee: released once by the far end with USER_BUSY (17), never answered', async () => {
      const { signalling, number } = await up('busy');
      const rec = recordCall(signalling);
      const call = signalling.setup(topChannel(signalling), { number });
      await waitFor(subject!, () => rec.forCall(call).some((ev) => ev.type === 'released'), 'the release');
      const events = rec.forCall(call);
      expect(events.filter((ev) => ev.type === 'released')).toEqual([expect.objectContaining({ by: 'remote', cause: Q850.USER_BUSY })]);
      expect(events.some((ev) => ev.type === 'answered')).toBe(false);
    });

    it('refuses a number it cannot send with InputError, before anything reaches the line', async () => {
      const { signalling } = await up('answers');
      const rec = recordCall(signalling);
      const before = rec.events.length;
      expect(() => signalling.setup(topChannel(signalling), { number: '12a4' })).toThrow(InputError);
      await (subject!.sleep ?? wallSleep)(20);
      expect(rec.events.length).toBe(before);
    });
  });
}
