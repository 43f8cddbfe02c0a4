import { InputError } from '../src/core/errors';
import { parseFaultSpec } from './fault-schedule';

describe('fault specs (--fault)', () => {
  it('reads a fault at a time, at random, with a span and a duration', () => {
    expect(parseFaultSpec('LOS@3s+5s')).toEqual({ name: 'LOS', at: 3000, forMs: 5000 });
    expect(parseFaultSpec('DCHANNEL_DOWN~10s+500ms')).toEqual({ name: 'DCHANNEL_DOWN', everyMs: 10_000, forMs: 500 });
    expect(parseFaultSpec('GLARE~250ms')).toEqual({ name: 'GLARE', everyMs: 250, forMs: 2000 });
    expect(parseFaultSpec('AIS:span=2@1.5s')).toEqual({ name: 'AIS', span: 2, at: 1500, forMs: 2000 });
    expect(parseFaultSpec('RESET_CHANNEL')).toEqual({ name: 'RESET_CHANNEL', at: 0, forMs: 2000 });
  });

  it('reads the names --fault took before the one catalogue, and any case', () => {
    expect(parseFaultSpec('restart-channel').name).toBe('RESET_CHANNEL');
    expect(parseFaultSpec('reset-channel').name).toBe('RESET_CHANNEL');
    expect(parseFaultSpec('glare~1s').name).toBe('GLARE');
    expect(parseFaultSpec('cas-hit').name).toBe('CAS_HIT');
    expect(parseFaultSpec('battery-loss+3s').name).toBe('BATTERY_LOSS');
    expect(parseFaultSpec('dchannel_down').name).toBe('DCHANNEL_DOWN');
    expect(parseFaultSpec('NO_SUCH').name).toBe('NO_SUCH'); // refused by the schedule, naming what the rig has
  });

  it('refuses what it cannot read, saying the form', () => {
    for (const bad of ['', 'LOS@', 'LOS@3', 'LOS@-1s', 'LOS~1ms', 'LOS+5', 'LOS:span=x@1s', '9LOS']) {
      expect(() => parseFaultSpec(bad)).toThrow(InputError);
    }
    expect(() => parseFaultSpec('LOS@3')).toThrow("--fault: 'LOS@3' is not NAME[:span=N][@AT|~EVERY][+FOR] (e.g. LOS@3s+5s, GLARE~500ms)");
  });
});
