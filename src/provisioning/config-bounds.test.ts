/**
 * Hostile or broken configuration files: a size cap, an alias bomb, a broken board
 * profile, a missing directory. Each is a typed error naming file and line (or the
 * option), printed by the CLI without a stack trace, and a broken profile stops only
 * the sites that use it.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRODUCT_COMMANDS, runCommand } from '../cli/main';
import { InputError } from '../core/errors';
import { loadProfiles } from './board-profile';
import { ConfigFileError } from './errors';
import { boardProfilesDir } from './paths';
import { loadSite } from './site-config';
import { MAX_CONFIG_BYTES, YamlSource } from './yaml-source';

const main = (argv: string[], io: Parameters<typeof runCommand>[2]) => runCommand(PRODUCT_COMMANDS, argv, io);

const BOARDS = join(boardProfilesDir(), 'boards');
const SITES = join(boardProfilesDir(), 'sites');

function capture() {
  const io = { out: '', err: '', isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

describe('configuration file bounds', () => {
  it('refuses an alias bomb at the line of its first alias, quickly and without expanding it', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      '',
    ].join('\n');
    const t0 = Date.now();
    const err = (() => {
      try {
        YamlSource.fromText(bomb, 'site.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(err).toBeInstanceOf(ConfigFileError);
    expect((err as Error).message).toMatch(
      /^site\.yaml:2: \(document\): YAML aliases expand too much \(more than 100 expansions\): write the values out instead/,
    );
    // A few aliases, as installers use them for repeated settings, are fine.
    expect(YamlSource.fromText('base: &s { framing: ccs }\nspans: [*s, *s, *s]\n', 'ok.yaml').data).toEqual({
      base: { framing: 'ccs' },
      spans: [{ framing: 'ccs' }, { framing: 'ccs' }, { framing: 'ccs' }],
    });
  });

  it('refuses a file over 1 MiB before reading it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-cfg-'));
    const big = join(dir, 'site.yaml');
    writeFileSync(big, `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    expect(() => YamlSource.fromFile(big)).toThrow(
      `${big}:1: (document): is ${MAX_CONFIG_BYTES + 3} bytes; a configuration file has at most ${MAX_CONFIG_BYTES} (1 MiB)`,
    );
  });

  it('a broken board profile blocks only the sites that use it, naming its file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-profiles-'));
    for (const f of ['openvox-a1200p.yaml', 'digium-te435.yaml', 'digium-tdm800p.yaml']) copyFileSync(join(BOARDS, f), join(dir, f));
    // Break the TE435 profile: a span count that is not a number.
    const te435 = readFileSync(join(BOARDS, 'digium-te435.yaml'), 'utf8');
    const broken = te435.replace(/count: 4/, 'count: four');
    expect(broken).not.toBe(te435);
    writeFileSync(join(dir, 'digium-te435.yaml'), broken);
    const profiles = loadProfiles(dir);
    expect([...profiles.keys()].sort()).toEqual(['digium-tdm800p', 'openvox-a1200p']);
    expect([...profiles.broken.keys()]).toEqual(['digium-te435']);
    // The FXO site does not use it: it loads.
    expect(loadSite(join(SITES, 'fxo.yaml'), profiles).site.boards[0].profile).toBe('openvox-a1200p');
    // The China No.1 site does: it is refused, pointing at the site line and the profile's.
    const err = (() => {
      try {
        loadSite(join(SITES, 'r2-cn.yaml'), profiles);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigFileError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `r2-cn\\.yaml:8: boards\\[0\\]\\.profile: board profile 'digium-te435' is broken \\(${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/digium-te435\\.yaml:\\d+: spans\\.count: `,
      ),
    );
  });

  it('a missing profile directory is an error naming the option; the CLI prints it without a stack', async () => {
    expect(() => loadProfiles('/nonexistent/profiles')).toThrow(InputError);
    expect(() => loadProfiles('/nonexistent/profiles')).toThrow(
      '--profiles: cannot read the board profile directory /nonexistent/profiles: ENOENT',
    );
    const io = capture();
    expect(await main(['provision', 'check', '--site', join(SITES, 'fxo.yaml'), '--profiles', '/nonexistent/profiles'], io)).toBe(1);
    expect(io.err).toBe('trunkpilot provision: --profiles: cannot read the board profile directory /nonexistent/profiles: ENOENT\n');
  });
});
