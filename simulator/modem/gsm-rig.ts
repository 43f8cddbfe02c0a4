import { AtModem } from '../../drivers/modem/at-modem';
import { ModemModel, MODEM_PROFILES } from '../../drivers/modem/modem-profiles';
import { BindingSerialLineOpener } from '../../drivers/serial/binding-serial-line';
import { InputError } from '../../src/core/errors';
import { Span } from '../../src/controller/span';
import { TrunkGroup } from '../../src/controller/trunk-group';
import { ModemSpanSignalling } from '../../src/signalling/gsm/modem-span-signalling';
import { FreeRunningClock } from '../analog/free-running-clock';
import { rigFaults, SimFaultName, unknownFault } from '../fault-catalogue';
import { RigOptions, SimRig } from '../sim-rig';
import { MockSerialWire } from './mock-serial-wire';
import { ModemFaultName, MODEM_FAULT_CATALOGUE } from './modem-faults';
import { SimulatedModem } from './simulated-modem';

const MODELS: ModemModel[] = ['quectel-ec2x', 'simcom-sim7600', 'huawei-e1x'];

export interface GsmRigOptions extends RigOptions {
  /** Modules in the trunk group (default 4); their models cycle Quectel, SIMCom, Huawei. */
  modems?: number;
  dailyCallCap?: number;
  ringTimeoutSec?: number;
}

/**
 * GSM/LTE modules as one trunk group: the production AtModem and ModemSpanSignalling over
 * the mock serial binding, each with a simulated module playing the mobile network, in
 * free-running virtual time. `spans` is ignored: a module is a channel.
 */
export class GsmRig implements SimRig {
  /** Every modem fault as a condition on one module (a module is channel N of the trunk group's span). */
  readonly faultCatalogue = rigFaults(Object.keys(MODEM_FAULT_CATALOGUE) as ModemFaultName[]);

  constructor(
    readonly group: TrunkGroup,
    readonly population: RigOptions['population'],
    readonly signalling: ModemSpanSignalling,
    readonly modems: readonly AtModem[],
    readonly devices: readonly SimulatedModem[],
    readonly clock: FreeRunningClock,
  ) {}

  /** Modem faults of the catalogue (params.modem or params.channel, 1-based, default 1); params.clear true clears one. */
  injectFault(name: SimFaultName, params: Record<string, unknown> = {}): void {
    const device = this.devices[Number(params.modem ?? params.channel ?? 1) - 1];
    if (!device) throw new InputError('fault modem', `no modem ${String(params.modem)} (1-${this.devices.length})`);
    if (!Object.hasOwn(MODEM_FAULT_CATALOGUE, name)) throw unknownFault(name, Object.keys(this.faultCatalogue));
    if (params.clear === true) device.clearFault(name as ModemFaultName);
    else device.fault(name as ModemFaultName);
  }

  async close(): Promise<void> {
    await this.signalling.close();
    this.clock.stop();
  }
}

export async function buildGsmRig(opts: GsmRigOptions): Promise<GsmRig> {
  const count = opts.modems ?? 4;
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new InputError('--modems', `must be 1-64 modules, got ${count}`);
  const clock = new FreeRunningClock();
  const wire = new MockSerialWire();
  const opener = new BindingSerialLineOpener(wire.binding, wire.exists);
  const devices: SimulatedModem[] = [];
  const modems: AtModem[] = [];
  for (let i = 0; i < count; i++) {
    const model = MODELS[i % MODELS.length];
    const path = `/dev/modem/sim${i + 1}`;
    devices.push(
      new SimulatedModem(wire.device(path), {
        model,
        clock,
        population: opts.population,
        imei: `8661234567${String(i).padStart(5, '0')}`,
        noAnswerMs: opts.noAnswerMs ?? 60000,
      }),
    );
    modems.push(new AtModem({ path, profile: MODEM_PROFILES[model], opener, clock, logger: opts.logger.child({ modem: i + 1 }) }));
  }
  const signalling = new ModemSpanSignalling(modems, { clock, logger: opts.logger, dailyCallCap: opts.dailyCallCap });
  const group = new TrunkGroup([new Span(1, signalling, { clock, logger: opts.logger })], {
    clock,
    logger: opts.logger,
    defaultRingTimeoutSec: opts.ringTimeoutSec,
  });
  const rig = new GsmRig(group, opts.population, signalling, modems, devices, clock);
  for (const m of modems) m.start();
  clock.start();
  if (!(await group.whenReady(30_000))) {
    await rig.close();
    throw new InputError(
      'gsm rig',
      `the modules did not come into service (${modems.map((m) => `${m.path}: ${m.status.state} ${m.status.reason}`).join('; ')})`,
    );
  }
  return rig;
}
