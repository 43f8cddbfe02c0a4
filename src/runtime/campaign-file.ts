/**
 * Campaign files ("group call tasks"): YAML checked against
 * board-profiles/schema/campaign.schema.json, then by the rules below and against
 * the site (its trunk groups, answer groups, caller-ID pool); every finding reads
 * `FILE:LINE: field: message`, as site files do, and nothing of a file with
 * findings is used. Paths in the file are relative to it.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../core/errors';
import { CallingHours } from '../campaign/calling-hours';
import { AttemptOutcome } from '../campaign/retry-rules';
import { TextEncoding } from '../campaign/text-lines';
import { ConfigFileError, ConfigIssue } from '../provisioning/errors';
import { checkSchema } from '../provisioning/schema-check';
import { YamlSource } from '../provisioning/yaml-source';
import { AgentNumberAnnouncement, checkAgentNumber } from '../voice/call-prompts';

/** An announcement's files made absolute (relative to the file that names them). */
export function absAgentNumber(a: AgentNumberAnnouncement, abs: (p: string) => string): AgentNumberAnnouncement {
  return {
    pattern: a.pattern,
    digits: abs(a.digits),
    ...(a.before ? { before: abs(a.before) } : {}),
    ...(a.after ? { after: abs(a.after) } : {}),
  };
}

export type CampaignFileMode = 'preview' | 'predictive' | 'fixed-ratio' | 'progressive' | 'broadcast';

/** A campaign as its file says, paths made absolute: what the store keeps and a restart rebuilds from. */
export interface CampaignSpec {
  id: string;
  mode: CampaignFileMode;
  trunkGroup: string;
  answerGroup?: string;
  contacts: string;
  contactsEncoding?: TextEncoding | 'auto';
  numberColumn?: number | string;
  blacklist: string[];
  callerIds: string[];
  maxConcurrency: number;
  ringSeconds: number;
  algorithm?: 'predictive' | 'vicidial-adaptive';
  ratio?: number;
  retries?: Partial<Record<AttemptOutcome, { maxAttempts: number; delaySeconds?: number }>>;
  callingHours?: { timeZone?: string; windows: { days?: number[]; hours: string }[] };
  coolDownSeconds?: number;
  voice?: {
    file: string;
    plays?: number;
    keySeconds?: number;
    maxKeys?: number;
    interKeySeconds?: number;
    terminator?: string;
    bargeIn?: boolean;
  };
  /** Played to an answered call no agent could take in time (default: the site's). */
  abandonMessage?: string;
  /** The agent's number announced to the customer (default: the site's). */
  agentNumber?: AgentNumberAnnouncement;
  /** Recording of connected calls (default: the answer group's setting). */
  recording?: { enabled?: boolean; layout?: 'stereo' | 'mixed' };
  abandonTarget?: number;
  abandonSeconds?: number;
  previewSeconds?: number;
  calleeCaps?: { maxPer24h?: number; maxPer5min?: number; localHours?: string; timeZone?: string };
  /** Answering-machine detection (and call progress on E1 trunks). */
  amd?: { enabled?: boolean; maxAnalysisSeconds?: number };
}

/** What the site offers a campaign to refer to. */
export interface CampaignSiteView {
  trunkGroups: readonly string[];
  answerGroups: readonly string[];
}

const MAX_FILE_BYTES = 1 << 20;

export function loadCampaignFile(file: string, site?: CampaignSiteView): CampaignSpec {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    throw new InputError(file, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (size > MAX_FILE_BYTES)
    throw new InputError(file, `is ${size} bytes; a campaign file is at most ${MAX_FILE_BYTES} (contacts go in their own file)`);
  return campaignFromSource(YamlSource.fromFile(file), site);
}

export function campaignFromSource(source: YamlSource, site?: CampaignSiteView): CampaignSpec {
  const structural = checkSchema('campaign', source);
  if (structural.length) throw new ConfigFileError(structural);
  const raw = source.data as CampaignSpec;
  const issues: ConfigIssue[] = [];
  const report = (path: (string | number)[], message: string, atKey = false) => issues.push(source.issue(path, message, atKey));
  const base = dirname(resolve(source.file));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));

  const spec: CampaignSpec = {
    ...raw,
    contacts: abs(raw.contacts),
    blacklist: (raw.blacklist ?? []).map(abs),
    callerIds: raw.callerIds ?? [],
    maxConcurrency: raw.maxConcurrency ?? 0,
    ringSeconds: raw.ringSeconds ?? 45,
    voice: raw.voice ? { ...raw.voice, file: abs(raw.voice.file) } : undefined,
    abandonMessage: raw.abandonMessage === undefined ? undefined : abs(raw.abandonMessage),
    agentNumber: raw.agentNumber && absAgentNumber(raw.agentNumber, abs),
  };
  if (spec.abandonMessage && !existsSync(spec.abandonMessage)) report(['abandonMessage'], `${spec.abandonMessage} does not exist`);
  if (spec.agentNumber)
    try {
      checkAgentNumber(spec.agentNumber, 'agentNumber');
    } catch (err) {
      report(['agentNumber'], (err as Error).message);
    }
  if (spec.mode === 'broadcast' && (raw.recording !== undefined || raw.agentNumber !== undefined))
    report([raw.recording !== undefined ? 'recording' : 'agentNumber'], 'a broadcast campaign has no agent on its calls', true);
  if (!existsSync(spec.contacts)) report(['contacts'], `${spec.contacts} does not exist`);
  spec.blacklist.forEach((f, i) => existsSync(f) || report(['blacklist', i], `${f} does not exist`));
  if (spec.voice && !existsSync(spec.voice.file)) report(['voice', 'file'], `${spec.voice.file} does not exist`);
  if (spec.mode === 'broadcast' && raw.answerGroup !== undefined)
    report(['answerGroup'], 'a broadcast campaign plays its voice file to the callee; it has no answer group', true);
  if (spec.mode !== 'fixed-ratio' && raw.ratio !== undefined)
    report(['ratio'], `only a fixed-ratio campaign has a ratio (this one is ${spec.mode})`, true);
  if (spec.mode !== 'predictive' && raw.algorithm !== undefined)
    report(['algorithm'], `only a predictive campaign chooses an algorithm (this one is ${spec.mode})`, true);
  if (spec.mode !== 'preview' && raw.previewSeconds !== undefined)
    report(['previewSeconds'], `only a preview campaign has a preview time (this one is ${spec.mode})`, true);
  const dupCaller = spec.callerIds.findIndex((n, i) => spec.callerIds.indexOf(n) !== i);
  if (dupCaller >= 0) report(['callerIds', dupCaller], `${spec.callerIds[dupCaller]} is listed twice`);
  (raw.callingHours?.windows ?? []).forEach((w, i) => {
    const [start, end] = w.hours.split('-');
    try {
      new CallingHours([{ start, end, days: w.days, timeZone: raw.callingHours!.timeZone }]);
    } catch (err) {
      report(['callingHours', 'windows', i, 'hours'], (err as Error).message.replace(/^[^:]*: /, ''));
    }
  });
  if (raw.callingHours?.timeZone && !validZone(raw.callingHours.timeZone))
    report(['callingHours', 'timeZone'], `'${raw.callingHours.timeZone}' is not an IANA time zone`);
  if (raw.calleeCaps?.timeZone && !validZone(raw.calleeCaps.timeZone))
    report(['calleeCaps', 'timeZone'], `'${raw.calleeCaps.timeZone}' is not an IANA time zone`);
  if (raw.calleeCaps?.localHours) {
    const [start, end] = raw.calleeCaps.localHours.split('-');
    if (start >= end && end !== '24:00') report(['calleeCaps', 'localHours'], `ends (${end}) before it starts (${start})`);
  }
  if (
    raw.calleeCaps?.maxPer5min !== undefined &&
    raw.calleeCaps.maxPer24h !== undefined &&
    raw.calleeCaps.maxPer5min > raw.calleeCaps.maxPer24h
  ) {
    report(
      ['calleeCaps', 'maxPer5min'],
      `${raw.calleeCaps.maxPer5min} per 5 minutes is more than the ${raw.calleeCaps.maxPer24h} allowed per 24 h`,
    );
  }
  if (site) {
    if (!site.trunkGroups.includes(spec.trunkGroup))
      report(['trunkGroup'], `the site has no trunk group '${spec.trunkGroup}' (${site.trunkGroups.join(', ') || 'none'})`);
    if (spec.answerGroup !== undefined && spec.mode !== 'broadcast' && !site.answerGroups.includes(spec.answerGroup)) {
      report(['answerGroup'], `the site has no answer group '${spec.answerGroup}' (${site.answerGroups.join(', ') || 'none'})`);
    }
  }
  if (issues.length) throw new ConfigFileError(issues);
  return spec;
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Why a campaign must wait for `approve`: its voice file, and caller numbers the site's pool does not list. Empty when nothing needs approving. */
export function approvalsNeeded(spec: CampaignSpec, approvedCallerIds: readonly string[]): string[] {
  const needs: string[] = [];
  if (spec.voice) needs.push(`voice file ${spec.voice.file}`);
  const unknown = spec.callerIds.filter((n) => !approvedCallerIds.includes(n));
  if (unknown.length) needs.push(`caller numbers not in the site's callerIdPool: ${unknown.join(', ')}`);
  return needs;
}
