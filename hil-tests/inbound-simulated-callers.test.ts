/**
 * `simulation.inbound` for `trunkpilot run --simulate`: simulated customers call the
 * site through the PRI exchange at random; the gateway queues them and the simulated
 * agents at the FXS phones answer. Every channel is idle after the run.
 */
import { describeWithFakeDahdi, until } from '../test-support/dahdi/jest-preload';
import { openSimulatedGateway } from '../test-support/runtime/simulated-gateway';

const SITE = `version: 1
site: hil-inbound-sim
boards:
  - { id: trunks, profile: trunkpilot-sim-e1x2-s16, device: "sim:0", spans: [ { local: 1, signalling: pri-cpe, trunkGroup: pstn } ] }
  - { id: phones, profile: trunkpilot-sim-fxs16, device: "sim:1" }
seats: { board: phones, count: 3 }
answerGroups: [ { name: sales, strategy: round-robin, seats: 1-3 } ]
callerIdPool: ["075512345678"]
inbound:
  rules: [ { called: "075512345678", answerGroup: sales } ]
  queue: { maxWaiting: 5, maxWaitSec: 60, serviceLevelSec: 5 }
simulation:
  seed: 4
  inbound: { callsPerHour: 7200, talkSec: { dist: fixed, value: 0.5 }, patienceSec: 20 }
  agents: { wrapSec: { dist: fixed, value: 0.1 } }
`;

describeWithFakeDahdi('simulated customers calling in (simulation.inbound)', __filename, () => {
  test('callers arrive on the PRI exchange, are queued and answered by the simulated agents, and every channel clears', async () => {
    const { sim, gateway } = await openSimulatedGateway({
      yaml: SITE,
      siteFile: 'hil-inbound-sim.yaml',
      simulatedVoice: true,
      telemetry: false,
    });
    try {
      // 7200 an hour is one every 0.5 s on average; each talks 0.5 s once an agent has it.
      const figures = () => gateway.inbound!.incoming.queueFigures()[0];
      await until(() => figures().connected >= 3, 'three callers connected to agents', 15_000);
      expect(sim.inboundCallers!.stats.placed).toBeGreaterThanOrEqual(3);
      // A SETUP still on the wire is placed but not yet offered.
      expect(figures().offered).toBeLessThanOrEqual(sim.inboundCallers!.stats.placed);
      expect(gateway.inbound!.incoming.counts.queued).toBe(figures().offered);
      // The callers stop (those on the line hang up): every channel comes back idle, none leaked.
      sim.inboundCallers!.stop();
      await until(() => gateway.busyChannels() === 0, 'every channel idle', 5000);
      expect(gateway.trunks.spans[0].linkUp).toBe(true);
      expect(gateway.trunks.spans.flatMap((s) => s.leakedChannels())).toEqual([]);
      // The agents finish their after-call work: no seat is left with a call or a timer running.
      await until(() => gateway.seats!.seats.every((s) => s.state === 'ready'), 'every seat ready', 5000);
    } finally {
      await gateway.close(0);
      await sim.close();
      sim.sim.reset();
    }
  }, 30_000);
});
