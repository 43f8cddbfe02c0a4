/**
 * `provision apply`: writes a plan's changed files. All new contents are written to
 * temporary files beside their targets first; only then is each old file copied to
 * .bak and the new one renamed over it, so a failure part way leaves the old files.
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../core/errors';
import { ProvisioningPlan } from './plan';

export type ApplyProgress =
  | { kind: 'span'; spanno: number; text: string }
  | { kind: 'file'; target: string; action: 'written' | 'unchanged' | 'would write'; backup?: string };

export interface ApplyOptions {
  dryRun?: boolean;
  onProgress?: (event: ApplyProgress) => void;
}

export interface ApplyResult {
  written: string[];
  backups: string[];
  unchanged: string[];
}

function describeSpans(plan: ProvisioningPlan, emit: (e: ApplyProgress) => void): void {
  for (const slot of plan.layout.spans) {
    const c = slot.config;
    const where = `board ${slot.board.id} local span ${slot.local}`;
    if (c) {
      const detail = c.framing === 'ccs' ? `CCS/${c.coding.toUpperCase()}${c.crc4 ? '/CRC4' : ''}, D-channel TS${c.dchannel}` : `CAS/${c.coding.toUpperCase()} idle bits ${c.casIdleBits}`;
      emit({ kind: 'span', spanno: slot.spanno, text: `span ${slot.spanno} (${where}): ${c.signalling}, ${detail}, trunk group ${c.trunkGroup}` });
    } else if (slot.profile.kind === 'analog') {
      const lines = plan.layout.analog.filter((a) => a.spanno === slot.spanno).reduce((n, a) => n + a.channels.length, 0);
      const seats = plan.layout.seats.filter((s) => s.board === slot.board.id && s.channo !== undefined).length;
      emit({ kind: 'span', spanno: slot.spanno, text: `span ${slot.spanno} (board ${slot.board.id}, analog): ${lines} FXO lines, ${seats} seat ports` });
    } else {
      emit({ kind: 'span', spanno: slot.spanno, text: `span ${slot.spanno} (${where}): assigned, left unconfigured` });
    }
  }
}

function writeDurably(path: string, content: string): void {
  const fd = openSync(path, 'w', 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function applyPlan(plan: ProvisioningPlan, opts: ApplyOptions = {}): ApplyResult {
  const emit = opts.onProgress ?? (() => undefined);
  const result: ApplyResult = { written: [], backups: [], unchanged: [] };
  describeSpans(plan, emit);
  const changed = plan.files.filter((f) => f.changed);
  for (const f of plan.files.filter((x) => !x.changed)) {
    result.unchanged.push(f.target);
    emit({ kind: 'file', target: f.target, action: 'unchanged' });
  }
  if (opts.dryRun) {
    for (const f of changed) emit({ kind: 'file', target: f.target, action: 'would write' });
    return result;
  }
  const temps: { tmp: string; file: (typeof changed)[number] }[] = [];
  try {
    for (const file of changed) {
      mkdirSync(dirname(file.path), { recursive: true });
      const tmp = `${file.path}.trunkpilot-new-${process.pid}`;
      writeDurably(tmp, file.content);
      temps.push({ tmp, file });
    }
  } catch (err) {
    for (const t of temps) if (existsSync(t.tmp)) unlinkSync(t.tmp);
    throw new InputError(plan.root, `cannot write the new files, nothing was changed: ${(err as Error).message}`);
  }
  for (const { tmp, file } of temps) {
    let backup: string | undefined;
    if (file.current !== undefined) {
      backup = `${file.path}.bak`;
      copyFileSync(file.path, backup);
      result.backups.push(backup);
    }
    renameSync(tmp, file.path);
    const dirFd = openSync(dirname(file.path), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    result.written.push(file.target);
    emit({ kind: 'file', target: file.target, action: 'written', backup });
  }
  return result;
}
