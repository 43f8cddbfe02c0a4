import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PRI_EVENT_LAYOUT } from './event-layout';

/**
 * The event offsets the driver reads must be libpri's own: compile the C offset
 * printer against the installed libpri.h and compare every field.
 */
describe('libpri event layout', () => {
  const root = join(__dirname, '..', '..');
  const printer = join(root, 'build', 'pri-offsets');

  beforeAll(() => {
    execFileSync('make', ['-s', '-C', join(root, 'native'), join('..', 'build', 'pri-offsets')], { stdio: 'pipe' });
  });

  it('matches libpri.h as compiled on this machine', () => {
    expect(existsSync(printer)).toBe(true);
    const fromC = JSON.parse(execFileSync(printer, { encoding: 'utf8' })) as Record<string, number>;
    delete fromC.end;
    expect(PRI_EVENT_LAYOUT).toEqual(fromC);
  });
});
