/**
 * `trunkpilot provision check|plan|apply --site FILE [--root DIR] [--sys-root DIR] [--profiles DIR]`.
 * With --sys-root the site is also checked against the boards DAHDI shows there.
 * check: validate only. plan: unified diff of the files apply would write; exit 0 when
 * nothing differs, 2 when something does, 1 on error. apply: write them atomically
 * (needs --yes; --dry-run shows the steps only), keeping .bak copies.
 */
import { parseArgs } from 'node:util';
import { InputError } from '../../core/errors';
import { applyPlan, ApplyProgress } from '../../provisioning/apply';
import { loadProfiles } from '../../provisioning/board-profile';
import { planDiff, planProvisioning } from '../../provisioning/plan';
import { loadSite } from '../../provisioning/site-config';
import { checkSiteAgainstHardware } from '../../provisioning/site-hardware';
import { ConfigFileError } from '../../provisioning/errors';
import { discoverDahdi } from '../../discovery';
import { CliIO } from '../cli-io';

const USAGE = 'usage: trunkpilot provision check|plan|apply --site FILE [--root DIR] [--sys-root DIR] [--profiles DIR] [--yes] [--dry-run] [--json]';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [action, ...rest] = argv;
  if (!['check', 'plan', 'apply'].includes(action ?? '')) throw new InputError('trunkpilot provision', `unknown action '${action ?? ''}'; ${USAGE}`);
  let values: { site?: string; root?: string; 'sys-root'?: string; profiles?: string; yes?: boolean; 'dry-run'?: boolean; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { site: { type: 'string' }, root: { type: 'string' }, 'sys-root': { type: 'string' }, profiles: { type: 'string' }, yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
      strict: true,
    }));
  } catch (err) {
    throw new InputError(`trunkpilot provision ${action}`, `${(err as Error).message}; ${USAGE}`);
  }
  if (!values.site) throw new InputError(`trunkpilot provision ${action}`, `--site FILE is required; ${USAGE}`);
  const loaded = loadSite(values.site, loadProfiles(values.profiles));
  if (values['sys-root'] !== undefined) {
    // Only when asked: a site is often written and planned before the boards are in.
    const issues = checkSiteAgainstHardware(loaded, discoverDahdi({ sysRoot: values['sys-root'] }));
    if (issues.length) throw new ConfigFileError(issues);
  }
  if (action === 'check') {
    io.stdout(`${values.site}: site '${loaded.site.site}' is valid (${loaded.site.boards.length} boards)\n`);
    return 0;
  }
  const plan = planProvisioning(loaded, values.root ?? '/');
  if (action === 'plan') {
    if (values.json) io.stdout(JSON.stringify({ changed: plan.changed, files: plan.files.map((f) => ({ target: f.target, changed: f.changed, diff: f.diff })) }, null, 2) + '\n');
    else io.stdout(plan.changed ? planDiff(plan) : 'no changes\n');
    return plan.changed ? 2 : 0;
  }
  const dryRun = values['dry-run'] ?? false;
  if (!dryRun && !values.yes) {
    if (!values.json) io.stdout(plan.changed ? planDiff(plan) : 'no changes\n');
    throw new InputError('trunkpilot provision apply', 'writes system files: run again with --yes to write them, or --dry-run to see the steps');
  }
  const events: ApplyProgress[] = [];
  const result = applyPlan(plan, {
    dryRun,
    onProgress: (e) => {
      events.push(e);
      if (values.json) return;
      if (e.kind === 'span') io.stdout(`${e.text}\n`);
      else io.stdout(`${e.action.padEnd(11)} ${plan.root.replace(/\/$/, '')}/${e.target}${e.backup ? ` (previous kept as ${e.backup})` : ''}\n`);
    },
  });
  if (values.json) io.stdout(JSON.stringify({ dryRun, ...result, progress: events }, null, 2) + '\n');
  return 0;
}
