import { Clock } from '../../core/clock';
import { Logger } from '../../core/logger';
import { SimCallLedger } from './sim-call-ledger';

const DAY_MS = 86_400_000;

/**
 * One module slot's calls of the cap day (the day starts at local midnight, China +480
 * minutes), counted in memory and, once a ledger is given, kept in it by the SIM's ICCID.
 * The slot's reads and writes of the ledger are one queue: the count read never holds a call
 * placed while it was being read, and those are added on top. A call placed before the
 * ledger knew any SIM here is written when it does.
 */
export class SimDayCount {
  /** Calls today (rolled over at the cap day's start). */
  private count = 0;
  private day: number;
  /** The SIM and date whose stored count `count` includes ("iccid YYYY-MM-DD"). */
  private loadedKey?: string;
  private loadedIccid?: string;
  private unwritten = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly offsetMinutes: number,
    private readonly logger: Logger,
  ) {
    this.day = this.today();
  }

  /** Calls today; rolls over first when the day changed. */
  get calls(): number {
    this.roll();
    return this.count;
  }

  /** Until the next cap day starts (a capped SIM comes back then). */
  msToNextDay(): number {
    return (this.today() + 1) * DAY_MS - this.offsetMinutes * 60_000 - this.clock.now() + 1;
  }

  /** One call placed by the SIM `iccid` (undefined while the module has not said it). */
  countCall(iccid: string | undefined, ledger: SimCallLedger | undefined): void {
    this.roll();
    this.count++;
    if (!ledger || !iccid) {
      this.unwritten++;
      return;
    }
    const date = this.date();
    void this.work('counting', iccid, () => ledger.countSimCall(iccid, date));
  }

  /**
   * Reads the SIM's stored count for today, once per SIM and day; `loaded` runs when the
   * count changed from it. A different SIM in the slot starts from its own count.
   */
  load(iccid: string, ledger: SimCallLedger, loaded: () => void): void {
    this.roll();
    const key = `${iccid} ${this.date()}`;
    if (this.loadedKey === key) return;
    this.loadedKey = key;
    const day = this.day;
    const atStart = this.count;
    const unwritten = this.loadedIccid === undefined ? this.unwritten : 0;
    this.unwritten = 0;
    void this.work('reading', iccid, () => ledger.simCallsOn(iccid, key.slice(iccid.length + 1))).then((stored) => {
      if (this.loadedKey !== key || this.day !== day || stored === undefined) return;
      const sameSim = this.loadedIccid === undefined || this.loadedIccid === iccid;
      this.count = stored + unwritten + (sameSim ? this.count - atStart : 0);
      this.loadedIccid = iccid;
      const date = key.slice(iccid.length + 1);
      for (let i = 0; i < unwritten; i++) void this.work('counting', iccid, () => ledger.countSimCall(iccid, date));
      loaded();
    });
  }

  private roll(): void {
    const d = this.today();
    if (d === this.day) return;
    this.day = d;
    this.count = 0;
    this.unwritten = 0;
    // A new day starts at 0 for the SIM in the slot: nothing to read.
    if (this.loadedIccid) this.loadedKey = `${this.loadedIccid} ${this.date()}`;
  }

  private today(): number {
    return Math.floor((this.clock.now() + this.offsetMinutes * 60_000) / DAY_MS);
  }

  /** The cap day as its local date (YYYY-MM-DD), the ledger's key. */
  private date(): string {
    return new Date(this.day * DAY_MS).toISOString().slice(0, 10);
  }

  /** Runs `work` after the slot's earlier ledger work; a failure is logged and resolves undefined. */
  private work<T>(doing: 'reading' | 'counting', iccid: string, work: () => Promise<T> | T): Promise<T | undefined> {
    const done = this.queue.then(work).catch((err) => {
      if (doing === 'reading') this.loadedKey = undefined;
      this.logger.error(`SIM's calls today: ${doing} in the store failed (counting in this process only)`, { iccid, error: String(err) });
      return undefined;
    });
    this.queue = done;
    return done;
  }
}
