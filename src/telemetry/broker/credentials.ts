/**
 * Telemetry users: who may log in to the broker and the dashboard, with which role,
 * and their passwords as scrypt hashes (node:crypto). A plain password is never stored
 * in a site file, never kept in memory after hashing, and never logged.
 *
 * Stored form:  scrypt$<log2 N>$<r>$<p>$<salt, base64url>$<key, base64url>
 * `trunkpilot passwd` prints one; a site file holds it under telemetry.users.<name>,
 * directly (password_scrypt) or by naming an environment variable (password_scrypt_env).
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { InputError } from '../../core/errors';

/**
 * viewer: reads telemetry. operator: also sends commands (which ones: the command ACL).
 * agent: reads telemetry and sends the agent commands (log in/out, ready, pause, end
 * wrap-up) for its own seat only.
 */
export type TelemetryRole = 'viewer' | 'operator' | 'agent';
export const TELEMETRY_ROLES: readonly TelemetryRole[] = ['viewer', 'operator', 'agent'];

/** Roles that send commands (on cmd/<user>/..., answered on reply/<user>). */
export function sendsCommands(role: TelemetryRole): boolean {
  return role === 'operator' || role === 'agent';
}

export interface TelemetryUser {
  passwordHash: string;
  role: TelemetryRole;
  /** An agent's seat ("seat3"): the only one its commands may touch. */
  seat?: string;
}

interface ScryptHash {
  logN: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

const KEY_BYTES = 32;
/** 2^14 x 8 x 128 B = 16 MiB per check: the interactive-login cost scrypt's author suggests. */
const DEFAULT_COST = { logN: 14, r: 8, p: 1 };
const HASH_FORM = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{32,128})$/;

export function hashPassword(password: string, cost = DEFAULT_COST): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, KEY_BYTES, scryptOptions(cost));
  return `scrypt$${cost.logN}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export function isPasswordHash(text: string): boolean {
  return parseHash(text) !== undefined;
}

/** Checks a password against a stored hash without leaking timing; a malformed hash matches nothing. */
export function verifyPassword(stored: string, given: Buffer | string | undefined): Promise<boolean> {
  const h = parseHash(stored);
  if (!h || given === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    scrypt(given, h.salt, h.key.length, scryptOptions(h), (err, key) => resolve(!err && timingSafeEqual(key, h.key)));
  });
}

/**
 * The `telemetry.users` section of a site file (or any config object):
 *   <name>: { role: viewer | operator, password_scrypt: "scrypt$..." }
 *   <name>: { role: viewer | operator, password_scrypt_env: TRUNKPILOT_PW_<NAME> }
 *   <name>: { role: agent, seat: seat3, password_scrypt: "scrypt$..." }
 * `where` names the section in errors (e.g. "site.yaml: telemetry.users").
 */
export function telemetryUsersFrom(section: unknown, where: string, env: NodeJS.ProcessEnv = process.env): Record<string, TelemetryUser> {
  if (section === undefined || section === null) return {};
  if (typeof section !== 'object' || Array.isArray(section))
    throw new InputError(where, 'must map user names to { role, password_scrypt | password_scrypt_env }');
  const users: Record<string, TelemetryUser> = {};
  for (const [name, raw] of Object.entries(section as Record<string, unknown>)) {
    const at = `${where}.${name}`;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new InputError(at, 'a user name is 1-64 of A-Z a-z 0-9 _ . -');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new InputError(at, 'must be { role, password_scrypt | password_scrypt_env }');
    const entry = raw as Record<string, unknown>;
    for (const key of Object.keys(entry)) {
      if (key === 'password')
        throw new InputError(
          `${at}.password`,
          'plain passwords are not accepted: store a hash made by `trunkpilot passwd` as password_scrypt',
        );
      if (!['role', 'seat', 'password_scrypt', 'password_scrypt_env'].includes(key))
        throw new InputError(`${at}.${key}`, 'unknown setting (role, seat, password_scrypt, password_scrypt_env)');
    }
    const role = entry.role ?? 'viewer';
    if (!TELEMETRY_ROLES.includes(role as TelemetryRole))
      throw new InputError(`${at}.role`, `must be one of ${TELEMETRY_ROLES.join(', ')}`);
    const seat = entry.seat;
    if (role === 'agent' && (typeof seat !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(seat)))
      throw new InputError(`${at}.seat`, 'an agent needs its seat (e.g. seat3)');
    if (role !== 'agent' && seat !== undefined) throw new InputError(`${at}.seat`, 'only an agent has a seat');
    let hash: unknown = entry.password_scrypt;
    if (entry.password_scrypt_env !== undefined) {
      if (hash !== undefined) throw new InputError(at, 'give password_scrypt or password_scrypt_env, not both');
      const name = entry.password_scrypt_env;
      if (typeof name !== 'string' || !/^[A-Z_][A-Z0-9_]*$/.test(name))
        throw new InputError(`${at}.password_scrypt_env`, 'must name an environment variable (A-Z 0-9 _)');
      hash = env[name];
      if (hash === undefined) throw new InputError(`${at}.password_scrypt_env`, `the environment variable ${name} is not set`);
    }
    // The value itself stays out of the message: it may be a password pasted by mistake.
    if (typeof hash !== 'string' || !isPasswordHash(hash))
      throw new InputError(at, 'needs a password hash made by `trunkpilot passwd` (scrypt$...); the value given is not one');
    users[name] = { passwordHash: hash, role: role as TelemetryRole, ...(role === 'agent' ? { seat: seat as string } : {}) };
  }
  return users;
}

function parseHash(text: string): ScryptHash | undefined {
  const m = HASH_FORM.exec(text);
  if (!m) return undefined;
  const [logN, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Bounds keep a hostile site file from asking for gigabytes per login.
  if (logN < 10 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 16) return undefined;
  return { logN, r, p, salt: Buffer.from(m[4], 'base64url'), key: Buffer.from(m[5], 'base64url') };
}

function scryptOptions(c: { logN: number; r: number; p: number }) {
  const N = 2 ** c.logN;
  return { N, r: c.r, p: c.p, maxmem: 256 * N * c.r + 1024 * 1024 };
}
