import { VirtualClock } from '../core/clock';
import { InputError } from '../core/errors';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANSWER_STRATEGIES, AnswerGroup, parseAnswerStrategy } from './answer-group';
import { Seat } from './seat';

function seats(n: number, clock = new VirtualClock(0), priorities: number[] = []) {
  return Array.from({ length: n }, (_, i) => {
    const s = new Seat(`a${i + 1}`, { kind: 'simulated', id: `a${i + 1}` }, { clock, priority: priorities[i] });
    s.login();
    return s;
  });
}

/** Gives the picked seat a call and finishes it, as the distributor would. */
function serve(group: AnswerGroup, seat: Seat) {
  group.served(seat);
  seat.reserve('x');
  seat.connect();
  seat.callEnded();
  seat.wrapDone();
}

const ids = (ss: Seat[]) => ss.map((s) => s.id);

describe('AnswerGroup strategies', () => {
  test('ring-all offers every ready seat at once', () => {
    const ss = seats(3);
    ss[1].forceBusy();
    const offer = new AnswerGroup('g', ss, 'ring-all').offer();
    expect(offer.simultaneous).toBe(true);
    expect(ids(offer.seats)).toEqual(['a1', 'a3']);
  });

  test('round robin ("memory") goes to the seat after the one served last, wrapping round', () => {
    const ss = seats(4);
    const g = new AnswerGroup('g', ss, 'round-robin');
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      const s = g.offer().seats[0];
      order.push(s.id);
      serve(g, s);
    }
    expect(order).toEqual(['a1', 'a2', 'a3', 'a4', 'a1', 'a2']);
    // The next after a2 is a3; when a3 is busy, a4.
    ss[2].forceBusy();
    expect(g.offer().seats[0].id).toBe('a4');
  });

  test('random picks every ready seat over many draws, reproducibly for a given source', () => {
    const ss = seats(3);
    let x = 0;
    const g = new AnswerGroup('g', ss, 'random', () => (x = (x * 9301 + 49297) % 233280) / 233280);
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) seen.add(g.offer().seats[0].id);
    expect(seen).toEqual(new Set(['a1', 'a2', 'a3']));
  });

  test('least recent goes to the seat idle longest since its last call', () => {
    const clock = new VirtualClock(0);
    const ss = seats(3, clock);
    const g = new AnswerGroup('g', ss, 'least-recent');
    clock.advance(1000);
    serve(g, ss[0]);
    clock.advance(1000);
    serve(g, ss[2]);
    // a2 never served, then a1 (t=1 s), then a3 (t=2 s).
    expect(ids(g.offer().seats)).toEqual(['a2', 'a1', 'a3']);
  });

  test('least answered goes to the seat with fewest calls', () => {
    const ss = seats(3);
    const g = new AnswerGroup('g', ss, 'least-answered');
    serve(g, ss[0]);
    serve(g, ss[0]);
    serve(g, ss[1]);
    expect(ids(g.offer().seats)).toEqual(['a3', 'a2', 'a1']);
  });

  test('priority: a smaller number first, ties in group order', () => {
    const ss = seats(4, new VirtualClock(0), [5, 1, 5, 3]);
    expect(ids(new AnswerGroup('g', ss, 'priority').offer().seats)).toEqual(['a2', 'a4', 'a1', 'a3']);
  });

  test('a customer calling back reaches their agent, or a random free one when that agent is busy', () => {
    const ss = seats(3);
    const g = new AnswerGroup('g', ss, 'priority', () => 0.99);
    expect(ids(g.offer('a3').seats)).toEqual(['a3']);
    ss[2].forceBusy();
    const other = g.offer('a3').seats;
    expect(other).toHaveLength(1);
    expect(other[0].id).toBe('a2');
  });

  test('no ready seat, no offer', () => {
    const ss = seats(2);
    ss.forEach((s) => s.forceBusy());
    expect(new AnswerGroup('g', ss, 'round-robin').offer().seats).toEqual([]);
  });

  test('an unknown strategy name is refused by name', () => {
    expect(() => parseAnswerStrategy('longest-idle')).toThrow(InputError);
    expect(parseAnswerStrategy('least-answered')).toBe('least-answered');
  });

  test('every strategy a site file may name works under that name, and the code has none the schema refuses', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../../board-profiles/schema/site.schema.json'), 'utf8'));
    const names: string[] = schema.properties.answerGroups.items.properties.strategy.enum;
    expect([...names].sort()).toEqual([...ANSWER_STRATEGIES].sort());
    for (const name of names) expect(parseAnswerStrategy(name)).toBe(name);
    // memory is the seed's name for round robin: the same order after the same history.
    const ss = seats(3);
    const memory = new AnswerGroup('m', ss, 'memory');
    const rr = new AnswerGroup('r', ss, 'round-robin');
    memory.served(ss[1]);
    rr.served(ss[1]);
    expect(memory.offer().seats.map((s) => s.id)).toEqual(rr.offer().seats.map((s) => s.id));
    expect(memory.offer().seats[0]).toBe(ss[2]);
  });
});
