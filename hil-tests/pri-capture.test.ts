import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CalleeKind } from '../simulator/callee-population';
import { priRig } from './pri-harness';

describe('D-channel capture of a simulated run', () => {
  it('decodes in tshark as Q.931 with exactly one SETUP per attempt', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tp-cap-')), 'run.pcap');
    const rig = await priRig({ pcapFile: file });
    const kinds: CalleeKind[] = ['answer', 'busy', 'unallocated', 'congestion', 'absent'];
    let attempts = 0;
    try {
      const results = await Promise.all(
        Array.from({ length: 25 }, async (_, i) => {
          rig.population.override(`10${i}`, kinds[i % kinds.length]);
          const r = await rig.group.dial({ number: `10${i}` });
          if (r.call) {
            r.call.hangup();
            await r.call.ended;
          }
          return r;
        }),
      );
      attempts = results.reduce((n, r) => n + r.attempts, 0);
    } finally {
      await rig.close();
    }
    const fields = execFileSync(
      'tshark',
      ['-r', file, '-Y', 'q931', '-T', 'fields', '-e', 'q931.message_type', '-e', 'q931.called_party_number.digits'],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const setups = fields.filter(([type]) => Number(type) === 5);
    expect(attempts).toBe(25);
    expect(setups).toHaveLength(attempts);
    expect(new Set(setups.map(([, digits]) => digits)).size).toBe(25);
    // Every call was cleared on the wire too (RELEASE COMPLETE = 0x5a = 90).
    expect(fields.filter(([type]) => Number(type) === 90).length).toBeGreaterThanOrEqual(25);
  });
});
