import koffi from 'koffi';
import { settledMemory } from './settled-memory';

const libc = koffi.load('libc.so.6');
const malloc = libc.func('void *malloc(size_t size)') as (size: number) => unknown;
const memset = libc.func('void *memset(void *s, int c, size_t n)') as (p: unknown, c: number, n: number) => unknown;
const free = libc.func('void free(void *p)') as (p: unknown) => void;
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

describe('settledMemory', () => {
  it('does not count memory glibc keeps after a free as in use or resident', () => {
    // 16 MB in 4 kB blocks (below the mmap threshold, so inside the arena), each touched;
    // the last one stays allocated so glibc cannot give the rest back by itself.
    const blocks = Array.from({ length: 4096 }, () => {
      const p = malloc(4096);
      memset(p, 1, 4096);
      return p;
    });
    const full = settledMemory();
    for (const p of blocks.slice(0, -1)) free(p);
    const rssBeforeTrim = rssMb();
    const after = settledMemory();
    free(blocks[blocks.length - 1]);

    expect(full.mallocInUseMb).not.toBeNull();
    expect(full.mallocInUseMb! - after.mallocInUseMb!).toBeGreaterThan(15);
    // Without the trim the freed 16 MB stay resident.
    expect(rssBeforeTrim - after.rssMb).toBeGreaterThan(12);
  });

  it('reads the JS heap after garbage is collected, not before', () => {
    const before = settledMemory();
    let garbage: number[][] | undefined = Array.from({ length: 200 }, () => Array.from({ length: 10_000 }, (_, i) => i + 0.5));
    expect(garbage.length).toBe(200);
    garbage = undefined;
    const after = settledMemory();
    // 200 x 10,000 doubles is 16 MB of garbage.
    expect(after.heapUsedMb - before.heapUsedMb).toBeLessThan(4);
  });
});
