import { nationalDigits } from '../privacy/privacy-binding';

/** Where the seats that talked to a number are on record (the campaign store's attempts); may answer later (a database server). */
export interface TalkHistory {
  lastSeatFor(numbers: readonly string[]): { seat: string; at: number } | undefined | Promise<{ seat: string; at: number } | undefined>;
}

/**
 * Which seat last talked to a customer: from the campaign attempts on record
 * (a customer calling back the number that called them) and from the incoming
 * calls connected since start, whichever is later. The network may present the
 * caller with or without the trunk prefix, so each way of writing it is tried.
 */
export class CustomerMemory {
  private readonly inbound = new Map<string, { seat: string; at: number }>();

  constructor(
    private readonly history?: TalkHistory,
    /** Callers remembered from incoming calls; the oldest is forgotten past this. */
    private readonly maxRemembered = 100_000,
  ) {}

  /** The seat that last talked to this caller, if any did. */
  async lastSeat(callerId: string | undefined): Promise<string | undefined> {
    if (!callerId) return undefined;
    const national = nationalDigits(callerId);
    const fromCampaigns = await this.history?.lastSeatFor([...new Set([callerId, national, `0${national}`, `+86${national}`])]);
    const fromInbound = this.inbound.get(national);
    if (fromCampaigns && (!fromInbound || fromCampaigns.at > fromInbound.at)) return fromCampaigns.seat;
    return fromInbound?.seat;
  }

  /** A call from this caller was connected to this seat. */
  talked(callerId: string | undefined, seat: string, at: number): void {
    if (!callerId) return;
    const key = nationalDigits(callerId);
    this.inbound.delete(key);
    this.inbound.set(key, { seat, at });
    if (this.inbound.size > this.maxRemembered) this.inbound.delete(this.inbound.keys().next().value!);
  }
}
