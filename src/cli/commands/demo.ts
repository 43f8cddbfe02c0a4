import { parseArgs } from 'node:util';
import { runSimulatedCalls } from '../../../simulator/call-run';
import { InputError } from '../../core/errors';
import { createLogger } from '../../core/logger';
import { CliIO } from '../cli-io';
import { progressBar } from '../render';
import { renderSummary } from './sim';

const USAGE = `usage: trunkpilot demo [--spans N] [--calls M] [--seed S] [--mqtt-port P] [--http-port P] [--no-telemetry]

The quick-start job: the line simulator with E1 PRI spans, a stream of calls through
the controller with live progress, MQTT telemetry on an embedded broker and the live
dashboard; a summary table at the end (Ctrl-C stops early and still prints it).
`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        spans: { type: 'string', default: '2' },
        calls: { type: 'string', default: '3000' },
        seed: { type: 'string', default: '1' },
        'mqtt-port': { type: 'string', default: '1883' },
        'http-port': { type: 'string', default: '8080' },
        'no-telemetry': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new InputError('demo', `${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const num = (name: string, v: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`--${name}`, `must be a whole number from ${min} to ${max}, got '${v}'`);
    return n;
  };
  const spans = num('spans', values.spans!, 1, 8);
  const calls = num('calls', values.calls!, 1, 10_000_000);
  const seed = num('seed', values.seed!, 0, 2 ** 31);
  const mqttPort = num('mqtt-port', values['mqtt-port']!, 0, 65535);
  const httpPort = num('http-port', values['http-port']!, 0, 65535);
  const logger = createLogger({ level: 'warn' });

  const stop = new AbortController();
  const onSigint = () => {
    io.stderr('\nstopping: letting calls in flight finish...\n');
    stop.abort();
  };
  process.once('SIGINT', onSigint);
  let closeTelemetry: (() => Promise<void>) | undefined;
  let lastPrint = 0;
  try {
    const summary = await runSimulatedCalls({
      signalling: 'pri',
      spans,
      calls,
      seed,
      logger,
      signal: stop.signal,
      // Callees ring and talk for a few seconds, so the dashboard has something to show.
      population: { ringSec: { dist: 'lognormal', median: 2, sigma: 0.5 }, talkSec: { dist: 'lognormal', median: 4, sigma: 0.6 } },
      noAnswerMs: 8000,
      onRig: async (rig) => {
        io.stdout(`trunkpilot demo: ${spans} simulated E1 PRI span(s), ${rig.group.totalChannels()} channels, ${calls} calls\n`);
        if (values['no-telemetry']) return;
        const { startTelemetry } = await import('../../telemetry/start-telemetry');
        const t = await startTelemetry({ group: rig.group, gateway: 'demo', mqttPort, httpPort, logger });
        closeTelemetry = () => t.close();
        io.stdout(`MQTT telemetry on ${t.mqttUrl} (topics trunkpilot/demo/#)\n`);
        if (t.dashboardUrl) io.stdout(`live dashboard:   ${t.dashboardUrl}\n`);
      },
      onProgress: (done, total, rig) => {
        const now = Date.now();
        if (done !== total && now - lastPrint < (io.isTTY ? 250 : 5000)) return;
        lastPrint = now;
        const busy = rig.group.totalChannels() - rig.group.idleChannels();
        const line = `${progressBar(done, total)}  channels in use ${String(busy).padStart(3)}/${rig.group.totalChannels()}`;
        io.stdout(io.isTTY ? `\r${line}` : `${line}\n`);
      },
    });
    if (io.isTTY) io.stdout('\n');
    io.stdout('\n' + renderSummary(summary, 'pri', spans));
    return summary.leaked_channels === 0 ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await closeTelemetry?.();
  }
}
