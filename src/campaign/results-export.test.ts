import { PassThrough } from 'node:stream';
import { AttemptRecord } from './outbound-campaign';
import { CampaignResults, CSV_COLUMNS } from './results-export';

const base = { test: false, cause: 16, causeText: 'Normal call clearing', callerId: undefined } as const;
const rec = (r: Partial<AttemptRecord> & Pick<AttemptRecord, 'number' | 'outcome' | 'dialledAt' | 'endedAt'>): AttemptRecord => ({
  ...base,
  ...r,
});

describe('CampaignResults', () => {
  const results = new CampaignResults();
  results.add(rec({ number: '13800000001', outcome: 'busy', cause: 17, causeText: 'User busy', dialledAt: 0, endedAt: 4000 }));
  results.add(
    rec({
      number: '13800000001',
      outcome: 'connected',
      dialledAt: 600_000,
      answeredAt: 610_000,
      waitMs: 1500,
      seatId: 'a1',
      endedAt: 730_000,
    }),
  );
  results.add(rec({ number: '13800000002', outcome: 'abandoned', dialledAt: 1000, answeredAt: 9000, waitMs: 2000, endedAt: 17_000 }));
  results.add(rec({ number: '13800000003', outcome: 'played', keys: '1#', dialledAt: 2000, answeredAt: 8000, endedAt: 30_000 }));
  results.add(
    rec({ number: '13800000009', outcome: 'connected', test: true, dialledAt: 0, answeredAt: 1, waitMs: 0, seatId: 'a2', endedAt: 5 }),
  );

  test('one row per number with its latest outcome and durations; test calls are left out', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c) => chunks.push(String(c)));
    await results.writeCsv(out);
    const lines = chunks.join('').trim().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines.slice(1)).toEqual([
      '13800000001,2,connected,16,Normal call clearing,,a1,10.0,1.5,120.0,1970-01-01T00:10:00.000Z',
      '13800000002,1,abandoned,16,Normal call clearing,,,8.0,2.0,8.0,1970-01-01T00:00:01.000Z',
      '13800000003,1,played,16,Normal call clearing,1#,,6.0,,22.0,1970-01-01T00:00:02.000Z',
    ]);
  });

  test('ACD figures: queued, average speed of answer, abandoned, calls per seat, daily volume', () => {
    expect(results.acd()).toEqual({
      attempts: 4,
      answered: 2,
      queued: 2,
      averageSpeedOfAnswerSec: 1.5,
      abandoned: 1,
      callsPerSeat: { a1: 1 },
      dailyVolume: { '1970-01-01': 4 },
    });
  });
});
