/**
 * The one contract the gateway keeps its campaigns through: the embedded SQLite
 * store (CampaignStore, one gateway) and the PostgreSQL store (PgCampaignStore,
 * several gateways on one centre) both implement it, and one contract suite
 * (campaign-storage.contract.test.ts) runs against both.
 *
 * Methods return a value or a promise of it (`Awaitable`): SQLite answers at once,
 * PostgreSQL over the network; callers always await.
 */
import { CalleeCapsSettings } from './callee-caps';
import { Contact, ContactSource } from './contact-list';
import { AttemptRecord } from './outbound-campaign';
import { AttemptOutcome, RetryRules } from './retry-rules';

export type Awaitable<T> = T | Promise<T>;

export interface ContactRowInput {
  number: string;
  fields?: string[];
  line?: number;
}

/** A campaign as the gateway keeps it: its file's settings, where it stands, what it waits for. */
export interface CampaignDefRow {
  id: string;
  spec: unknown;
  state: string;
  /** What must be approved before it may start (empty once approved). */
  needs: string[];
  importReport: unknown;
  addedAt: number;
  updatedAt: number;
}

/** What a campaign's answered calls came to on one gateway (abandonment is per gateway and in total). */
export interface GatewayCampaignStats {
  /** The gateway's name; undefined in a store only one gateway uses. */
  gateway: string | undefined;
  dialled: number;
  answered: number;
  connected: number;
  abandoned: number;
}

/** How a campaign's numbers are handed out: dialling rules the store applies when it leases a number. */
export interface ContactSourceRules {
  retryRules: RetryRules;
  coolDownSec?: number;
  calleeCaps?: CalleeCapsSettings;
}

/** A campaign's contact list as kept in a store: the campaign takes numbers from it and gives outcomes back. */
export interface StoredContacts extends ContactSource {
  readonly campaign: string;
  /** Adds the finished call's details (cause, keys, seat, times) to its attempt row. */
  details(record: AttemptRecord): void;
  /** Gives back numbers taken ahead but not dialled, and waits for every write to land. */
  release(): Promise<void>;
}

export interface CampaignStorage {
  /** Several gateways work the same campaigns through this store. */
  readonly shared: boolean;
  /** The file or server, for messages (never a password). */
  readonly where: string;

  campaignDefs(): Awaitable<CampaignDefRow[]>;
  saveCampaignDef(id: string, spec: unknown, state: string, needs: string[], importReport: unknown, at: number): Awaitable<void>;
  setCampaignState(id: string, state: string, at: number, needs?: string[]): Awaitable<void>;
  /** Contacts of a campaign the store does not list: left by a crash in the middle of adding it. */
  discardUnlistedContacts(campaign: string): Awaitable<number>;
  addContacts(campaign: string, rows: ContactRowInput[], notBefore?: number): Awaitable<void>;
  /** Numbers of a list that will never be dialled (blacklisted): kept finished, with why, for the results. */
  addSkippedContacts(campaign: string, rows: ContactRowInput[], outcome: AttemptOutcome): Awaitable<void>;
  /** Numbers every gateway of the campaign must never dial (read from its blacklist files when it was added). */
  saveBlacklist(campaign: string, numbers: readonly string[]): Awaitable<void>;
  blacklist(campaign: string): Awaitable<string[]>;
  contactCounts(campaign: string): Awaitable<{ total: number; done: number }>;
  /** Numbers dialled (by any campaign) since `since`: for per-callee caps. */
  dialsSince(since: number): Awaitable<{ number: string; at: number }[]>;
  /** Every contact of a campaign in list order, as rows (number, fields as JSON text, line, done, last_outcome, ...). */
  allContacts(campaign: string): Awaitable<Record<string, unknown>[]>;
  /** Every attempt of a campaign in order, as rows (contact_id, number, state, dialled_at, outcome, cause, seat, ...). */
  attempts(campaign: string): Awaitable<Record<string, unknown>[]>;
  gatewayStats(campaign: string): Awaitable<GatewayCampaignStats[]>;
  /**
   * The campaign's list for this gateway to dial from: an attempt is recorded
   * before its number is dialled, and attempts a crash left in flight are closed
   * as interrupted (the retry rules say when to call again).
   */
  contactSource(campaign: string, rules: ContactSourceRules, now: number): Awaitable<StoredContacts>;
  /** Calls a SIM (by ICCID) placed on a local date: its daily cap survives a restart (src/signalling/gsm/sim-call-ledger.ts). */
  simCallsOn(iccid: string, day: string): Awaitable<number>;
  countSimCall(iccid: string, day: string): Awaitable<void>;
  close(): Awaitable<void>;
}

export type { Contact };
