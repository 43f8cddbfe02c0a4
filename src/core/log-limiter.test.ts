import { LogLimiter } from './log-limiter';
import { createLogger, LogRecord } from './logger';

describe('LogLimiter', () => {
  it('prints a burst per kind per interval, then counts, and says how many it held back', () => {
    const lines: LogRecord[] = [];
    let now = 0;
    const limiter = new LogLimiter(createLogger({ level: 'debug', sink: (r) => lines.push(r) }), {
      burst: 3,
      intervalMs: 1000,
      now: () => now,
    });
    for (let i = 0; i < 10_000; i++) limiter.warn('libpri: bad frame', { i });
    limiter.warn('other kind');
    expect(lines.map((l) => l.msg)).toEqual(['libpri: bad frame', 'libpri: bad frame', 'libpri: bad frame', 'other kind']);
    expect(limiter.suppressed()).toBe(9_997);
    now = 1000;
    limiter.warn('libpri: bad frame', { i: 'late' });
    expect(lines[4]).toMatchObject({ msg: 'libpri: bad frame', fields: { i: 'late', suppressedSinceLast: 9_997 } });
    expect(limiter.counts()).toEqual({ 'libpri: bad frame': 10_001, 'other kind': 1 });
  });

  it('keeps a bounded number of kinds however many distinct messages arrive', () => {
    const limiter = new LogLimiter(createLogger({ sink: () => undefined }));
    for (let i = 0; i < 5000; i++) limiter.warn(`message ${i}`);
    expect(Object.keys(limiter.counts()).length).toBeLessThanOrEqual(256);
  });
});
