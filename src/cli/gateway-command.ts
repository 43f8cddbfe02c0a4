/**
 * What every command that drives a running gateway shares (`campaign`, `privacy`, `seat`):
 * the options that say where the gateway's broker is and who asks, and one request
 * over its authenticated MQTT command topics.
 */
import { loadProfiles } from '../provisioning/board-profile';
import { loadSite } from '../provisioning/site-config';
import { CommandClient, commandTarget } from '../runtime/command-client';
import { OptionValues } from './command';

export const GATEWAY_OPTIONS = {
  site: {
    type: 'string',
    value: 'FILE',
    required: true,
    description: 'the site file of the running gateway (its telemetry section says where the broker is and who may send commands)',
  },
  json: { type: 'flag', description: 'the reply as one JSON object' },
  broker: { type: 'string', value: 'URL', description: "the gateway's MQTT broker (default: from the site file)" },
  gateway: {
    type: 'string',
    value: 'NAME',
    description: "the gateway addressed (default: the site's telemetry.gateway or name); through a centre's bridged broker, which one",
  },
  user: {
    type: 'string',
    value: 'NAME',
    description: "command user (default: TRUNKPILOT_USER, else the site's first user allowed the action)",
  },
  password: { type: 'string', value: 'PW', description: "its password (default: TRUNKPILOT_PASSWORD, else the site file's)" },
  timeout: { type: 'number', value: 'SEC', min: 1, max: 3600, default: 60, unit: 's', description: 'wait this long for the reply' },
  profiles: { type: 'string', value: 'DIR', description: 'board profiles directory (default: the shipped board-profiles)' },
} as const;

export type GatewayOptionValues = OptionValues<typeof GATEWAY_OPTIONS>;

/**
 * Sends one action to the running gateway and resolves with its result. With `seat` and
 * no user given, the site's agent of that seat asks.
 */
export async function askGateway(
  values: GatewayOptionValues,
  action: string,
  args: Record<string, unknown>,
  seat?: string,
): Promise<unknown> {
  return withGatewayClient(values, action, (client) => client.request(action, args), seat);
}

export async function withGatewayClient<T>(
  values: GatewayOptionValues,
  action: string,
  fn: (client: CommandClient) => Promise<T>,
  seat?: string,
): Promise<T> {
  const site = loadSite(values.site, loadProfiles(values.profiles));
  const target = commandTarget(site.site, action, {
    broker: values.broker,
    gateway: values.gateway,
    user: values.user ?? process.env.TRUNKPILOT_USER,
    password: values.password ?? process.env.TRUNKPILOT_PASSWORD,
    seat,
  });
  const client = await CommandClient.connect(target, values.timeout * 1000);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
