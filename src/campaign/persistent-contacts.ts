import { AttemptRecord } from './outbound-campaign';
import type { CampaignStore } from './campaign-store';
import { StoredContacts } from './campaign-storage';
import { Contact, ContactList } from './contact-list';
import { AttemptOutcome } from './retry-rules';

/**
 * A campaign's contact list kept in the store, paged: the in-memory ContactList
 * holds a window of the contacts due first (up to a page or two) and decides the
 * order within it; the rest stay in the store and are read a page at a time as
 * the window empties, so memory stays flat whatever the list's size. Every contact
 * in memory sorts (when due, id) at or before the last one read (the horizon),
 * every one in the store that is not sorts after it: a contact whose retry falls
 * beyond the horizon is left to the store (its row already says when) and read
 * again in its turn. The store records each attempt before it is dialled and its end.
 */
export class PersistentContacts implements StoredContacts {
  private readonly list: ContactList;
  private readonly open = new Map<number, number>();
  /** Contact id -> its latest attempt id, to attach the call's details when they come (in-progress ones only). */
  private readonly latest = new Map<number, number>();
  /** The last contact read from the store (its due time and id). */
  private horizon: { at: number; id: number } | undefined;
  /** Open contacts in the store not read yet (beyond the horizon). */
  private unread: number;
  private readonly pageRows: number;

  constructor(
    private readonly store: CampaignStore,
    readonly campaign: string,
    list: ContactList,
    now: number,
    opts: { pageRows?: number } = {},
  ) {
    this.list = list;
    this.pageRows = opts.pageRows ?? 2000;
    for (const a of store.inFlight(campaign)) {
      const c = store.contactById(a.contactId);
      if (!c) continue;
      // A crash left this attempt in flight: closed as interrupted; the retry rules say when to call again.
      list.applyOutcome(c, 'other', now);
      store.endAttempt(a.attemptId, c, 'other', now, 'interrupted');
    }
    this.unread = store.openContactCount(campaign);
    this.readPage();
  }

  /** Resolves when the attempt just taken for a contact is on disk: the campaign dials only then. */
  recorded(): Promise<void> {
    return this.store.durable();
  }

  take(now: number): Contact | undefined {
    this.topUp();
    const c = this.list.take(now);
    if (!c) return undefined;
    let attemptId: number;
    try {
      attemptId = this.store.beginAttempt(this.campaign, c, now);
    } catch (err) {
      // Not recorded, so not taken: it stays first in line for when the store takes writes again.
      this.list.putBack(c);
      throw err;
    }
    this.open.set(c.id, attemptId);
    this.latest.set(c.id, attemptId);
    return c;
  }

  settle(contact: Contact, outcome: AttemptOutcome, now: number): void {
    // A retry due beyond the horizon waits in the store (endAttempt writes when) until the window reaches it.
    const keep = (c: Contact) => this.horizon === undefined || !after(c, this.horizon);
    if (!this.list.settle(contact, outcome, now, keep) && !contact.done) this.unread++;
    const attemptId = this.open.get(contact.id);
    this.open.delete(contact.id);
    if (attemptId !== undefined) this.store.endAttempt(attemptId, contact, outcome, now);
  }

  /** Adds the finished call's details (cause, keys, seat, times) to its attempt row. */
  details(record: AttemptRecord): void {
    const attemptId = record.contactId === undefined ? undefined : this.latest.get(record.contactId);
    if (record.contactId !== undefined) this.latest.delete(record.contactId);
    if (attemptId === undefined) return;
    try {
      this.store.recordDetails(attemptId, record);
    } catch (err) {
      // A store refusing writes has stopped the campaign already (its alarm says so); the row keeps its outcome without details.
      if ((err as { code?: unknown }).code !== 'STORAGE_FAILED') throw err;
    }
  }

  nextDueAt(): number | undefined {
    this.topUp();
    return this.list.nextDueAt();
  }

  remaining(): number {
    return this.list.remaining() + this.unread;
  }

  /** Nothing is taken ahead here; waits until every write so far is on disk. */
  release(): Promise<void> {
    return this.store.durable();
  }

  /** Contacts held in memory (queued and in progress): bounded by the page size, not the list. */
  inMemory(): number {
    return this.list.remaining();
  }

  private topUp(): void {
    if (this.unread > 0 && this.list.queued() < this.pageRows / 4) this.readPage();
  }

  private readPage(): void {
    const page = this.store.openContactsPage(this.campaign, this.horizon, this.pageRows);
    for (const c of page) this.list.restore(c);
    if (page.length) {
      const last = page[page.length - 1];
      this.horizon = { at: last.nextAttemptAt, id: last.id };
    }
    this.unread = page.length < this.pageRows ? 0 : Math.max(0, this.unread - page.length);
  }
}

/** Whether contact c sorts after the key k in dialling order (when due, then id). */
function after(c: Contact, k: { at: number; id: number }): boolean {
  return c.nextAttemptAt > k.at || (c.nextAttemptAt === k.at && c.id > k.id);
}
