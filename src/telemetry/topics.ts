/**
 * The MQTT topic tree, in one place. Everything lives under trunkpilot/<gateway>/:
 *
 * Every payload carries "v" (the contract version, schemas/mqtt/) and schemas/mqtt/ holds a
 * JSON Schema for each.
 *
 *   status                        retained  {"state":"online"|"offline", ...}; last-will "offline"
 *   spans/<span>/state            retained  link, alarms, framing, channel counts by state
 *   spans/<span>/channels         retained  every channel's state (the dashboard grid)
 *   spans/<span>/counters         retained  call counters since start
 *   modems/<span>/<channel>/state retained  a GSM/LTE module: state, signal, registration, operator, SIM, calls today/cap
 *   modems/unassigned             retained  GSM/LTE modules plugged in that the site file does not list (not used)
 *   seats/<seat>/state            retained  one seat
 *   campaigns/<id>/progress       retained  list progress
 *   campaigns/<id>/pacing         retained  dial level, occupancy, abandonment
 *   queues/<answer group>/state   retained  incoming calls: waiting, longest wait, service level, abandoned in queue
 *   calls/<span>                  event     one message per call event, numbers masked
 *   access/<user>                 retained  {"user","role","actions"}: what <user> may do; only <user> may read it
 *   cmd/<user>/<action>           request   the broker lets a user publish only under its own name
 *   reply/<user>                  response  {"id","action","ok",...}; only <user> may read it
 */
import { InputError } from '../core/errors';

const GATEWAY = /^[A-Za-z0-9_-]{1,64}$/;

export function checkGatewayName(gateway: string): string {
  if (!GATEWAY.test(gateway))
    throw new InputError('telemetry.gateway', `'${gateway}' is not a valid gateway name (1-64 of A-Z a-z 0-9 _ -)`);
  return gateway;
}

export class TopicTree {
  readonly root: string;

  constructor(readonly gateway: string) {
    this.root = `trunkpilot/${checkGatewayName(gateway)}`;
  }

  status(): string {
    return `${this.root}/status`;
  }
  spanState(span: number): string {
    return `${this.root}/spans/${span}/state`;
  }
  spanChannels(span: number): string {
    return `${this.root}/spans/${span}/channels`;
  }
  spanCounters(span: number): string {
    return `${this.root}/spans/${span}/counters`;
  }
  modem(span: number, channel: number): string {
    return `${this.root}/modems/${span}/${channel}/state`;
  }
  unassignedModems(): string {
    return `${this.root}/modems/unassigned`;
  }
  seat(seat: string): string {
    return `${this.root}/seats/${segment(seat)}/state`;
  }
  campaignProgress(id: string): string {
    return `${this.root}/campaigns/${segment(id)}/progress`;
  }
  campaignPacing(id: string): string {
    return `${this.root}/campaigns/${segment(id)}/pacing`;
  }
  queue(answerGroup: string): string {
    return `${this.root}/queues/${segment(answerGroup)}/state`;
  }
  calls(span: number): string {
    return `${this.root}/calls/${span}`;
  }
  /** What the command handler subscribes to: any user, any action. */
  commandFilter(): string {
    return `${this.root}/cmd/+/+`;
  }
  command(user: string, action: string): string {
    return `${this.root}/cmd/${segment(user)}/${segment(action)}`;
  }
  access(user: string): string {
    return `${this.root}/access/${segment(user)}`;
  }
  reply(user: string): string {
    return `${this.root}/reply/${segment(user)}`;
  }

  /** Splits a command topic into its user and action, or undefined if it is not one. */
  parseCommand(topic: string): { user: string; action: string } | undefined {
    const prefix = `${this.root}/cmd/`;
    if (!topic.startsWith(prefix)) return undefined;
    const parts = topic.slice(prefix.length).split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
    return { user: parts[0], action: parts[1] };
  }
}

/** Ids from seats and campaigns become one topic level: no separators or wildcards. */
function segment(id: string): string {
  // NUL is not allowed in a topic either.
  return id.replace(/[/#+]/g, '_').replaceAll('\u0000', '_');
}
