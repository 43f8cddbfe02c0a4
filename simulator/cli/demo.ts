import type { DemoProgress, DemoSummary } from '../demo/outbound-demo';
import type { ContactList } from '../../src/campaign/contact-list';
import { InputError } from '../../src/core/errors';
import { createLogger } from '../../src/core/logger';
import { defineCommand, UsageError } from '../../src/cli/command';
import { campaignProgressSegments } from '../../src/cli/campaign-progress';
import { ProgressLine, toStdout } from '../../src/cli/progress-line';
import { renderRows } from '../../src/cli/render';

export default defineCommand({
  name: 'demo',
  summary: 'the quick-start job: simulated E1 PRI spans, a stream of calls, live progress, MQTT and dashboard',
  description: `An outbound campaign paced by the predictive pacer (or --algorithm fixed-ratio-R,
vicidial-adaptive, progressive) on simulated E1 PRI spans with real libpri at both ends,
simulated agents at the seats, MQTT telemetry on an embedded broker and the live dashboard;
live progress, then a summary table. When the time is up (or on Ctrl-C) no new call starts;
calls in flight get up to 45 s to finish, then the agents hang up.`,
  options: {
    spans: { type: 'integer', value: 'N', min: 1, max: 8, default: 2, description: 'simulated E1 PRI spans' },
    seats: { type: 'integer', value: 'N', min: 1, max: 64, default: 16, description: 'simulated agents' },
    duration: { type: 'integer', value: 'SEC', min: 5, max: 7 * 24 * 3600, default: 120, description: 'how long new calls are started' },
    algorithm: { type: 'string', value: 'NAME', default: 'predictive', description: 'pacing: predictive, progressive, vicidial-adaptive or fixed-ratio-<R>' },
    contacts: { type: 'string', value: 'FILE', description: 'numbers to dial (CSV/TXT); generated numbers when absent' },
    seed: { type: 'integer', value: 'S', min: 0, max: 2 ** 31, default: 1, description: 'seed of the simulated callees and agents' },
    'mqtt-port': { type: 'integer', value: 'P', min: 0, max: 65535, default: 1883, description: 'embedded MQTT broker port on 127.0.0.1 (0: any free port)' },
    'http-port': { type: 'integer', value: 'P', min: 0, max: 65535, default: 8080, description: 'live dashboard port on 127.0.0.1 (0: any free port)' },
    'no-telemetry': { type: 'flag', description: 'no MQTT broker and no dashboard' },
  },
  examples: [
    'trunkpilot demo',
    'trunkpilot demo --duration 600 --algorithm fixed-ratio-2 --contacts numbers.csv',
    'trunkpilot demo --spans 1 --seats 8 --duration 30 --no-telemetry',
  ],
  exitCodes: { 0: 'the run ended with every channel idle and every seat ready', 1: 'a channel or a seat was left busy, or an error' },
  async run({ options: values }, io) {
    const spans = values.spans;
    const seats = values.seats;
    const durationSec = values.duration;
    const seed = values.seed;
    const mqttPort = values['mqtt-port'];
    const httpPort = values['http-port'];
    const { createPacer } = await import('../../src/pacing/pacer-factory');
    try {
      createPacer(values.algorithm);
    } catch (err) {
      if (err instanceof InputError) throw new UsageError('--algorithm', err.problem);
      throw err;
    }
    const { runOutboundDemo, FINISH_LIMIT_SEC } = await import('../demo/outbound-demo');
    const { importContacts } = await import('../../src/campaign/contact-import');
    const { ContactList } = await import('../../src/campaign/contact-list');
    const { CampaignOperationsSource } = await import('../../src/telemetry/campaign-source');
    const { systemClock } = await import('../../src/core/clock');
    const logger = createLogger({ level: 'warn' });

    let contacts: ContactList | undefined;
    if (values.contacts) {
      contacts = new ContactList({ retryRules: {} });
      const report = await importContacts(values.contacts, (row) => contacts!.add(row.number, row.fields, row.line));
      io.stdout(`contacts: ${report.accepted} accepted from ${values.contacts}, ${report.rejected} rejected, ${report.duplicates} duplicates\n`);
      for (const p of report.problems.slice(0, 5)) io.stdout(`  ${values.contacts}:${p.line}: ${p.reason}\n`);
      if (report.accepted === 0) throw new InputError('--contacts', `${values.contacts} has no number to dial`);
    }

    const progress = new ProgressLine(toStdout(io));
    let lastPhase: DemoProgress['phase'] | undefined;
    const stop = new AbortController();
    const onSigint = () => {
      io.stderr(`\nstopping: no new calls; calls in flight get up to ${FINISH_LIMIT_SEC} s to finish\n`);
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
          algorithm: values.algorithm,
          logger,
          contacts,
          signal: stop.signal,
          onReady: async (demo) => {
            io.stdout(`trunkpilot demo: ${spans} simulated E1 PRI span(s), ${demo.rig.group.totalChannels()} channels, ${seats} seats, ${values.algorithm} pacing, ${durationSec} s\n`);
            if (values['no-telemetry']) return;
            const { startTelemetry } = await import('../../src/telemetry/start-telemetry');
            const operations = new CampaignOperationsSource(demo.distributor, [{ campaign: demo.campaign, contacts: demo.contacts }], systemClock);
            const { hashPassword } = await import('../../src/telemetry/broker/credentials');
            const { randomBytes } = await import('node:crypto');
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
          // Off a terminal lines come at most once a second; the switch to finishing always shows.
          progress.update(campaignProgressSegments(p), { force: p.phase !== lastPhase });
          lastPhase = p.phase;
        },
      );
      progress.done();
      io.stdout('\n' + renderSummary(summary));
      return summary.leakedChannels === 0 && summary.seatsNotIdle === 0 ? 0 : 1;
    } finally {
      process.removeListener('SIGINT', onSigint);
      await closeTelemetry?.();
    }
  },
});

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
