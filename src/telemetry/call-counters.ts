import { CallEvent } from '../core/call-events';

export interface SpanCallCounters {
  /** Outbound calls we started. */
  dialled: number;
  /** Inbound calls the network offered. */
  offered: number;
  answered: number;
  /** Calls that ended without being answered. */
  unanswered: number;
  /** Calls ended by a line fault (link down, reset, guard timer). */
  faults: number;
  /** Calls currently up (answered, not yet released). */
  talking: number;
}

/** Call counters per span, kept from the call-event stream alone. */
export class CallCounters {
  private readonly bySpan = new Map<number, SpanCallCounters>();
  private readonly answeredCalls = new Set<string>();

  record(ev: CallEvent): void {
    const c = this.span(ev.span);
    switch (ev.type) {
      case 'dialing':
        c.dialled++;
        return;
      case 'offered':
        c.offered++;
        return;
      case 'answered':
        c.answered++;
        c.talking++;
        this.answeredCalls.add(ev.callId);
        return;
      case 'released':
        if (this.answeredCalls.delete(ev.callId)) c.talking--;
        else c.unanswered++;
        if (ev.by === 'fault') c.faults++;
        return;
      default:
        return;
    }
  }

  span(span: number): SpanCallCounters {
    let c = this.bySpan.get(span);
    if (!c) {
      c = { dialled: 0, offered: 0, answered: 0, unanswered: 0, faults: 0, talking: 0 };
      this.bySpan.set(span, c);
    }
    return c;
  }

  spans(): number[] {
    return [...this.bySpan.keys()].sort((a, b) => a - b);
  }
}
