/**
 * Memory readings a benchmark can compare across a long run without counting the
 * allocators' spare capacity as growth. Measured on the 10^5-call PRI soak:
 *  - right after gc() RSS read up to 25 MB high: V8 hands the pages a collection
 *    freed back to the OS from a background thread a few ms later;
 *  - one collection leaves the garbage it promoted from the young generation: a
 *    second one read up to 20 MB lower;
 *  - glibc keeps freed chunks in its arenas (4-8 MB here) until malloc_trim.
 * So a reading collects twice, waits for that release (blocking, so the reading
 * belongs to the exact point of the run it is taken at), trims glibc, then reads
 * RSS next to what is live: the JS heap and what native code has malloc'ed (libpri,
 * koffi, Node's own C++), which is where a leak would show.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import koffi from 'koffi';
import { openNativeLibrary } from '../drivers/native-library';

export interface MemoryReading {
  rssMb: number;
  /** Live JS objects after the collections. */
  heapUsedMb: number;
  /** Memory V8 holds for its heap (live or not). */
  heapTotalMb: number;
  /** C++ memory tied to JS objects (Buffers, typed arrays). */
  externalMb: number;
  /** Bytes in use in malloc (every thread's arena and mmapped chunks); null where glibc has no mallinfo2. */
  mallocInUseMb: number | null;
}

/** Time for V8's background thread to return freed pages (settled within 20 ms in every soak reading). */
const RELEASE_WAIT_MS = 50;

let glibc: { trim: () => void; inUse: () => number } | null | undefined;

function loadGlibc(): typeof glibc {
  if (glibc !== undefined) return glibc;
  try {
    const libc = openNativeLibrary('libc', ['libc.so.6'], 'libc6');
    // Anonymous: koffi's type names outlive module caches (jest loads this once per test file).
    const info = koffi.struct({
      arena: 'size_t',
      ordblks: 'size_t',
      smblks: 'size_t',
      hblks: 'size_t',
      hblkhd: 'size_t',
      usmblks: 'size_t',
      fsmblks: 'size_t',
      uordblks: 'size_t',
      fordblks: 'size_t',
      keepcost: 'size_t',
    });
    const mallinfo2 = libc.func('mallinfo2', info, []) as () => { hblkhd: number; uordblks: number };
    const mallocTrim = libc.func('int malloc_trim(size_t pad)') as (pad: number) => number;
    glibc = {
      trim: () => void mallocTrim(0),
      inUse: () => {
        const m = mallinfo2();
        return Number(m.uordblks) + Number(m.hblkhd);
      },
    };
  } catch {
    // Not glibc (or one older than 2.33): RSS and the JS figures still stand.
    glibc = null;
  }
  return glibc;
}

/** `npm run bench` runs node without --expose-gc: enable it on first use. */
function collect(): void {
  if (!global.gc) {
    setFlagsFromString('--expose-gc');
    global.gc = runInNewContext('gc') as typeof global.gc;
  }
  global.gc!();
}

function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export function settledMemory(): MemoryReading {
  collect();
  blockFor(RELEASE_WAIT_MS);
  collect();
  blockFor(RELEASE_WAIT_MS);
  const libc = loadGlibc();
  libc?.trim();
  const m = process.memoryUsage();
  return {
    rssMb: mb(m.rss),
    heapUsedMb: mb(m.heapUsed),
    heapTotalMb: mb(m.heapTotal),
    externalMb: mb(m.external),
    mallocInUseMb: libc ? mb(libc.inUse()) : null,
  };
}
