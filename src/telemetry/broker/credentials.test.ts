import { InputError } from '../../core/errors';
import { hashPassword, telemetryUsersFrom, verifyPassword } from './credentials';

const HASH = hashPassword('s3cret-pass', { logN: 10, r: 8, p: 1 });

describe('telemetry users from a site file', () => {
  it('reads hashes given directly or through an environment variable, viewer by default', async () => {
    const users = telemetryUsersFrom(
      { lead: { role: 'operator', password_scrypt: HASH }, wall: { password_scrypt_env: 'TP_WALL_PW' } },
      'site.yaml: telemetry.users',
      { TP_WALL_PW: HASH },
    );
    expect(users).toEqual({ lead: { role: 'operator', passwordHash: HASH }, wall: { role: 'viewer', passwordHash: HASH } });
    expect(await verifyPassword(users.wall.passwordHash, 's3cret-pass')).toBe(true);
  });

  it('refuses plain passwords and anything that is not a hash, without repeating the value', () => {
    const attempt = (entry: unknown) => {
      try {
        telemetryUsersFrom({ lead: entry }, 'site.yaml: telemetry.users', {});
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(attempt({ password: 'hunter22' })).toBe(
      'site.yaml: telemetry.users.lead.password: plain passwords are not accepted: store a hash made by `trunkpilot passwd` as password_scrypt',
    );
    const msg = attempt({ password_scrypt: 'hunter22' });
    expect(msg).toContain('needs a password hash made by `trunkpilot passwd`');
    expect(msg).not.toContain('hunter22');
    expect(attempt({ password_scrypt_env: 'TP_MISSING' })).toBe(
      'site.yaml: telemetry.users.lead.password_scrypt_env: the environment variable TP_MISSING is not set',
    );
    expect(attempt({ role: 'root', password_scrypt: HASH })).toContain('.role: must be one of viewer, operator');
    // A hash asking for a huge scrypt cost is not a hash we accept (a file could make each login cost gigabytes).
    expect(attempt({ password_scrypt: HASH.replace(/^scrypt\$10\$/, 'scrypt$30$') })).toContain('needs a password hash');
  });
});
