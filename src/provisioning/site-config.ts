/**
 * The site file an installer writes once: boards, per-span signalling, analog lines,
 * seats, answer groups, caller-ID pool. Loading checks it against the shipped schema,
 * then against the boards' profiles (site-rules.ts); every finding names file, line
 * and field, and nothing of a file with findings is used.
 */
import { ConfigFileError } from './errors';
import { LoadedProfile } from './board-profile';
import { checkSchema } from './schema-check';
import { checkSiteRules } from './site-rules';
import { SiteConfig } from './site-types';
import { YamlSource } from './yaml-source';

export interface LoadedSite {
  site: SiteConfig;
  source: YamlSource;
  profiles: Map<string, LoadedProfile>;
}

export function siteFromSource(source: YamlSource, profiles: Map<string, LoadedProfile>): LoadedSite {
  const structural = checkSchema('site', source);
  if (structural.length) throw new ConfigFileError(structural);
  const site = source.data as SiteConfig;
  const semantic = checkSiteRules(site, source, profiles);
  if (semantic.length) throw new ConfigFileError(semantic);
  return { site, source, profiles };
}

export function loadSite(file: string, profiles: Map<string, LoadedProfile>): LoadedSite {
  return siteFromSource(YamlSource.fromFile(file), profiles);
}
