import { VirtualClock } from '../../src/core/clock';
import { MockSerialWire } from '../../simulator/modem/mock-serial-wire';
import { SerialFarEnd } from '../../simulator/modem/serial-far-end';
import { BindingSerialLine } from '../serial/binding-serial-line';
import { AtCommandQueue, AtQueueEvent } from './at-command-queue';
import { DIAL_FINALS } from './at-final-result';
import { AtCommandError, AtResponseError, AtTimeoutError, ModemUnavailableError } from './errors';

/** Lets the mock binding's promise chains run (it moves bytes on ticks, not timers). */
async function io(rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** A device answering each command line with `reply(cmd)` (undefined: stay silent). */
function scripted(dev: SerialFarEnd, reply: (cmd: string) => string | undefined): string[] {
  const seen: string[] = [];
  let acc = '';
  dev.on((bytes) => {
    acc += Buffer.from(bytes).toString('latin1');
    let i: number;
    while ((i = acc.indexOf('\r')) >= 0) {
      const cmd = acc.slice(0, i);
      acc = acc.slice(i + 1);
      seen.push(cmd);
      const r = reply(cmd);
      if (r !== undefined) dev.write(r);
    }
  });
  return seen;
}

describe('AtCommandQueue over the mock binding', () => {
  let clock: VirtualClock;
  let dev: SerialFarEnd;
  let queue: AtCommandQueue;
  let events: AtQueueEvent[];
  let reply: (cmd: string) => string | undefined;
  let seen: string[];

  beforeEach(async () => {
    clock = new VirtualClock();
    const wire = new MockSerialWire();
    dev = wire.device('/dev/ttyUSB2');
    reply = () => '\r\nOK\r\n';
    seen = scripted(dev, (c) => reply(c));
    const link = await BindingSerialLine.open(wire.binding, dev.path);
    queue = new AtCommandQueue(link, { clock, defaultTimeoutMs: 1000 });
    events = [];
    queue.on((ev) => events.push(ev));
  });

  afterEach(() => queue.close());

  it('returns the response lines of a query, without echo, and runs commands one at a time in order', async () => {
    reply = (c) => (c === 'AT+CSQ' ? `${c}\r\r\n+CSQ: 23,99\r\n\r\nOK\r\n` : '\r\nOK\r\n');
    const a = queue.send('ATE0');
    const b = queue.send('AT+CSQ');
    await io();
    await expect(a).resolves.toMatchObject({ final: { kind: 'ok' }, lines: [] });
    await expect(b).resolves.toMatchObject({ final: { kind: 'ok' }, lines: ['+CSQ: 23,99'] });
    expect(seen).toEqual(['ATE0', 'AT+CSQ']);
  });

  it.each([
    ['ERROR', 'error', undefined],
    ['+CME ERROR: 10', 'cme-error', 10],
    ['+CME ERROR: SIM not inserted', 'cme-error', 'SIM not inserted'],
    ['+CMS ERROR: 500', 'cms-error', 500],
  ])('%s rejects with a typed AtCommandError', async (line, result, detail) => {
    reply = () => `\r\n${line}\r\n`;
    const err = await Promise.all([queue.send('AT+CPIN?'), io()]).catch((e) => e);
    expect(err).toBeInstanceOf(AtCommandError);
    expect(err).toMatchObject({ result, detail, command: 'AT+CPIN?' });
  });

  it.each([
    ['BUSY', 'busy'],
    ['NO CARRIER', 'no-carrier'],
    ['NO ANSWER', 'no-answer'],
    ['NO DIALTONE', 'no-dialtone'],
  ])('a dial ending %s rejects with that result and reports it as call news', async (line, result) => {
    reply = () => `\r\n${line}\r\n`;
    const err = await Promise.all([queue.send('ATD13800138000;', { extraFinals: DIAL_FINALS }), io()]).catch((e) => e);
    expect(err).toMatchObject({ code: 'AT_COMMAND_FAILED', result });
    expect(events).toContainEqual({ type: 'line', text: line, inResponseTo: 'ATD13800138000;' });
  });

  it("NO CARRIER during another command is a report, not that command's result", async () => {
    reply = (c) => (c === 'AT+CSQ' ? '\r\nNO CARRIER\r\n\r\n+CSQ: 5,99\r\n\r\nOK\r\n' : undefined);
    const [res] = await Promise.all([queue.send('AT+CSQ'), io()]);
    expect(res.lines).toEqual(['+CSQ: 5,99']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'line', text: 'NO CARRIER' }));
  });

  it('unsolicited codes in the middle of a response are reported and kept out of it', async () => {
    reply = () => '\r\n+CLCC: 1,0,3,0,0,"13800138000",129\r\n\r\nRING\r\n\r\n+CLIP: "13900139000",129\r\n\r\nOK\r\n';
    const [res] = await Promise.all([queue.send('AT+CLCC'), io()]);
    expect(res.lines).toEqual(['+CLCC: 1,0,3,0,0,"13800138000",129']);
    expect(events.filter((e) => e.type === 'line').map((e) => (e as { text: string }).text)).toEqual([
      '+CLCC: 1,0,3,0,0,"13800138000",129',
      'RING',
      '+CLIP: "13900139000",129',
    ]);
  });

  it('a silent modem times the command out with what did arrive (truncated), and the next command still runs', async () => {
    reply = (c) => (c === 'AT+COPS?' ? '\r\n+COPS: 0,0,"CHINA MOBI' : '\r\nOK\r\n');
    const first = queue.send('AT+COPS?');
    const second = queue.send('AT');
    await io();
    clock.advance(1000);
    const err = await first.catch((e) => e);
    expect(err).toBeInstanceOf(AtTimeoutError);
    expect(err).toMatchObject({ command: 'AT+COPS?', timeoutMs: 1000, partial: ['+COPS: 0,0,"CHINA MOBI'] });
    expect(err.message).toContain('truncated');
    await io();
    await expect(second).resolves.toMatchObject({ final: { kind: 'ok' } });
  });

  it('reports a stall after three commands in a row go unanswered', async () => {
    reply = () => undefined;
    const sent = [queue.send('AT'), queue.send('AT'), queue.send('AT')].map((p) => p.catch((e) => e));
    for (let i = 0; i < 3; i++) {
      await io();
      clock.advance(1000);
    }
    expect((await Promise.all(sent)).every((e) => e instanceof AtTimeoutError)).toBe(true);
    expect(events).toContainEqual({ type: 'stalled', count: 3 });
  });

  it('garbage and over-long lines are typed errors with bounded excerpts, and the command still completes', async () => {
    const long = 'X'.repeat(5000);
    reply = () => `\r\n\x00\xff\x1b[garbage\r\n${long}\r\n+CSQ: 9,99\r\nOK\r\n`;
    const [res] = await Promise.all([queue.send('AT+CSQ'), io()]);
    expect(res.lines).toEqual(['+CSQ: 9,99']);
    const invalid = events.filter((e) => e.type === 'invalid').map((e) => (e as { error: AtResponseError }).error);
    expect(invalid.map((e) => e.problem)).toEqual(['garbage', 'line-too-long']);
    for (const e of invalid) {
      expect(e).toBeInstanceOf(AtResponseError);
      expect(e.message.length).toBeLessThan(200);
    }
  });

  it('never names a SIM PIN in an error (it would reach logs and telemetry)', async () => {
    reply = (c) => (c.startsWith('AT+CPIN=') ? '\r\n+CME ERROR: 16\r\n' : undefined);
    const refused = await Promise.all([queue.send('AT+CPIN="8642"'), io()]).catch((e) => e);
    expect(refused).toBeInstanceOf(AtCommandError);
    reply = () => undefined;
    const timedOut = queue.send('AT+CPIN="8642"').catch((e) => e);
    await io();
    clock.advance(1000);
    const err = await timedOut;
    expect(err).toBeInstanceOf(AtTimeoutError);
    for (const e of [refused, err]) {
      expect(e.message).not.toContain('8642');
      expect(e.command).toBe('AT+CPIN=<redacted>');
    }
  });

  it('a response with too many lines is refused, bounded', async () => {
    reply = () => `${'\r\n+CLCC: 1,0,0,0,0\r\n'.repeat(100)}OK\r\n`;
    const err = await Promise.all([queue.send('AT+CLCC'), io(12)]).catch((e) => e);
    expect(err).toMatchObject({ code: 'AT_RESPONSE_INVALID', problem: 'response-too-long' });
    reply = () => '\r\nOK\r\n';
    await expect(Promise.all([queue.send('AT'), io()])).resolves.toBeDefined();
  });

  it('a vanished port rejects the command in flight and every queued one, then refuses new ones', async () => {
    reply = () => undefined;
    const a = queue.send('AT+CSQ').catch((e) => e);
    const b = queue.send('AT+CREG?').catch((e) => e);
    await io();
    await dev.vanish();
    await io();
    for (const err of await Promise.all([a, b])) {
      expect(err).toBeInstanceOf(ModemUnavailableError);
      expect(err.reason).toBe('link-lost');
    }
    expect(queue.state).toBe('closed');
    await expect(queue.send('AT')).rejects.toMatchObject({ reason: 'closed' });
  });
});
