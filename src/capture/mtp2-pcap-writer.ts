import { closeSync, openSync, writeSync } from 'node:fs';
import { FrameDirection } from '../../drivers/ports/signalling-link';
import { PcapSink } from './pcap-writer';

/** DLT_MTP2: each record is one MTP2 signal unit (BSN, FSN, LI, SIO, SIF), no FCS. */
export const DLT_MTP2 = 140;

/**
 * Writes a No.7 signalling link as a classic pcap with link type MTP2, which
 * tshark decodes down to MTP3, ISUP (and SNM/SLT); with
 * `-o mtp3.standard:"Chinese ITU"` it reads 24-bit point codes. The 2 FCS octets
 * of DAHDI frames are stripped. Fill-in repeats can be left out (`skipFisu`).
 */
export class Mtp2PcapWriter implements PcapSink {
  private fd: number | undefined;
  frames = 0;

  constructor(
    path: string,
    private readonly opts: { fcsBytes?: number; skipFillIn?: boolean } = {},
  ) {
    this.fd = openSync(path, 'w');
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(65535, 16);
    header.writeUInt32LE(DLT_MTP2, 20);
    writeSync(this.fd, header);
  }

  write(_dir: FrameDirection, frame: Uint8Array, atMs = Date.now()): void {
    if (this.fd === undefined) return;
    const su = frame.subarray(0, Math.max(0, frame.length - (this.opts.fcsBytes ?? 2)));
    // LI 0 (FISU) and 1-2 (LSSU) repeat on an idle link; the MSUs are what a reader wants.
    if (this.opts.skipFillIn !== false && su.length >= 3 && (su[2] & 0x3f) < 3) return;
    const rec = Buffer.alloc(16);
    const sec = Math.floor(atMs / 1000);
    rec.writeUInt32LE(sec, 0);
    rec.writeUInt32LE(Math.round((atMs - sec * 1000) * 1000), 4);
    rec.writeUInt32LE(su.length, 8);
    rec.writeUInt32LE(su.length, 12);
    writeSync(this.fd, Buffer.concat([rec, su]));
    this.frames++;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
