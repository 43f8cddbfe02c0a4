import { benchStatus } from '../../bench/run';
import { CampaignProgress, campaignProgressSegments } from './campaign-progress';
import { drainText, elapsedOfTotal, fitLine, ProgressLine } from './progress-line';

/** Just enough of a terminal: \r, ESC[K, \n and auto-wrap at the last column. */
function terminal(columns: number) {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  const write = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\r') col = 0;
      else if (ch === '\n') {
        row++;
        col = 0;
        rows[row] ??= [];
      } else if (text.startsWith('\x1b[K', i)) {
        rows[row].length = col;
        i += 2;
      } else {
        if (col === columns) {
          row++;
          col = 0;
          rows[row] ??= [];
        }
        rows[row][col++] = ch;
      }
    }
  };
  return { write, screen: () => rows.map((r) => r.join('')), isTTY: true, columns };
}

const demo = (over: Partial<CampaignProgress> = {}): CampaignProgress => ({
  elapsedSec: 62.4,
  totalSec: 120,
  phase: 'calling',
  inFlight: 23,
  attempts: 1234,
  connected: 456,
  abandoned: 12,
  seats: { 'wrap-up': 3, talking: 10, ready: 2, reserved: 1 },
  channelsInUse: 41,
  ...over,
});

describe('progress lines', () => {
  it('fit the width: whole segments while they fit, then an ellipsis, never the last column', () => {
    const segs = ['62/120 s', 'calls 1234', 'to agents 456', 'abandoned 12 (2.6%)'];
    expect(fitLine(segs, 200)).toBe('62/120 s  calls 1234  to agents 456  abandoned 12 (2.6%)');
    const cut = fitLine(segs, 30);
    expect(cut).toBe('62/120 s  calls 1234  to age…');
    expect([...cut].length).toBe(29);
    for (let w = 1; w <= 100; w++) expect([...fitLine(segs, w)].length).toBeLessThanOrEqual(Math.max(1, w - 1));
    expect(fitLine(['a\nb', 'c\rd'], 80)).toBe('a b  c d');
  });

  it('redrawn on an 80-column terminal leave exactly one line, the last one, with no wrapped leftovers', () => {
    const term = terminal(80);
    const line = new ProgressLine(term);
    const updates = [
      demo(),
      demo({ elapsedSec: 63, seats: { ready: 0, talking: 12, 'wrap-up': 3, reserved: 1, 'logged-out': 2 }, attempts: 123_456_789 }),
      demo({ phase: 'finishing', inFlight: 7, finishWithinSec: 45, elapsedSec: 120 }),
      demo({ phase: 'finishing', inFlight: 1, finishWithinSec: 3.2, elapsedSec: 162 }),
    ];
    for (const p of updates) line.update(campaignProgressSegments(p));
    line.done();
    term.write('summary\n');
    const screen = term.screen();
    expect(screen).toEqual([fitLine(campaignProgressSegments(updates[3]), 80), 'summary', '']);
    expect(screen[0]).toMatch(/^finishing 1 call, up to 4 s {2}calls 1234 /);
  });

  it('take a terminal that reports no width (0 or unknown) as 80 columns', () => {
    for (const columns of [0, undefined]) {
      const out: string[] = [];
      const line = new ProgressLine({ write: (t) => void out.push(t), isTTY: true, columns });
      line.update(campaignProgressSegments(demo()));
      expect(out[0]).toBe(`\r${fitLine(campaignProgressSegments(demo()), 80)}\x1b[K`);
    }
  });

  it('keep a stable order: time (elapsed/total) first, then counts, seats in a fixed order', () => {
    const a = campaignProgressSegments(demo());
    expect(a).toEqual(['62/120 s', 'calls 1234', 'to agents 456', 'abandoned 12 (2.6%)', 'channels 41', 'seats: ready 2, reserved 1, talking 10, wrap-up 3, paused 0']);
    // The same states in another insertion order, and one outside the list, render in the same places.
    const b = campaignProgressSegments(demo({ seats: { talking: 10, paused: 0, 'wrap-up': 3, 'logged-out': 1, reserved: 1, ready: 2 } }));
    expect(b[5]).toBe('seats: ready 2, reserved 1, talking 10, wrap-up 3, paused 0, logged-out 1');
    expect(elapsedOfTotal(119.99, 120)).toBe('119/120 s');
    // A run without a planned end shows the time alone.
    expect(campaignProgressSegments(demo({ totalSec: undefined }))[0]).toBe('62 s');
  });

  it('say what they wait for while draining', () => {
    expect(campaignProgressSegments(demo({ phase: 'finishing', inFlight: 7, finishWithinSec: 44.2 }))[0]).toBe('finishing 7 calls, up to 45 s');
    expect(drainText({ count: 1, singular: 'call', plural: 'calls', upToSec: -2 })).toBe('finishing 1 call, up to 0 s');
    // Calls over, agents still in after-call work: that is what the run waits for.
    expect(campaignProgressSegments(demo({ phase: 'finishing', inFlight: 0, finishWithinSec: 0, seats: { ready: 14, 'wrap-up': 2 } }))[0]).toBe('finishing: 2 seats in wrap-up');
    expect(campaignProgressSegments(demo({ phase: 'finishing', inFlight: 0, finishWithinSec: 3, seats: { ready: 16 } }))[0]).toBe('finishing 0 calls, up to 3 s');
  });

  it('off a terminal: whole lines, uncut, at most one a second unless forced', () => {
    const out: string[] = [];
    let now = 0;
    const line = new ProgressLine({ write: (t) => void out.push(t), isTTY: false, columns: 20 }, () => now);
    line.update(['a'.repeat(50), 'b']);
    now = 500;
    line.update(['skipped']);
    line.update(['forced'], { force: true });
    now = 1600;
    line.update(['next']);
    line.done();
    expect(out).toEqual([`${'a'.repeat(50)}  b\n`, 'forced\n', 'next\n']);
  });

  it('npm run bench: which benchmark, its time and step, then the total, in that order', () => {
    expect(benchStatus(2, 6, 'dahdi', 'audio path', 12.7, 95.2)).toEqual(['[2/6] dahdi 12 s: audio path', '(total 95 s)']);
    expect([...fitLine(benchStatus(6, 6, 'pacing', 'e1x8-64seats-drift: vicidial-adaptive (5/6), seeds 1-5 and a long tail', 300, 900), 80)].length).toBe(79);
  });
});
