import { Clock } from '../core/clock';
import { Logger } from '../core/logger';
import { ContactSourceRules, StoredContacts } from './campaign-storage';
import { Contact, ContactList } from './contact-list';
import { AttemptRecord } from './outbound-campaign';
import type { PgCampaignStore } from './pg-campaign-store';
import { AttemptOutcome } from './retry-rules';
import { Emitter, Unsubscribe } from '../core/emitter';

/**
 * A campaign's list on a shared store, for one gateway: take() hands out
 * contacts this gateway has leased (their attempts already committed), and
 * leases more in the background as the campaign asks, about as many as it asked
 * for since the last lease, so a gateway holds few numbers it is not dialling.
 */
export class LeasedContacts implements StoredContacts {
  private readonly buffer: { contact: Contact; attemptId: number }[] = [];
  private readonly taken = new Map<number, number>();
  private readonly latest = new Map<number, number>();
  private readonly list: ContactList;
  private readonly available = new Emitter<[]>((err) => this.logger.error('contacts-available listener failed', { error: String(err) }));
  private leasing: Promise<void> | undefined;
  private readonly writes = new Set<Promise<unknown>>();
  private asked = 0;
  private inProgress = 0;
  private remainingInStore = 1;
  private nextDue: number | undefined;
  private released = false;

  constructor(
    private readonly store: PgCampaignStore,
    readonly campaign: string,
    private readonly rules: ContactSourceRules,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.list = new ContactList({ retryRules: rules.retryRules });
  }

  onAvailable(listener: () => void): Unsubscribe {
    return this.available.on(listener);
  }

  /** Leases what the campaign asked for since the last lease (at least one), and refreshes the counts. */
  async refresh(now: number, want = Math.max(1, this.asked)): Promise<void> {
    if (this.leasing) return this.leasing;
    this.asked = 0;
    this.leasing = this.store
      .lease(this.campaign, this.released ? 0 : want, now, this.rules)
      .then((r) => {
        this.buffer.push(...r.leased);
        this.remainingInStore = r.remaining;
        this.nextDue = r.nextDueAt;
        if (r.leased.length || r.remaining === 0) this.available.emit();
      })
      .catch((err: unknown) => this.logger.error('leasing contacts failed', { campaign: this.campaign, err: String(err) }))
      .finally(() => (this.leasing = undefined));
    return this.leasing;
  }

  take(now: number): Contact | undefined {
    this.asked++;
    // A gateway that lost touch with the store may have lost its leases: it dials nothing more until it beats again.
    const next = this.store.leaseHeld() ? this.buffer.shift() : undefined;
    if (!this.buffer.length && !this.released) void this.refresh(now);
    if (!next) return undefined;
    this.inProgress++;
    this.taken.set(next.contact.id, next.attemptId);
    this.latest.set(next.contact.id, next.attemptId);
    return next.contact;
  }

  /** Marks the contact's leased attempt as dialling, committed: the campaign dials only once this resolves. */
  async recorded(contact: Contact): Promise<void> {
    const attemptId = this.taken.get(contact.id);
    if (attemptId === undefined) return;
    await this.store.startDialling(attemptId, this.clock.now(), contact.number);
  }

  settle(contact: Contact, outcome: AttemptOutcome, now: number): void {
    this.inProgress--;
    const attemptId = this.taken.get(contact.id);
    this.taken.delete(contact.id);
    this.list.applyOutcome(contact, outcome, now);
    if (attemptId === undefined) return;
    this.write(async () => {
      if (!(await this.store.endAttempt(attemptId, contact, outcome, now)))
        this.logger.warn('outcome not recorded: another gateway took this attempt over (this one was presumed dead)', {
          campaign: this.campaign,
          number: contact.number,
        });
    });
  }

  details(record: AttemptRecord): void {
    const attemptId = record.contactId === undefined ? undefined : this.latest.get(record.contactId);
    if (attemptId === undefined) return;
    this.latest.delete(record.contactId!);
    this.write(() => this.store.recordDetails(attemptId, record));
  }

  nextDueAt(): number | undefined {
    return this.buffer.length ? this.buffer[0].contact.nextAttemptAt : this.nextDue;
  }

  remaining(): number {
    return Math.max(this.remainingInStore, this.inProgress + this.buffer.length);
  }

  async release(): Promise<void> {
    this.released = true;
    await this.leasing;
    for (const b of this.buffer.splice(0)) this.write(() => this.store.returnUndialled(b.attemptId, b.contact.id));
    while (this.writes.size) await Promise.all([...this.writes]);
    this.released = false;
  }

  /**
   * Writes go out side by side (each touches its own attempt's columns and its own contact), so a
   * gateway's channels share the pool rather than queue behind one another. A failure is logged: its
   * attempt stays in flight, is taken over and retried.
   */
  private write(fn: () => Promise<unknown>): void {
    const w: Promise<unknown> = fn()
      .catch((err: unknown) => this.logger.error('campaign store write failed', { campaign: this.campaign, err: String(err) }))
      .finally(() => this.writes.delete(w));
    this.writes.add(w);
  }
}
