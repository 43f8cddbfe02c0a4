/**
 * What `trunkpilot run` shows while it runs and when it stops: one progress line
 * (calls done, put through to agents, abandoned, channels busy, seats by state)
 * and a summary table; and the generated campaign `npm start` runs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../core/clock';
import { Seat } from '../seats/seat';
import { renderRows } from '../cli/render';
import { loadCampaignFile } from './campaign-file';
import { Gateway } from './gateway';

export interface RunSummary {
  attempts: number;
  outcomes: Record<string, number>;
  connected: number;
  abandoned: number;
  abandonRate: number;
  occupancy: number;
  meanWaitMs: number;
  channelsLeftBusy: number;
  seatsLeftBusy: number;
  elapsedSec: number;
}

export class ProgressMeter {
  private readonly started: number;
  private stoppedAt: number | undefined;
  private readonly outcomes: Record<string, number> = {};
  private attempts = 0;
  private waitMs = 0;
  private waits = 0;
  private talkMs = 0;
  private readonly talking = new Map<Seat, number>();

  constructor(
    private readonly gateway: Gateway,
    private readonly clock: Clock,
  ) {
    this.started = clock.now();
    gateway.campaigns?.onAttempt((_, r) => {
      if (r.test) return;
      this.attempts++;
      this.outcomes[r.outcome] = (this.outcomes[r.outcome] ?? 0) + 1;
      if (r.waitMs !== undefined) {
        this.waitMs += r.waitMs;
        this.waits++;
      }
    });
    for (const seat of gateway.seats?.seats ?? []) {
      seat.onChange((s, e) => {
        if (this.stoppedAt !== undefined) return;
        if (e.to === 'talking') this.talking.set(s, clock.now());
        else if (this.talking.has(s)) {
          this.talkMs += clock.now() - this.talking.get(s)!;
          this.talking.delete(s);
        }
      });
    }
  }

  /** Ends the measured period (occupancy and elapsed stop counting here). */
  stopClock(): void {
    if (this.stoppedAt !== undefined) return;
    this.stoppedAt = this.clock.now();
    for (const [s, since] of this.talking) {
      this.talkMs += this.stoppedAt - since;
      this.talking.delete(s);
    }
  }

  /** Where the run stands now: the fields of the campaign progress line. */
  snapshot(): {
    elapsedSec: number;
    attempts: number;
    connected: number;
    abandoned: number;
    inFlight: number;
    channelsInUse: number;
    seats: Record<string, number>;
  } {
    const seats: Record<string, number> = {};
    for (const s of this.gateway.seats?.seats ?? []) seats[s.state] = (seats[s.state] ?? 0) + 1;
    return {
      elapsedSec: (this.clock.now() - this.started) / 1000,
      attempts: this.attempts,
      connected: this.outcomes.connected ?? 0,
      abandoned: this.outcomes.abandoned ?? 0,
      inFlight: this.gateway.campaigns?.activeCalls() ?? 0,
      channelsInUse: this.gateway.busyChannels(),
      seats,
    };
  }

  summary(left: { channels: number; seats: number }): RunSummary {
    this.stopClock();
    const elapsedMs = this.stoppedAt! - this.started;
    const connected = this.outcomes.connected ?? 0;
    const abandoned = this.outcomes.abandoned ?? 0;
    const seats = this.gateway.seats?.seats.filter((s) => s.state !== 'logged-out').length ?? 0;
    return {
      attempts: this.attempts,
      outcomes: { ...this.outcomes },
      connected,
      abandoned,
      abandonRate: connected + abandoned > 0 ? abandoned / (connected + abandoned) : 0,
      occupancy: elapsedMs > 0 && seats > 0 ? this.talkMs / (elapsedMs * seats) : 0,
      meanWaitMs: this.waits ? this.waitMs / this.waits : 0,
      channelsLeftBusy: left.channels,
      seatsLeftBusy: left.seats,
      elapsedSec: elapsedMs / 1000,
    };
  }
}

export function renderSummary(s: RunSummary): string {
  return renderRows([
    ['calls done', s.attempts],
    ...Object.entries(s.outcomes)
      .sort()
      .map(([k, v]): [string, number] => [`  ${k}`, v]),
    ['abandon rate', `${(s.abandonRate * 100).toFixed(2)} % (target 3 %)`],
    ['agent occupancy', `${(s.occupancy * 100).toFixed(1)} %`],
    ['mean wait for an agent', `${Math.round(s.meanWaitMs)} ms`],
    ['channels left busy', s.channelsLeftBusy],
    ['seats left busy', s.seatsLeftBusy],
    ['elapsed', `${s.elapsedSec.toFixed(1)} s`],
  ]);
}

/**
 * npm start's campaign: a generated list of 5000 mobile numbers dialled
 * predictively on the site's first trunk group for its first answer group, the
 * site's caller-ID pool shown. Written as a campaign file and added like any other.
 */
export async function startDemoCampaign(gateway: Gateway, numbers = 5000): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'trunkpilot-demo-'));
  const id = `demo-${Math.floor(gateway.clock.now() / 1000)}`;
  const rows = ['number,name'];
  for (let i = 0; i < numbers; i++) rows.push(`138${String(i).padStart(8, '0')},customer ${i + 1}`);
  writeFileSync(join(dir, 'contacts.csv'), rows.join('\n') + '\n');
  const trunkGroup = [...gateway.trunks.groups.keys()][0];
  const answerGroup = [...gateway.seats!.answerGroups.keys()][0];
  const callerIds = gateway.site.site.callerIdPool ?? [];
  writeFileSync(
    join(dir, 'campaign.yaml'),
    [
      `id: ${id}`,
      'mode: predictive',
      `trunkGroup: ${trunkGroup}`,
      `answerGroup: ${answerGroup}`,
      'contacts: contacts.csv',
      `callerIds: [${callerIds.map((n) => JSON.stringify(n)).join(', ')}]`,
      'ringSeconds: 25',
      'abandonTarget: 0.03',
      '',
    ].join('\n'),
  );
  const spec = loadCampaignFile(join(dir, 'campaign.yaml'), { trunkGroups: [trunkGroup], answerGroups: [answerGroup] });
  await gateway.campaigns!.add(spec);
  await gateway.campaigns!.start(id);
  return id;
}
