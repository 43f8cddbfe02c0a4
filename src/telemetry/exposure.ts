/**
 * Nothing listens beyond loopback unless asked to, and never without credentials:
 * the rule mosquitto 2 adopted. Every trunkpilot listener checks its address here.
 */
import { isIP } from 'node:net';
import { InputError } from '../core/errors';

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./i.test(h);
  return false;
}

/**
 * Refuses a non-loopback address when no login is configured. `hostSetting` and
 * `credentialsSetting` are what the user changes, named in the message.
 */
export function assertListenAllowed(host: string, hasCredentials: boolean, hostSetting: string, credentialsSetting: string): void {
  if (isLoopback(host) || hasCredentials) return;
  throw new InputError(
    hostSetting,
    `refusing to listen on ${host} (beyond loopback) with no users configured: add users under ${credentialsSetting}, or listen on 127.0.0.1`,
  );
}
