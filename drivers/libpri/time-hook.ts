/**
 * libpri reads the time itself (gettimeofday for its timers, time() for the Date/time
 * IE), so on its own it can only run on the wall clock. build/libpritime.so (native/pri-time.c)
 * rewrites libpri.so's GOT entries for those two functions so that libpri alone sees
 * the time we feed it before each call into it; Node's own clock is untouched.
 */
import fs from 'node:fs';
import path from 'node:path';
import koffi from 'koffi';
import { TrunkpilotError } from '../../src/core/errors';
import { loadLibPri, LIBPRI_FILE_PREFIX } from './ffi';

export type LibpriTimeHookFailure =
  'hook-library-missing' | 'libpri-not-loaded' | 'no-dynamic-section' | 'not-imported' | 'mprotect-failed' | 'unsupported-arch';

/** libpri cannot be fed time here; its timers can only follow the wall clock. */
export class LibpriTimeHookError extends TrunkpilotError {
  constructor(
    readonly reason: LibpriTimeHookFailure,
    detail: string,
  ) {
    super('TIME_SOURCE_UNAVAILABLE', `libpri cannot be fed time (${reason}): ${detail}`);
  }
}

/** pritime_install's negative results, in native/pri-time.c's order. */
const INSTALL_FAILURES: Record<number, [LibpriTimeHookFailure, string]> = {
  [-1]: ['libpri-not-loaded', 'no loaded object named libpri.so*'],
  [-2]: ['no-dynamic-section', 'libpri.so has no usable dynamic section'],
  [-3]: ['not-imported', 'libpri.so imports neither gettimeofday nor time (linked statically?)'],
  [-4]: ['mprotect-failed', "cannot make libpri's GOT writable"],
  [-5]: ['unsupported-arch', `no GOT rewriting for ${process.arch}`],
};

interface PriTimeLib {
  pritime_install(prefix: string): number;
  pritime_feed(usec: bigint): void;
  pritime_unfeed(): void;
}

/** Where scripts/setup builds the hook (override with TRUNKPILOT_PRITIME). */
export function libpriTimeHookPath(): string {
  if (process.env.TRUNKPILOT_PRITIME) return path.resolve(process.env.TRUNKPILOT_PRITIME);
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'build', 'libpritime.so');
    if (fs.existsSync(candidate)) return candidate;
    if (fs.existsSync(path.join(dir, 'package.json')) || path.dirname(dir) === dir) return candidate;
  }
}

let installed: PriTimeLib | LibpriTimeHookError | undefined;
/** The time libpri currently sees, in ms; undefined: the wall clock. */
let fedMs: number | undefined;

/** Rewrites libpri's GOT once per process; throws LibpriTimeHookError when it cannot. */
export function installLibpriTimeHook(): void {
  if (installed instanceof LibpriTimeHookError) throw installed;
  if (installed) return;
  loadLibPri();
  const file = libpriTimeHookPath();
  let lib: PriTimeLib;
  try {
    const handle = koffi.load(file);
    lib = {
      pritime_install: handle.func('int pritime_install(const char *prefix)'),
      pritime_feed: handle.func('void pritime_feed(int64_t usec)'),
      pritime_unfeed: handle.func('void pritime_unfeed()'),
    } as unknown as PriTimeLib;
  } catch (err) {
    installed = new LibpriTimeHookError('hook-library-missing', `${file}: ${String(err)} (run scripts/setup)`);
    throw installed;
  }
  const res = lib.pritime_install(LIBPRI_FILE_PREFIX);
  if (res <= 0) {
    installed = installFailure(res);
    throw installed;
  }
  installed = lib;
}

/** The typed error for a failed pritime_install result. */
export function installFailure(result: number): LibpriTimeHookError {
  const [reason, detail] = INSTALL_FAILURES[result] ?? (['no-dynamic-section', `pritime_install returned ${result}`] as const);
  return new LibpriTimeHookError(reason, detail);
}

/**
 * Runs `fn` (a call into libpri) with libpri seeing `ms` as the time, or the wall
 * clock when `ms` is undefined; the previous setting is restored afterwards, so a
 * libpri instance entered from another's callback does not leave its time behind.
 */
export function withLibpriTime<T>(ms: number | undefined, fn: () => T): T {
  const lib = installed;
  if (!lib || lib instanceof LibpriTimeHookError) {
    if (ms !== undefined) throw new Error('withLibpriTime: the libpri time hook is not installed');
    return fn();
  }
  const before = fedMs;
  set(lib, ms);
  try {
    return fn();
  } finally {
    set(lib, before);
  }
}

function set(lib: PriTimeLib, ms: number | undefined): void {
  if (ms === fedMs) return;
  fedMs = ms;
  if (ms === undefined) lib.pritime_unfeed();
  else lib.pritime_feed(BigInt(Math.round(ms * 1000)));
}
