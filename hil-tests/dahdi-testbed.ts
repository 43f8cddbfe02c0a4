/**
 * Where the DAHDI contract suite runs: the simulated DAHDI (always), or real
 * boards when TRUNKPILOT_HIL=dahdi. A real testbed is E1 spans cabled back to
 * back in pairs, named by TRUNKPILOT_HIL_SPANS="1:2,3:4" (span:span per cable),
 * configured by dahdi_cfg (CCS, hardhdlc on TS16); audio then moves in real time.
 */
import { DahdiControl } from '../drivers/dahdi/dahdi-control';
import { SimulatedDahdi } from '../simulator/dahdi/simulated-dahdi';

export interface TestbedSpan {
  spanno: number;
  bearers: number[];
  dchannel: number;
}

export interface DahdiTestbed {
  readonly kind: 'simulator' | 'hardware';
  /** `count` cables, each two CCS spans joined back to back. */
  cables(count: number): [TestbedSpan, TestbedSpan][];
  /** Lets `ms` of audio move through the spans. */
  advanceAudio(ms: number): Promise<void>;
  close(): void;
}

export const HARDWARE_HINT =
  'set TRUNKPILOT_HIL=dahdi and TRUNKPILOT_HIL_SPANS="a:b[,c:d]" (E1 CCS spans cabled back to back) to run on boards';

export function hardwareRequested(): boolean {
  return process.env.TRUNKPILOT_HIL === 'dahdi';
}

export class SimulatorTestbed implements DahdiTestbed {
  readonly kind = 'simulator';
  constructor(readonly sim: SimulatedDahdi) {}

  cables(count: number): [TestbedSpan, TestbedSpan][] {
    const out: [TestbedSpan, TestbedSpan][] = [];
    for (let i = 0; i < count; i++) {
      const a = this.sim.addSpan('e1-ccs');
      const b = this.sim.addSpan('e1-ccs');
      this.sim.connectSpans(a, b);
      out.push([a, b].map((s) => ({ spanno: s.spanno, bearers: s.bearers, dchannel: s.dchannel! })) as [TestbedSpan, TestbedSpan]);
    }
    return out;
  }

  async advanceAudio(ms: number): Promise<void> {
    this.sim.advanceAudio(ms);
  }

  close(): void {
    this.sim.reset();
  }
}

export class HardwareTestbed implements DahdiTestbed {
  readonly kind = 'hardware';
  private readonly ctl = DahdiControl.open();

  cables(count: number): [TestbedSpan, TestbedSpan][] {
    const pairs = (process.env.TRUNKPILOT_HIL_SPANS ?? '')
      .split(',')
      .filter(Boolean)
      .map((p) => p.split(':').map(Number));
    if (pairs.length < count) throw new Error(`this test needs ${count} cables; ${HARDWARE_HINT}`);
    return pairs.slice(0, count).map((pair) => pair.map((spanno) => this.span(spanno)) as [TestbedSpan, TestbedSpan]);
  }

  async advanceAudio(ms: number): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
  }

  close(): void {
    this.ctl.close();
  }

  private span(spanno: number): TestbedSpan {
    const si = this.ctl.spanStatus(spanno);
    const first = this.firstChannel(spanno, si.totalchans);
    const channels = Array.from({ length: si.totalchans }, (_, i) => first + i);
    return { spanno, bearers: channels.filter((_, i) => i !== 15), dchannel: channels[15] };
  }

  private firstChannel(spanno: number, total: number): number {
    for (let ch = 1; ch < 1024; ch++) {
      try {
        if (this.ctl.channelParams(ch).spanno === spanno) return ch;
      } catch {
        // not a configured channel
      }
      if (ch > 32 * spanno + total) break;
    }
    throw new Error(`span ${spanno} has no channels`);
  }
}
