import { join } from 'node:path';

/**
 * How a test starts one of the helper processes in test-support/ (a process to
 * kill -9, a publisher whose last will is checked): node runs the TypeScript
 * source through register-ts.js, the same swc transform jest uses, so test code
 * never needs to be compiled into dist/.
 */
export function tsChildArgs(script: string, ...args: string[]): string[] {
  return ['--require', join(__dirname, 'register-ts.js'), join(__dirname, script), ...args];
}
