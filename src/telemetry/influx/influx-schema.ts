/**
 * The InfluxDB schema trunkpilot writes, in one place. Tags are only ever the
 * gateway, the span, the campaign, the answer group (all named by the site or its
 * campaigns) and a modem trunk's module (its channel number on the span): phone
 * numbers, call ids, IMEIs and ICCIDs would be personal data or unbounded series, so
 * the encoder refuses any other tag.
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
 *   queues       gateway, answer_group  waiting, longest_wait_ms, offered, refused_full, connected,
 *                                    connected_within_target, abandoned_in_queue, timed_out (integers);
 *                                    service_level (float)
 *   modem        gateway, span,      in_service (1/0), rssi (0-31, absent when unknown),
 *                modem               registered (1/0), calls_today, daily_cap (absent without a cap);
 *                                    state, registration, operator, sim, model (strings)
 */
export type Measurement = 'span' | 'channels' | 'calls' | 'seats' | 'pacing' | 'queues' | 'modem';

export type TagName = 'gateway' | 'span' | 'campaign' | 'answer_group' | 'modem';
export const ALLOWED_TAGS: ReadonlySet<string> = new Set<TagName>(['gateway', 'span', 'campaign', 'answer_group', 'modem']);

/** Number fields are integers except these, which are floats. */
export const FLOAT_FIELDS: Readonly<Record<Measurement, ReadonlySet<string>>> = {
  span: new Set(),
  channels: new Set(),
  calls: new Set(),
  seats: new Set(),
  pacing: new Set(['dial_level', 'occupancy', 'abandonment', 'abandonment_hour', 'abandonment_today', 'abandon_target', 'service_level']),
  queues: new Set(['service_level']),
  modem: new Set(),
};

export interface InfluxPoint {
  measurement: Measurement;
  tags: Partial<Record<TagName, string>> & { gateway: string };
  fields: Record<string, number | boolean | string>;
  /** Clock time in ms. */
  timeMs: number;
}
