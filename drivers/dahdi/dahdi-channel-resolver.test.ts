import { join } from 'path';
import { InputError } from '../../src/core/errors';
import { layoutSite, SiteLayout } from '../../src/provisioning/layout';
import { loadProfiles } from '../../src/provisioning/board-profile';
import { boardProfilesDir } from '../../src/provisioning/paths';
import { loadSite } from '../../src/provisioning/site-config';
import { layoutChannelResolver } from './dahdi-channel-resolver';

// The shipped PRI site: an OpenVox D430P (4 E1 spans: channels 1-31, 32-62, 63-93,
// 94-124) then an Astribank with 32 FXS ports (span 5, channels 125-156), seats 1-16 on ports 1-16.
describe('DAHDI channels of a provisioned site', () => {
  const resolver = layoutChannelResolver(layoutSite(loadSite(join(boardProfilesDir(), 'sites', 'pri-cpe.yaml'), loadProfiles())));

  test('a trunk leg is its span base channel plus the timeslot; a seat is its FXS port channel', () => {
    expect(resolver.trunkChannel({ callId: 'c', span: 1, channel: 1 })).toBe(1);
    expect(resolver.trunkChannel({ callId: 'c', span: 2, channel: 5 })).toBe(36);
    expect(resolver.trunkChannel({ callId: 'c', span: 4, channel: 31 })).toBe(124);
    expect(resolver.seatChannel({ kind: 'fxs', span: 5, channel: 1 })).toBe(125);
    expect(resolver.seatChannel({ kind: 'fxs', span: 5, channel: 16 })).toBe(140);
  });

  test('anything not provisioned is an InputError naming it', () => {
    expect(() => resolver.trunkChannel({ callId: 'c9', span: 9, channel: 1 })).toThrow(
      /trunk leg of call c9: span 9 is not in the site layout/,
    );
    expect(() => resolver.trunkChannel({ callId: 'c', span: 1, channel: 32 })).toThrow(/channel 32 is outside span 1's 1..31/);
    expect(() => resolver.trunkChannel({ callId: 'c', span: 5, channel: 3 })).toThrow(/is a seat port \(DAHDI channel 127\)/);
    expect(() => resolver.seatChannel({ kind: 'fxs', span: 5, channel: 17 })).toThrow(
      /seat port 5\/17: DAHDI channel 141 is not one of the site's seat ports/,
    );
    expect(() => resolver.seatChannel({ kind: 'fxs', span: 1, channel: 3 })).toThrow(InputError);
  });

  test('on the shipped FXO site, a leg is the n-th line of the FXO group and seats are the later ports of the same board', () => {
    // openvox-a1200p: one span, channels 1-12; lines on ports 1-4, seats 1-8 on ports 5-12.
    const fxo = layoutChannelResolver(layoutSite(loadSite(join(boardProfilesDir(), 'sites', 'fxo.yaml'), loadProfiles())));
    expect(fxo.trunkChannel({ callId: 'c', span: 1, channel: 4 })).toBe(4);
    expect(() => fxo.trunkChannel({ callId: 'c', span: 1, channel: 5 })).toThrow(/line 5 is outside group pstn-lines's 1..4/);
    expect(fxo.seatChannel({ kind: 'fxs', span: 1, channel: 5 })).toBe(5);
    expect(() => fxo.seatChannel({ kind: 'fxs', span: 1, channel: 2 })).toThrow(/not one of the site's seat ports/);
  });

  test('a group on later ports counts its lines from 1; two groups on one span are refused as ambiguous', () => {
    const slot = { spanno: 1, basechan: 1, channelCount: 8 };
    const group = (name: string, ports: number[]) => ({
      spanno: 1,
      trunkGroup: name,
      channels: ports.map((port) => ({ port, channo: port })),
    });
    const one = layoutChannelResolver({ spans: [slot], analog: [group('late', [3, 4])], seats: [] } as unknown as SiteLayout);
    expect(one.trunkChannel({ callId: 'c', span: 1, channel: 1 })).toBe(3);
    const two = layoutChannelResolver({
      spans: [slot],
      analog: [group('a', [1, 2]), group('b', [3, 4])],
      seats: [],
    } as unknown as SiteLayout);
    expect(() => two.trunkChannel({ callId: 'c', span: 1, channel: 1 })).toThrow(/2 FXO line groups \(a, b\)/);
  });
});
