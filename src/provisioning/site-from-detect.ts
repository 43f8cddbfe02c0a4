/**
 * A first site file from the boards discovery found, as dahdi_genconf derives a first
 * system.conf: each matched board with its profile and DAHDI device, every E1 span
 * guessed as PRI customer side with span N as timing source N (genconf's default for
 * a TE span), analog FXO ports as one line group and FXS ports as seats. What the
 * hardware cannot say is marked "CHOOSE:" in a comment beside the guess. Boards no
 * profile matches, or several match, are written as comments naming the candidates.
 */
import { DahdiSpan, DahdiSystem } from '../discovery';
import { compressRanges } from './ranges';
import { DetectedBoard } from './board-matcher';
import { Signalling } from './board-profile';

const SIGNALLING_CHOICES = (offered: readonly Signalling[]) => offered.filter((s) => s !== 'fxo').join(', ');

type PortKind = 'fxo' | 'fxs' | 'unknown';

/** An analog port's module: DAHDI names a configured FXO port's signalling FXS* (and the reverse). */
function portKind(span: DahdiSpan, signalling: string): PortKind {
  if (/^FXS/i.test(signalling)) return 'fxo';
  if (/^FXO/i.test(signalling)) return 'fxs';
  if (span.type === 'FXO') return 'fxo';
  if (span.type === 'FXS') return 'fxs';
  return 'unknown';
}

function quote(s: string): string {
  return /^[\w.:/-]+$/.test(s) && !/^\d/.test(s) ? s : JSON.stringify(s);
}

export function siteFromDetect(boards: readonly DetectedBoard[], system: DahdiSystem, opts: { site: string; source: string }): string {
  const out: string[] = [
    `# First site file written by trunkpilot provision init --from-detect from ${opts.source}.`,
    '# Every "CHOOSE:" marks a guess the hardware cannot confirm: check it, then run',
    '#   trunkpilot provision check --site THIS_FILE && trunkpilot provision plan --site THIS_FILE',
    'version: 1',
    `site: ${quote(opts.site)}`,
    'toneZone: cn # CHOOSE: the DAHDI tone zone of the lines (cn, us, uk, ...)',
    'country: CN # CHOOSE: sets the analog boards\' line settings (opermode); default from toneZone',
  ];
  const boardLines: string[] = [];
  const comments: string[] = [];
  let seats: { board: string; count: number; firstPort: number } | undefined;
  let trunkCount = 0;
  let analogCount = 0;
  for (const b of boards) {
    const spans = system.spans.filter((s) => s.device === b.device.name).sort((x, y) => (x.localSpanno ?? 0) - (y.localSpanno ?? 0));
    if (!b.profile) {
      const why = b.candidates.length ? `several profiles fit (${b.candidates.map((c) => c.id).join(', ')}): CHOOSE one` : 'no board profile matches it';
      comments.push(`# ${b.device.name} (${b.device.type}, ${b.id}): ${why}; not included.`);
      continue;
    }
    const p = b.profile;
    if (p.kind === 'analog') {
      const id = `analog${++analogCount}`;
      const chans = spans.flatMap((s) => s.channels.map((c) => ({ port: c.spanPosition, kind: portKind(s, c.signalling) })));
      const fxo = chans.filter((c) => c.kind === 'fxo').map((c) => c.port);
      const fxs = chans.filter((c) => c.kind === 'fxs').map((c) => c.port);
      const unknown = chans.filter((c) => c.kind === 'unknown').map((c) => c.port);
      boardLines.push(`  - id: ${id}`, `    profile: ${p.id} # ${p.vendor} ${p.model}, driver ${p.driver}`, `    device: ${quote(b.device.name)}`);
      if (unknown.length) boardLines.push(`    # ports ${compressRanges(unknown)}: DAHDI does not say whether they are FXO or FXS modules; CHOOSE and add them`);
      if (fxo.length) {
        boardLines.push('    ports:', `      - ports: ${quote(compressRanges(fxo))}`, '        signalling: fxo # analog loop start', `        trunkGroup: ${id}-lines # CHOOSE: the trunk group campaigns dial out on`);
      }
      if (fxs.length) {
        const contiguous = fxs.every((port, i) => i === 0 || port === fxs[i - 1] + 1);
        if (!seats && contiguous) seats = { board: id, count: fxs.length, firstPort: fxs[0] };
        else boardLines.push(`    # FXS ports ${compressRanges(fxs)} (agent phones): a site has one seats block; CHOOSE which board's`);
      }
      continue;
    }
    if (!p.spans) {
      comments.push(`# ${b.device.name}: profile ${p.id} (${p.kind}) has no DAHDI spans; not included.`);
      continue;
    }
    const id = `trunks${++trunkCount}`;
    boardLines.push(`  - id: ${id}`, `    profile: ${p.id} # ${p.vendor} ${p.model}, driver ${p.driver}`, `    device: ${quote(b.device.name)}`, '    spans:');
    const count = p.spans.count;
    const guess = p.signalling.includes('pri-cpe') ? 'pri-cpe' : p.signalling[0];
    for (let local = 1; local <= count; local++) {
      const seen = spans.find((s) => s.localSpanno === local);
      const was = seen?.framing ? ` (DAHDI has it ${seen.framing}/${seen.coding ?? '?'}${seen.crc4 ? '/CRC4' : ''})` : seen ? ' (unconfigured in DAHDI)' : '';
      boardLines.push(`      - local: ${local}`);
      boardLines.push(`        signalling: ${guess} # CHOOSE: ${SIGNALLING_CHOICES(p.signalling)}${was}`);
      boardLines.push(`        timing: ${local} # CHOOSE: 0 for free-running, else the order as timing source (pri-net: 0)`);
      boardLines.push(`        trunkGroup: ${id} # CHOOSE: spans sharing a group share its calls`);
    }
  }
  out.push(boardLines.length ? 'boards:' : 'boards: []', ...boardLines);
  if (seats) out.push('seats:', `  board: ${seats.board}`, `  count: ${seats.count}`, `  firstPort: ${seats.firstPort}`);
  if (comments.length) out.push('', '# Not included:', ...comments);
  out.push('');
  return out.join('\n');
}
