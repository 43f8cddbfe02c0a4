/**
 * A trunkpilot publisher in a process of its own, for the last-will test: it
 * connects, prints "ready", and runs until it is killed.
 * Env: TP_MQTT_URL, TP_MQTT_USER, TP_MQTT_PASSWORD, TP_GATEWAY.
 */
import { systemClock } from '../../src/core/clock';
import { MqttTelemetryPublisher } from '../../src/telemetry/mqtt-publisher';
import { e1Span, FixtureSource } from './fixture-source';

async function main(): Promise<void> {
  const source = new FixtureSource();
  source.spanList = [e1Span(1, 3)];
  const publisher = new MqttTelemetryPublisher(source, {
    url: process.env.TP_MQTT_URL!,
    gateway: process.env.TP_GATEWAY ?? 'gw-child',
    username: process.env.TP_MQTT_USER,
    password: process.env.TP_MQTT_PASSWORD,
    clock: systemClock,
    intervalMs: 100,
  });
  await publisher.start();
  process.stdout.write('ready\n');
  setInterval(() => undefined, 1 << 30);
}

main().catch((err) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
