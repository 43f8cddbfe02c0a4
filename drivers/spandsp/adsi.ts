import koffi from 'koffi';
import { ClosedError, NativeCallError } from '../../src/core/errors';
import { ADSI_STANDARD, loadSpanDsp, LibSpanDsp, Pointer } from './ffi';
import { stateAllocated, stateFreed } from './live-states';

type MessageSink = (message: Uint8Array) => void;

/**
 * One callback shared by every ADSI receiver: spandsp hands back the `user_data`
 * we gave it (a small integer), which names the receiver. Registered once per
 * process so that opening and closing many channels never exhausts koffi's
 * callback slots.
 */
const sinks = new Map<number, MessageSink>();
let nextId = 1;
let sharedCallback: Pointer | undefined;

function callbackPointer(): Pointer {
  if (sharedCallback !== undefined) return sharedCallback;
  const { putMsgCb } = loadSpanDsp();
  sharedCallback = koffi.register((user: Pointer | null, msg: Pointer, len: number) => {
    const sink = sinks.get(Number(user ?? 0));
    if (!sink || len <= 0) return;
    // Copy at once: the buffer belongs to spandsp and is reused for the next message.
    sink(Uint8Array.from(koffi.decode(msg, 'uint8_t', len) as number[]));
  }, koffi.pointer(putMsgCb)) as unknown as Pointer;
  return sharedCallback;
}

/**
 * An on-hook caller-ID FSK receiver (spandsp `adsi_rx`, CLASS standard: Bell 202,
 * 1200 bit/s, mark 1200 Hz, space 2200 Hz). spandsp checks the message checksum and
 * delivers only good messages, without the checksum byte: [type, length, body...].
 */
export class FskCallerIdReceiver {
  private readonly lib: LibSpanDsp;
  private state: Pointer | undefined;
  private readonly id: number;

  constructor(onMessage: MessageSink) {
    this.lib = loadSpanDsp().lib;
    this.id = nextId++;
    sinks.set(this.id, onMessage);
    const s = this.lib.adsi_rx_init(null, ADSI_STANDARD.CLASS, callbackPointer(), BigInt(this.id));
    if (!s) {
      sinks.delete(this.id);
      throw new NativeCallError('adsi_rx_init', 0);
    }
    this.state = s;
    stateAllocated('adsi_rx');
  }

  feed(samples: Int16Array): void {
    if (this.state === undefined) throw new ClosedError('caller-ID receiver');
    this.lib.adsi_rx(this.state, samples, samples.length);
  }

  close(): void {
    if (this.state === undefined) return;
    this.lib.adsi_rx_free(this.state);
    this.state = undefined;
    stateFreed('adsi_rx');
    sinks.delete(this.id);
  }
}
