import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlayRequest } from '../../drivers/ports/voice-port';
import { agentNumberFor, CallPrompts, checkAgentNumber } from './call-prompts';

describe('call prompts', () => {
  test("the agent number from the pattern: each '?' one digit of the seat number", () => {
    expect(agentNumberFor('8?', 3)).toBe('83');
    expect(agentNumberFor('8??', 3)).toBe('803');
    expect(agentNumberFor('8?', 12)).toBe('812');
    expect(agentNumberFor('??', 7)).toBe('07');
  });

  test('the announcement is put together from the digit files; a campaign may replace the site prompts for its calls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'digits-'));
    try {
      for (let d = 0; d <= 9; d++) writeFileSync(join(dir, `${d}.wav`), 'x');
      const plays: PlayRequest[] = [];
      const player = { play: async (_leg: unknown, req: PlayRequest) => (plays.push(req), { keys: '', completed: true, playedMs: 0 }) };
      const prompts = new CallPrompts(player, {
        abandonMessage: '/site/sorry.wav',
        agentNumber: { pattern: '8?', digits: dir, before: '/p/agent.wav', after: '/p/serving.wav' },
      });
      const leg = { callId: 'c1', span: 1, channel: 1 };
      await prompts.announceSeat(leg, 3, new Promise(() => undefined));
      expect([plays[0].file, ...plays[0].followedBy!]).toEqual(['/p/agent.wav', join(dir, '8.wav'), join(dir, '3.wav'), '/p/serving.wav']);
      let end!: () => void;
      prompts.useFor('c1', { abandonMessage: '/campaign/busy.wav' }, new Promise<void>((r) => (end = r)));
      await prompts.abandon(leg, new Promise(() => undefined));
      expect(plays[1].file).toBe('/campaign/busy.wav');
      end();
      await new Promise((r) => setImmediate(r));
      await prompts.abandon(leg, new Promise(() => undefined));
      expect(plays[2].file).toBe('/site/sorry.wav');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a bad pattern or a digits folder without all ten digits is refused, naming the field', () => {
    expect(() => checkAgentNumber({ pattern: '8x', digits: '/nowhere' }, 'agentNumber')).toThrow(/agentNumber\.pattern: '8x'/);
    expect(() => checkAgentNumber({ pattern: '8?', digits: '/nowhere' }, 'agentNumber')).toThrow(
      /agentNumber\.digits: \/nowhere has no 0\.wav/,
    );
  });

  test('a prompt that fails to play never stops the call going on', async () => {
    const prompts = new CallPrompts(
      {
        play: async () => {
          throw new Error('bad file');
        },
      },
      { abandonMessage: '/x.wav' },
    );
    await expect(prompts.abandon({ callId: 'c', span: 1, channel: 1 }, new Promise(() => undefined))).resolves.toBeUndefined();
  });
});
