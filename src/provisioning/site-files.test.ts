import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../core/errors';
import { SiteFiles } from './site-files';

describe('files named in a site file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-site-files-'));
  writeFileSync(join(dir, 'hold-music.wav'), '');
  const files = new SiteFiles('centre', join(dir, 'centre.yaml'));

  it('takes a relative path from the site file folder, not the working directory', () => {
    expect(files.existing('inbound.queue.music', 'hold-music.wav')).toBe(join(dir, 'hold-music.wav'));
    expect(files.path('prompts/sorry.wav')).toBe(join(dir, 'prompts', 'sorry.wav'));
    expect(files.path('/srv/voice/sorry.wav')).toBe('/srv/voice/sorry.wav');
  });

  it('names the setting and the file it looked for when the file is missing', () => {
    const missing = () => files.existing('inbound.queue.sorry', 'sorry.wav');
    expect(missing).toThrow(InputError);
    expect(missing).toThrow(`site centre inbound.queue.sorry: ${join(dir, 'sorry.wav')} does not exist`);
  });
});
