import { SiteConfig } from '../provisioning/site-types';
import { telemetryUsersFrom } from '../telemetry/broker/credentials';
import { AGENT_ACTIONS, CommandAcl } from '../telemetry/commands';
import { TelemetryOptions } from '../telemetry/start-telemetry';

/** What the command line may change of a site's telemetry section. */
export interface TelemetryOverrides {
  mqttPort?: number;
  httpPort?: number | false;
  host?: string;
  gateway?: string;
}

/** The gateway's topic root: the site's telemetry.gateway, else the site name made topic-safe. */
export function gatewayName(site: SiteConfig): string {
  return site.telemetry?.gateway ?? site.site.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);
}

/** startTelemetry's options from the site's telemetry section (embedded broker on 127.0.0.1:1883 and dashboard on 8080 by default). */
export function telemetryOptionsForSite(site: SiteConfig, overrides: TelemetryOverrides): Omit<TelemetryOptions, 'spans' | 'group'> {
  const t = site.telemetry ?? {};
  const users = telemetryUsersFrom(t.users, `site ${site.site}: telemetry.users`);
  const acl: CommandAcl = {};
  const seatOf: Record<string, string> = {};
  for (const [name, u] of Object.entries(users)) {
    if (u.role === 'operator') acl[name] = t.commands?.[name] ?? ['*'];
    if (u.role === 'agent') {
      acl[name] = AGENT_ACTIONS;
      seatOf[name] = u.seat!;
    }
  }
  return {
    gateway: overrides.gateway ?? gatewayName(site),
    host: overrides.host ?? t.host ?? '127.0.0.1',
    mqttPort: overrides.mqttPort ?? t.mqttPort ?? 1883,
    httpPort: overrides.httpPort ?? t.dashboardPort ?? 8080,
    broker: t.broker,
    influx: t.influx,
    homeAssistantPrefix: t.homeAssistant === true ? 'homeassistant' : t.homeAssistant || undefined,
    numbers: t.numbers,
    users,
    acl,
    seatOf,
  };
}
