/**
 * Each SpanSignalling implementation, set up for the contract suite: the
 * controller's end against the simulated far end the rest of the tests use. A new
 * signalling module adds one factory here and one line to the contract test.
 */
import { VirtualClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { CalleeBehaviour, CalleePopulation } from '../../simulator/callee-population';
import { buildPriRig } from '../../simulator/pri/pri-rig';
import { buildR2Rig } from '../../simulator/r2/r2-rig';
import { buildFxoRig } from '../../simulator/analog/fxo-rig';
import { buildNo7Rig } from '../../simulator/ss7/no7-rig';
import { buildGsmRig } from '../../simulator/modem/gsm-rig';
import { buildVirtualTrunks, testScenario } from '../../simulator/virtual-trunk/virtual-rig';
import { FarEnd, SignallingFactory } from './span-signalling-contract';

const NUMBER = '13800138000';

/** The callee population every population-driven network asks. */
function populationFor(farEnd: FarEnd): CalleePopulation {
  const population = new CalleePopulation({ seed: 'contract' });
  const behaviour: CalleeBehaviour =
    farEnd === 'answers' ? { kind: 'answer', ringMs: 300, talkMs: 600_000, by: 'human' } : { kind: 'busy' };
  population.override(NUMBER, behaviour);
  return population;
}

/** libpri at both ends in virtual time (its timers fed from the clock through build/libpritime.so). */
export const priSubject: SignallingFactory = async (farEnd) => {
  const { clock, stop } = tenTimesWallClock();
  const rig = await buildPriRig({ spans: 1, seed: 1, population: populationFor(farEnd), logger: silentLogger, clock });
  if (!(await rig.group.whenReady(15_000))) throw new Error('the PRI span did not come into service');
  return {
    signalling: rig.spans[0].cpe,
    number: NUMBER,
    close: async () => {
      await rig.close();
      stop();
    },
  };
};

export const r2Subject: SignallingFactory = async (farEnd) => {
  const { clock, stop } = tenTimesWallClock();
  const rig = await buildR2Rig({ spans: 1, seed: 1, population: populationFor(farEnd), logger: silentLogger, clock });
  return {
    signalling: rig.spans[0].signalling,
    number: NUMBER,
    close: async () => {
      await rig.close();
      stop();
    },
  };
};

/** China No.7 over an in-memory MTP2 link against the simulated exchange (ISUP or TUP). */
export function no7Subject(kind: 'ss7-isup' | 'ss7-tup'): SignallingFactory {
  return async (farEnd) => {
    const rig = await buildNo7Rig({ kind, spans: 1, seed: 1, population: populationFor(farEnd), logger: silentLogger });
    return { signalling: rig.spans[0].signalling, number: NUMBER, close: () => rig.close() };
  };
}

export const fxoSubject: SignallingFactory = async (farEnd) => {
  const rig = await buildFxoRig({
    spans: 1,
    seed: 1,
    population: populationFor(farEnd),
    logger: silentLogger,
    linesPerSpan: 2,
    line: { musicShare: 0 },
  });
  // The rig's clock runs free; waits are in its time, as the FXO hil-tests wait.
  const sleep = (ms: number) => new Promise<void>((r) => rig.clock.setTimer(ms, () => r()));
  return { signalling: rig.signalling[0], number: NUMBER, sleep, close: () => rig.close() };
};

export const virtualNetworkSubject: SignallingFactory = async (farEnd) => {
  const { clock, stop } = tenTimesWallClock();
  const trunks = buildVirtualTrunks(testScenario({ lines: 2, outcomes: farEnd === 'answers' ? { human: 1 } : { busy: 1 } }), 1, clock);
  const signalling = trunks.network.spans[0];
  return {
    signalling,
    number: NUMBER,
    close: async () => {
      stop();
      await signalling.close();
    },
  };
};

/** Virtual time at ten times the wall clock's pace (10 ms of it each real millisecond). */
function tenTimesWallClock(): { clock: VirtualClock; stop: () => void } {
  const clock = new VirtualClock(0);
  const ticker = setInterval(() => clock.advance(10), 1);
  return { clock, stop: () => clearInterval(ticker) };
}

/** GSM/LTE modules (the three AT dialects) over the mock serial binding, against the simulated mobile network. */
export const gsmSubject: SignallingFactory = async (farEnd) => {
  const rig = await buildGsmRig({ spans: 1, modems: 3, seed: 1, population: populationFor(farEnd), logger: silentLogger });
  const sleep = (ms: number) => new Promise<void>((r) => rig.clock.setTimer(ms, () => r()));
  return { signalling: rig.signalling, number: NUMBER, sleep, close: () => rig.close() };
};
