import koffi from 'koffi';
import { closeSync, readSync, writeSync } from 'node:fs';

/**
 * Every DAHDI channel reads on a koffi.node.poll callback and hands what it read to code that
 * awaits it (a call waiting for its answer, a D-channel frame). That only works while Node
 * runs the microtasks a poll callback queues before the loop sleeps again. From Node 26.4
 * it does not: a promise resolved there settles only when some other event wakes the loop,
 * so calls stall until a timer fires. This test is the tripwire for moving to a new Node.
 */
const EFD_CLOEXEC = 0o2000000;
const EFD_NONBLOCK = 0o4000;

test('a promise resolved in a koffi.node.poll callback settles within the same event-loop turn', async () => {
  const eventfd = koffi.load(null).func('int eventfd(unsigned int initval, int flags)') as (init: number, flags: number) => number;
  const fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  expect(fd).toBeGreaterThanOrEqual(0);

  let settled = false;
  let resolveWoken!: () => void;
  void new Promise<void>((resolve) => (resolveWoken = resolve)).then(() => (settled = true));

  let poller: ReturnType<typeof koffi.node.poll> | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    // What the loop's check phase (the first setImmediate after the poll phase) sees: by then
    // the microtasks of the poll callback must have run.
    const settledAtCheckPhase = await new Promise<boolean>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('the poll callback never ran within 5 s of the descriptor becoming readable')), 5000);
      poller = koffi.node.poll(fd, { readable: true }, () => {
        readSync(fd, Buffer.alloc(8));
        poller?.stop();
        resolveWoken();
        setImmediate(() => resolve(settled));
      });
      const one = Buffer.alloc(8);
      one.writeBigUInt64LE(1n);
      writeSync(fd, one);
    });
    expect(settledAtCheckPhase).toBe(true);
  } finally {
    clearTimeout(timer);
    poller?.close();
    closeSync(fd);
  }
});
