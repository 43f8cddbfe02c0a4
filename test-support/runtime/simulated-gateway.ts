/**
 * A gateway opened in the test's own process as `trunkpilot run --simulate` opens
 * it, for the hil-tests that drive it directly: the site file read, the simulated
 * site built beside it (exchange, callees, agents on the userspace DAHDI), the
 * gateway opened on it and its seats staffed by the simulated agents.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../../src/core/clock';
import { loadProfiles } from '../../src/provisioning/board-profile';
import { LoadedSite, siteFromSource } from '../../src/provisioning/site-config';
import { YamlSource } from '../../src/provisioning/yaml-source';
import { Gateway, GatewayOptions, openGateway } from '../../src/runtime/gateway';
import { VoicePlayer } from '../../drivers/ports/voice-port';
import { CalleeBehaviour } from '../../simulator/callee-population';
import { SimulatedSite } from '../../simulator/site/simulated-site';

export interface SimulatedGatewayOptions {
  /** The site file's text, and the path it is read as (relative paths in it resolve beside it). */
  yaml: string;
  siteFile: string;
  /** The campaign store; default a fresh SQLite file in a temporary folder. */
  dbPath?: string;
  /** Scripted callees, set before the gateway opens (a nailed-up agent is called at login). */
  callees?: Record<string, CalleeBehaviour | 'absent'>;
  /** Voice files played by the simulated player (call-level, no audio) instead of on the calls' DAHDI channels. */
  simulatedVoice?: boolean;
  /** Wraps the simulated player (a test that watches what is played). */
  wrapVoice?: (voice: VoicePlayer) => VoicePlayer;
  telemetry?: GatewayOptions['telemetry'];
  /** The clock of the simulated site and of the gateway (default the wall clock for both). */
  clock?: Clock;
}

export interface SimulatedGateway {
  loaded: LoadedSite;
  sim: SimulatedSite;
  gateway: Gateway;
}

export async function openSimulatedGateway(opts: SimulatedGatewayOptions): Promise<SimulatedGateway> {
  const loaded = siteFromSource(YamlSource.fromText(opts.yaml, opts.siteFile), loadProfiles());
  const sim = SimulatedSite.build(loaded, opts.clock ? { clock: opts.clock } : {});
  for (const [n, b] of Object.entries(opts.callees ?? {})) sim.population.override(n, b);
  const gateway = await openGateway({
    site: loaded,
    dbPath: opts.dbPath ?? join(mkdtempSync(join(tmpdir(), 'tp-gw-')), 'gw.db'),
    mediaBridge: sim.mediaBridge,
    ...(opts.simulatedVoice ? { voice: opts.wrapVoice ? opts.wrapVoice(sim.voice) : sim.voice } : {}),
    ...(opts.telemetry !== undefined ? { telemetry: opts.telemetry } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  sim.staffSeats(gateway.seats!.seats);
  return { loaded, sim, gateway };
}
