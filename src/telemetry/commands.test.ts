import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualClock } from '../core/clock';
import { COMMAND_ACTIONS, CommandHandler } from './commands';
import { maskNumber, presentNumber } from './number-mask';

describe('CommandHandler', () => {
  const run: string[] = [];
  const handler = new CommandHandler(
    { lead: ['*'], supervisor: ['seat.*', 'call.release'], planner: ['campaign.pause'] },
    {
      pauseCampaign: (c) => void run.push(`pause ${c}`),
      forceSeat: (s, a) => void run.push(`${s} ${a}`),
      releaseCall: (id, cause) => void run.push(`release ${id} ${cause}`),
    },
  );
  beforeEach(() => (run.length = 0));

  it('matches exact actions, prefix wildcards and *, and nothing for unknown users', () => {
    expect(handler.mayRun('lead', 'campaign.resume')).toBe(true);
    expect(handler.mayRun('supervisor', 'seat.barge')).toBe(true);
    expect(handler.mayRun('supervisor', 'campaign.pause')).toBe(false);
    expect(handler.mayRun('planner', 'campaign.pause')).toBe(true);
    expect(handler.mayRun('planner', 'campaign.resume')).toBe(false);
    expect(handler.mayRun('toString', 'seat.listen')).toBe(false);
  });

  it('releases with normal clearing by default and refuses a cause outside Q.850', async () => {
    expect(await handler.handle('supervisor', 'call.release', JSON.stringify({ id: 'a', callId: 's1c31-4' }))).toMatchObject({ ok: true });
    const bad = await handler.handle('supervisor', 'call.release', JSON.stringify({ id: 'b', callId: 's1c31-4', cause: 300 }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(run).toEqual(['release s1c31-4 16']);
  });

  it('reports a failing action as FAILED with its message', async () => {
    const failing = new CommandHandler(
      { u: ['*'] },
      {
        pauseCampaign: () => {
          throw new Error('no campaign spring');
        },
      },
    );
    expect(await failing.handle('u', 'campaign.pause', JSON.stringify({ id: 'c', campaign: 'spring' }))).toEqual({
      id: 'c',
      action: 'campaign.pause',
      ok: false,
      error: { code: 'FAILED', message: 'no campaign spring' },
    });
  });

  it("limits each user's command rate: one RATE_LIMITED answer, then silence until the bucket refills", async () => {
    const clock = new VirtualClock(0);
    const limited = new CommandHandler({ a: ['*'], b: ['*'] }, { forceSeat: (s) => void run.push(s) }, { perSecond: 2, burst: 3 }, clock);
    const req = (user: string, n: number) => limited.handle(user, 'seat.force-busy', JSON.stringify({ id: `r${n}`, seat: `${user}${n}` }));
    const answers = [];
    for (let n = 0; n < 50; n++) answers.push(await req('a', n));
    expect(answers.slice(0, 3).every((r) => r?.ok)).toBe(true);
    expect(answers[3]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(answers.slice(4).every((r) => r === undefined)).toBe(true);
    expect(run).toEqual(['a0', 'a1', 'a2']);
    // Another user is not held back by the flood; the flooder gets back in as tokens refill.
    expect(await req('b', 0)).toMatchObject({ ok: true });
    clock.advance(500);
    expect(await req('a', 99)).toMatchObject({ ok: true });
    expect(await req('a', 100)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('refuses a request id that is not a short plain string', async () => {
    for (const payload of ['[]', '{"id":5}', JSON.stringify({ id: 'x'.repeat(65) }), JSON.stringify({ id: 'a/b' })]) {
      expect(await handler.handle('lead', 'seat.force-busy', payload)).toMatchObject({ ok: false, id: null, error: { code: 'MALFORMED' } });
    }
    expect(run).toEqual([]);
  });
});

describe('phone number masking', () => {
  it('keeps only the last four digits unless numbers are shown in clear', () => {
    expect(maskNumber('13800138000')).toBe('*******8000');
    expect(maskNumber('110')).toBe('***');
    expect(presentNumber('02155501234', 'masked')).toBe('*******1234');
    expect(presentNumber('02155501234', 'clear')).toBe('02155501234');
    expect(presentNumber(undefined, 'masked')).toBeUndefined();
  });
});

test('the published access schema lists every command action (the MQTT contract and the handler agree)', () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'mqtt', 'access.schema.json'), 'utf8'));
  expect(schema.properties.actions.items.enum).toEqual([...COMMAND_ACTIONS]);
});
