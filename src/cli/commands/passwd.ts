import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { InputError } from '../../core/errors';
import { hashPassword, TELEMETRY_ROLES } from '../../telemetry/broker/credentials';
import { CliIO } from '../cli-io';
import { parseCommandArgs } from '../options';

const USAGE = `usage: trunkpilot passwd [--user NAME] [--role viewer|operator]

Reads a password (typed without echo, or the first line of piped input) and prints
its scrypt hash for the site file's telemetry.users section, or for an environment
variable that section names (password_scrypt_env). The password itself is not
printed or stored anywhere.
`;

/** The password source; tests inject one. */
export type SecretReader = () => Promise<string>;

export async function run(argv: string[], io: CliIO, readSecret: SecretReader = readFromStdin): Promise<number> {
  const values = parseCommandArgs('passwd', argv, { user: { type: 'string' }, role: { type: 'string', default: 'viewer' }, help: { type: 'boolean', default: false } }, USAGE);
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (!TELEMETRY_ROLES.includes(values.role as never)) throw new InputError('--role', `must be one of ${TELEMETRY_ROLES.join(', ')}`);
  const password = await readSecret();
  if (password.length < 8) throw new InputError('passwd', 'a password needs at least 8 characters');
  const hash = hashPassword(password);
  if (values.user) io.stdout(`telemetry:\n  users:\n    ${values.user}:\n      role: ${values.role}\n      password_scrypt: "${hash}"\n`);
  else io.stdout(`${hash}\n`);
  return 0;
}

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
