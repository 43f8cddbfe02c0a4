/** Small text renderers for terminal output (live progress lines: ./progress-line.ts). */
export function renderRows(rows: [string, string | number][]): string {
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n';
}
