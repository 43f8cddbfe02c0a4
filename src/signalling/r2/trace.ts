import { MfDirection } from './mf-tones';

/** One line of `--trace`: a line-state change or an MF signal, with what it means. */
export type R2TraceEntry =
  | { at: number; channel: number; kind: 'line'; dir: 'tx' | 'rx'; bits: string; meaning: string; state: string }
  | {
      at: number;
      channel: number;
      kind: 'mf';
      dir: 'tx' | 'rx';
      band: MfDirection;
      group: 'I' | 'II' | 'A' | 'B';
      signal: number;
      meaning: string;
    };

export function formatBits(bits: number): string {
  return bits.toString(2).padStart(4, '0');
}

export function formatTrace(e: R2TraceEntry): string {
  // Wall-clock times print as the time of day; virtual ones as seconds from the start.
  const t = e.at > 1e11 ? new Date(e.at).toISOString().slice(11, 23) : (e.at / 1000).toFixed(3).padStart(9);
  if (e.kind === 'line') return `${t} ch${e.channel} ${e.dir} ABCD=${e.bits} ${e.meaning} [${e.state}]`;
  const name = e.group === 'I' || e.group === 'II' ? `${e.group}-${e.signal}` : `${e.group}${e.signal}`;
  return `${t} ch${e.channel} ${e.dir} MF ${name.padEnd(5)} ${e.meaning}`;
}
