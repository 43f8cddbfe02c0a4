/** Where the shipped board-profiles/ directory is, whether running from src/ (jest) or dist/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

export function boardProfilesDir(): string {
  if (cached) return cached;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'board-profiles', 'schema'))) return (cached = join(dir, 'board-profiles'));
  }
  throw new Error(`board-profiles/ not found above ${__dirname}`);
}
