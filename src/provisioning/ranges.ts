/** Number lists as installers and system.conf write them: "1-15,17-31". */

/** Expands "1-3,7" to [1, 2, 3, 7], keeping order and repeats (callers look for repeats). */
export function expandRanges(text: string): number[] {
  const out: number[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [a, b] = part.split('-').map((n) => Number(n.trim()));
    const end = b === undefined ? a : b;
    for (let n = a; n <= end; n++) out.push(n);
  }
  return out;
}

/** Compresses [1, 2, 3, 7] to "1-3,7" (sorted, without repeats). */
export function compressRanges(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((x, y) => x - y);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Numbers that appear more than once, in order of their second appearance. */
export function repeats(numbers: readonly number[]): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const n of numbers) {
    if (seen.has(n) && !out.includes(n)) out.push(n);
    seen.add(n);
  }
  return out;
}
