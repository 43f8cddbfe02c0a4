/**
 * `trunkpilot privacy bind|unbind|list|callback ... --site FILE`: privacy numbers
 * (A-X-B) on a running gateway, through its authenticated MQTT command interface.
 * Numbers are checked here first (a malformed one is a usage error, exit 2); the
 * gateway checks them again and answers UNKNOWN_X, X_IN_USE, POOL_EXHAUSTED, ...
 */
import { InputError } from '../../core/errors';
import { checkExpirySec, checkPrivacyNumber, parsePrivacyMode, PrivacyBinding } from '../../privacy/privacy-binding';
import { CliIO } from '../cli-io';
import { defineCommand, defineGroup, UsageError } from '../command';
import { askGateway, GATEWAY_OPTIONS, GatewayOptionValues } from '../gateway-command';
import { renderRows } from '../render';

const SITE = '--site /etc/trunkpilot/lab.yaml';

/** A bad number or value given here: a usage error naming the argument. */
function checked<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InputError) throw new UsageError(err.where, err.problem);
    throw err;
  }
}

function bindingRow(b: PrivacyBinding): [string, string] {
  return [b.x, `${b.a} <-> ${b.b}  ${b.mode}  until ${new Date(b.expiresAt).toISOString()}`];
}

function print(io: CliIO, values: GatewayOptionValues, result: unknown, text: (r: never) => string): number {
  io.stdout(values.json ? JSON.stringify(result) + '\n' : text(result as never));
  return 0;
}

const bind = defineCommand({
  name: 'bind',
  summary: 'bind A and B to a free number X of the pool (or the one given) until the expiry',
  description: `two-way: A calling X reaches B, B calling X reaches A. reverse-only: only B calling X
reaches A. Each party is shown X, never the other's real number. When the binding
expires (or is removed) X returns to the pool; a call to it is then announced and released.`,
  options: {
    ...GATEWAY_OPTIONS,
    mode: {
      type: 'string',
      value: 'MODE',
      choices: ['two-way', 'reverse-only'],
      default: 'two-way',
      description: 'who may call whom through X',
    },
    x: { type: 'string', value: 'X', description: 'this number of the pool (default: the first free one)' },
    expires: {
      type: 'integer',
      value: 'SEC',
      min: 1,
      max: 7_776_000,
      description: "lifetime in seconds (default: the site's privacy.defaultExpirySec, else a day)",
    },
  },
  positionals: [
    { name: 'A', description: 'the first real number', required: true },
    { name: 'B', description: 'the second real number', required: true },
  ],
  examples: [`trunkpilot privacy bind 13800000001 13900000002 --expires 3600 ${SITE}`],
  async run({ options, positionals }, io) {
    const req = checked(() => ({
      a: checkPrivacyNumber('A', positionals[0]),
      b: checkPrivacyNumber('B', positionals[1]),
      mode: parsePrivacyMode(options.mode, '--mode'),
      ...(options.x === undefined ? {} : { x: checkPrivacyNumber('--x', options.x) }),
      ...(options.expires === undefined ? {} : { expiresInSec: checkExpirySec(options.expires, '--expires') }),
    }));
    const result = await askGateway(options, 'privacy.bind', req);
    return print(io, options, result, (b: PrivacyBinding) => renderRows([bindingRow(b)]));
  },
});

const unbind = defineCommand({
  name: 'unbind',
  summary: 'remove the binding of X; X returns to the pool at once',
  options: GATEWAY_OPTIONS,
  positionals: [{ name: 'X', description: 'the privacy number', required: true }],
  examples: [`trunkpilot privacy unbind 4008000001 ${SITE}`],
  async run({ options, positionals }, io) {
    const x = checked(() => checkPrivacyNumber('X', positionals[0]));
    const result = await askGateway(options, 'privacy.unbind', { x });
    return print(io, options, result, (b: PrivacyBinding) => `removed ${b.x} (${b.a} <-> ${b.b})\n`);
  },
});

const list = defineCommand({
  name: 'list',
  summary: 'every live binding, and the numbers of the pool that are free',
  options: GATEWAY_OPTIONS,
  examples: [`trunkpilot privacy list ${SITE}`],
  async run({ options }, io) {
    const result = await askGateway(options, 'privacy.list', {});
    return print(io, options, result, (r: { bindings: PrivacyBinding[]; free: string[] }) =>
      renderRows([['X', 'A <-> B  mode  expiry'], ...r.bindings.map(bindingRow), ['free', r.free.join(' ') || 'none']]),
    );
  },
});

const callback = defineCommand({
  name: 'callback',
  summary: 'the gateway calls A, then B, both shown X, and connects them',
  options: GATEWAY_OPTIONS,
  positionals: [{ name: 'X', description: 'the privacy number of the binding', required: true }],
  examples: [`trunkpilot privacy callback 4008000001 ${SITE}`],
  async run({ options, positionals }, io) {
    const x = checked(() => checkPrivacyNumber('X', positionals[0]));
    const result = await askGateway(options, 'privacy.callback', { x });
    return print(io, options, result, (r: { kind: string }) => `${r.kind}\n`);
  },
});

export default defineGroup({
  name: 'privacy',
  summary: 'bind, unbind, list privacy numbers (A-X-B) and place callbacks on a running gateway',
  description: `Reaches the gateway 'trunkpilot run --site FILE' runs, over its authenticated MQTT
command topics (trunkpilot/<gateway>/cmd/<user>/privacy.*). The pool is the site's
privacy.pool; bindings live in the gateway's store and survive restarts.`,
  subcommands: [bind, unbind, list, callback],
});
