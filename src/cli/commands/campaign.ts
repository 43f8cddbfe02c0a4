/**
 * `trunkpilot campaign SUBCOMMAND ... --site FILE`: drives the campaigns of a
 * running gateway through its authenticated MQTT command interface (the broker
 * and credentials from the site's telemetry section, or --broker/--user/--password).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../../core/errors';
import { loadProfiles } from '../../provisioning/board-profile';
import { loadSite } from '../../provisioning/site-config';
import { loadCampaignFile } from '../../runtime/campaign-file';
import { CommandClient, commandTarget } from '../../runtime/command-client';
import { CliIO } from '../cli-io';
import { renderRows } from '../render';

const USAGE = `usage: trunkpilot campaign add FILE            --site FILE [--json]
       trunkpilot campaign list                --site FILE [--json]
       trunkpilot campaign show ID             --site FILE [--json]
       trunkpilot campaign start|pause|resume|stop|approve ID --site FILE [--json]
       trunkpilot campaign export ID --out FILE [--agents-out FILE] --site FILE [--json]
       trunkpilot campaign test-call ID NUMBER --site FILE [--json]
  options: --broker URL --user NAME --password PW (default: from the site's telemetry
           section; TRUNKPILOT_USER / TRUNKPILOT_PASSWORD also work) --timeout SEC
           --profiles DIR

Reaches the gateway 'trunkpilot run --site FILE' runs, over its MQTT command topics.
add checks the campaign file here first (errors as FILE:LINE: field: message), then
the gateway imports its list (bad rows reported with line and reason, good ones kept).
A campaign whose voice file or caller numbers are not approved waits in
pending-approval until 'approve'. export writes the per-number results CSV to --out
and the per-agent call records to --agents-out (default: OUT with -agents before .csv).
`;

const SUBCOMMANDS: Record<string, { action: string; args: string[] }> = {
  add: { action: 'campaign.add', args: ['file'] },
  list: { action: 'campaign.list', args: [] },
  show: { action: 'campaign.show', args: ['campaign'] },
  start: { action: 'campaign.start', args: ['campaign'] },
  pause: { action: 'campaign.pause', args: ['campaign'] },
  resume: { action: 'campaign.resume', args: ['campaign'] },
  stop: { action: 'campaign.stop', args: ['campaign'] },
  approve: { action: 'campaign.approve', args: ['campaign'] },
  export: { action: 'campaign.export', args: ['campaign'] },
  'test-call': { action: 'campaign.test-call', args: ['campaign', 'number'] },
};

export async function run(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        site: { type: 'string' },
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
        'agents-out': { type: 'string' },
        broker: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        timeout: { type: 'string' },
        profiles: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw new InputError('campaign', `${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const [sub, ...rest] = positionals;
  const spec = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (!spec) throw new InputError('campaign', `${sub === undefined ? 'a subcommand is required' : `unknown subcommand '${sub}'`}\n${USAGE}`);
  if (rest.length !== spec.args.length) throw new InputError(`campaign ${sub}`, `takes ${spec.args.map((a) => a.toUpperCase()).join(' ') || 'no arguments'}\n${USAGE}`);
  if (!values.site) throw new InputError('--site', `is required (the gateway's site file)\n${USAGE}`);
  if (sub === 'export' && !values.out) throw new InputError('--out', 'is required for export');
  const timeoutMs = values.timeout === undefined ? 60_000 : Number(values.timeout) * 1000;
  if (!(timeoutMs > 0)) throw new InputError('--timeout', `must be a number of seconds, got '${values.timeout}'`);

  const args: Record<string, string> = {};
  spec.args.forEach((name, i) => (args[name] = rest[i]));
  if (sub === 'add') {
    // Checked here first, so a mistake is reported against the file before the gateway sees it.
    args.file = resolve(args.file);
    loadCampaignFile(args.file);
  }
  const site = loadSite(values.site, loadProfiles(values.profiles));
  const target = commandTarget(site.site, spec.action, {
    broker: values.broker,
    user: values.user ?? process.env.TRUNKPILOT_USER,
    password: values.password ?? process.env.TRUNKPILOT_PASSWORD,
  });
  const client = await CommandClient.connect(target, timeoutMs);
  let result: unknown;
  try {
    result = await client.request(spec.action, args);
  } finally {
    await client.close();
  }

  if (sub === 'export') {
    const r = result as { results: string; agentRecords: string };
    const out = resolve(values.out!);
    const agentsOut = resolve(values['agents-out'] ?? out.replace(/(\.csv)?$/i, '-agents.csv'));
    writeFileSync(out, r.results);
    writeFileSync(agentsOut, r.agentRecords);
    const summary = { campaign: rest[0], results: out, agentRecords: agentsOut, numbers: r.results.split('\n').length - 2 };
    io.stdout(values.json ? JSON.stringify(summary) + '\n' : renderRows(Object.entries(summary)));
    return 0;
  }
  if (values.json) {
    io.stdout(JSON.stringify(result) + '\n');
    return 0;
  }
  io.stdout(render(sub!, result));
  return 0;
}

function render(sub: string, result: unknown): string {
  if (sub === 'list') {
    const rows = result as { id: string; mode: string; state: string; total: number; done: number; activeCalls: number }[];
    if (!rows.length) return 'no campaigns\n';
    return renderRows([['id', 'mode / state / done / calls'], ...rows.map((r): [string, string] => [r.id, `${r.mode} / ${r.state} / ${r.done}/${r.total} / ${r.activeCalls}`])]);
  }
  if (sub === 'add') {
    const r = result as { campaign: { id: string; state: string; needs: string[] }; import: { accepted: number; rejected: number; blacklisted: number; duplicates: number; problems: { line: number; reason: string }[] } };
    const lines = [
      `campaign ${r.campaign.id}: ${r.campaign.state}${r.campaign.needs.length ? ` (waits for approval of ${r.campaign.needs.join('; ')})` : ''}`,
      `contacts: ${r.import.accepted} accepted, ${r.import.rejected} rejected, ${r.import.blacklisted} blacklisted, ${r.import.duplicates} duplicates`,
      ...r.import.problems.map((p) => `  line ${p.line}: ${p.reason}`),
    ];
    return lines.join('\n') + '\n';
  }
  if (result && typeof result === 'object' && !Array.isArray(result)) {
    return renderRows(Object.entries(result as Record<string, unknown>).filter(([k]) => k !== 'spec').map(([k, v]): [string, string] => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]));
  }
  return JSON.stringify(result) + '\n';
}
