/**
 * Sits between a client connection (TCP socket or WebSocket stream) and aedes and
 * reads only MQTT fixed headers: a packet whose declared remaining length is over
 * the limit, or a first packet that is not CONNECT, ends the connection before any
 * of its body is buffered. (mqtt-packet's parser has no size limit: it collects the
 * whole declared length first, so one 250 MB PUBLISH would cost 250 MB.)
 */
import { Duplex } from 'node:stream';

export type PacketRefusal =
  { reason: 'too-large'; declaredBytes: number } | { reason: 'not-connect'; packetType: number } | { reason: 'malformed-length' };

const CONNECT = 1;

export class MqttPacketGuard extends Duplex {
  private phase: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private lengthBytes = 0;
  private bodyLeft = 0;
  private packets = 0;

  constructor(
    private readonly inner: Duplex,
    private readonly maxPacketBytes: number,
    private readonly onRefuse: (r: PacketRefusal) => void,
  ) {
    super({ allowHalfOpen: false });
    inner.on('data', (chunk: Buffer) => {
      const refusal = this.scan(chunk);
      if (refusal) {
        inner.pause();
        this.onRefuse(refusal);
        this.destroy();
        return;
      }
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (err) => this.destroy(err));
    inner.on('close', () => this.destroy());
  }

  /** aedes asks the connection for the peer address. */
  get remoteAddress(): string | undefined {
    return (this.inner as Duplex & { remoteAddress?: string }).remoteAddress;
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.inner.destroyed) return done();
    this.inner.write(chunk, encoding, done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.inner.end(done);
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.inner.destroy();
    done(err);
  }

  private scan(chunk: Buffer): PacketRefusal | undefined {
    let i = 0;
    while (i < chunk.length) {
      switch (this.phase) {
        case 'type': {
          const type = chunk[i++] >> 4;
          if (this.packets === 0 && type !== CONNECT) return { reason: 'not-connect', packetType: type };
          this.packets++;
          this.phase = 'length';
          this.length = 0;
          this.lengthBytes = 0;
          break;
        }
        case 'length': {
          const b = chunk[i++];
          this.length += (b & 0x7f) * 128 ** this.lengthBytes++;
          if (b & 0x80) {
            if (this.lengthBytes === 4) return { reason: 'malformed-length' };
            break;
          }
          if (this.length > this.maxPacketBytes) return { reason: 'too-large', declaredBytes: this.length };
          this.bodyLeft = this.length;
          this.phase = this.length === 0 ? 'type' : 'body';
          break;
        }
        case 'body': {
          const take = Math.min(this.bodyLeft, chunk.length - i);
          i += take;
          this.bodyLeft -= take;
          if (this.bodyLeft === 0) this.phase = 'type';
          break;
        }
      }
    }
    return undefined;
  }
}
