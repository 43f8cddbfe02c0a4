/**
 * Home Assistant MQTT discovery (an option): one retained config per entity under
 * <prefix>/<component>/trunkpilot_<gateway>/<object>/config, pointing at the state
 * topics trunkpilot already publishes, so a Home Assistant wallboard shows spans,
 * seats and campaigns with no YAML. Entities go unavailable with the gateway's
 * status (its last will).
 */
import { CampaignSnapshot, SeatSnapshot, SpanSnapshot } from './source';
import { TopicTree } from './topics';

export interface DiscoveryMessage {
  topic: string;
  config: Record<string, unknown>;
}

export interface DiscoveredState {
  spans: SpanSnapshot[];
  seats: SeatSnapshot[];
  campaigns: CampaignSnapshot[];
}

/** Home Assistant allows [a-zA-Z0-9_-] in node and object ids. */
function objectId(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

export function discoveryMessages(prefix: string, topics: TopicTree, state: DiscoveredState): DiscoveryMessage[] {
  const node = `trunkpilot_${objectId(topics.gateway)}`;
  const common = {
    availability_topic: topics.status(),
    availability_template: '{{ value_json.state }}',
    payload_available: 'online',
    payload_not_available: 'offline',
    device: { identifiers: [node], name: `trunkpilot ${topics.gateway}`, manufacturer: 'trunkpilot', model: 'telephony gateway' },
  };
  const out: DiscoveryMessage[] = [];
  const add = (component: string, object: string, config: Record<string, unknown>) =>
    out.push({
      topic: `${prefix}/${component}/${node}/${object}/config`,
      config: { ...config, unique_id: `${node}_${object}`, object_id: `${node}_${object}`, ...common },
    });

  for (const s of state.spans) {
    add('binary_sensor', `span_${s.span}_link`, {
      name: `Span ${s.span} link`,
      device_class: 'connectivity',
      state_topic: topics.spanState(s.span),
      value_template: "{{ 'ON' if value_json.linkUp else 'OFF' }}",
    });
    add('sensor', `span_${s.span}_alarms`, {
      name: `Span ${s.span} alarms`,
      state_topic: topics.spanState(s.span),
      value_template: "{{ value_json.alarms | join(' ') if value_json.alarms else 'OK' }}",
      icon: 'mdi:alarm-light',
    });
    add('sensor', `span_${s.span}_connected`, {
      name: `Span ${s.span} calls connected`,
      state_topic: topics.spanState(s.span),
      value_template: '{{ value_json.counts.connected }}',
      state_class: 'measurement',
      unit_of_measurement: 'calls',
    });
  }
  for (const seat of state.seats) {
    add('sensor', `seat_${objectId(seat.seat)}`, {
      name: `Seat ${seat.seat}`,
      state_topic: topics.seat(seat.seat),
      value_template: '{{ value_json.state }}',
      json_attributes_topic: topics.seat(seat.seat),
      icon: 'mdi:headset',
    });
  }
  for (const c of state.campaigns) {
    const id = objectId(c.campaign);
    add('sensor', `campaign_${id}_state`, {
      name: `Campaign ${c.campaign}`,
      state_topic: topics.campaignProgress(c.campaign),
      value_template: '{{ value_json.state }}',
      json_attributes_topic: topics.campaignProgress(c.campaign),
      icon: 'mdi:phone-outgoing',
    });
    add('sensor', `campaign_${id}_abandonment_hour`, {
      name: `Campaign ${c.campaign} abandonment (rolling hour)`,
      state_topic: topics.campaignPacing(c.campaign),
      value_template: '{{ ((value_json.acd.abandonmentHour if value_json.acd is defined else value_json.abandonment) * 100) | round(2) }}',
      unit_of_measurement: '%',
      state_class: 'measurement',
    });
    add('sensor', `campaign_${id}_occupancy`, {
      name: `Campaign ${c.campaign} occupancy`,
      state_topic: topics.campaignPacing(c.campaign),
      value_template: '{{ (value_json.occupancy * 100) | round(1) }}',
      unit_of_measurement: '%',
      state_class: 'measurement',
    });
  }
  return out;
}
