/**
 * `trunkpilot seat login|logout|ready|pause|end-wrap SEAT --site FILE`: an agent's own
 * controls without a phone, and `transfer`/`release` for supervisors, sent to the
 * running gateway over its authenticated MQTT command topics. An agent user may name
 * only its own seat; without --user, the site's agent of SEAT is used.
 */
import { defineCommand, defineGroup } from '../command';
import { renderRows } from '../render';
import { askGateway as ask, GATEWAY_OPTIONS as COMMON } from '../gateway-command';

const SITE = '--site /etc/trunkpilot/lab.yaml';
const SEAT = { name: 'SEAT', description: 'the seat (seat1, seat2, ...)', required: true } as const;

function seatCommand(name: string, summary: string, action: string, example: string) {
  return defineCommand({
    name,
    summary,
    options: COMMON,
    positionals: [SEAT],
    examples: [`trunkpilot seat ${name} seat3 ${SITE}${example}`],
    async run({ options, positionals }, io) {
      const result = await ask(options, action, { seat: positionals[0] }, positionals[0]);
      io.stdout(options.json ? JSON.stringify(result) + '\n' : render(result));
      return 0;
    },
  });
}

const pause = defineCommand({
  name: 'pause',
  summary: 'not ready, with a reason (after the current call when on one)',
  options: { ...COMMON, reason: { type: 'string', value: 'TEXT', description: 'why (shown to supervisors), up to 200 characters' } },
  positionals: [SEAT],
  examples: [`trunkpilot seat pause seat3 --reason lunch ${SITE}`],
  async run({ options, positionals }, io) {
    const args = { seat: positionals[0], ...(options.reason ? { reason: options.reason } : {}) };
    const result = await ask(options, 'seat.pause', args, positionals[0]);
    io.stdout(options.json ? JSON.stringify(result) + '\n' : render(result));
    return 0;
  },
});

const transfer = defineCommand({
  name: 'transfer',
  summary: "move a seat's live call to another ready seat (a remote agent is called out first)",
  options: COMMON,
  positionals: [SEAT, { name: 'TO', description: 'the seat to take the call', required: true }],
  examples: [`trunkpilot seat transfer seat3 seat17 ${SITE}`],
  async run({ options, positionals }, io) {
    const result = await ask(options, 'seat.transfer', { seat: positionals[0], to: positionals[1] });
    io.stdout(options.json ? JSON.stringify(result) + '\n' : render(result));
    return 0;
  },
});

export default defineGroup({
  name: 'seat',
  summary: 'log an agent in or out, make its seat ready or not ready, end wrap-up; transfer and release calls',
  description: `Reaches the gateway 'trunkpilot run --site FILE' runs, over its authenticated MQTT
command topics (trunkpilot/<gateway>/cmd/<user>/seat.*). An agent user (telemetry.users
<name>: { role: agent, seat: seatN }) may act on its own seat only; operators on any.`,
  subcommands: [
    seatCommand('login', 'log the agent in: the seat becomes ready', 'seat.login', ''),
    seatCommand('logout', 'log the agent out (not while on a call)', 'seat.logout', ''),
    seatCommand('ready', 'ready for calls (ends wrap-up or a pause)', 'seat.ready', ''),
    pause,
    seatCommand('end-wrap', 'end after-call work now: the seat becomes ready', 'seat.end-wrap', ''),
    transfer,
    seatCommand('release', "hang up the seat's live call (supervisor)", 'seat.release', ''),
  ],
});

function render(result: unknown): string {
  if (result && typeof result === 'object' && !Array.isArray(result))
    return renderRows(Object.entries(result as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]));
  return JSON.stringify(result) + '\n';
}
