import { FskCallerIdReceiver } from '../../../drivers/spandsp/adsi';
import { DtmfReceiver } from '../../../drivers/spandsp/dtmf';
import { Clock } from '../../core/clock';
import { Logger } from '../../core/logger';
import { CallerId, DtmfCallerIdCollector, parseFskCallerId } from './caller-id';

/** DTMF caller ID older than this when the first ring comes belonged to something else. */
const DTMF_CID_FRESH_MS = 5000;

/**
 * Listens to an on-hook line for caller ID in both China forms: DTMF before the
 * first ring (always listening, it is cheap) and FSK after it (armed at the first
 * ring, disarmed when the call is answered or gone).
 */
export class CallerIdListener {
  private readonly dtmf: DtmfReceiver;
  private readonly collector = new DtmfCallerIdCollector();
  private fsk: FskCallerIdReceiver | undefined;
  private heard: CallerId | undefined;
  private heardAt = 0;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    dtmfMinLevelDbm0?: number,
  ) {
    this.dtmf = new DtmfReceiver({ minLevelDbm0: dtmfMinLevelDbm0 });
  }

  /** The caller ID heard for the call now ringing, if any. */
  get callerId(): CallerId | undefined {
    return this.heard;
  }

  feed(pcm: Int16Array): void {
    for (const d of this.dtmf.feed(pcm)) {
      const id = this.collector.push(d);
      if (id) this.remember(id);
    }
    this.fsk?.feed(pcm);
  }

  /** The first ring: forget stale DTMF caller ID and listen for FSK. */
  armForRinging(): void {
    if (this.heard && this.clock.now() - this.heardAt > DTMF_CID_FRESH_MS) this.heard = undefined;
    this.fsk?.close();
    this.fsk = new FskCallerIdReceiver((msg) => {
      try {
        this.remember(parseFskCallerId(msg));
      } catch (err) {
        this.logger.warn('caller-ID message not understood', { error: String(err) });
      }
    });
  }

  /** Answered or gone: stop FSK; `forget` also drops what was heard. */
  disarm(forget: boolean): void {
    this.fsk?.close();
    this.fsk = undefined;
    if (forget) this.heard = undefined;
  }

  close(): void {
    this.disarm(true);
    this.dtmf.close();
  }

  private remember(id: CallerId): void {
    this.heard = id;
    this.heardAt = this.clock.now();
  }
}
