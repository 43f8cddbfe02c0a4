import { existsSync } from 'node:fs';
import { OutboundCampaign, AttemptRecord } from '../campaign/outbound-campaign';
import { CampaignStorage, StoredContacts } from '../campaign/campaign-storage';
import { Clock } from '../core/clock';
import { Logger } from '../core/logger';
import { Dialer } from '../controller/trunk-group';
import { SeatDistributor } from '../seats/seat-distributor';
import { CallRecorder } from '../voice/call-recorder';
import { CallPrompts } from '../voice/call-prompts';
import { VoicePlayer } from '../../drivers/ports/voice-port';
import { createPacer } from '../pacing/pacer-factory';
import { CampaignSpec } from './campaign-file';
import { campaignSettings, pacerName, readBlacklist } from './campaign-spec-settings';

/** A campaign's running objects: the campaign itself and its list in the store. */
export interface LiveCampaign {
  campaign: OutboundCampaign;
  contacts: StoredContacts;
}

/** What a live campaign needs of the rest of the gateway. */
export interface LiveCampaignDeps {
  store: CampaignStorage;
  clock: Clock;
  logger: Logger;
  /** Plays broadcast campaigns' voice files; without one, broadcast campaigns are refused. */
  voice?: VoicePlayer;
  dialer(trunkGroup: string): Dialer;
  distributor(answerGroup: string): SeatDistributor;
  /** Records connected calls of campaigns (or answer groups) that ask for it. */
  recorder?: CallRecorder;
  /** Whether an answer group records its calls (a campaign's own setting wins). */
  answerGroupRecords?: (answerGroup: string) => boolean;
  /** The abandon message and agent-number announcement; a campaign's own replace the site's for its calls. */
  prompts?: CallPrompts;
}

/** What the registry hears of a live campaign. */
export interface LiveCampaignHooks {
  /** An attempt ended (test calls too: `record.test`); its details are already in the store. */
  attemptEnded(record: AttemptRecord): void;
  /** Every number has its final outcome. */
  listDone(): void;
  /** The campaign raised an alarm (STORAGE_FAILED: its store refuses writes): "CODE: detail". */
  alarm(text: string): void;
}

/** Preview and paced campaigns without a voice player: nothing to play (the abandon message is the distributor's). */
const NO_VOICE: VoicePlayer = { play: async () => ({ keys: '', completed: false, playedMs: 0 }) };

/**
 * The running objects for a campaign file: its list from the store, its pacer,
 * its blacklist read again (numbers added to a file since the campaign was added
 * are honoured), its seats, recorder and prompts.
 */
export async function buildLiveCampaign(spec: CampaignSpec, deps: LiveCampaignDeps, hooks: LiveCampaignHooks): Promise<LiveCampaign> {
  const { clock, store } = deps;
  const settings = campaignSettings(spec);
  const records = spec.recording?.enabled ?? (spec.answerGroup ? deps.answerGroupRecords?.(spec.answerGroup) : false) ?? false;
  if (records && spec.mode !== 'broadcast') settings.recording = { layout: spec.recording?.layout ?? 'stereo' };
  const contacts = await store.contactSource(
    spec.id,
    { retryRules: settings.retryRules, coolDownSec: settings.coolDownSec, calleeCaps: spec.calleeCaps },
    clock.now(),
  );
  const pacer =
    settings.mode === 'paced'
      ? createPacer(pacerName(spec), { abandonTarget: settings.abandonTarget, abandonAfterSec: settings.abandonAfterSec })
      : undefined;
  // On a shared store a gateway may not have the files: the numbers kept when the campaign was added hold everywhere.
  const files = store.shared ? spec.blacklist.filter((f) => existsSync(f)) : spec.blacklist;
  const blacklist = await readBlacklist(files, spec.contactsEncoding);
  for (const n of await store.blacklist(spec.id)) blacklist.add(n);
  const campaign = new OutboundCampaign(settings, {
    clock,
    dialer: deps.dialer(spec.trunkGroup),
    contacts,
    voice: deps.voice ?? NO_VOICE,
    distributor: spec.mode === 'broadcast' ? undefined : deps.distributor(spec.answerGroup!),
    pacer,
    blacklist,
    logger: deps.logger,
    recorder: deps.recorder,
  });
  campaign.onEvent((ev) => {
    if (ev.type === 'answered' && deps.prompts)
      deps.prompts.useFor(ev.call.id, { abandonMessage: spec.abandonMessage, agentNumber: spec.agentNumber }, ev.call.ended);
    if (ev.type === 'attempt-ended') {
      if (!ev.record.test) contacts.details(ev.record);
      hooks.attemptEnded(ev.record);
    }
    if (ev.type === 'state' && ev.state === 'finished' && contacts.remaining() === 0) hooks.listDone();
    if (ev.type === 'alarm') hooks.alarm(`${ev.code}: ${ev.detail}`);
  });
  return { campaign, contacts };
}
