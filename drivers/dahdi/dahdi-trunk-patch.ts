import { Logger, silentLogger } from '../../src/core/logger';
import { TrunkLeg, TrunkPatch, TrunkPatchLink } from '../ports/media-port';
import { ConferenceRole } from './dahdi-channel';
import { DahdiMediaBridge } from './dahdi-media-bridge';

const talker = (confno: number): ConferenceRole => ({ kind: 'member', confno, talker: true, listener: true });

/**
 * Two trunk channels of the board in one DAHDI conference (a privacy-number
 * call: the caller's channel and the far party's). Uses the site's media bridge,
 * so a channel is never in a patch and a seat conference at once. Whatever a step
 * fails on, what was joined is taken out again.
 */
export class DahdiTrunkPatch implements TrunkPatch {
  private readonly logger: Logger;

  constructor(
    private readonly bridge: DahdiMediaBridge,
    logger?: Logger,
  ) {
    this.logger = logger ?? silentLogger;
  }

  async patch(a: TrunkLeg, b: TrunkLeg): Promise<TrunkPatchLink> {
    const chanA = this.bridge.resolver.trunkChannel(a);
    const chanB = this.bridge.resolver.trunkChannel(b);
    const owner = { trunk: a };
    const first = this.bridge.claim(owner, chanA, talker(0));
    let second;
    try {
      second = this.bridge.claim(owner, chanB, talker(first.confno));
    } catch (err) {
      this.bridge.unclaim(chanA, first.held);
      throw err;
    }
    let closed = false;
    const members = [
      { channo: chanA, held: first.held },
      { channo: chanB, held: second.held },
    ];
    return {
      legs: [a, b],
      close: async () => {
        if (closed) return;
        closed = true;
        for (const m of members) {
          try {
            this.bridge.unclaim(m.channo, m.held);
          } catch (err) {
            this.logger.warn('channel not cleanly taken out of the trunk patch', { channo: m.channo, err: String(err) });
          }
        }
      },
    };
  }
}
