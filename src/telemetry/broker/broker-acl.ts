/**
 * Who may read and write which trunkpilot topics. The embedded broker enforces these
 * rules directly; mosquittoAcl() writes the same rules as a mosquitto acl_file, so
 * an external broker behaves the same way (the contract tests run both).
 *
 *   anonymous                    nothing (the connection is refused)
 *   a viewer U                   read   status, spans, modems, seats, campaigns, queues, calls
 *   any user U                   also read access/U (its own role and allowed actions)
 *   an operator or agent U       as a viewer, and write cmd/U/<action>, read reply/U
 *   the service user (trunkpilot) read and write everything under trunkpilot/
 *   with Home Assistant discovery on, the service user also writes under its prefix
 *   (homeassistant/ by default) and every logged-in user may read there
 */
import { sendsCommands, type TelemetryRole } from './credentials';

const PUBLIC = ['status', 'spans', 'modems', 'seats', 'campaigns', 'queues', 'calls'];

export interface BrokerAclOptions {
  /** The user trunkpilot's own publisher connects as. */
  serviceUser: string;
  /** Home Assistant's discovery prefix, when discovery is published. */
  discoveryPrefix?: string;
}

/** A logged-in client; undefined for one that is not (which may do nothing). */
export interface BrokerPrincipal {
  user: string;
  role: TelemetryRole;
}

function levels(topic: string): string[] {
  return topic.split('/');
}

export function mayPublish(who: BrokerPrincipal | undefined, topic: string, opts: BrokerAclOptions): boolean {
  const t = levels(topic);
  if (opts.discoveryPrefix && t[0] === opts.discoveryPrefix) return who?.user === opts.serviceUser;
  if (t[0] !== 'trunkpilot' || t.length < 3 || who === undefined) return false;
  if (who.user === opts.serviceUser) return true;
  return sendsCommands(who.role) && t.length === 5 && t[2] === 'cmd' && t[3] === who.user && t[4] !== '';
}

export function mayRead(who: BrokerPrincipal | undefined, topic: string, opts: BrokerAclOptions): boolean {
  const t = levels(topic);
  if (who !== undefined && opts.discoveryPrefix && t[0] === opts.discoveryPrefix) return true;
  if (t[0] !== 'trunkpilot' || t.length < 3 || who === undefined) return false;
  if (who.user === opts.serviceUser) return true;
  if (PUBLIC.includes(t[2])) return true;
  if (t[2] === 'access') return t.length === 4 && t[3] === who.user;
  return sendsCommands(who.role) && t[2] === 'reply' && t[3] === who.user;
}

/** The same rules as a mosquitto acl_file (run it with allow_anonymous false). */
export function mosquittoAcl(opts: BrokerAclOptions & { roles: Record<string, TelemetryRole> }): string {
  const lines = ['# written by trunkpilot: see src/telemetry/broker/broker-acl.ts'];
  // Patterns apply to every logged-in client; what only operators and agents may do is listed per user.
  for (const p of PUBLIC) lines.push(`pattern read trunkpilot/+/${p}`, `pattern read trunkpilot/+/${p}/#`);
  lines.push('pattern read trunkpilot/+/access/%u');
  if (opts.discoveryPrefix) lines.push(`pattern read ${opts.discoveryPrefix}/#`);
  lines.push('', `user ${opts.serviceUser}`, 'topic readwrite trunkpilot/#');
  if (opts.discoveryPrefix) lines.push(`topic readwrite ${opts.discoveryPrefix}/#`);
  lines.push('');
  for (const [user, role] of Object.entries(opts.roles)) {
    if (user === opts.serviceUser || !sendsCommands(role)) continue;
    lines.push(
      `user ${user}`,
      `topic write trunkpilot/+/cmd/${user}/+`,
      `topic read trunkpilot/+/reply/${user}`,
      `topic read trunkpilot/+/reply/${user}/#`,
      '',
    );
  }
  return lines.join('\n');
}
