/**
 * A campaign's results from the store: one row per number of its list (the
 * latest outcome, its cause, attempts, the seat that took it, the keys pressed),
 * and the per-agent call record (one row per call a seat took). Built from the
 * store, so an export after a restart holds everything every run did.
 */
import { CampaignStorage } from '../campaign/campaign-storage';

export const RESULT_COLUMNS = ['number', 'outcome', 'cause', 'attempts', 'seat', 'keys', 'line', 'last_dialled_at', 'fields'] as const;
export const AGENT_RECORD_COLUMNS = [
  'seat',
  'campaign',
  'number',
  'dialled_at',
  'answered_at',
  'ended_at',
  'wait_sec',
  'talk_sec',
  'outcome',
  'cause',
  'recording',
] as const;

type Row = Record<string, unknown>;

/** Rows per page when an export goes over MQTT: ~100 bytes a row keeps a reply far under the broker's 256 KiB packet bound. */
export const EXPORT_PAGE_ROWS = 1000;

export interface ExportPage {
  campaign: string;
  part: 'results' | 'agents';
  /** The CSV header line, then this page's rows (no trailing newline when empty). */
  header: string;
  rows: string[];
  /** Row index to ask for next, or null when this was the last page. */
  next: number | null;
}

/** One page of an export, rows [from, from + limit). */
export async function exportPage(
  store: CampaignStorage,
  campaign: string,
  part: 'results' | 'agents',
  from: number,
  limit = EXPORT_PAGE_ROWS,
): Promise<ExportPage> {
  const attempts = await store.attempts(campaign);
  const csv = part === 'results' ? resultsCsv(await store.allContacts(campaign), attempts) : agentRecordsCsv(campaign, attempts);
  const all = csv.split('\n').filter(Boolean);
  const rows = all.slice(1 + from, 1 + from + limit);
  return { campaign, part, header: all[0], rows, next: 1 + from + limit < all.length ? from + limit : null };
}

/** The results CSV from a campaign's contact and attempt rows (CampaignStorage.allContacts, .attempts). */
export function resultsCsv(contacts: readonly Row[], attempts: readonly Row[]): string {
  const latest = new Map<number, Row>();
  const made = new Map<number, number>();
  for (const a of attempts) {
    const id = Number(a.contact_id);
    latest.set(id, a);
    made.set(id, (made.get(id) ?? 0) + 1);
  }
  const lines = [RESULT_COLUMNS.join(',')];
  for (const c of contacts) {
    const id = Number(c.id);
    const a = latest.get(id);
    const outcome = c.last_outcome ?? (Number(c.done) ? 'done' : 'pending');
    lines.push(
      [
        c.number,
        outcome,
        a?.cause ?? '',
        made.get(id) ?? 0,
        a?.seat ?? '',
        a?.keys ?? '',
        c.line ?? '',
        a ? new Date(Number(a.dialled_at)).toISOString() : '',
        (JSON.parse(String(c.fields)) as string[]).join(' | '),
      ]
        .map(cell)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

export function agentRecordsCsv(campaign: string, attempts: readonly Row[]): string {
  const lines = [AGENT_RECORD_COLUMNS.join(',')];
  for (const a of attempts) {
    if (a.seat === null || a.seat === undefined) continue;
    const iso = (v: unknown) => (v === null || v === undefined ? '' : new Date(Number(v)).toISOString());
    const answered = a.answered_at === null ? undefined : Number(a.answered_at);
    const talkSec =
      answered !== undefined && a.ended_at !== null ? ((Number(a.ended_at) - answered - Number(a.wait_ms ?? 0)) / 1000).toFixed(1) : '';
    lines.push(
      [
        a.seat,
        campaign,
        a.number,
        iso(a.dialled_at),
        iso(a.answered_at),
        iso(a.ended_at),
        a.wait_ms === null ? '' : (Number(a.wait_ms) / 1000).toFixed(1),
        talkSec,
        a.outcome ?? '',
        a.cause ?? '',
        a.recording ?? '',
      ]
        .map(cell)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

function cell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
