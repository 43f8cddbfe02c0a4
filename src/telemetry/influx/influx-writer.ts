/**
 * Writes points to InfluxDB 1.x (POST /write, line protocol, precision=ms) in
 * batches. While the server is away, lines wait in a bounded buffer and the batch
 * is retried with exponential backoff; when the buffer is full the oldest waiting
 * line is dropped and counted. Every accepted point ends up written, dropped,
 * rejected (the server refused it as malformed) or still buffered:
 *   accepted = written + dropped + rejected + buffered.
 *
 * state     event   next      why
 * idle      send    sending   a batch is due (size reached or flush timer)
 * sending   ok      idle      204 from /write
 * sending   fail    backoff   network error, 5xx, 404 (database being created), 401
 * backoff   retry   sending   backoff timer fired: the same batch again
 * any       close   closed
 */
import { Clock, TimerHandle } from '../../core/clock';
import { InputError } from '../../core/errors';
import { Logger, silentLogger } from '../../core/logger';
import { StateMachine, TransitionTable } from '../../core/state-machine';
import { InfluxPoint } from './influx-schema';
import { encodePoint } from './line-protocol';
import { LineRing } from './line-ring';

export interface InfluxWriterOptions {
  /** e.g. http://127.0.0.1:8086 */
  url: string;
  database: string;
  clock: Clock;
  username?: string;
  password?: string;
  /** Lines per request (default 500). */
  batchSize?: number;
  /** Longest a point waits before a request is made (default 1000 ms). */
  flushIntervalMs?: number;
  /** Points held while the server is away, in flight included (default 20000). */
  maxBufferedPoints?: number;
  /** First retry delay, doubled per failure up to maxRetryMs (defaults 250 / 30000 ms). */
  initialRetryMs?: number;
  maxRetryMs?: number;
  requestTimeoutMs?: number;
  /** Sends CREATE DATABASE when the server says the database is missing (default true). */
  createDatabase?: boolean;
  logger?: Logger;
}

export interface InfluxWriterStats {
  accepted: number;
  written: number;
  dropped: number;
  rejected: number;
  buffered: number;
  requests: number;
  failures: number;
  lastError?: string;
}

type WriterState = 'idle' | 'sending' | 'backoff' | 'closed';
type WriterEvent = 'send' | 'ok' | 'fail' | 'retry' | 'close';
const WRITER: TransitionTable<WriterState, WriterEvent> = {
  idle: { send: 'sending', close: 'closed' },
  sending: { ok: 'idle', fail: 'backoff', close: 'closed' },
  backoff: { retry: 'sending', close: 'closed' },
  closed: { close: 'closed', ok: 'closed', fail: 'closed' },
};

class WriteFailure extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    readonly missingDatabase = false,
  ) {
    super(message);
  }
}

export class InfluxWriter {
  private readonly queue: LineRing;
  private inFlight: string[] = [];
  private readonly fsm: StateMachine<WriterState, WriterEvent>;
  private readonly counts: InfluxWriterStats = { accepted: 0, written: 0, dropped: 0, rejected: 0, buffered: 0, requests: 0, failures: 0 };
  private readonly batchSize: number;
  private readonly logger: Logger;
  private flushTimer: TimerHandle | undefined;
  private retryDelay: number;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: InfluxWriterOptions) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(opts.database))
      throw new InputError('influx.database', `'${opts.database}' is not a plain database name`);
    this.batchSize = opts.batchSize ?? 500;
    const max = opts.maxBufferedPoints ?? 20_000;
    if (max < 2 * this.batchSize)
      throw new InputError('influx.maxBufferedPoints', `must be at least twice the batch size (${2 * this.batchSize})`);
    this.queue = new LineRing(max - this.batchSize);
    this.fsm = new StateMachine('influx writer', WRITER, 'idle', { clock: opts.clock });
    this.logger = (opts.logger ?? silentLogger).child({ module: 'influx' });
    this.retryDelay = opts.initialRetryMs ?? 250;
  }

  get state(): WriterState {
    return this.fsm.state;
  }

  stats(): InfluxWriterStats {
    return { ...this.counts, buffered: this.queue.length + this.inFlight.length };
  }

  /** Encodes and queues points; throws InputError for a point that cannot be encoded (nothing queued then). */
  write(points: readonly InfluxPoint[]): void {
    if (this.fsm.state === 'closed') return;
    const lines = points.map(encodePoint);
    for (const line of lines) {
      this.counts.accepted++;
      if (this.queue.full) {
        this.queue.shift();
        this.counts.dropped++;
      }
      this.queue.push(line);
    }
    if (this.fsm.state === 'idle' && this.queue.length >= this.batchSize) this.sendNext();
    else this.armFlushTimer();
  }

  /** Sends what is queued now (if the server is up); resolves when the writer is idle or backing off. */
  async flush(): Promise<void> {
    if (this.fsm.state === 'idle' && this.queue.length) this.sendNext();
    while (this.fsm.state === 'sending') await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  /** One last attempt at what is buffered; anything still unsent is counted as dropped. */
  async close(): Promise<void> {
    if (this.fsm.state === 'closed') return;
    if (this.fsm.state === 'backoff') {
      this.fsm.stopAllTimers();
      this.fsm.transition('retry');
      await this.send();
    }
    await this.flush();
    this.flushTimer?.cancel();
    this.fsm.stopAllTimers();
    this.counts.dropped += this.queue.length + this.inFlight.length;
    this.queue.take(this.queue.length);
    this.inFlight = [];
    this.fsm.transition('close');
    this.wakeWaiters();
  }

  private armFlushTimer(): void {
    if (this.flushTimer || this.fsm.state !== 'idle') return;
    this.flushTimer = this.opts.clock.setTimer(this.opts.flushIntervalMs ?? 1000, () => {
      this.flushTimer = undefined;
      if (this.fsm.state === 'idle' && this.queue.length) this.sendNext();
    });
  }

  private sendNext(): void {
    this.flushTimer?.cancel();
    this.flushTimer = undefined;
    this.inFlight = this.queue.take(this.batchSize);
    this.fsm.transition('send');
    void this.send();
  }

  private async send(): Promise<void> {
    this.counts.requests++;
    try {
      await this.post(this.inFlight);
      if (this.fsm.state === 'closed') return;
      this.counts.written += this.inFlight.length;
      this.inFlight = [];
      this.retryDelay = this.opts.initialRetryMs ?? 250;
      this.fsm.transition('ok');
    } catch (err) {
      if (this.fsm.state === 'closed') return;
      this.counts.failures++;
      const failure = err instanceof WriteFailure ? err : new WriteFailure(String((err as Error).message ?? err), true);
      this.counts.lastError = failure.message;
      if (!failure.retry) {
        this.logger.error('InfluxDB refused a batch; its points are counted as rejected', {
          error: failure.message,
          points: this.inFlight.length,
        });
        this.counts.rejected += this.inFlight.length;
        this.inFlight = [];
        this.fsm.transition('ok');
      } else {
        if (failure.missingDatabase && this.opts.createDatabase !== false) await this.createDatabase().catch(() => undefined);
        if (this.counts.failures === 1 || this.retryDelay >= (this.opts.maxRetryMs ?? 30_000)) {
          this.logger.warn('InfluxDB unavailable; buffering and retrying', {
            error: failure.message,
            buffered: this.stats().buffered,
            retryMs: this.retryDelay,
          });
        }
        this.fsm.transition('fail');
        this.fsm.startTimer('retry', this.retryDelay, () => {
          this.fsm.transition('retry');
          void this.send();
        });
        this.retryDelay = Math.min(this.retryDelay * 2, this.opts.maxRetryMs ?? 30_000);
      }
    }
    this.wakeWaiters();
    if (this.fsm.state === 'idle') {
      if (this.queue.length >= this.batchSize) this.sendNext();
      else if (this.queue.length) this.armFlushTimer();
    }
  }

  private wakeWaiters(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }

  private async post(lines: string[]): Promise<void> {
    const url = `${this.opts.url}/write?db=${encodeURIComponent(this.opts.database)}&precision=ms`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        body: lines.join('\n'),
        headers: this.headers(),
        signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 5000),
      });
    } catch (err) {
      throw new WriteFailure(`cannot reach ${this.opts.url}: ${describe(err)}`, true);
    }
    if (res.status === 204) return;
    const body = (await res.text().catch(() => '')).slice(0, 300);
    if (res.status === 404 && /database not found/.test(body))
      throw new WriteFailure(`database '${this.opts.database}' not found`, true, true);
    if (res.status === 400) throw new WriteFailure(`HTTP 400: ${body}`, false);
    throw new WriteFailure(`HTTP ${res.status}: ${body}`, true);
  }

  private async createDatabase(): Promise<void> {
    const q = `CREATE DATABASE "${this.opts.database}"`;
    const res = await fetch(`${this.opts.url}/query`, {
      method: 'POST',
      body: new URLSearchParams({ q }),
      headers: this.headers(),
      signal: AbortSignal.timeout(this.opts.requestTimeoutMs ?? 5000),
    });
    if (res.ok) this.logger.info('created InfluxDB database', { database: this.opts.database });
  }

  private headers(): Record<string, string> {
    if (this.opts.username === undefined) return {};
    return { authorization: 'Basic ' + Buffer.from(`${this.opts.username}:${this.opts.password ?? ''}`).toString('base64') };
  }
}

function describe(err: unknown): string {
  const e = err as { cause?: { code?: string; message?: string }; message?: string; name?: string };
  return e.cause?.code ?? e.cause?.message ?? e.name ?? e.message ?? String(err);
}
