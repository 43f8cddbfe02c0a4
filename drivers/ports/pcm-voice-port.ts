import { Unsubscribe } from '../../src/core/emitter';

/** 20 ms of 8 kHz audio. */
export const PCM_FRAME_SAMPLES = 160;

/**
 * A voice stream as 20 ms frames of 8 kHz signed 16-bit linear samples, both ways: a GSM
 * module's PCM serial port (drivers/modem/serial-pcm-voice.ts), or a simulated seat's
 * audio (simulator/ports/memory-pcm-port.ts). The software media bridge mixes these.
 */
export interface PcmVoicePort {
  /** For logs: "/dev/ttyUSB8", "seat a1". */
  readonly name: string;
  /** Frames received, PCM_FRAME_SAMPLES each, in order. */
  onFrame(listener: (frame: Int16Array) => void): Unsubscribe;
  /** Sends one frame; rejects with a typed error once the port is gone. */
  writeFrame(frame: Int16Array): Promise<void>;
  close(): Promise<void>;
}
