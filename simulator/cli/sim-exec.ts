/**
 * `trunkpilot sim exec`: runs any program with the userspace DAHDI in place of
 * the kernel's, so DAHDI's own tools (dahdi_scan, dahdi_cfg) or any DAHDI client
 * see simulated spans. The program gets LD_PRELOAD=libfakedahdi.so and the line
 * model described in its environment (native/fakedahdi/env-config.c); the model
 * lives in that process only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { InputError } from '../../src/core/errors';
import type { CliIO } from '../../src/cli/cli-io';
import { fakeDahdiLibraryPath } from '../dahdi/fake-dahdi-lib';
import { FAULT_CATALOGUE, isConditionFault, LineConditionFault } from '../dahdi/faults';

const SPAN_WORD: Record<string, string> = { pri: 'e1-ccs', 'r2-cn': 'e1-cas', fxo: 'fxo:8' };

/** The environment that describes the simulated spans to libfakedahdi.so. */
export function simExecEnvironment(opts: { spans: number; signalling: string; faults: string[] }): Record<string, string> {
  const word = SPAN_WORD[opts.signalling];
  if (!word) throw new InputError('--signalling', `must be pri, r2-cn or fxo, got '${opts.signalling}'`);
  if (!Number.isInteger(opts.spans) || opts.spans < 1 || opts.spans > 16)
    throw new InputError('--spans', `must be a whole number from 1 to 16, got '${opts.spans}'`);
  for (const f of opts.faults) {
    const m = /^(\d+)=([A-Z_+]+)$/.exec(f);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > opts.spans)
      throw new InputError('--fault', `'${f}' is not SPAN=NAME with a span from 1 to ${opts.spans}`);
    for (const name of m[2].split('+')) {
      if (!(name in FAULT_CATALOGUE) || !isConditionFault(name as LineConditionFault)) {
        throw new InputError('--fault', `'${name}' is not a line condition (LOS, LOF, AIS, RAI, DCHANNEL_DOWN)`);
      }
    }
  }
  return {
    TRUNKPILOT_FAKEDAHDI_SPANS: Array(opts.spans).fill(word).join(','),
    TRUNKPILOT_FAKEDAHDI_FAULTS: opts.faults.join(','),
    // Audio moves in real time, as on a board: a DAHDI client reading a channel gets a block every 20 ms.
    TRUNKPILOT_FAKEDAHDI_CLOCK: '20',
  };
}

/** Runs CMD with the userspace DAHDI preloaded and the spans `env` describes; passes its output through. */
export function runWithSimulatedDahdi(env: Record<string, string>, cmd: string, args: string[], io: CliIO): number {
  const lib = fakeDahdiLibraryPath();
  if (!existsSync(lib)) throw new InputError('sim exec', `${lib} is missing: run scripts/setup`);
  const child = spawnSync(cmd, args, { env: { ...process.env, ...env, LD_PRELOAD: lib }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (child.error) throw new InputError('sim exec', `cannot run '${cmd}': ${child.error.message}`);
  io.stdout(child.stdout);
  io.stderr(child.stderr);
  return child.status ?? 1;
}
