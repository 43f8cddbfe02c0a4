import { ClosedError, InputError } from '../../src/core/errors';
import { buildMdmfCallerId, buildSdmfCallerId, parseFskCallerId } from '../../src/signalling/fxo/caller-id';
import { concat, renderDtmf, renderFskCallerId, silence } from '../../simulator/audio/signals';
import { FskCallerIdReceiver } from './adsi';
import { DtmfReceiver, DtmfSender } from './dtmf';
import { liveSpanDspStates } from './live-states';

/** Feeds float samples in 20 ms frames, as a board delivers them. */
function feedFrames(samples: Float32Array, feed: (f: Int16Array) => void): void {
  const frame = new Int16Array(160);
  for (let i = 0; i + 160 <= samples.length; i += 160) {
    for (let k = 0; k < 160; k++) frame[k] = Math.round(samples[i + k]);
    feed(frame);
  }
}

function detect(digits: string, levelDbm0: number): string {
  const rx = new DtmfReceiver();
  let got = '';
  feedFrames(concat([silence(100), renderDtmf(digits, { levelDbm0, onMs: 80, offMs: 80 }), silence(200)]), (f) => (got += rx.feed(f)));
  rx.close();
  return got;
}

describe('spandsp DTMF through koffi', () => {
  it('detects every key at -35 dBm0 per tone, the seed board minimum', () => {
    expect(detect('0123456789*#ABCD', -35)).toBe('0123456789*#ABCD');
  });

  it('detects a strong digit string and ignores tones well below the floor', () => {
    expect(detect('13800138000', -8)).toBe('13800138000');
    expect(detect('555', -48)).toBe('');
  });

  it('round-trips digits from the sender to the receiver', () => {
    const tx = new DtmfSender({ levelDbm0: -10, onMs: 60, offMs: 60 });
    const rx = new DtmfReceiver();
    tx.send('075512345678');
    const frame = new Int16Array(160);
    let got = '';
    for (let i = 0; i < 200; i++) {
      frame.fill(0);
      tx.generate(frame);
      got += rx.feed(frame);
    }
    expect(got).toBe('075512345678');
    tx.close();
    rx.close();
  });

  it('refuses characters DTMF cannot send, and use after close', () => {
    const tx = new DtmfSender();
    expect(() => tx.send('12x')).toThrow(InputError);
    tx.close();
    expect(() => tx.send('1')).toThrow(ClosedError);
  });
});

describe('spandsp caller-ID FSK (Bell 202) through koffi', () => {
  function receive(msg: Uint8Array, opts: { corruptChecksum?: boolean; levelDbm0?: number } = {}): Uint8Array[] {
    const got: Uint8Array[] = [];
    const rx = new FskCallerIdReceiver((m) => got.push(m));
    feedFrames(concat([silence(200), renderFskCallerId(msg, opts), silence(200)]), (f) => rx.feed(f));
    rx.close();
    return got;
  }

  it('decodes an MDMF message with date, number and name, checksum verified', () => {
    const got = receive(buildMdmfCallerId({ dateTime: '11221530', number: '075512345678', name: 'ZHANG' }));
    expect(got).toHaveLength(1);
    expect(parseFskCallerId(got[0])).toEqual({ form: 'fsk-mdmf', dateTime: '11221530', number: '075512345678', name: 'ZHANG' });
  });

  it('decodes an SDMF message at a weak level (-30 dBm0)', () => {
    const got = receive(buildSdmfCallerId('01010800', '13912345678'), { levelDbm0: -30 });
    expect(got.map(parseFskCallerId)).toEqual([{ form: 'fsk-sdmf', dateTime: '01010800', number: '13912345678', absence: undefined }]);
  });

  it('drops a message whose checksum is wrong', () => {
    expect(receive(buildMdmfCallerId({ number: '075512345678' }), { corruptChecksum: true })).toEqual([]);
  });

  it('keeps receivers apart: each gets only its own line', () => {
    const a: Uint8Array[] = [];
    const b: Uint8Array[] = [];
    const rxA = new FskCallerIdReceiver((m) => a.push(m));
    const rxB = new FskCallerIdReceiver((m) => b.push(m));
    feedFrames(concat([silence(100), renderFskCallerId(buildMdmfCallerId({ number: '111' })), silence(100)]), (f) => rxA.feed(f));
    feedFrames(silence(1000), (f) => rxB.feed(f));
    rxA.close();
    rxB.close();
    expect(a.map((m) => parseFskCallerId(m).number)).toEqual(['111']);
    expect(b).toEqual([]);
  });
});

it('every receiver and sender frees its native state exactly once, however often it is closed', () => {
  const before = liveSpanDspStates();
  const fsk = new FskCallerIdReceiver(() => undefined);
  const objects = [new DtmfReceiver(), new DtmfSender(), fsk];
  expect(liveSpanDspStates()).toEqual({
    ...before,
    dtmf_rx: before.dtmf_rx + 1,
    dtmf_tx: before.dtmf_tx + 1,
    adsi_rx: before.adsi_rx + 1,
  });
  for (const o of objects) o.close();
  for (const o of objects) o.close();
  expect(liveSpanDspStates()).toEqual(before);
  expect(() => fsk.feed(new Int16Array(160))).toThrow(ClosedError);
});
