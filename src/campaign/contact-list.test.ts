import { ContactList } from './contact-list';
import { DEFAULT_RETRY_RULES, parseRetryRules, retryVerdict } from './retry-rules';

describe('ContactList', () => {
  test('numbers come out in order; one not reached goes back with its next-attempt time', () => {
    const list = new ContactList({ retryRules: { busy: { maxAttempts: 3, delaySec: 300 } } });
    list.add('13800000001');
    list.add('13800000002');
    const a = list.take(0)!;
    expect(a.number).toBe('13800000001');
    list.settle(a, 'busy', 1000);
    expect(a.nextAttemptAt).toBe(301_000);
    expect(list.take(1000)!.number).toBe('13800000002');
    expect(list.take(300_000)).toBeUndefined();
    expect(list.nextDueAt()).toBe(301_000);
    expect(list.take(301_000)).toBe(a);
  });

  test("retries stop at the rule's attempt limit; outcomes without a rule are final", () => {
    const list = new ContactList({ retryRules: { no_answer: { maxAttempts: 2, delaySec: 60 } } });
    const c = list.add('13800000001');
    list.settle(list.take(0)!, 'no_answer', 0);
    list.settle(list.take(60_000)!, 'no_answer', 60_000);
    expect(c).toMatchObject({ attempts: 2, done: true, lastOutcome: 'no_answer' });
    expect(list.remaining()).toBe(0);
    const d = list.add('13800000002');
    list.settle(list.take(0)!, 'unallocated', 0);
    expect(d.done).toBe(true);
  });

  test('no free channel gives the number back without counting an attempt', () => {
    const list = new ContactList({ retryRules: DEFAULT_RETRY_RULES });
    const c = list.add('13800000001');
    list.settle(list.take(0)!, 'no_free_channel', 0);
    expect(c.attempts).toBe(0);
    expect(c.done).toBe(false);
  });

  test('cool-down: the same number on two rows is not called twice within the cool-down', () => {
    const list = new ContactList({ retryRules: {}, coolDownSec: 600 });
    list.add('13800000001');
    list.add('13800000001');
    list.add('13800000002');
    const first = list.take(0)!;
    list.settle(first, 'connected', 10_000);
    expect(list.take(10_000)!.number).toBe('13800000002');
    expect(list.take(10_000)).toBeUndefined();
    expect(list.take(600_000)!.number).toBe('13800000001');
  });

  test('retry rules from settings; bad entries named', () => {
    expect(parseRetryRules({ busy: { max_attempts: 5, delay_sec: 30 } }).busy).toEqual({ maxAttempts: 5, delaySec: 30 });
    expect(() => parseRetryRules({ busy: { max_attempts: 'x' } })).toThrow(/retries.busy/);
    expect(retryVerdict({}, 'connected', 1, 0)).toEqual({ retry: false });
  });
});
