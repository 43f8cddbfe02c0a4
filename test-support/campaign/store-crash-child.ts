/**
 * Helper process for campaign-store.test.ts: runs a paced campaign kept in a
 * CampaignStore on the virtual network, in small real-time steps, printing each
 * number as it is dialled, until the list is finished (DONE) or it is killed.
 */
import { SimulatedAgents } from '../../simulator/virtual-trunk/simulated-agent';
import { buildVirtualTrunks, testScenario } from '../../simulator/virtual-trunk/virtual-rig';
import { VirtualClock } from '../../src/core/clock';
import { DialRequest } from '../../src/controller/trunk-group';
import { progressivePacer } from '../../src/pacing/fixed-ratio';
import { AnswerGroup } from '../../src/seats/answer-group';
import { SimulatedMediaBridge } from '../../simulator/ports/simulated-media-bridge';
import { Seat } from '../../src/seats/seat';
import { SeatDistributor } from '../../src/seats/seat-distributor';
import { CampaignStore } from '../../src/campaign/campaign-store';
import { PersistentContacts } from '../../src/campaign/persistent-contacts';
import { DEFAULT_SETTINGS } from '../../src/campaign/campaign-settings';
import { ContactList } from '../../src/campaign/contact-list';
import { OutboundCampaign } from '../../src/campaign/outbound-campaign';
import { SimulatedVoicePlayer } from '../../simulator/ports/simulated-voice-player';

async function main(): Promise<void> {
  const [dbPath, seed] = process.argv.slice(2);
  const store = new CampaignStore(dbPath);
  if (store.attempts('crash').length === 0 && store.openContacts('crash').length === 0) {
    store.addContacts(
      'crash',
      Array.from({ length: 30 }, (_, i) => ({ number: `1390000${String(i).padStart(4, '0')}` })),
    );
  }
  const clock = new VirtualClock(Date.now());
  const scenario = testScenario({ lines: 6, outcomes: { human: 0.5, busy: 0.3, no_answer: 0.2 } });
  const trunks = buildVirtualTrunks(scenario, seed, clock);
  const seats = [1, 2].map((i) => new Seat(`a${i}`, { kind: 'simulated', id: `a${i}` }, { clock }));
  seats.forEach((s) => s.login());
  const voice = new SimulatedVoicePlayer({ clock, durationSec: () => 3 });
  const distributor = new SeatDistributor({
    clock,
    group: new AnswerGroup('g', seats, 'round-robin'),
    bridge: new SimulatedMediaBridge(),
    playAbandonMessage: async () => undefined,
  });
  new SimulatedAgents({ clock, network: trunks.network, distributor, wrapSec: scenario.wrapSec, machineAgentSec: 5, seed });
  const retryRules = {
    busy: { maxAttempts: 3, delaySec: 60 },
    no_answer: { maxAttempts: 2, delaySec: 120 },
    other: { maxAttempts: 3, delaySec: 60 },
  };
  const contacts = new PersistentContacts(store, 'crash', new ContactList({ retryRules }), clock.now());
  const dialer = {
    dial: (req: DialRequest) => {
      process.stdout.write(`DIAL ${req.number}\n`);
      return trunks.group.dial(req);
    },
    idleChannels: () => trunks.group.idleChannels(),
  };
  const campaign = new OutboundCampaign(
    { ...DEFAULT_SETTINGS, name: 'crash', mode: 'paced', retryRules },
    { clock, dialer, contacts, voice, distributor, pacer: progressivePacer() },
  );
  campaign.onEvent((e) => {
    if (e.type === 'attempt-ended') contacts.details(e.record);
  });
  campaign.start();
  while (campaign.state !== 'finished') {
    await new Promise<void>((r) => setTimeout(r, 2));
    clock.advance(500);
  }
  store.close();
  process.stdout.write('DONE\n');
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
  process.exitCode = 1;
});
