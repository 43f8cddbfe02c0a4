import { verifyPassword } from '../../telemetry/broker/credentials';
import { CliIO } from '../cli-io';
import { run } from './passwd';

function capture(): CliIO & { out: string } {
  const io = { out: '', isTTY: false, stdout: (t: string) => void (io.out += t), stderr: () => undefined };
  return io;
}

describe('trunkpilot passwd', () => {
  it('prints a scrypt hash that verifies the password and never the password itself', async () => {
    const io = capture();
    expect(await run([], io, async () => 'correct horse')).toBe(0);
    const hash = io.out.trim();
    expect(hash).toMatch(/^scrypt\$14\$8\$1\$/);
    expect(io.out).not.toContain('correct horse');
    expect(await verifyPassword(hash, 'correct horse')).toBe(true);
    expect(await verifyPassword(hash, 'correct horsE')).toBe(false);
  });

  it('prints a site-file snippet with --user, and refuses short passwords and unknown roles', async () => {
    const io = capture();
    await run(['--user', 'lead', '--role', 'operator'], io, async () => 'longenough');
    expect(io.out).toMatch(/^telemetry:\n {2}users:\n {4}lead:\n {6}role: operator\n {6}password_scrypt: "scrypt\$/);
    await expect(run([], capture(), async () => 'short')).rejects.toThrow('passwd: a password needs at least 8 characters');
    await expect(run(['--role', 'root'], capture(), async () => 'longenough')).rejects.toThrow('--role: must be one of viewer, operator');
  });
});
