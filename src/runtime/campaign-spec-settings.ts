/** A campaign file's spec in the campaign module's terms: settings, pacer, blacklist, and the import summary shown for it. */
import { Blacklist } from '../campaign/blacklist';
import { CallingWindow } from '../campaign/calling-hours';
import { CampaignSettings, DEFAULT_SETTINGS } from '../campaign/campaign-settings';
import { importContacts, ImportReport } from '../campaign/contact-import';
import { DEFAULT_RETRY_RULES, RetryRules } from '../campaign/retry-rules';
import { TextEncoding } from '../campaign/text-lines';
import { CampaignSpec } from './campaign-file';

export interface ImportSummary {
  accepted: number;
  rejected: number;
  blacklisted: number;
  duplicates: number;
  /** The first bad rows: line and reason. */
  problems: { line: number; reason: string }[];
}

export function importSummary(r: ImportReport): ImportSummary {
  return {
    accepted: r.accepted,
    rejected: r.rejected,
    blacklisted: r.blacklisted,
    duplicates: r.duplicates,
    problems: r.problems.slice(0, 50).map((p) => ({ line: p.line, reason: p.reason })),
  };
}

export async function readBlacklist(files: readonly string[], encoding?: TextEncoding | 'auto'): Promise<Blacklist> {
  const b = new Blacklist();
  for (const f of files) await importContacts(f, (row) => b.add(row.number), { format: 'txt', dropDuplicates: true, encoding });
  return b;
}

export function pacerName(spec: CampaignSpec): string {
  switch (spec.mode) {
    case 'predictive':
      return spec.algorithm ?? 'predictive';
    case 'fixed-ratio':
      return `fixed-ratio-${spec.ratio}`;
    default:
      return 'progressive';
  }
}

/** The campaign file's settings in the campaign module's terms. */
export function campaignSettings(spec: CampaignSpec): CampaignSettings {
  const retryRules: RetryRules = { ...DEFAULT_RETRY_RULES };
  for (const [outcome, r] of Object.entries(spec.retries ?? {}))
    retryRules[outcome as keyof RetryRules] = { maxAttempts: r!.maxAttempts, delaySec: r!.delaySeconds ?? 0 };
  const zone = spec.callingHours?.timeZone ?? 'Asia/Shanghai';
  const callingHours: CallingWindow[] = (spec.callingHours?.windows ?? []).map((w) => {
    const [start, end] = w.hours.split('-');
    return { start, end, days: w.days, timeZone: zone };
  });
  return {
    ...DEFAULT_SETTINGS,
    name: spec.id,
    mode: spec.mode === 'broadcast' ? 'broadcast' : spec.mode === 'preview' ? 'preview' : 'paced',
    maxConcurrency: spec.maxConcurrency,
    ringSec: spec.ringSeconds,
    callerIds: spec.callerIds,
    retryRules,
    callingHours,
    coolDownSec: spec.coolDownSeconds ?? 0,
    abandonAfterSec: spec.abandonSeconds ?? DEFAULT_SETTINGS.abandonAfterSec,
    abandonTarget: spec.abandonTarget ?? DEFAULT_SETTINGS.abandonTarget,
    previewSec: spec.previewSeconds ?? 0,
    amd: spec.amd && spec.amd.enabled !== false ? { maxAnalysisSec: spec.amd.maxAnalysisSeconds ?? 5 } : undefined,
    broadcast: spec.voice
      ? {
          file: spec.voice.file,
          plays: spec.voice.plays ?? 1,
          keyTimeoutSec: spec.voice.keySeconds ?? 5,
          maxKeys: spec.voice.maxKeys ?? 1,
          interKeySec: spec.voice.interKeySeconds,
          terminator: spec.voice.terminator,
          bargeIn: spec.voice.bargeIn,
        }
      : undefined,
  };
}
