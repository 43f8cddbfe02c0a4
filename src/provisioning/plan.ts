/**
 * `provision plan`: the files a site produces (system.conf, assigned-spans.conf,
 * span-types.conf, the modules list and modprobe options, the channel map), each compared with what is on disk under the target root, as one
 * unified diff.
 */
import { createTwoFilesPatch } from 'diff';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAssignedSpans } from './assigned-spans';
import { renderChannelMap } from './channel-map';
import { layoutSite, SiteLayout } from './layout';
import { renderDahdiModules, renderModprobeOptions } from './kernel-modules';
import { LoadedSite } from './site-config';
import { renderSpanTypes } from './span-types';
import { renderSystemConf } from './system-conf';

/** Where each generated file goes, relative to the root (`/` on a real machine). */
export const TARGETS = {
  systemConf: 'etc/dahdi/system.conf',
  assignedSpans: 'etc/dahdi/assigned-spans.conf',
  spanTypes: 'etc/dahdi/span-types.conf',
  dahdiModules: 'etc/dahdi/modules',
  modprobeOptions: 'etc/modprobe.d/trunkpilot-dahdi.conf',
  channelMap: 'etc/trunkpilot/channel-map.yaml',
} as const;

export interface PlannedFile {
  /** Path relative to the root, e.g. "etc/dahdi/system.conf". */
  target: string;
  /** Absolute path under the root. */
  path: string;
  content: string;
  /** What is on disk now; undefined when the file does not exist. */
  current?: string;
  changed: boolean;
  /** Unified diff from current to content ("" when unchanged). */
  diff: string;
}

export interface ProvisioningPlan {
  root: string;
  layout: SiteLayout;
  files: PlannedFile[];
  changed: boolean;
}

export function planProvisioning(loaded: LoadedSite, root: string): ProvisioningPlan {
  const layout = layoutSite(loaded);
  const contents: [string, string][] = [
    [TARGETS.systemConf, renderSystemConf(loaded, layout)],
    [TARGETS.assignedSpans, renderAssignedSpans(loaded, layout)],
    [TARGETS.spanTypes, renderSpanTypes(loaded, layout)],
    [TARGETS.dahdiModules, renderDahdiModules(loaded)],
    [TARGETS.modprobeOptions, renderModprobeOptions(loaded)],
    [TARGETS.channelMap, renderChannelMap(loaded, layout)],
  ];
  const files = contents.map(([target, content]) => {
    const path = join(root, target);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    const changed = current !== content;
    const diff = changed
      ? createTwoFilesPatch(current === undefined ? '/dev/null' : `a/${target}`, `b/${target}`, current ?? '', content, undefined, undefined, { context: 3 })
          .split('\n')
          .filter((l) => !l.startsWith('Index:') && !/^=+$/.test(l))
          .join('\n')
      : '';
    return { target, path, content, current, changed, diff };
  });
  return { root, layout, files, changed: files.some((f) => f.changed) };
}

export function planDiff(plan: ProvisioningPlan): string {
  return plan.files.filter((f) => f.changed).map((f) => f.diff).join('');
}
