import { VirtualClock } from '../../core/clock';
import { StateTransitionError } from '../../core/errors';
import { libpriFreesOnHangup, PriCallTable } from './pri-call-table';

describe('the PRI call record as a declared machine', () => {
  const table = () => new PriCallTable(new VirtualClock());

  it('an offered call is acknowledged, answered and released; a CONNECT crossing our DISCONNECT changes nothing', () => {
    const rec = table().add(1n, 5, true);
    expect(rec.state).toBe('offered');
    expect(rec.apply('acknowledge')).toBe('pending');
    expect(rec.apply('answer')).toBe('answered');
    expect(rec.apply('hangup')).toBe('releasing');
    expect(rec.apply('answer')).toBe('releasing');
  });

  it('a releasing call refuses to be acknowledged or hung up again: the module must not call libpri twice', () => {
    const rec = table().add(2n, 6);
    rec.apply('hangup');
    expect(() => rec.apply('acknowledge')).toThrow(StateTransitionError);
    expect(() => rec.apply('hangup')).toThrow(StateTransitionError);
  });

  it('libpri frees at once only an unanswered call we clear first with cause 1, 34, 44 or 82', () => {
    const t = table();
    const early = t.add(3n, 7);
    expect(libpriFreesOnHangup(early, 34)).toBe(true);
    expect(libpriFreesOnHangup(early, 16)).toBe(false);
    const answered = t.add(4n, 8);
    answered.apply('answer');
    expect(libpriFreesOnHangup(answered, 34)).toBe(false);
    const theirs = t.add(5n, 9);
    theirs.clearing = { by: 'remote', cause: 34 };
    expect(libpriFreesOnHangup(theirs, 34)).toBe(false);
  });
});
