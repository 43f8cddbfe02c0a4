/**
 * `trunkpilot passwd`: a scrypt hash of a password for a telemetry user (broker and
 * dashboard logins), for the site file's telemetry.users section or an environment
 * variable it names. The password is read without echo (or from piped input) and is
 * not printed or stored anywhere.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { InputError } from '../../core/errors';
import { hashPassword, TELEMETRY_ROLES } from '../../telemetry/broker/credentials';
import { defineCommand } from '../command';

/** The password source; tests replace it. */
export const secretSource = { read: readFromStdin };

export default defineCommand({
  name: 'passwd',
  summary: 'hash a password for a telemetry user (broker and dashboard logins) in the site file',
  description:
    'Reads a password (typed without echo, or the first line of piped input) and prints its scrypt\nhash for telemetry.users.<name>.password_scrypt (or an environment variable named by\npassword_scrypt_env). The password itself is not printed or stored.',
  options: {
    user: { type: 'string', value: 'NAME', description: 'print a site-file snippet for this user instead of the bare hash' },
    role: {
      type: 'string',
      value: 'ROLE',
      default: 'viewer',
      choices: TELEMETRY_ROLES,
      description: 'viewer reads telemetry; operator also sends the commands its ACL allows',
    },
  },
  examples: ['trunkpilot passwd', 'trunkpilot passwd --user lead --role operator'],
  async run({ options }, io) {
    const password = await secretSource.read();
    if (password.length < 8) throw new InputError('passwd', 'a password needs at least 8 characters');
    const hash = hashPassword(password);
    if (options.user)
      io.stdout(`telemetry:\n  users:\n    ${options.user}:\n      role: ${options.role}\n      password_scrypt: "${hash}"\n`);
    else io.stdout(`${hash}\n`);
    return 0;
  },
});

async function readFromStdin(): Promise<string> {
  const tty = Boolean(process.stdin.isTTY);
  let muted = false;
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: tty });
  try {
    if (tty) process.stderr.write('password (not shown): ');
    muted = tty;
    const line = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    if (tty) process.stderr.write('\n');
    return line;
  } finally {
    rl.close();
  }
}
