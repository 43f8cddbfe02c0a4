import { parseArgs, ParseArgsConfig } from 'node:util';
import { UsageError } from './command';

/**
 * Superseded by `defineCommand` (./command.ts), which every command uses: kept only so
 * a branch written against it still builds; its errors follow the same convention (exit 2).
 */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, strict: true }).values;
  } catch (err) {
    throw new UsageError(command, `${(err as Error).message}\n${usage}`);
  }
}

/** A whole-number option within [min, max]; `fallback` when absent. */
export function wholeNumberOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}`, `must be a whole number from ${min} to ${max}, got '${value}'`);
  return n;
}

/** A duration option in seconds within [0, max]; `fallback` when absent. */
export function secondsOption(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max) throw new UsageError(`--${name}`, `must be a number of seconds from 0 to ${max}, got '${value}'`);
  return n;
}
