/**
 * Who may read and write which trunkpilot topics. The embedded broker enforces these
 * rules directly; mosquittoAcl() writes the same rules as a mosquitto acl_file, so
 * an external broker behaves the same way (the contract tests run both).
 *
 *   anyone (anonymous too, if allowed)  read   status, spans, modems, seats, campaigns, calls
 *   an authenticated user U             write  cmd/U/<action>     read  reply/U
 *   the service user (trunkpilot)       read and write everything under trunkpilot/
 */
const PUBLIC = ['status', 'spans', 'modems', 'seats', 'campaigns', 'calls'];

export interface BrokerAclOptions {
  /** The user trunkpilot's own publisher connects as. */
  serviceUser: string;
  /** Whether clients without a user name may read telemetry (the local dashboard). */
  allowAnonymousRead: boolean;
}

function levels(topic: string): string[] {
  return topic.split('/');
}

export function mayPublish(user: string | undefined, topic: string, opts: BrokerAclOptions): boolean {
  const t = levels(topic);
  if (t[0] !== 'trunkpilot' || t.length < 3) return false;
  if (user === undefined) return false;
  if (user === opts.serviceUser) return true;
  return t.length === 5 && t[2] === 'cmd' && t[3] === user && t[4] !== '';
}

export function mayRead(user: string | undefined, topic: string, opts: BrokerAclOptions): boolean {
  const t = levels(topic);
  if (t[0] !== 'trunkpilot' || t.length < 3) return false;
  if (user === opts.serviceUser) return true;
  if (user === undefined && !opts.allowAnonymousRead) return false;
  if (PUBLIC.includes(t[2])) return true;
  return user !== undefined && t[2] === 'reply' && t[3] === user;
}

/** The same rules as a mosquitto acl_file. */
export function mosquittoAcl(opts: BrokerAclOptions): string {
  const lines = ['# written by trunkpilot: see src/telemetry/broker/broker-acl.ts'];
  // Patterns apply to every client; whether anonymous ones connect at all is allow_anonymous.
  for (const p of PUBLIC) lines.push(`pattern read trunkpilot/+/${p}`, `pattern read trunkpilot/+/${p}/#`);
  lines.push('pattern write trunkpilot/+/cmd/%u/+', 'pattern read trunkpilot/+/reply/%u', 'pattern read trunkpilot/+/reply/%u/#', '', `user ${opts.serviceUser}`, 'topic readwrite trunkpilot/#', '');
  return lines.join('\n');
}
