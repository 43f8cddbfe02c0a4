import { verifyPassword } from '../../telemetry/broker/credentials';
import { CliIO } from '../cli-io';
import { PRODUCT_COMMANDS, runCommand } from '../main';
import { secretSource } from './passwd';

const main = (argv: string[], io: Parameters<typeof runCommand>[2]) => runCommand(PRODUCT_COMMANDS, argv, io);

function capture(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

async function passwd(args: string[], secret: string) {
  const io = capture();
  const read = secretSource.read;
  secretSource.read = async () => secret;
  try {
    return { code: await main(['passwd', ...args], io), io };
  } finally {
    secretSource.read = read;
  }
}

describe('trunkpilot passwd', () => {
  it('prints a scrypt hash that verifies the password and never the password itself', async () => {
    const { code, io } = await passwd([], 'correct horse');
    expect(code).toBe(0);
    const hash = io.out.trim();
    expect(hash).toMatch(/^scrypt\$14\$8\$1\$/);
    expect(io.out + io.err).not.toContain('correct horse');
    expect(await verifyPassword(hash, 'correct horse')).toBe(true);
    expect(await verifyPassword(hash, 'correct horsE')).toBe(false);
  });

  it('prints a site-file snippet with --user, and refuses short passwords and unknown roles', async () => {
    const ok = await passwd(['--user', 'lead', '--role', 'operator'], 'longenough');
    expect(ok.io.out).toMatch(/^telemetry:\n {2}users:\n {4}lead:\n {6}role: operator\n {6}password_scrypt: "scrypt\$/);
    const short = await passwd([], 'short');
    expect(short.code).toBe(1);
    expect(short.io.err).toContain('passwd: a password needs at least 8 characters');
    expect((await passwd(['--role', 'root'], 'longenough')).code).toBe(2);
  });
});
