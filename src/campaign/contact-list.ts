import { CalleeAdmission } from './callee-caps';
import { AttemptOutcome, RetryRules, retryVerdict } from './retry-rules';

/**
 * The numbers a campaign dials, ordered by when each may next be dialled. A
 * number not reached goes back with its next-attempt time; a number dialled
 * recently (by this or another contact with the same number) waits out its
 * cool-down.
 */
export interface Contact {
  id: number;
  /** Normalised number. */
  number: string;
  /** The other columns of its row, as imported. */
  fields: string[];
  /** Line of the import file it came from. */
  line?: number;
  attempts: number;
  nextAttemptAt: number;
  /** The seat that talked to this customer last (preferred for a call back). */
  preferredSeatId?: string;
  lastOutcome?: AttemptOutcome;
  done: boolean;
}

/** Where a campaign takes numbers from: a list, or a generator in the benchmark. */
export interface ContactSource {
  /** The next contact that may be dialled now, removed from the queue; undefined if none. */
  take(now: number): Contact | undefined;
  /**
   * Resolves once the attempt take() just started for this contact is durably
   * recorded (a list kept on disk); the campaign dials the number only then.
   * Absent: nothing to wait for.
   */
  recorded?(contact: Contact): Promise<void>;
  /** Gives an attempt's outcome back; the contact is requeued or finished. */
  settle(contact: Contact, outcome: AttemptOutcome, now: number): void;
  /** When the earliest queued contact becomes diallable (undefined: none left). */
  nextDueAt(): number | undefined;
  /** Contacts still to be dialled or in progress. */
  remaining(): number;
  /** Tells when contacts became available to take that were not (a shared store leases them in the background). */
  onAvailable?(listener: () => void): void;
}

export interface ContactListOptions {
  retryRules: RetryRules;
  /** Least time between two calls to the same number (s). */
  coolDownSec?: number;
  /** Per-callee caps (calls per 24 h and 5 min, local hours): a number over a cap waits until it allows. */
  admission?: CalleeAdmission;
}

export class ContactList implements ContactSource {
  private readonly heap: Contact[] = [];
  private readonly lastDialled = new Map<string, number>();
  private seq = 0;
  private inProgress = 0;
  private finished = 0;

  constructor(private readonly opts: ContactListOptions) {}

  add(number: string, fields: string[] = [], line?: number, notBefore = 0): Contact {
    const c: Contact = { id: ++this.seq, number, fields, line, attempts: 0, nextAttemptAt: notBefore, done: false };
    this.push(c);
    return c;
  }

  size(): number {
    return this.seq;
  }

  finishedCount(): number {
    return this.finished;
  }

  remaining(): number {
    return this.heap.length + this.inProgress;
  }

  nextDueAt(): number | undefined {
    return this.heap[0]?.nextAttemptAt;
  }

  take(now: number): Contact | undefined {
    const coolMs = (this.opts.coolDownSec ?? 0) * 1000;
    for (;;) {
      const top = this.heap[0];
      if (!top || top.nextAttemptAt > now) return undefined;
      this.pop();
      const last = this.lastDialled.get(top.number);
      if (coolMs > 0 && last !== undefined && now - last < coolMs) {
        top.nextAttemptAt = last + coolMs;
        this.push(top);
        continue;
      }
      const allowedAt = this.opts.admission?.notBefore(top.number, now) ?? now;
      if (allowedAt > now) {
        top.nextAttemptAt = allowedAt;
        this.push(top);
        continue;
      }
      this.opts.admission?.dialled(top.number, now);
      if (coolMs > 0) this.noteDialled(top.number, now, coolMs);
      this.inProgress++;
      return top;
    }
  }

  /**
   * Counts the outcome and queues the contact again unless it is done or `keep`
   * says another holder has it (a paged list leaves later retries to its store).
   * Says whether it was queued.
   */
  settle(contact: Contact, outcome: AttemptOutcome, now: number, keep: (c: Contact) => boolean = () => true): boolean {
    this.inProgress--;
    this.applyOutcome(contact, outcome, now);
    if (contact.done) {
      this.finished++;
      return false;
    }
    if (!keep(contact)) return false;
    this.push(contact);
    return true;
  }

  /** Returns a contact just taken, untried (its attempt could not be started). */
  putBack(contact: Contact): void {
    this.inProgress--;
    this.push(contact);
  }

  /** Contacts waiting in the queue (not in progress). */
  queued(): number {
    return this.heap.length;
  }

  /** Counts an attempt's outcome on a contact: its next-attempt time, or done. Does not queue it. */
  applyOutcome(contact: Contact, outcome: AttemptOutcome, now: number): void {
    const verdict = retryVerdict(this.opts.retryRules, outcome, contact.attempts + 1, now);
    if (verdict.retry === false || verdict.counts) contact.attempts++;
    contact.lastOutcome = outcome;
    if (verdict.retry) contact.nextAttemptAt = verdict.at;
    else contact.done = true;
  }

  /** Queues a contact read back from storage, keeping its id, attempts and next-attempt time. */
  restore(contact: Contact): void {
    this.seq = Math.max(this.seq, contact.id);
    this.push(contact);
  }

  /**
   * Numbers dialled within the cool-down, oldest first (re-inserted on each dial),
   * pruned as they age out: the map holds the last cool-down's numbers, not the list's.
   */
  private noteDialled(number: string, now: number, coolMs: number): void {
    this.lastDialled.delete(number);
    this.lastDialled.set(number, now);
    for (const [n, at] of this.lastDialled) {
      if (now - at < coolMs) break;
      this.lastDialled.delete(n);
    }
  }

  private before(a: Contact, b: Contact): boolean {
    return a.nextAttemptAt < b.nextAttemptAt || (a.nextAttemptAt === b.nextAttemptAt && a.id < b.id);
  }

  private push(c: Contact): void {
    const h = this.heap;
    h.push(c);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (!h.length) return;
    h[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l], h[m])) m = l;
      if (r < h.length && this.before(h[r], h[m])) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}

/** Endless numbers for the benchmark and the demo: 13900000000, 13900000001, ... */
export class GeneratedContacts implements ContactSource {
  private seq = 0;
  private inProgress = 0;

  constructor(private readonly prefix = '139') {}

  take(): Contact | undefined {
    const n = this.seq++;
    this.inProgress++;
    return {
      id: n + 1,
      number: this.prefix + String(n).padStart(11 - this.prefix.length, '0'),
      fields: [],
      attempts: 0,
      nextAttemptAt: 0,
      done: false,
    };
  }

  settle(contact: Contact, outcome: AttemptOutcome): void {
    this.inProgress--;
    contact.attempts++;
    contact.lastOutcome = outcome;
    contact.done = true;
  }

  nextDueAt(): number {
    return 0;
  }

  remaining(): number {
    return Number.POSITIVE_INFINITY;
  }
}
