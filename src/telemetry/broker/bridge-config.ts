/**
 * One broker for a whole centre: each gateway's mosquitto bridges its own tree
 * (trunkpilot/<gateway>/...) to a central mosquitto, so one wallboard and one
 * Grafana see every gateway, filtered by the gateway level of the topic.
 * Telemetry and replies go out; only commands addressed to this gateway
 * (trunkpilot/<gateway>/cmd/...) come in, so a command reaches the one gateway it
 * names. The central broker's ACL (mosquittoAcl with the centre's users, plus
 * centralBridgeAcl) keeps each user publishing commands under its own name and
 * each bridge writing only its own gateway's tree.
 */
import { InputError } from '../../core/errors';
import { checkGatewayName } from '../topics';

/** What a gateway publishes (see topics.ts), bridged out to the centre; `cmd` is the only subtree that comes in. */
const OUT = ['status', 'spans', 'modems', 'seats', 'campaigns', 'queues', 'calls', 'access', 'reply'];

export interface BridgeOptions {
  gateway: string;
  /** The central broker. */
  central: { host: string; port: number };
  /** The user this gateway's bridge logs in to the central broker as. */
  bridgeUser: string;
  /** Its password; without one the snippet holds a line to fill in. */
  bridgePassword?: string;
  /** CA file to check the central broker's certificate (TLS); none: plain MQTT (a private network only). */
  cafile?: string;
}

/** `host`, `host:port` or `[v6]:port` -> host and port (default 1883, or 8883 with TLS). */
export function parseCentral(text: string, tls: boolean): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(text);
  const port = m?.[2] === undefined ? (tls ? 8883 : 1883) : Number(m[2]);
  if (!m || port < 1 || port > 65535) throw new InputError('--central', `'${text}' is not HOST or HOST:PORT`);
  return { host: m[1], port };
}

/** The bridge section for this gateway's mosquitto.conf (a conf.d file). */
export function mosquittoBridgeSnippet(o: BridgeOptions): string {
  const gw = checkGatewayName(o.gateway);
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(o.bridgeUser)) throw new InputError('--bridge-user', `'${o.bridgeUser}' is not a valid user name`);
  if (o.bridgePassword !== undefined && /[\r\n]/.test(o.bridgePassword)) throw new InputError('bridge password', 'must be one line');
  const root = `trunkpilot/${gw}`;
  const lines = [
    `# trunkpilot: bridges gateway ${gw}'s telemetry to the centre's broker; only commands for ${gw} come back`,
    `connection trunkpilot-${gw}`,
    `address ${o.central.host}:${o.central.port}`,
    `remote_clientid trunkpilot-bridge-${gw}`,
    `remote_username ${o.bridgeUser}`,
    o.bridgePassword !== undefined
      ? `remote_password ${o.bridgePassword}`
      : `# remote_password ... (set it: the central broker refuses anonymous bridges)`,
    ...(o.cafile ? [`bridge_cafile ${o.cafile}`, 'bridge_insecure false'] : []),
    'bridge_protocol_version mqttv311',
    'try_private true',
    'cleansession true',
    'notifications false',
    'start_type automatic',
    ...OUT.flatMap((t) => [`topic ${root}/${t} out 1`, `topic ${root}/${t}/# out 1`]),
    `topic ${root}/cmd/# in 1`,
    '',
  ];
  return lines.join('\n');
}

/** Lines for the central broker's acl_file: each gateway's bridge may write its own tree and read its own commands. */
export function centralBridgeAcl(bridges: readonly { gateway: string; bridgeUser: string }[]): string {
  const lines = ['# trunkpilot gateway bridges: see src/telemetry/broker/bridge-config.ts'];
  for (const b of bridges) {
    const root = `trunkpilot/${checkGatewayName(b.gateway)}`;
    lines.push(`user ${b.bridgeUser}`, `topic write ${root}/#`, `topic read ${root}/cmd/#`, '');
  }
  return lines.join('\n');
}
