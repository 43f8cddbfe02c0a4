/**
 * `trunkpilot run --site SITE.yaml`: the long-running gateway. Opens the site
 * through the one composition root (src/runtime/gateway.ts), resumes what was
 * running, takes campaign commands over its authenticated MQTT interface, and
 * stops in order on SIGTERM/SIGINT. `--simulate` runs the same gateway on the
 * userspace DAHDI with the simulated exchange and agents (the process re-executes
 * itself with libfakedahdi.so preloaded); `npm start` is that with a generated
 * campaign.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../core/clock';
import { InputError } from '../../core/errors';
import { createLogger, Logger, LogLevel } from '../../core/logger';
import { loadProfiles } from '../../provisioning/board-profile';
import { loadSite } from '../../provisioning/site-config';
import type { UsbPort } from '../../../drivers/ports/usb-port';
import type { Gateway } from '../../runtime/gateway';
import type { ProgressMeter } from '../../runtime/run-progress';
import { gatewayName } from '../../runtime/site-telemetry';
import { hashPassword, TelemetryUser } from '../../telemetry/broker/credentials';
import { checkGatewayName } from '../../telemetry/topics';
import type { SimulatedSiteHandle, SiteSimulator } from '../../runtime/site-simulator';
import { campaignProgressSegments } from '../campaign-progress';
import { CliIO } from '../cli-io';
import { ProgressLine, toStdout } from '../progress-line';
import { Command, defineCommand, OptionValues } from '../command';

const DESCRIPTION = `Runs the gateway for a provisioned site: every span and line group on DAHDI, the
seats and answer groups, the campaign store (SQLite), pacing, and telemetry (MQTT
broker, dashboard, InfluxDB) as the site file says. Campaigns are added and driven
with 'trunkpilot campaign ... --site FILE'; those that were running when the gateway
stopped (or crashed) run again. A span whose board is missing or whose line is in
alarm starts out of service and is reported.

--simulate runs the same gateway on the userspace DAHDI, with the simulated exchange
behind the spans and simulated agents at the seats (the site's simulation: section
says how they behave); npm start is that with --demo-campaign.

SIGINT/SIGTERM: no new calls, calls in progress finish within --grace, attempts
closed, store and telemetry flushed, 'offline' published, exit 0. Logs go to stderr,
as JSON lines when stdout is not a terminal.`;

const OPTIONS = {
  site: { type: 'string', value: 'FILE', required: true, description: 'the provisioned site (YAML)' },
  db: {
    type: 'string',
    value: 'FILE',
    description: 'the campaign store (default /var/lib/trunkpilot/SITE.db; with --simulate a fresh temporary file)',
  },
  store: {
    type: 'string',
    value: 'URL',
    description: 'a campaign store shared by several gateways (postgres://USER[:PW]@HOST/DB; default TRUNKPILOT_STORE) instead of --db',
  },
  gateway: {
    type: 'string',
    value: 'NAME',
    description:
      "this gateway's name: its MQTT tree trunkpilot/NAME/ and its rows in a shared store (default: the site's telemetry.gateway or name)",
  },
  'lease-timeout': {
    type: 'number',
    value: 'SEC',
    min: 1,
    max: 3600,
    default: 30,
    unit: 's',
    description: 'shared store: a gateway silent this long is taken for dead, and the numbers it was dialling are retried by the others',
  },
  simulate: { type: 'flag', description: 'run on the line simulator (userspace DAHDI, simulated exchange and agents)' },
  'demo-campaign': { type: 'flag', description: 'add and start a generated predictive campaign (what npm start runs)' },
  duration: {
    type: 'number',
    value: 'SEC',
    min: 0,
    max: 365 * 86_400,
    unit: 's',
    description: 'stop after this long (default: until SIGINT/SIGTERM; 120 with --demo-campaign)',
  },
  grace: {
    type: 'number',
    value: 'SEC',
    min: 0,
    max: 3600,
    default: 30,
    unit: 's',
    description: 'on stop, how long calls in progress may go on',
  },
  'mqtt-port': {
    type: 'integer',
    value: 'PORT',
    min: 0,
    max: 65535,
    description: "embedded broker's port (default: the site's telemetry.mqttPort or 1883; 0 = any free one)",
  },
  'http-port': {
    type: 'integer',
    value: 'PORT',
    min: 0,
    max: 65535,
    description: "dashboard port (default: the site's telemetry.dashboardPort or 8080; 0 = any free one)",
  },
  'no-telemetry': { type: 'flag', description: 'no MQTT, dashboard or InfluxDB (and so no campaign commands)' },
  profiles: { type: 'string', value: 'DIR', description: 'board profiles directory (default: the shipped board-profiles)' },
  progress: { type: 'flag', description: 'print progress every second (always with --simulate)' },
  verbose: { type: 'flag', description: 'debug logging on stderr' },
} as const;

/** The run command without a line simulator (--simulate is refused): src/cli's own table. */
export default runCommandWith(undefined);

/** The run command with a line simulator for --simulate (the binary's composition root, app/, plugs it in). */
export function runCommandWith(simulator: SiteSimulator | undefined): Command {
  return defineCommand({
    name: 'run',
    summary: 'the gateway: run campaigns on a provisioned site (--simulate: on the line simulator)',
    description: DESCRIPTION,
    options: OPTIONS,
    examples: [
      'trunkpilot run --site /etc/trunkpilot/lab.yaml --db /var/lib/trunkpilot/lab.db',
      'trunkpilot run --site board-profiles/sites/demo-sim.yaml --simulate --demo-campaign --duration 20',
    ],
    run: ({ options, argv }, io) => runGateway(options, argv, io, simulator),
  });
}

async function runGateway(
  values: OptionValues<typeof OPTIONS>,
  argv: string[],
  io: CliIO,
  simulator: SiteSimulator | undefined,
): Promise<number> {
  const durationSec = values.duration ?? (values['demo-campaign'] ? 120 : undefined);
  const graceMs = values.grace * 1000;
  const mqttPort = values['mqtt-port'];
  const httpPort = values['http-port'];
  const loaded = loadSite(values.site, loadProfiles(values.profiles));

  if (values.simulate) {
    if (!simulator) throw new InputError('--simulate', 'this build of trunkpilot has no line simulator');
    if (!simulator.preloaded()) return reexecWithFakeDahdi(argv, simulator.libraryPath());
    watchParent();
  }

  // The simulation's progress lines are the point of --simulate: its logs stay at warnings unless --verbose.
  const logger = runLogger(io, values.verbose ? 'debug' : io.isTTY || values.simulate ? 'warn' : 'info');
  if (values.gateway !== undefined) checkGatewayName(values.gateway);
  const storeUrl = values.store ?? process.env.TRUNKPILOT_STORE;
  if (storeUrl && values.db)
    throw new InputError('--store', 'give either --db FILE (this gateway alone) or --store URL (shared), not both');
  if (storeUrl && !/^postgres(ql)?:\/\//.test(storeUrl))
    throw new InputError('--store', `'${storeUrl.replace(/:[^:@/]*@/, ':***@')}' is not a postgres:// URL`);
  const dbPath =
    values.db ??
    (values.simulate
      ? join(mkdtempSync(join(tmpdir(), 'trunkpilot-sim-')), 'campaigns.db')
      : join('/var/lib/trunkpilot', `${loaded.site.site.replace(/[^A-Za-z0-9_.-]/g, '-')}.db`));
  const clock = systemClock;

  // The gateway (and its native libraries) load only now, so --help works without them.
  const { openGateway } = await import('../../runtime/gateway');
  const { ProgressMeter, renderSummary, startDemoCampaign } = await import('../../runtime/run-progress');
  const simulated: SimulatedSiteHandle | undefined = values.simulate ? simulator!.build(loaded, { clock, logger }) : undefined;
  // Nobody reads telemetry anonymously: a simulation without users gets a one-time viewer for its dashboard.
  let viewer: { name: string; password: string } | undefined;
  const extraUsers: Record<string, TelemetryUser> = {};
  if (values.simulate && !values['no-telemetry'] && Object.keys(loaded.site.telemetry?.users ?? {}).length === 0) {
    viewer = { name: 'demo', password: randomBytes(12).toString('base64url') };
    extraUsers[viewer.name] = { passwordHash: hashPassword(viewer.password), role: 'viewer' };
  }
  // On a board, modules found by USB serial follow hot-plug on the real bus, and so do modules the site
  // does not list when it says what to do with them (a simulated site brings its own bus).
  let usb: UsbPort | undefined;
  if (!simulated && (loaded.site.modems?.some((m) => m.usbSerial !== undefined) || loaded.site.modemHotplug)) {
    const { WebUsbPort } = await import('../../../drivers/usb/webusb-port');
    usb = new WebUsbPort();
  }
  let gateway: Gateway;
  try {
    gateway = await openGateway({
      site: loaded,
      dbPath: storeUrl ? undefined : dbPath,
      storeUrl,
      leaseTimeoutMs: values['lease-timeout'] * 1000,
      gatewayName: values.gateway,
      clock,
      logger,
      telemetry: values['no-telemetry'] ? false : { mqttPort, httpPort },
      extraUsers,
      mediaBridge: simulated?.mediaBridge,
      modems: simulated?.modems ?? (usb ? { usb } : undefined),
    });
  } catch (err) {
    await simulated?.close();
    await usb?.close();
    throw err;
  }
  for (const w of usb?.warnings ?? []) logger.warn(`USB hot-plug not followed: ${w}`);
  simulated?.staffSeats(gateway.seats!.seats, loaded.site.simulation?.agents?.loggedIn);

  const stop = new AbortController();
  const onSignal = (sig: string) => {
    if (stop.signal.aborted) return;
    io.stderr(`\n${sig}: stopping: no new calls; calls in progress finish (at most ${graceMs / 1000} s)...\n`);
    stop.abort();
  };
  const sigint = () => onSignal('SIGINT');
  const sigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  const meter = new ProgressMeter(gateway, clock);
  let progressTimer: NodeJS.Timeout | undefined;
  const progress = new ProgressLine(toStdout(io));
  const showProgress = (phase: 'calling' | 'finishing', force = false, finishWithinSec?: number) =>
    progress.update(campaignProgressSegments({ ...meter.snapshot(), totalSec: durationSec, phase, finishWithinSec }), { force });
  try {
    const resumed = await gateway.campaigns!.resumeAfterRestart();
    const spans = gateway.trunks.spans;
    io.stdout(
      `trunkpilot run: site ${gateway.name}${values.simulate ? ' (simulated)' : ''}: ${spans.length} span(s) open, ${gateway.trunks.outOfService.length} out of service, ${gateway.seats!.seats.length} seats, store ${gateway.store!.where}\n`,
    );
    for (const oos of gateway.trunks.outOfService) io.stdout(`  span ${oos.spanno} (${oos.trunkGroup}) OUT OF SERVICE: ${oos.reason}\n`);
    if (gateway.telemetry) {
      io.stdout(
        `MQTT: ${gateway.telemetry.mqttUrl} (topics trunkpilot/${values.gateway ?? gatewayName(loaded.site)}/#${viewer ? `; user ${viewer.name}, password ${viewer.password}, read-only` : ''})\n`,
      );
      if (gateway.telemetry.dashboardUrl)
        io.stdout(`dashboard: ${gateway.telemetry.dashboardUrl}${viewer ? `#user=${viewer.name}&password=${viewer.password}` : ''}\n`);
    }
    if (resumed.length) io.stdout(`resumed after restart: ${resumed.join(', ')}\n`);
    if (values['demo-campaign']) {
      const id = await startDemoCampaign(gateway);
      io.stdout(`campaign ${id}: predictive, ${gateway.trunks.groups.values().next().value?.totalChannels() ?? 0} channels, started\n`);
    }
    io.stdout('ready\n');
    if (values.progress || values.simulate) {
      progressTimer = setInterval(() => showProgress('calling', true), 1000);
    }
    await new Promise<void>((resolve) => {
      stop.signal.addEventListener('abort', () => resolve(), { once: true });
      if (durationSec !== undefined) setTimeout(() => stop.abort(), durationSec * 1000).unref();
    });
    if (progressTimer) clearInterval(progressTimer);
    // While calls in flight end: how many, and how long at most ("finishing 7 calls, up to 30 s").
    const finishBy = Date.now() + graceMs;
    const finishing = () => showProgress('finishing', true, (finishBy - Date.now()) / 1000);
    if (values.progress || values.simulate) {
      finishing();
      progressTimer = setInterval(finishing, 1000);
    }
    const left = await shutdown(gateway, simulated, graceMs, meter);
    if (progressTimer) clearInterval(progressTimer);
    progress.done();
    io.stdout('\n' + renderSummary(meter.summary(left)));
    return 0;
  } finally {
    if (progressTimer) clearInterval(progressTimer);
    process.removeListener('SIGINT', sigint);
    process.removeListener('SIGTERM', sigterm);
    await gateway.close(0);
    await simulated?.close();
    await usb?.close();
  }
}

/** Stops the campaigns, lets calls finish, lets simulated agents finish wrap-up; what was left busy. */
async function shutdown(
  gateway: Gateway,
  simulated: { busySeats(): number; stopTraffic?(): void } | undefined,
  graceMs: number,
  meter: ProgressMeter,
): Promise<{ channels: number; seats: number }> {
  meter.stopClock();
  simulated?.stopTraffic?.();
  // Campaigns stop dialling at once; their calls in progress get the grace, no more.
  const deadline = Date.now() + graceMs;
  const stopping = gateway.campaigns!.shutdown().catch(() => undefined);
  await Promise.race([stopping, new Promise((r) => setTimeout(r, graceMs))]);
  while (gateway.campaigns!.activeCalls() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  // Incoming calls (customers calling in) end too.
  while (gateway.busyChannels() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  // The grace is over: calls still up are released now, not left to run on while the
  // simulated agents are waited for (a stop with --grace 1 took 20-50 s before).
  if (gateway.busyChannels() > 0) {
    for (const span of gateway.trunks.spans) for (const call of span.activeCalls()) call.hangup();
    const cleared = Date.now() + 5_000;
    while (gateway.busyChannels() > 0 && Date.now() < cleared) await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.race([stopping, new Promise((r) => setTimeout(r, 5_000))]);
  // Simulated agents finish their after-call work; a board's agents are not waited for.
  const settle = Date.now() + 30_000;
  while (simulated && simulated.busySeats() > 0 && Date.now() < settle) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 200));
  const seats = gateway.seats!.seats.filter((s) => s.state !== 'ready' && s.state !== 'logged-out' && s.state !== 'paused').length;
  const channels = gateway.busyChannels();
  await gateway.close(graceMs);
  return { channels, seats };
}

/** Logs as JSON lines on stderr when stdout is not a terminal (systemd, files); short text lines on a terminal. */
export function runLogger(io: CliIO, level: LogLevel): Logger {
  if (io.isTTY) return createLogger({ level });
  return createLogger({
    level,
    sink: (r) => process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: r.level, msg: r.msg, ...r.fields }) + '\n'),
  });
}

/** A re-executed simulation ends with the process that started it (see reexecWithFakeDahdi). */
function watchParent(): void {
  const parent = Number(process.env.TRUNKPILOT_PARENT_PID);
  if (!parent) return;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
  }, 500).unref();
}

/**
 * The userspace DAHDI must be in the process before libc (LD_PRELOAD), so the
 * command runs itself again with it. The child watches this process: if this one
 * dies (even by SIGKILL), the child stops at once rather than run on unseen.
 */
async function reexecWithFakeDahdi(argv: string[], lib: string): Promise<number> {
  if (!existsSync(lib)) throw new InputError('--simulate', `${lib} is missing: run scripts/setup`);
  const child = spawn(process.execPath, [process.argv[1], 'run', ...argv], {
    stdio: 'inherit',
    env: { ...process.env, LD_PRELOAD: lib, TRUNKPILOT_PARENT_PID: String(process.pid) },
  });
  // The terminal's Ctrl-C reaches the child too (same process group); SIGTERM is passed on.
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const onInt = () => undefined;
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
    });
  } finally {
    process.removeListener('SIGINT', onInt);
    process.removeListener('SIGTERM', onTerm);
  }
}
