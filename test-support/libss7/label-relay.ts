/**
 * A signalling transfer relay for checking China No.7 against libss7 (which has
 * only 14-bit ITU labels): two MTP2 link ends of our own, one towards a China
 * stack, one towards libss7, and every MSU's routing label rewritten between the
 * 7-octet 24-bit form and the 4-octet 14-bit form (SI 0, 1 and 5). What follows
 * the label is passed as it is, so China ISUP call control meets a real peer.
 */
import { SignallingLinkPort } from '../../drivers/ports/signalling-link';
import { systemClock } from '../../src/core/clock';
import { Mtp2HdlcLink } from '../../src/signalling/ss7/mtp2/mtp2-hdlc-link';
import { CHINA_MTP3, decodeLabel, encodeLabel, ITU_MTP3, Mtp3Variant } from '../../src/signalling/ss7/mtp3/routing-label';

export class ChinaItuLabelRelay {
  private readonly china: Mtp2HdlcLink;
  private readonly itu: Mtp2HdlcLink;
  readonly relayed = { toItu: 0, toChina: 0, dropped: 0 };

  /** `pcMap`: China point code -> ITU point code, for every point on the link. */
  constructor(chinaSide: SignallingLinkPort, ituSide: SignallingLinkPort, pcMap: ReadonlyMap<number, number>) {
    this.china = new Mtp2HdlcLink({ name: 'relay china side', transport: chinaSide, clock: systemClock, mode: 'mtp2' });
    this.itu = new Mtp2HdlcLink({ name: 'relay itu side', transport: ituSide, clock: systemClock, mode: 'mtp2' });
    const back = new Map([...pcMap].map(([c, i]) => [i, c]));
    this.china.onEvent((ev) => {
      if (ev.type === 'msu') this.forward(ev.payload, CHINA_MTP3, ITU_MTP3, pcMap, this.itu, 'toItu');
    });
    this.itu.onEvent((ev) => {
      if (ev.type === 'msu') this.forward(ev.payload, ITU_MTP3, CHINA_MTP3, back, this.china, 'toChina');
    });
    this.china.start(true);
    this.itu.start(true);
  }

  close(): void {
    this.china.stop();
    this.itu.stop();
    this.china.close();
    this.itu.close();
  }

  private forward(
    msu: Uint8Array,
    from: Mtp3Variant,
    to: Mtp3Variant,
    map: ReadonlyMap<number, number>,
    out: Mtp2HdlcLink,
    count: 'toItu' | 'toChina',
  ): void {
    const si = msu[0] & 0x0f;
    const label = decodeLabel(from, msu.subarray(1));
    const dpc = map.get(label.dpc);
    const opc = map.get(label.opc);
    if (![0, 1, 5].includes(si) || dpc === undefined || opc === undefined) {
      this.relayed.dropped++;
      return;
    }
    const rest = msu.subarray(1 + from.labelOctets);
    out.send(Uint8Array.of(msu[0], ...encodeLabel(to, { dpc, opc, sls: label.sls }), ...rest));
    this.relayed[count]++;
  }
}
