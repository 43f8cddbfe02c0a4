/**
 * `trunkpilot provision check|plan|apply --site FILE [--root DIR] [--sys-root DIR] [--profiles DIR]`.
 * With --sys-root the site is also checked against the boards DAHDI shows there.
 * check: validate only. plan: unified diff of the files apply would write; exit 0 when
 * nothing differs, 2 when something does, 1 on error. apply: dahdi_cfg -t on the new
 * system.conf, then write them atomically (needs --yes; --dry-run shows the steps only),
 * keeping numbered .bak copies, refusing files trunkpilot did not write unless --force;
 * then the commands that make them take effect.
 */
import { InputError } from '../../core/errors';
import { applyPlan, ApplyProgress } from '../../provisioning/apply';
import { DahdiCfgCheck } from '../../provisioning/dahdi-cfg-check';
import { nextSteps } from '../../provisioning/next-steps';
import { loadProfiles } from '../../provisioning/board-profile';
import { planDiff, planProvisioning } from '../../provisioning/plan';
import { loadSite, LoadedSite } from '../../provisioning/site-config';
import { checkSiteAgainstHardware } from '../../provisioning/site-hardware';
import { ConfigFileError } from '../../provisioning/errors';
import { discoverDahdi } from '../../discovery';
import { matchBoards } from '../../provisioning/board-matcher';
import { siteFromDetect } from '../../provisioning/site-from-detect';
import { siteFromSource } from '../../provisioning/site-config';
import { YamlSource } from '../../provisioning/yaml-source';
import { existsSync, writeFileSync } from 'node:fs';
import { defineCommand, defineGroup, UsageError } from '../command';

const SITE_OPTIONS = {
  site: { type: 'string', value: 'FILE', required: true, description: 'the site description (YAML)' },
  'sys-root': { type: 'string', value: 'DIR', description: 'also check the site against the boards DAHDI shows under DIR (/ for this machine)' },
  profiles: { type: 'string', value: 'DIR', description: 'board profiles directory (default: the shipped board-profiles)' },
} as const;
const ROOT_OPTION = { type: 'string', value: 'DIR', default: '/', description: 'write under DIR instead of / (DIR/etc/dahdi, DIR/etc/trunkpilot)' } as const;

function loadChecked(options: { site: string; 'sys-root'?: string; profiles?: string }): LoadedSite {
  const loaded = loadSite(options.site, loadProfiles(options.profiles));
  if (options['sys-root'] !== undefined) {
    // Only when asked: a site is often written and planned before the boards are in.
    const issues = checkSiteAgainstHardware(loaded, discoverDahdi({ sysRoot: options['sys-root'] }));
    if (issues.length) throw new ConfigFileError(issues);
  }
  return loaded;
}

function describeCheck(c: DahdiCfgCheck): string {
  if (c.outcome === 'passed') return `dahdi_cfg -t accepts system.conf${c.how === 'private-namespace' ? ' (checked in a private mount namespace: DAHDI is not loaded here)' : ''}`;
  if (c.outcome === 'not-run') return `system.conf NOT checked by dahdi_cfg -t: ${c.reason}`;
  return `dahdi_cfg -t rejects system.conf:\n  ${c.errors.join('\n  ')}`;
}

const check = defineCommand({
  name: 'check',
  summary: 'validate a site file (and, with --sys-root, against the boards present)',
  description: 'Every finding reads FILE:LINE: field: message.',
  options: SITE_OPTIONS,
  examples: ['trunkpilot provision check --site site.yaml', 'trunkpilot provision check --site site.yaml --sys-root /'],
  exitCodes: { 0: 'the site is valid', 1: 'the site has an error (FILE:LINE: field: message on stderr)' },
  async run({ options }, io) {
    const loaded = loadChecked(options);
    io.stdout(`${options.site}: site '${loaded.site.site}' is valid (${loaded.site.boards.length} boards)\n`);
    return 0;
  },
});

const plan = defineCommand({
  name: 'plan',
  summary: 'unified diff of the files apply would write: system.conf, assigned-spans.conf, span-types.conf, modules, modprobe options, channel map',
  options: { ...SITE_OPTIONS, root: ROOT_OPTION, json: { type: 'flag', description: 'changed flag and per-file diffs as JSON' } },
  examples: ['trunkpilot provision plan --site site.yaml', 'trunkpilot provision plan --site site.yaml --root /tmp/staging --json'],
  exitCodes: { 0: 'nothing differs', 1: 'the site has an error', 2: 'the files differ from the plan (a usage error also exits 2, with its message on stderr)' },
  async run({ options }, io) {
    const p = planProvisioning(loadChecked(options), options.root);
    if (options.json) io.stdout(JSON.stringify({ changed: p.changed, files: p.files.map((f) => ({ target: f.target, changed: f.changed, diff: f.diff })) }, null, 2) + '\n');
    else io.stdout(p.changed ? planDiff(p) : 'no changes\n');
    return p.changed ? 2 : 0;
  },
});

const apply = defineCommand({
  name: 'apply',
  summary: 'write the DAHDI and trunkpilot files for a site, atomically, keeping numbered .bak copies',
  description:
    'dahdi_cfg -t checks the new system.conf first (when dahdi_cfg is installed). All new files go to\n' +
    'temporary files; then each old file is copied to the next free NAME.N.bak and the new one renamed\n' +
    'over it. A file without trunkpilot\'s header is replaced only with --force. Without --yes nothing is\n' +
    'written (the diff is shown). The commands that make the files take effect are printed last.',
  options: {
    ...SITE_OPTIONS,
    root: ROOT_OPTION,
    yes: { type: 'flag', description: 'really write the files' },
    force: { type: 'flag', description: 'also replace files trunkpilot did not write (kept as numbered .bak)' },
    'dry-run': { type: 'flag', description: 'show the steps only' },
    json: { type: 'flag', description: 'the result and each step as JSON' },
  },
  examples: ['trunkpilot provision apply --site site.yaml --dry-run', 'trunkpilot provision apply --site site.yaml --yes', 'trunkpilot provision apply --site site.yaml --yes --force'],
  exitCodes: {
    0: 'written (or, with --dry-run, shown)',
    1: 'refused without --yes, a file trunkpilot did not write without --force, dahdi_cfg -t rejected system.conf, the site has an error, or a file could not be written (nothing changed)',
  },
  async run({ options }, io) {
    const p = planProvisioning(loadChecked(options), options.root);
    const dryRun = options['dry-run'];
    if (!dryRun && !options.yes) {
      if (!options.json) io.stdout(p.changed ? planDiff(p) : 'no changes\n');
      throw new InputError('trunkpilot provision apply', 'writes system files: run again with --yes to write them, or --dry-run to see the steps');
    }
    const events: ApplyProgress[] = [];
    const result = applyPlan(p, {
      dryRun,
      force: options.force,
      onProgress: (e) => {
        events.push(e);
        if (options.json) return;
        if (e.kind === 'span') io.stdout(`${e.text}\n`);
        else io.stdout(`${e.action.padEnd(11)} ${p.root.replace(/\/$/, '')}/${e.target}${e.backup ? ` (previous kept as ${e.backup})` : ''}\n`);
      },
    });
    const steps = dryRun ? [] : nextSteps(p, options.site, result.written);
    if (options.json) {
      io.stdout(JSON.stringify({ dryRun, ...result, progress: events, nextSteps: steps }, null, 2) + '\n');
      return 0;
    }
    if (result.dahdiCfg) io.stdout(`${describeCheck(result.dahdiCfg)}\n`);
    if (steps.length) io.stdout(`\nNext steps (as root):\n${steps.map((s, i) => `  ${i + 1}. ${s.command}\n     ${s.why}\n`).join('')}`);
    return 0;
  },
});

const init = defineCommand({
  name: 'init',
  summary: 'write a first site file from the boards detected (as dahdi_genconf derives a first configuration)',
  description:
    'Each matched board with its profile and DAHDI device; E1 spans guessed as PRI customer side, FXO ports as\n' +
    'one line group, FXS ports as seats. Every guess the hardware cannot confirm is marked CHOOSE: in a comment.\n' +
    'The file is checked like any site before it is written.',
  options: {
    'from-detect': { type: 'flag', description: 'derive the site from the boards DAHDI shows (required: the only source for now)' },
    out: { type: 'string', value: 'FILE', required: true, description: 'the site file to write (not replaced if it exists)' },
    name: { type: 'string', value: 'NAME', default: 'my-site', description: "the site's name" },
    'sys-root': { type: 'string', value: 'DIR', default: '/', description: 'directory that stands for / (holds proc/dahdi and sys)' },
    profiles: SITE_OPTIONS.profiles,
  },
  examples: ['trunkpilot provision init --from-detect --out /etc/trunkpilot/site.yaml', 'trunkpilot provision init --from-detect --sys-root /tmp/snapshot --out site.yaml --name shenzhen-1'],
  exitCodes: { 0: 'written', 1: 'the file exists, or the derived site does not check (a bug: the findings are printed)' },
  async run({ options }, io) {
    if (!options['from-detect']) throw new UsageError('provision init', '--from-detect: is required (the only source of a first site for now)');
    if (existsSync(options.out)) throw new InputError(options.out, 'exists; a first site file is never written over an existing one');
    const profiles = loadProfiles(options.profiles);
    const system = discoverDahdi({ sysRoot: options['sys-root'] });
    const boards = matchBoards(system, [...profiles.values()].map((l) => l.profile));
    const text = siteFromDetect(boards, system, { site: options.name, source: options['sys-root'] === '/' ? 'this machine' : options['sys-root'] });
    const loaded = siteFromSource(YamlSource.fromText(text, options.out), profiles);
    writeFileSync(options.out, text, { flag: 'wx' });
    const marks = text.split('\n').filter((l) => l.includes('# CHOOSE:')).length;
    io.stdout(`${options.out}: site '${loaded.site.site}' with ${loaded.site.boards.length} board(s); ${marks} guesses marked CHOOSE: to check before provision plan\n`);
    for (const w of system.warnings) io.stderr(`warning: ${w}\n`);
    return 0;
  },
});

export default defineGroup({
  name: 'provision',
  summary: 'check, plan (diff) or apply a site file: DAHDI system.conf, assigned-spans.conf, span-types.conf, modules, channel map',
  description: 'Describe a site once in YAML; trunkpilot writes DAHDI\'s files. With --sys-root the site is\nalso checked against the boards DAHDI shows there.',
  subcommands: [check, plan, apply, init],
});
