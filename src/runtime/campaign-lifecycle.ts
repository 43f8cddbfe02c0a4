import { TransitionTable } from '../core/state-machine';

/**
 * A campaign's lifecycle in the gateway (CampaignRegistry moves it; the store keeps it).
 *
 * state             event      next              why
 * pending-approval  approve    ready             its voice file / caller numbers were approved
 * ready             start      running
 * running           pause      paused            no new calls; calls in progress go on
 * paused            resume     running
 * running/paused    stop       stopping          no new calls; calls in progress finish
 * stopping          drained    stopped
 * stopped           start      running           the list is taken up where it was left
 * running           list-done  finished          every number has its final outcome
 * pending/ready     stop       stopped
 * running           (store refuses writes)  paused  with alarm STORAGE_FAILED until resumed
 */
export type CampaignLifecycle = 'pending-approval' | 'ready' | 'running' | 'paused' | 'stopping' | 'stopped' | 'finished';
export type LifecycleEvent = 'approve' | 'start' | 'pause' | 'resume' | 'stop' | 'drained' | 'list-done';

export const CAMPAIGN_LIFECYCLE: TransitionTable<CampaignLifecycle, LifecycleEvent> = {
  'pending-approval': { approve: 'ready', stop: 'stopped' },
  ready: { start: 'running', stop: 'stopped', approve: 'ready' },
  running: { pause: 'paused', stop: 'stopping', 'list-done': 'finished' },
  paused: { resume: 'running', stop: 'stopping', pause: 'paused' },
  stopping: { drained: 'stopped', stop: 'stopping' },
  stopped: { start: 'running', stop: 'stopped' },
  finished: {},
};

/** The shortest run of lifecycle events from one state to another (undefined: none leads there). */
export function lifecyclePath(from: CampaignLifecycle, to: CampaignLifecycle): LifecycleEvent[] | undefined {
  const seen = new Set<CampaignLifecycle>([from]);
  const queue: [CampaignLifecycle, LifecycleEvent[]][] = [[from, []]];
  for (let q = queue.shift(); q; q = queue.shift()) {
    for (const [ev, next] of Object.entries(CAMPAIGN_LIFECYCLE[q[0]]) as [LifecycleEvent, CampaignLifecycle][]) {
      if (next === to) return [...q[1], ev];
      if (!seen.has(next)) {
        seen.add(next);
        queue.push([next, [...q[1], ev]]);
      }
    }
  }
  return undefined;
}
