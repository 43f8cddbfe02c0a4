import { closeSync, openSync, writeSync } from 'node:fs';
import { InputError } from '../core/errors';
import { FrameDirection } from '../../drivers/ports/signalling-link';

/**
 * Writes D-channel frames as a classic pcap file with link type LINUX_LAPD
 * (DLT 177): each frame gets the 16-byte Linux LAPD pseudo header that says
 * whether we sent or received it and whether we are the network side, which is
 * how tshark tells user from network and command from response. The 2 FCS bytes
 * libpri appends are stripped (the header announces no FCS).
 */
export const DLT_LINUX_LAPD = 177;
const PACKET_HOST = 0;
const PACKET_OUTGOING = 4;
const ARPHRD_LAPD = 8445;
const ETH_P_LAPD = 0x0030;

export interface PcapSink {
  write(dir: FrameDirection, frame: Uint8Array, atMs?: number): void;
  close(): void;
}

export class LapdPcapWriter implements PcapSink {
  private fd: number | undefined;
  frames = 0;

  /**
   * @param weAreNetwork true when the capturing side is the network (NT) end.
   * @param fcsBytes trailing FCS bytes present on each frame (libpri: 2).
   */
  constructor(
    path: string,
    private readonly weAreNetwork: boolean,
    private readonly fcsBytes = 2,
  ) {
    try {
      this.fd = openSync(path, 'w');
    } catch (err) {
      throw new InputError(path, `cannot write the capture file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0); // microsecond timestamps, little-endian
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeInt32LE(0, 8);
    header.writeUInt32LE(0, 12);
    header.writeUInt32LE(65535, 16);
    header.writeUInt32LE(DLT_LINUX_LAPD, 20);
    writeSync(this.fd, header);
  }

  write(dir: FrameDirection, frame: Uint8Array, atMs = Date.now()): void {
    if (this.fd === undefined) return;
    const payload = frame.subarray(0, Math.max(0, frame.length - this.fcsBytes));
    const pseudo = Buffer.alloc(16);
    pseudo.writeUInt16BE(dir === 'tx' ? PACKET_OUTGOING : PACKET_HOST, 0);
    pseudo.writeUInt16BE(ARPHRD_LAPD, 2);
    pseudo.writeUInt16BE(1, 4);
    pseudo[6] = this.weAreNetwork ? 1 : 0;
    pseudo.writeUInt16BE(ETH_P_LAPD, 14);
    const rec = Buffer.alloc(16);
    const sec = Math.floor(atMs / 1000);
    rec.writeUInt32LE(sec, 0);
    rec.writeUInt32LE(Math.round((atMs - sec * 1000) * 1000), 4);
    rec.writeUInt32LE(pseudo.length + payload.length, 8);
    rec.writeUInt32LE(pseudo.length + payload.length, 12);
    writeSync(this.fd, Buffer.concat([rec, pseudo, payload]));
    this.frames++;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
