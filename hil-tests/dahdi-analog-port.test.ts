import { DahdiChannel } from '../drivers/dahdi/dahdi-channel';
import { DtmfReceiver } from '../drivers/spandsp/dtmf';
import { describeWithFakeDahdi } from '../test-support/dahdi/jest-preload';
import { SimulatedDahdi } from '../simulator/dahdi/simulated-dahdi';
import { CadencedTone } from '../simulator/audio/signals';
import { systemClock } from '../src/core/clock';
import { Q850 } from '../src/core/q850';
import { decodeAlaw, encodeAlaw } from '../src/dsp/g711';
import { CHINA_TONE_PLAN } from '../src/dsp/tone-plan';
import { AnalogPortEvent } from '../drivers/ports/analog-port';
import { DahdiAnalogPort } from '../drivers/dahdi/dahdi-analog-port';
import { FxoLine, FxoLineEvent } from '../src/signalling/fxo/fxo-line';

async function until(pred: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describeWithFakeDahdi('FXO over a DAHDI fxsls channel (simulated DAHDI)', __filename, () => {
  let sim: SimulatedDahdi;
  const cleanup: (() => void)[] = [];

  beforeEach(() => {
    sim = SimulatedDahdi.attach();
  });
  afterEach(() => {
    for (const f of cleanup.splice(0)) f();
    sim.stopClock();
    sim.reset();
  });

  function openPort() {
    const span = sim.addSpan('fxo', { ports: 2 });
    const channo = span.channels[0];
    const port = new DahdiAnalogPort(DahdiChannel.open(channo));
    cleanup.push(() => void port.close());
    const events: AnalogPortEvent[] = [];
    port.onEvent((ev) => ev.type !== 'audio' && events.push(ev));
    return { channo, port, events };
  }

  test('ring, polarity and battery events from the board become port events, each ring once', async () => {
    const { channo, port, events } = openPort();
    expect(port.batteryPresent).toBe(true);
    sim.farRing(channo, true);
    await until(() => events.length >= 1, 'ring-begin');
    sim.farRing(channo, false);
    sim.farPolarityReversal(channo);
    sim.farBattery(channo, false);
    await until(() => events.length >= 4, 'ring-end, polarity, battery');
    expect(events).toEqual([{ type: 'ring-begin' }, { type: 'ring-end' }, { type: 'polarity' }, { type: 'battery', present: false }]);
    expect(port.batteryPresent).toBe(false);
  });

  test('the FXO engine seizes, hears dial tone and dials DTMF the far end decodes', async () => {
    const { channo, port } = openPort();
    const line = new FxoLine(1, port, { clock: systemClock });
    cleanup.push(() => line.close());
    const lineEvents: FxoLineEvent[] = [];
    line.onEvent((ev) => lineEvents.push(ev));
    sim.startClock(systemClock, 20);
    line.dial('075512345678');
    await until(() => sim.channelState(channo).offhook, 'off-hook');
    // The exchange: dial tone until the first digit, and a DTMF receiver on what the board sends.
    const dialTone = new CadencedTone(CHINA_TONE_PLAN.tones.dial);
    const rx = new DtmfReceiver();
    cleanup.push(() => rx.close());
    const pcm = new Int16Array(160);
    let digits = '';
    await until(
      () => {
        const f = new Float32Array(160);
        if (!digits) dialTone.mixInto(f);
        sim.farWriteAudio(channo, encodeAlaw(f));
        const sent = sim.farReadAudio(channo, 1600);
        for (let i = 0; i + 160 <= sent.length; i += 160) digits += rx.feed(decodeAlaw(sent.subarray(i, i + 160), pcm));
        return digits.length >= 12;
      },
      'the dialled digits',
      8000,
    );
    expect(digits).toBe('075512345678');
    await until(() => lineEvents.some((e) => e.type === 'proceeding'), 'proceeding');
    sim.farPolarityReversal(channo); // the exchange signals answer
    await until(() => lineEvents.some((e) => e.type === 'answered'), 'answer');
    line.hangup(Q850.NORMAL_CLEARING);
    await until(() => lineEvents.some((e) => e.type === 'released'), 'released', 3000);
    expect(sim.channelState(channo).offhook).toBe(false);
  }, 20_000);
});
