import { Clock, TimerHandle } from '../../src/core/clock';
import { StateMachine, TransitionTable } from '../../src/core/state-machine';
import { Unsubscribe } from '../../src/core/emitter';
import { CLOSED_BY_US, SerialLinePort } from '../ports/serial-line-port';
import { AtFinalResult, endsCommand, parseFinalResult } from './at-final-result';
import { AtLineReader } from './at-line-reader';
import { isUnsolicitedOnly } from './at-reports';
import { AtCommandError, AtResponseError, AtTimeoutError, ModemUnavailableError, redactCommand } from './errors';

export interface AtCommandOptions {
  /** Per-command deadline (default: the queue's). */
  timeoutMs?: number;
  /** Results besides OK/ERROR/+CME/+CMS that end this command (a dial's NO CARRIER, BUSY...). */
  extraFinals?: readonly AtFinalResult['kind'][];
}

export interface AtResponse {
  command: string;
  /** Lines between the command and its final result, in order (echo removed). */
  lines: string[];
  final: AtFinalResult;
}

export type AtQueueEvent =
  /** Every line that is not the final result of the command in flight (reports, URCs, query output). */
  | { type: 'line'; text: string; inResponseTo?: string }
  | { type: 'invalid'; error: AtResponseError }
  /** `count` commands in a row got no answer: the modem may be wedged. */
  | { type: 'stalled'; count: number };

type QueueState = 'idle' | 'awaiting' | 'closed';
type QueueStimulus = 'send' | 'final' | 'timeout' | 'close';

/** See at-command-queue.fsm. */
const TABLE: TransitionTable<QueueState, QueueStimulus> = {
  idle: { send: 'awaiting', close: 'closed' },
  awaiting: { final: 'idle', timeout: 'idle', close: 'closed' },
  closed: {},
};

interface Pending {
  command: string;
  opts: AtCommandOptions;
  resolve(r: AtResponse): void;
  reject(e: Error): void;
}

export interface AtQueueOptions {
  clock: Clock;
  defaultTimeoutMs?: number;
  /** Lines one response may hold before it is refused (bounds memory). */
  maxResponseLines?: number;
  /** Consecutive timeouts that report the modem stalled. */
  stallAfter?: number;
  maxLineBytes?: number;
}

/**
 * One AT command at a time over a serial link: write, collect the response lines,
 * settle on the final result or the deadline, then the next. Whatever the modem sends
 * (garbage, endless lines, nothing at all) each command settles within its deadline,
 * so the queue never wedges; lines that are not the answer go out as events.
 */
export class AtCommandQueue {
  private readonly fsm: StateMachine<QueueState, QueueStimulus>;
  private readonly waiting: Pending[] = [];
  private current?: Pending;
  private lines: string[] = [];
  private overflowed = false;
  private timer?: TimerHandle;
  private consecutiveTimeouts = 0;
  private readonly reader: AtLineReader;
  private readonly listeners = new Set<(ev: AtQueueEvent) => void>();
  private readonly unsubscribe: Unsubscribe[];
  private readonly opts: Required<Omit<AtQueueOptions, 'clock'>> & { clock: Clock };

  constructor(
    private readonly link: SerialLinePort,
    options: AtQueueOptions,
  ) {
    this.opts = { defaultTimeoutMs: 5000, maxResponseLines: 64, stallAfter: 3, maxLineBytes: 512, ...options };
    this.fsm = new StateMachine(`at-queue ${link.path}`, TABLE, 'idle', { clock: options.clock });
    this.reader = new AtLineReader(link.path, this.opts.maxLineBytes);
    this.unsubscribe = [
      link.onData((chunk) => this.onBytes(chunk)),
      link.onClosed((reason) =>
        this.shutdown(new ModemUnavailableError(link.path, reason === CLOSED_BY_US ? 'closed' : 'link-lost', reason)),
      ),
    ];
  }

  get state(): QueueState {
    return this.fsm.state;
  }

  on(listener: (ev: AtQueueEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends `command` (without the trailing CR); resolves on OK or an extra final, rejects typed otherwise. */
  send(command: string, opts: AtCommandOptions = {}): Promise<AtResponse> {
    if (this.fsm.state === 'closed') return Promise.reject(new ModemUnavailableError(this.link.path, 'closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ command, opts, resolve, reject });
      this.pump();
    });
  }

  /** Rejects everything queued and stops listening; the link is the caller's to close. */
  close(): void {
    this.shutdown(new ModemUnavailableError(this.link.path, 'closed'));
  }

  private pump(): void {
    if (this.fsm.state !== 'idle') return;
    const next = this.waiting.shift();
    if (!next) return;
    this.fsm.transition('send', next.command);
    this.current = next;
    this.lines = [];
    this.overflowed = false;
    const timeoutMs = next.opts.timeoutMs ?? this.opts.defaultTimeoutMs;
    this.timer = this.opts.clock.setTimer(timeoutMs, () => this.onTimeout(timeoutMs));
    this.link.write(Buffer.from(`${next.command}\r`, 'latin1')).catch(() => {
      // The link's 'closed' event settles everything; nothing more to do here.
    });
  }

  private onBytes(bytes: Uint8Array): void {
    for (const l of this.reader.push(bytes)) {
      if (l.kind === 'invalid') this.emit({ type: 'invalid', error: l.error });
      else this.onLine(l.text);
    }
  }

  private onLine(text: string): void {
    const cur = this.current;
    if (cur && text === cur.command) return; // echo (before ATE0 took effect)
    const final = parseFinalResult(text);
    if (cur && final && endsCommand(final, cur.opts.extraFinals)) return this.settle(final, text);
    if (cur && !this.overflowed && !isUnsolicitedOnly(text)) {
      if (this.lines.length < this.opts.maxResponseLines) this.lines.push(text);
      else {
        this.overflowed = true;
        this.emit({
          type: 'invalid',
          error: new AtResponseError(
            this.link.path,
            'response-too-long',
            `${redactCommand(cur.command)}: over ${this.opts.maxResponseLines} lines`,
          ),
        });
      }
    }
    this.emit({ type: 'line', text, inResponseTo: cur && redactCommand(cur.command) });
  }

  private settle(final: AtFinalResult, finalText: string): void {
    const cur = this.current!;
    this.finishCurrent('final');
    this.consecutiveTimeouts = 0;
    if (this.overflowed)
      cur.reject(
        new AtResponseError(this.link.path, 'response-too-long', `${redactCommand(cur.command)}: over ${this.opts.maxResponseLines} lines`),
      );
    else if (!isFailure(final)) cur.resolve({ command: cur.command, lines: this.lines, final });
    else
      cur.reject(
        new AtCommandError(
          this.link.path,
          cur.command,
          final.kind as AtCommandError['result'],
          'detail' in final ? final.detail : undefined,
        ),
      );
    // A dial's BUSY / NO CARRIER / NO ANSWER is also news about the call.
    if (isCallResult(final)) this.emit({ type: 'line', text: finalText, inResponseTo: redactCommand(cur.command) });
    this.pump();
  }

  private onTimeout(timeoutMs: number): void {
    const cur = this.current;
    if (!cur) return;
    const partial = [...this.lines, ...(this.reader.pending ? [this.reader.pending] : [])];
    this.finishCurrent('timeout');
    // A half line belongs to the dead command, not to the next one.
    this.reader.reset();
    cur.reject(new AtTimeoutError(this.link.path, cur.command, timeoutMs, partial));
    this.consecutiveTimeouts++;
    if (this.consecutiveTimeouts >= this.opts.stallAfter) this.emit({ type: 'stalled', count: this.consecutiveTimeouts });
    this.pump();
  }

  private finishCurrent(how: 'final' | 'timeout'): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.current = undefined;
    this.fsm.transition(how);
  }

  private shutdown(err: Error): void {
    if (this.fsm.state === 'closed') return;
    this.timer?.cancel();
    this.fsm.transition('close', err.message);
    for (const u of this.unsubscribe) u();
    const all = [...(this.current ? [this.current] : []), ...this.waiting.splice(0)];
    this.current = undefined;
    for (const p of all) p.reject(err);
    this.listeners.clear();
  }

  private emit(ev: AtQueueEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(ev);
      } catch {
        // One listener's fault must not stall the queue.
      }
    }
  }
}

function isCallResult(r: AtFinalResult): boolean {
  return r.kind === 'no-carrier' || r.kind === 'busy' || r.kind === 'no-answer' || r.kind === 'no-dialtone';
}

function isFailure(r: AtFinalResult): boolean {
  return r.kind !== 'ok' && r.kind !== 'connect';
}
