import { randomBytes } from 'node:crypto';
import { runOutboundDemo, DemoSummary } from '../../../simulator/demo/outbound-demo';
import { importContacts } from '../../campaign/contact-import';
import { ContactList } from '../../campaign/contact-list';
import { hashPassword } from '../../telemetry/broker/credentials';
import { CampaignOperationsSource } from '../../telemetry/campaign-source';
import { systemClock } from '../../core/clock';
import { InputError } from '../../core/errors';
import { createLogger } from '../../core/logger';
import { CliIO } from '../cli-io';
import { parseCommandArgs, wholeNumberOption } from '../options';
import { renderRows } from '../render';

const USAGE = `usage: trunkpilot demo [--spans N] [--seats N] [--duration SEC] [--algorithm NAME] [--contacts FILE]
                      [--seed S] [--mqtt-port P] [--http-port P] [--no-telemetry]

The quick-start job: an outbound campaign paced by the predictive pacer (or
--algorithm fixed-ratio-R, vicidial-adaptive, progressive) on simulated E1 PRI spans
with real libpri at both ends, simulated agents at the seats, MQTT telemetry on an
embedded broker and the live dashboard; live progress, then a summary table.
Ctrl-C stops the campaign early: calls in flight finish and the summary still prints.
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const values = parseCommandArgs('demo', argv, {
        spans: { type: 'string', default: '2' },
        seats: { type: 'string', default: '16' },
        duration: { type: 'string', default: '120' },
        algorithm: { type: 'string', default: 'predictive' },
        contacts: { type: 'string' },
        seed: { type: 'string', default: '1' },
        'mqtt-port': { type: 'string', default: '1883' },
        'http-port': { type: 'string', default: '8080' },
        'no-telemetry': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      }, USAGE);
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const spans = wholeNumberOption(values.spans, 'spans', 0, 1, 8);
  const seats = wholeNumberOption(values.seats, 'seats', 0, 1, 64);
  const durationSec = wholeNumberOption(values.duration, 'duration', 0, 5, 7 * 24 * 3600);
  const seed = wholeNumberOption(values.seed, 'seed', 0, 0, 2 ** 31);
  const mqttPort = wholeNumberOption(values['mqtt-port'], 'mqtt-port', 0, 0, 65535);
  const httpPort = wholeNumberOption(values['http-port'], 'http-port', 0, 0, 65535);
  const logger = createLogger({ level: 'warn' });

  let contacts: ContactList | undefined;
  if (values.contacts) {
    contacts = new ContactList({ retryRules: {} });
    const report = await importContacts(values.contacts, (row) => contacts!.add(row.number, row.fields, row.line));
    io.stdout(`contacts: ${report.accepted} accepted from ${values.contacts}, ${report.rejected} rejected, ${report.duplicates} duplicates\n`);
    for (const p of report.problems.slice(0, 5)) io.stdout(`  ${values.contacts}:${p.line}: ${p.reason}\n`);
    if (report.accepted === 0) throw new InputError('--contacts', `${values.contacts} has no number to dial`);
  }

  const stop = new AbortController();
  const onSigint = () => {
    io.stderr('\nstopping: no new calls; calls in flight finish...\n');
    stop.abort();
  };
  process.once('SIGINT', onSigint);
  let closeTelemetry: (() => Promise<void>) | undefined;
  try {
    const summary = await runOutboundDemo(
      {
        spans,
        seats,
        seed,
        durationSec,
        algorithm: values.algorithm!,
        logger,
        contacts,
        signal: stop.signal,
        onReady: async (demo) => {
          io.stdout(`trunkpilot demo: ${spans} simulated E1 PRI span(s), ${demo.rig.group.totalChannels()} channels, ${seats} seats, ${values.algorithm} pacing, ${durationSec} s\n`);
          if (values['no-telemetry']) return;
          const { startTelemetry } = await import('../../telemetry/start-telemetry');
          const operations = new CampaignOperationsSource(demo.distributor, [{ campaign: demo.campaign, contacts: demo.contacts }], systemClock);
          // Nobody reads telemetry anonymously: the demo makes a one-time viewer and puts
          // its login in the link's fragment (which the browser never sends to a server).
          const viewerPassword = randomBytes(12).toString('base64url');
          const users = { demo: { passwordHash: hashPassword(viewerPassword), role: 'viewer' as const } };
          const t = await startTelemetry({ group: demo.rig.group, gateway: 'demo', mqttPort, httpPort, logger, operations, actions: operations.actions(), users });
          closeTelemetry = () => t.close();
          io.stdout(`MQTT telemetry on ${t.mqttUrl} (topics trunkpilot/demo/#; user demo, password ${viewerPassword}, read-only)\n`);
          if (t.dashboardUrl) io.stdout(`live dashboard:   ${t.dashboardUrl}#user=demo&password=${viewerPassword}\n`);
        },
      },
      (p) => {
        const seatText = Object.entries(p.seats).map(([k, n]) => `${k} ${n}`).join(', ');
        const rate = p.connected + p.abandoned > 0 ? ((100 * p.abandoned) / (p.connected + p.abandoned)).toFixed(1) : '0.0';
        const line = `${Math.round(p.elapsedSec)} s  calls done ${p.attempts}  to agents ${p.connected}  abandoned ${p.abandoned} (${rate}%)  channels ${p.channelsInUse}  seats: ${seatText}`;
        io.stdout(io.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
      },
    );
    if (io.isTTY) io.stdout('\n');
    io.stdout('\n' + renderSummary(summary));
    return summary.leakedChannels === 0 && summary.seatsNotIdle === 0 ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await closeTelemetry?.();
  }
}

function renderSummary(s: DemoSummary): string {
  return renderRows([
    ['calls done', s.attempts],
    ...Object.entries(s.outcomes).sort().map(([k, v]): [string, number] => [`  ${k}`, v]),
    ['abandon rate', `${(s.abandonRate * 100).toFixed(2)} % (target 3 %)`],
    ['agent occupancy', `${(s.occupancy * 100).toFixed(1)} %`],
    ['mean wait for an agent', `${Math.round(s.meanWaitMs)} ms`],
    ['channels left busy', s.leakedChannels],
    ['seats left busy', s.seatsNotIdle],
    ['elapsed', `${s.elapsedSec.toFixed(1)} s`],
  ]);
}
