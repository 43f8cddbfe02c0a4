import { Clock } from '../core/clock';
import { InputError } from '../core/errors';
import { Logger } from '../core/logger';
import { Q850 } from '../core/q850';
import { TrunkCall } from '../controller/trunk-call';
import { TrunkGroup } from '../controller/trunk-group';
import { TrunkPatch } from '../../drivers/ports/media-port';
import { VoicePlayer } from '../../drivers/ports/voice-port';
import { CustomerMemory, TalkHistory } from '../inbound/customer-memory';
import { DEFAULT_QUEUE_SETTINGS, InboundQueue } from '../inbound/inbound-queue';
import { checkInboundRules } from '../inbound/inbound-rules';
import { IncomingCalls } from '../inbound/incoming-calls';
import { PrivacyCalls } from '../privacy/privacy-call';
import { PrivacyNumbers } from '../privacy/privacy-numbers';
import { PrivacyBindingStore } from '../privacy/privacy-store';
import { SiteFiles } from '../provisioning/site-files';
import { SiteConfig } from '../provisioning/site-types';
import { SiteTrunks } from '../site/site-trunks';
import { SiteSeats } from './site-seats';

/**
 * What the gateway does with incoming calls, from the site's `inbound` and
 * `privacy` sections: a queue for each answer group the rules name, the privacy
 * numbers and their calls, and every span's `onIncoming` pointed at the router.
 */
export interface SiteInbound {
  incoming: IncomingCalls;
  queues: ReadonlyMap<string, InboundQueue>;
  privacy?: { numbers: PrivacyNumbers; calls: PrivacyCalls };
  /** Refuses new incoming calls (cause 41: the gateway is shutting down); the queued ones still go on. */
  stopTaking(): void;
  /** Refuses new calls, releases the callers still queued, stops the privacy expiry timer. */
  close(): void;
}

export interface SiteInboundOptions {
  clock: Clock;
  logger: Logger;
  trunks: SiteTrunks;
  seats: SiteSeats;
  /** Who talked to whom (the campaign store). */
  history?: TalkHistory;
  /** Where bindings are kept (the campaign store's file, or another database). */
  privacyStore?: PrivacyBindingStore;
  voice?: VoicePlayer;
  /** Connects two trunk calls (privacy calls); required when the site has a privacy pool. */
  patch?: TrunkPatch;
  /** Where the site's queue music and announcements are found (relative to the site file). */
  files: SiteFiles;
}

export function buildSiteInbound(site: SiteConfig, opts: SiteInboundOptions): SiteInbound {
  const { trunks, seats } = opts;
  const rules = site.inbound?.rules ?? [];
  checkInboundRules(rules, [...seats.answerGroups.keys()], [...trunks.groups.keys()]);
  const groupOfSpan = new Map<number, string>();
  for (const [name, g] of trunks.groups) for (const s of g.spans) groupOfSpan.set(s.id, name);
  const spanById = new Map(trunks.spans.map((s) => [s.id, s]));
  const answer = (call: TrunkCall) => spanById.get(call.span)?.accept(call);

  const memory = new CustomerMemory(opts.history);
  const queue = site.inbound?.queue ?? {};
  const settings = {
    ...DEFAULT_QUEUE_SETTINGS,
    ...queue,
    music: queue.music === undefined ? undefined : opts.files.existing('inbound.queue.music', queue.music),
    sorry: queue.sorry === undefined ? undefined : opts.files.existing('inbound.queue.sorry', queue.sorry),
  };
  const queues = new Map<string, InboundQueue>();
  for (const name of new Set(rules.map((r) => r.answerGroup))) {
    queues.set(
      name,
      new InboundQueue({
        clock: opts.clock,
        distributor: seats.answerGroup(name).distributor,
        settings,
        answer,
        voice: opts.voice,
        preferredSeat: (caller) => memory.lastSeat(caller),
        onConnected: (call, seat) => memory.talked(call.callerId, seat, opts.clock.now()),
        logger: opts.logger.child({ inboundQueue: name }),
      }),
    );
  }

  let privacy: SiteInbound['privacy'];
  if (site.privacy) {
    const p = site.privacy;
    if (!opts.privacyStore) throw new InputError(`site ${site.site} privacy`, 'needs a store for its bindings');
    if (!opts.patch)
      throw new InputError(`site ${site.site} privacy`, 'needs a way to connect two trunk calls (a DAHDI board or the simulator)');
    if (p.trunkGroup !== undefined) trunks.group(p.trunkGroup);
    const numbers = new PrivacyNumbers({
      pool: p.pool,
      store: opts.privacyStore,
      clock: opts.clock,
      defaultExpirySec: p.defaultExpirySec,
      logger: opts.logger.child({ privacy: true }),
    });
    const firstGroup = [...trunks.groups.keys()][0];
    const dialer = (incoming: TrunkCall | undefined): TrunkGroup =>
      trunks.group(p.trunkGroup ?? (incoming ? (groupOfSpan.get(incoming.span) ?? firstGroup) : firstGroup));
    const calls = new PrivacyCalls({
      numbers,
      dialer,
      answer,
      ringback: (call) => spanById.get(call.span)?.ringback(call),
      patch: opts.patch,
      voice: opts.voice,
      unboundAnnouncement: p.announcement === undefined ? undefined : opts.files.existing('privacy.announcement', p.announcement),
      ringTimeoutSec: p.ringTimeoutSec,
      logger: opts.logger.child({ privacy: true }),
    });
    privacy = { numbers, calls };
  }

  const incoming = new IncomingCalls({
    rules,
    queues,
    trunkGroupOf: (span) => groupOfSpan.get(span),
    privacy,
    logger: opts.logger.child({ inbound: true }),
  });
  for (const span of trunks.spans) span.onIncoming = (call) => incoming.offer(call);
  const stopTaking = () => {
    for (const span of trunks.spans) span.onIncoming = (call) => call.hangup(Q850.TEMPORARY_FAILURE);
  };
  return {
    incoming,
    queues,
    privacy,
    stopTaking,
    close: () => {
      stopTaking();
      for (const q of queues.values()) q.close();
      privacy?.numbers.close();
    },
  };
}
