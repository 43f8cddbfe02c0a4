import { join } from 'node:path';
import { VirtualClock } from '../core/clock';
import { DahdiLineStatus } from './dahdi-line-status';

const D430P = join(__dirname, '../../hil-tests/fixtures/sysfs/openvox-d430p');

describe('DahdiLineStatus', () => {
  it("reports each span's alarms and framing as DAHDI shows them", () => {
    const line = new DahdiLineStatus({ clock: new VirtualClock(), sysRoot: D430P });
    expect(line.alarms(1)).toEqual([]);
    expect(line.framing(1)).toBe('CCS/HDB3/CRC4');
    expect(line.framing(3)).toBe('CAS/HDB3');
    expect(line.alarms(4)).toEqual(['RED']);
    expect(line.framing(4)).toBeUndefined();
  });

  it('maps trunkpilot span ids to DAHDI span numbers and flags a span DAHDI does not have', () => {
    const line = new DahdiLineStatus({ clock: new VirtualClock(), sysRoot: D430P, spanMap: { 1: 4, 2: 9 } });
    expect(line.alarms(1)).toEqual(['RED']);
    expect(line.alarms(2)).toEqual(['NOT-FOUND']);
  });
});
