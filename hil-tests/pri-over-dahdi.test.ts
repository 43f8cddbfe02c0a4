/**
 * The controller's PRI calls carried by the production DAHDI driver: each end of
 * every span opens its TS16 hardhdlc channel on the userspace DAHDI
 * (libfakedahdi.so), so frames go through open/ioctl/read/write/poll as on a board.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PriRig } from '../simulator/pri/pri-rig';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';
import { priRig, until } from './pri-harness';

describeWithFakeDahdi('PRI through the controller over the userspace DAHDI', __filename, () => {
  let rig: PriRig;
  beforeEach(async () => {
    rig = await priRig({ transport: 'dahdi', spans: 2 });
  });
  afterEach(async () => {
    await rig.close();
  });

  it('brings both spans into service and completes calls with the right causes', async () => {
    expect(rig.group.idleChannels()).toBe(60);
    rig.population.override('111', 'answer');
    rig.population.override('112', 'busy');
    rig.population.override('113', 'unallocated');
    const [a, b, c] = await Promise.all(['111', '112', '113'].map((number) => rig.group.dial({ number })));
    expect([a.outcome, b.cause, c.cause]).toEqual(['answered', 17, 1]);
    a.call!.hangup();
    await a.call!.ended;
    await until(() => rig.group.idleChannels() === 60 && rig.heldLibpriCalls() === 0);
  });

  it('treats loss of signal on the controller span as link loss, then recovers when it clears', async () => {
    rig.population.override('300', { kind: 'answer', ringMs: 10, talkMs: 60_000 });
    const result = await rig.group.dial({ number: '300' });
    expect(result.span).toBe(2);
    rig.injectFault('LOS', { span: 2 });
    await expect(result.call!.ended).resolves.toMatchObject({ cause: 38, by: 'fault' });
    expect(rig.group.spans[1].counts()['out-of-service']).toBe(30);
    // The other span is untouched and takes the next call.
    rig.population.override('301', 'answer');
    const other = await rig.group.dial({ number: '301' });
    expect(other).toMatchObject({ outcome: 'answered', span: 1 });
    other.call!.hangup();
    await other.call!.ended;

    rig.injectFault('LOS', { span: 2, clear: true });
    expect(await rig.group.whenReady(15_000)).toBe(true);
    await until(() => rig.heldLibpriCalls() === 0, 10_000);
    expect(rig.group.leakedChannels()).toEqual([]);
  });
});

describe('trunkpilot sim calls --transport dahdi', () => {
  it('keeps the JSON contract and leaks nothing over the userspace DAHDI', () => {
    const root = join(__dirname, '..');
    const res = spawnSync(
      process.execPath,
      [join(root, 'bin', 'trunkpilot'), 'sim', 'calls', '--transport', 'dahdi', '--spans', '2', '--calls', '150', '--seed', '4', '--json'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const doc = JSON.parse(res.stdout);
    expect(doc.attempts).toBe(150);
    expect(Object.values(doc.outcomes as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(150);
    expect(doc.leaked_channels).toBe(0);
  }, 90_000);
});
