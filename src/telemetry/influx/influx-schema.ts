/**
 * The InfluxDB schema trunkpilot writes, in one place. Tags are only ever the
 * gateway, the span and the campaign: phone numbers and call ids would be personal
 * data and unbounded series, so the encoder refuses any other tag.
 *
 *   measurement  tags                fields
 *   span         gateway, span       link_up, alarms (integers), alarm_text ('OK' or the names)
 *   channels     gateway, span       one integer per channel state (idle, connected, ...)
 *   calls        gateway, span       dialled, offered, answered, unanswered, faults, talking
 *   seats        gateway, campaign   total, paused, and one integer per seat state
 *   pacing       gateway, campaign   dial_level, occupancy, abandonment, abandonment_hour,
 *                                    abandonment_today, abandon_target, service_level (floats);
 *                                    calls_in_progress, dialled, answered, abandoned, remaining,
 *                                    waiting, longest_wait_ms, asa_ms, calls_per_hour
 */
export type Measurement = 'span' | 'channels' | 'calls' | 'seats' | 'pacing';

export type TagName = 'gateway' | 'span' | 'campaign';
export const ALLOWED_TAGS: ReadonlySet<string> = new Set<TagName>(['gateway', 'span', 'campaign']);

/** Number fields are integers except these, which are floats. */
export const FLOAT_FIELDS: Readonly<Record<Measurement, ReadonlySet<string>>> = {
  span: new Set(),
  channels: new Set(),
  calls: new Set(),
  seats: new Set(),
  pacing: new Set(['dial_level', 'occupancy', 'abandonment', 'abandonment_hour', 'abandonment_today', 'abandon_target', 'service_level']),
};

export interface InfluxPoint {
  measurement: Measurement;
  tags: Partial<Record<TagName, string>> & { gateway: string };
  fields: Record<string, number | boolean | string>;
  /** Clock time in ms. */
  timeMs: number;
}
