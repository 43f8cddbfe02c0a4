import { TrunkpilotError } from '../../src/core/errors';
import { ERRNO } from './ffi';

const ERRNO_NAMES = new Map<number, string>(Object.entries(ERRNO).map(([k, v]) => [v, k]));

export function errnoName(errno: number): string {
  if (errno === 500) return 'ELAST';
  return ERRNO_NAMES.get(errno) ?? `errno ${errno}`;
}

/** A DAHDI system call failed: says which call, on which device or channel, and the errno. */
export class DahdiCallError extends TrunkpilotError {
  constructor(
    readonly call: string,
    readonly where: string,
    readonly errno: number,
  ) {
    super('NATIVE_CALL_FAILED', `${call} on ${where} failed: ${errnoName(errno)}`);
  }
}

/** No DAHDI here at all (no /dev/dahdi): names what to install or set. */
export class DahdiUnavailableError extends TrunkpilotError {
  constructor(
    readonly path: string,
    readonly errno: number,
  ) {
    super(
      'CHANNEL_UNAVAILABLE',
      `${path}: ${errnoName(errno)} (load the DAHDI kernel modules, or run under the simulator: LD_PRELOAD=build/libfakedahdi.so)`,
    );
  }
}
