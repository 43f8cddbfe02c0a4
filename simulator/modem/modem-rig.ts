import { BindingSerialLineOpener } from '../../drivers/serial/binding-serial-line';
import { VirtualClock } from '../../src/core/clock';
import { ModemModel } from '../../drivers/modem/modem-profiles';
import { CalleePopulation } from '../callee-population';
import { MockSerialWire } from './mock-serial-wire';
import { SimulatedModem, SimulatedModemOptions } from './simulated-modem';

/**
 * Simulated modems on the mock serial binding in virtual time: the driver opens them
 * through the production BindingSerialLineOpener. `run(ms)` moves the clock in small
 * steps and lets the binding's promise chains run between them.
 */
export class MockModemRig {
  readonly clock = new VirtualClock(Date.UTC(2026, 0, 5, 9));
  readonly wire = new MockSerialWire();
  readonly opener = new BindingSerialLineOpener(this.wire.binding, this.wire.exists);
  readonly population: CalleePopulation;

  constructor(seed: number | string = 1) {
    this.population = new CalleePopulation({ seed });
  }

  modem(path: string, model: ModemModel, opts: Partial<SimulatedModemOptions> = {}): SimulatedModem {
    return new SimulatedModem(this.wire.device(path), { model, clock: this.clock, population: this.population, ...opts });
  }

  async io(rounds = 4): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
  }

  async run(ms: number, stepMs = 50): Promise<void> {
    await this.io();
    for (let t = 0; t < ms; t += stepMs) {
      this.clock.advance(Math.min(stepMs, ms - t));
      await this.io();
    }
  }

  /** Runs until `probe` holds or `limitMs` of virtual time passed; returns whether it held. */
  async until(probe: () => boolean, limitMs = 60000, stepMs = 50): Promise<boolean> {
    await this.io();
    for (let t = 0; t < limitMs && !probe(); t += stepMs) {
      this.clock.advance(stepMs);
      await this.io();
    }
    return probe();
  }
}
