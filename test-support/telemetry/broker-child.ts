/**
 * The embedded broker and the dashboard in a process of their own, so that a test
 * can measure what an attack costs the broker's process (its RSS from /proc) apart
 * from the attacker's own buffers. Prints one JSON line {mqttPort, httpPort} when
 * listening and runs until killed. Env: TP_USERS (JSON name -> TelemetryUser).
 */
import { EmbeddedBroker } from '../../src/telemetry/broker/embedded-broker';
import { DashboardServer } from '../../src/telemetry/dashboard/dashboard-server';

async function main(): Promise<void> {
  const users = JSON.parse(process.env.TP_USERS ?? '{}');
  const broker = await EmbeddedBroker.start({ host: '127.0.0.1', port: 0, users, serviceUser: 'trunkpilot' });
  const dashboard = await DashboardServer.start({ gateway: 'gw', mqttWebSocket: '/mqtt' }, '127.0.0.1', 0);
  broker.attachWebSocket(dashboard.http, '/mqtt');
  process.stdout.write(JSON.stringify({ mqttPort: broker.port, httpPort: dashboard.port }) + '\n');
  setInterval(() => undefined, 1 << 30);
}

main().catch((err) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
