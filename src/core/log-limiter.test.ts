import { LogLimiter, rateLimitedLogger } from './log-limiter';
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

  it('rateLimitedLogger: children share the limit per scope, debug passes, and a limited logger is not wrapped again', () => {
    const lines: LogRecord[] = [];
    let now = 0;
    const log = rateLimitedLogger(createLogger({ level: 'debug', sink: (r) => lines.push(r) }), {
      burst: 2,
      intervalMs: 1000,
      now: () => now,
    });
    expect(rateLimitedLogger(log)).toBe(log);
    const line1 = log.child({ line: 1 });
    const line2 = log.child({ line: 2 });
    for (let i = 0; i < 100; i++) {
      line1.warn('battery lost');
      line1.child({ call: i }).info('ringing');
      log.debug('frame', { i });
    }
    line2.warn('battery lost');
    expect(lines.filter((l) => l.msg === 'battery lost').map((l) => l.fields.line)).toEqual([1, 1, 2]);
    // Each call's child is its own scope: a line that invents a new one per call is still bounded by the kinds cap.
    expect(lines.filter((l) => l.msg === 'frame')).toHaveLength(100);
    expect(log.limiter.counts()['warn {"line":1} battery lost']).toBe(100);
    now = 1000;
    line1.warn('battery lost');
    expect(lines.at(-1)).toMatchObject({ msg: 'battery lost', fields: { line: 1, suppressedSinceLast: 98 } });
  });
});
