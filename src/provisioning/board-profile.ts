/**
 * Board profiles: one YAML file per board model in board-profiles/boards, checked
 * against board-profiles/schema/board-profile.schema.json after any migration from
 * an older schema version.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors';
import { ConfigFileError, ConfigIssue, formatIssue } from './errors';
import { CURRENT_PROFILE_VERSION, migrateProfile } from './profile-migrations';
import { boardProfilesDir } from './paths';
import { checkSchema } from './schema-check';
import { YamlSource } from './yaml-source';

export type Signalling = 'pri-cpe' | 'pri-net' | 'r2-cn' | 'ss7-isup' | 'ss7-tup' | 'fxo' | 'gsm';
export type EchoCancellerChoice = 'hardware' | 'oslec' | 'mg2' | 'kb1' | 'sec' | 'sec2' | 'hpec' | 'none';

export interface ProfileMatch {
  pci?: { vendor: string; device: string; subsystemVendor?: string; subsystemDevice?: string };
  usb?: { vendor: string; product: string };
  sim?: { manufacturer: string };
  deviceType?: string;
  spanCount?: number;
  spanType?: string;
  channels?: number;
}

export interface BoardProfile {
  schemaVersion: 2;
  id: string;
  vendor: string;
  model: string;
  description?: string;
  kind: 'digital' | 'analog' | 'simulator' | 'gsm-modem';
  driver: string;
  bus: 'pci' | 'usb' | 'sim';
  match: ProfileMatch[];
  spans?: { count: number; lineTypes: ('E1' | 'T1' | 'J1')[]; dchannel?: 'hardhdlc' | 'dchan' };
  ports?: { count: number; types: ('fxo' | 'fxs')[] };
  /** A GSM/LTE voice module: which AT dialect profile drives it. */
  modem?: { model: 'quectel-ec2x' | 'simcom-sim7600' | 'huawei-e1x' };
  ringDetection?: { minVrms: number; maxVrms: number; minHz: number; maxHz: number };
  impedances: number[];
  signalling: Signalling[];
  echoCanceller: {
    hardware?: { module: string; fitted: 'always' | 'optional' };
    software: Exclude<EchoCancellerChoice, 'hardware' | 'none'>[];
    default: EchoCancellerChoice;
  };
  seats: number;
  notes?: string;
}

/** A profile and where it came from (so later errors can point at it). */
export interface LoadedProfile {
  profile: BoardProfile;
  source: YamlSource;
  /** Schema version the file was written in, before migration. */
  writtenVersion: number;
}

export function profileFromSource(source: YamlSource): LoadedProfile {
  const migrated = migrateProfile(source.data, source);
  const issues: ConfigIssue[] = checkSchema('board-profile', source, migrated.data);
  if (migrated.from !== CURRENT_PROFILE_VERSION) {
    // Paths of a migrated document are the new layout's: say so rather than point at a wrong line.
    for (const i of issues) i.message += ` (after migration from schema version ${migrated.from})`;
  }
  if (!issues.length) {
    const p = migrated.data as BoardProfile;
    const expected = source.file
      .split('/')
      .pop()
      ?.replace(/\.ya?ml$/, '');
    if (source.file.includes('/') && expected !== p.id)
      issues.push(source.issue(['id'], `'${p.id}' does not match the file name '${expected}'`));
    for (const [i, m] of p.match.entries()) {
      if (m.deviceType !== undefined) {
        try {
          new RegExp(m.deviceType);
        } catch (err) {
          issues.push(source.issue(['match', i, 'deviceType'], `is not a valid regular expression: ${(err as Error).message}`));
        }
      }
    }
    const rd = p.ringDetection;
    if (rd && (rd.minVrms > rd.maxVrms || rd.minHz > rd.maxHz)) issues.push(source.issue(['ringDetection'], 'minimum above maximum'));
    if (!p.echoCanceller.hardware && p.echoCanceller.default === 'hardware') {
      issues.push(source.issue(['echoCanceller', 'default'], 'is hardware but the board has no hardware echo canceller'));
    }
  }
  if (issues.length) throw new ConfigFileError(issues);
  return { profile: migrated.data as BoardProfile, source, writtenVersion: migrated.from };
}

export function loadProfile(file: string): LoadedProfile {
  return profileFromSource(YamlSource.fromFile(file));
}

/**
 * The profiles of a directory by id, and the ones that failed to load by the id
 * their file name gives: a broken profile blocks only the sites that use it.
 */
export class ProfileSet extends Map<string, LoadedProfile> {
  readonly broken = new Map<string, readonly ConfigIssue[]>();

  /** Why a profile id cannot be used, when its file is broken. */
  whyBroken(id: string): string | undefined {
    const issues = this.broken.get(id);
    if (!issues) return undefined;
    const shown = issues.slice(0, 3).map(formatIssue).join('; ');
    return `board profile '${id}' is broken (${shown}${issues.length > 3 ? `; and ${issues.length - 3} more` : ''})`;
  }
}

/** Every profile in a directory (default: the shipped board-profiles/boards), by id. */
export function loadProfiles(dir = join(boardProfilesDir(), 'boards'), option = '--profiles'): ProfileSet {
  const out = new ProfileSet();
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
  } catch (err) {
    throw new InputError(option, `cannot read the board profile directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  for (const name of names) {
    try {
      const loaded = loadProfile(join(dir, name));
      out.set(loaded.profile.id, loaded);
    } catch (err) {
      if (!(err instanceof ConfigFileError)) throw err;
      out.broken.set(name.replace(/\.ya?ml$/, ''), err.issues);
    }
  }
  return out;
}
