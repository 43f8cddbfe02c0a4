/**
 * openr2, which talks to DAHDI by itself (open, DAHDI_SPECIFY, DAHDI_SETTXBITS,
 * DAHDI_IOMUX, DAHDI_GETEVENT, read/write), as a peer of drivers/dahdi through
 * the simulated DAHDI: CAS bits cross the simulated E1 cable both ways.
 */
import { DahdiChannel } from '../drivers/dahdi/dahdi-channel';
import { DahdiEvent } from '../drivers/dahdi/events';
import { describeWithFakeDahdi, until } from '../test-support/dahdi/jest-preload';
import { SimulatedDahdi } from '../simulator/dahdi/simulated-dahdi';
import { OpenR2Channel } from '../simulator/openr2/openr2-channel';

const AB = (abcd: number) => (abcd >> 2) & 0b11;

describeWithFakeDahdi('openr2 as a DAHDI peer through the simulator', __filename, () => {
  let sim: SimulatedDahdi;
  const closers: { close(): void }[] = [];
  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(() => {
    for (const c of closers.splice(0).reverse()) c.close();
    sim.reset();
  });

  test('openr2 opens a simulated CAS channel; its idle bits arrive, our seizure gets its seize-acknowledge', async () => {
    const exchange = sim.addSpan('e1-cas');
    const board = sim.addSpan('e1-cas');
    sim.connectSpans(exchange, board);

    const ours = DahdiChannel.open(board.bearers[0]);
    closers.push(ours);
    const events: DahdiEvent[] = [];
    ours.onEvent((e) => events.push(e));
    const r2 = new OpenR2Channel(exchange.bearers[0]);
    closers.push(r2);
    expect(sim.channelState(exchange.bearers[0]).open).toBe(true);
    ours.setTxBits(0b1011); // forward idle: A=1 B=0, China C=1 D=1
    r2.processEvents();

    // openr2's backward idle (A=1 B=0) reached our side.
    await until(() => events.some((e) => e.type === 'bitschanged'), 'BITSCHANGED from openr2');
    expect(AB(ours.rxBits())).toBe(0b10);
    expect(ours.rxBits()).toBe(sim.channelState(exchange.bearers[0]).txbits);

    // Seize (A=0 B=0): openr2 answers with seize-acknowledge (A=1 B=1).
    events.length = 0;
    ours.setTxBits(0b0011);
    await until(() => {
      r2.processEvents();
      return AB(ours.rxBits()) === 0b11;
    }, 'seize-acknowledge from openr2');
    await until(() => events.some((e) => e.type === 'bitschanged'), 'BITSCHANGED for the seize-acknowledge');
    expect(r2.rxCas).toMatch(/SEIZE/);
    expect(r2.txCas).toMatch(/SEIZE ACK/);
  });

  test('openr2 blocking the line shows as A=1 B=1 on our side', async () => {
    const exchange = sim.addSpan('e1-cas');
    const board = sim.addSpan('e1-cas');
    sim.connectSpans(exchange, board);
    const ours = DahdiChannel.open(board.bearers[3]);
    closers.push(ours);
    const r2 = new OpenR2Channel(exchange.bearers[3]);
    closers.push(r2);
    ours.setTxBits(0b1011);
    r2.processEvents();
    await until(() => AB(ours.rxBits()) === 0b10, 'idle');
    r2.block();
    await until(() => AB(ours.rxBits()) === 0b11, 'blocked');
    expect(r2.txCas).toMatch(/BLOCK/);
  });
});
