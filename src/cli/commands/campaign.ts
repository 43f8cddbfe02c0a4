/**
 * `trunkpilot campaign SUBCOMMAND ... --site FILE`: drives the campaigns of a
 * running gateway through its authenticated MQTT command interface (the broker
 * and credentials from the site's telemetry section, or --broker/--user/--password).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCampaignFile } from '../../runtime/campaign-file';
import { CommandClient } from '../../runtime/command-client';
import { CliIO } from '../cli-io';
import { Command, defineCommand, defineGroup } from '../command';
import { askGateway, GATEWAY_OPTIONS, GatewayOptionValues, withGatewayClient } from '../gateway-command';
import { renderRows } from '../render';

const COMMON = GATEWAY_OPTIONS;
type Common = GatewayOptionValues;
const ask = askGateway;
const withClient = withGatewayClient;

/** Fetches an export page by page (each reply stays under the broker's packet bound) into a file. */
async function fetchExport(client: CommandClient, campaign: string, part: 'results' | 'agents', file: string): Promise<number> {
  const out = openSync(file, 'w');
  let rows = 0;
  try {
    for (let from: number | null = 0; from !== null;) {
      const page = (await client.request('campaign.export', { campaign, part, from })) as {
        header: string;
        rows: string[];
        next: number | null;
      };
      if (from === 0) writeSync(out, page.header + '\n');
      if (page.rows.length) writeSync(out, page.rows.join('\n') + '\n');
      rows += page.rows.length;
      from = page.next;
    }
  } finally {
    closeSync(out);
  }
  return rows;
}

function print(io: CliIO, values: Common, sub: string, result: unknown): number {
  io.stdout(values.json ? JSON.stringify(result) + '\n' : render(sub, result));
  return 0;
}

/** A subcommand that takes the campaign id (and maybe more positionals) and prints the gateway's reply. */
function simple(
  name: string,
  summary: string,
  action: string,
  positionals: { name: string; description: string; arg: string }[],
  example: string,
): Command {
  return defineCommand({
    name,
    summary,
    options: COMMON,
    positionals: positionals.map((p) => ({ name: p.name, description: p.description, required: true })),
    examples: [example],
    async run({ options, positionals: given }, io) {
      const args: Record<string, string> = {};
      positionals.forEach((p, i) => (args[p.arg] = given[i]));
      return print(io, options, name, await ask(options, action, args));
    },
  });
}

const ID = { name: 'ID', description: "the campaign id (its file's id:)", arg: 'campaign' };

const add = defineCommand({
  name: 'add',
  summary: 'add a campaign from its file (checked here first; the gateway imports its list)',
  description: `The file is checked here first (findings as FILE:LINE: field: message), then the gateway
imports its contact list: bad rows are reported with line and reason, good ones kept. A
campaign whose voice file or caller numbers are not approved waits in pending-approval
until 'approve'; the others are ready to start.`,
  options: COMMON,
  positionals: [{ name: 'FILE', description: 'the campaign file (YAML; paths in it are relative to it)', required: true }],
  examples: ['trunkpilot campaign add spring.yaml --site /etc/trunkpilot/lab.yaml'],
  async run({ options, positionals }, io) {
    const file = resolve(positionals[0]);
    loadCampaignFile(file);
    return print(io, options, 'add', await ask(options, 'campaign.add', { file }));
  },
});

const exportCmd = defineCommand({
  name: 'export',
  summary: 'write the per-number results CSV and the per-agent call records CSV',
  options: {
    ...COMMON,
    out: { type: 'string', value: 'FILE', required: true, description: 'results CSV (number,outcome,cause,attempts,seat,keys,...)' },
    'agents-out': { type: 'string', value: 'FILE', description: 'per-agent call records CSV (default: OUT with -agents before .csv)' },
  },
  positionals: [{ name: 'ID', description: 'the campaign id', required: true }],
  examples: ['trunkpilot campaign export spring --out spring-results.csv --site /etc/trunkpilot/lab.yaml'],
  async run({ options, positionals }, io) {
    const out = resolve(options.out);
    const agentsOut = resolve(options['agents-out'] ?? out.replace(/(\.csv)?$/i, '-agents.csv'));
    const [numbers, calls] = await withClient(options, 'campaign.export', async (client) => [
      await fetchExport(client, positionals[0], 'results', out),
      await fetchExport(client, positionals[0], 'agents', agentsOut),
    ]);
    const summary = { campaign: positionals[0], results: out, agentRecords: agentsOut, numbers, agentCalls: calls };
    io.stdout(options.json ? JSON.stringify(summary) + '\n' : renderRows(Object.entries(summary)));
    return 0;
  },
});

const SITE = '--site /etc/trunkpilot/lab.yaml';

export default defineGroup({
  name: 'campaign',
  summary: 'add, list, show, start, pause, resume, stop, approve, export, test-call campaigns on a running gateway',
  description: `Reaches the gateway 'trunkpilot run --site FILE' runs, over its authenticated MQTT
command topics (trunkpilot/<gateway>/cmd/<user>/campaign.*). Campaigns, lists, attempts
and outcomes live in the gateway's store and survive restarts.`,
  subcommands: [
    add,
    simple('list', 'every campaign of the gateway with its state and progress', 'campaign.list', [], `trunkpilot campaign list ${SITE}`),
    simple(
      'show',
      "one campaign: state, progress, outcomes, its settings and its list's import report",
      'campaign.show',
      [ID],
      `trunkpilot campaign show spring ${SITE} --json`,
    ),
    simple(
      'start',
      'start dialling (or take a stopped campaign up where it was left)',
      'campaign.start',
      [ID],
      `trunkpilot campaign start spring ${SITE}`,
    ),
    simple('pause', 'no new calls; calls in progress go on', 'campaign.pause', [ID], `trunkpilot campaign pause spring ${SITE}`),
    simple('resume', 'dial again after a pause', 'campaign.resume', [ID], `trunkpilot campaign resume spring ${SITE}`),
    simple(
      'stop',
      'no new calls; calls in progress finish; replies once they have',
      'campaign.stop',
      [ID],
      `trunkpilot campaign stop spring ${SITE}`,
    ),
    simple(
      'approve',
      'approve its voice file and caller numbers: pending-approval becomes ready',
      'campaign.approve',
      [ID],
      `trunkpilot campaign approve spring ${SITE}`,
    ),
    exportCmd,
    simple(
      'test-call',
      "one call to NUMBER with the campaign's settings; the list is not touched",
      'campaign.test-call',
      [ID, { name: 'NUMBER', description: 'the number to call', arg: 'number' }],
      `trunkpilot campaign test-call spring 13800138000 ${SITE}`,
    ),
  ],
});

function render(sub: string, result: unknown): string {
  if (sub === 'list') {
    const rows = result as { id: string; mode: string; state: string; total: number; done: number; activeCalls: number }[];
    if (!rows.length) return 'no campaigns\n';
    return renderRows([
      ['id', 'mode / state / done / calls'],
      ...rows.map((r): [string, string] => [r.id, `${r.mode} / ${r.state} / ${r.done}/${r.total} / ${r.activeCalls}`]),
    ]);
  }
  if (sub === 'add') {
    const r = result as {
      campaign: { id: string; state: string; needs: string[] };
      import: { accepted: number; rejected: number; blacklisted: number; duplicates: number; problems: { line: number; reason: string }[] };
    };
    const lines = [
      `campaign ${r.campaign.id}: ${r.campaign.state}${r.campaign.needs.length ? ` (waits for approval of ${r.campaign.needs.join('; ')})` : ''}`,
      `contacts: ${r.import.accepted} accepted, ${r.import.rejected} rejected, ${r.import.blacklisted} blacklisted, ${r.import.duplicates} duplicates`,
      ...r.import.problems.map((p) => `  line ${p.line}: ${p.reason}`),
    ];
    return lines.join('\n') + '\n';
  }
  if (result && typeof result === 'object' && !Array.isArray(result)) {
    return renderRows(
      Object.entries(result as Record<string, unknown>)
        .filter(([k]) => k !== 'spec')
        .map(([k, v]): [string, string] => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
    );
  }
  return JSON.stringify(result) + '\n';
}
