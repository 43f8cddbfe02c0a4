import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import koffi from 'koffi';
import { DAHDI, DAHDI_IOCTL, DahdiBufferinfo, DahdiConfinfo, DahdiGains, DahdiParams, DahdiSpaninfo } from './abi';
import { DAHDI_EVENT } from './events';

interface HeaderAbi {
  ioctls: Record<string, number>;
  constants: Record<string, number>;
  events: Record<string, number>;
  structs: Record<string, { size: number; fields: Record<string, number> }>;
}

/** What <dahdi/user.h> says on this machine, printed by native/dahdi-abi.c (built by scripts/setup). */
function headerAbi(): HeaderAbi {
  const bin = path.resolve(__dirname, '../../build/dahdi-abi');
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run scripts/setup`);
  return JSON.parse(execFileSync(bin, { encoding: 'utf8' }));
}

describe('DAHDI ABI table against <dahdi/user.h>', () => {
  const abi = headerAbi();

  test('every ioctl number derived from _IOC matches the header', () => {
    const mismatches = Object.entries(abi.ioctls)
      .filter(([name, value]) => DAHDI_IOCTL[name as keyof typeof DAHDI_IOCTL] !== value)
      .map(
        ([name, value]) =>
          `${name}: header 0x${value.toString(16)}, table 0x${(DAHDI_IOCTL[name as keyof typeof DAHDI_IOCTL] ?? 0).toString(16)}`,
      );
    expect(mismatches).toEqual([]);
    expect(Object.keys(DAHDI_IOCTL).sort()).toEqual(Object.keys(abi.ioctls).sort());
  });

  test('the values telephony.md lists are the ones derived', () => {
    expect(DAHDI_IOCTL.SPECIFY).toBe(0x4004da26);
    expect(DAHDI_IOCTL.SET_BLOCKSIZE).toBe(0x4004da01);
    expect(DAHDI_IOCTL.HOOK).toBe(0x4004da07);
    expect(DAHDI_IOCTL.GETEVENT).toBe(0x8004da08);
    expect(DAHDI_IOCTL.SPANSTAT).toBe(0xc13ada0a);
    expect(DAHDI_IOCTL.GET_PARAMS).toBe(0xc088da05);
    expect(DAHDI_IOCTL.SETCONF).toBe(0xc00cda0d);
    expect(DAHDI_IOCTL.IOMUX).toBe(0xc004da09);
    expect(DAHDI_IOCTL.GETRXBITS).toBe(0x8004da2b);
    expect(DAHDI_IOCTL.SETTXBITS).toBe(0x4004da2b);
    expect(DAHDI_IOCTL.SET_BUFINFO).toBe(0x4018da1b);
  });

  test.each([
    ['dahdi_params', DahdiParams],
    ['dahdi_spaninfo', DahdiSpaninfo],
    ['dahdi_bufferinfo', DahdiBufferinfo],
    ['dahdi_confinfo', DahdiConfinfo],
    ['dahdi_gains', DahdiGains],
  ])('%s has the header size and field offsets', (name, type) => {
    const c = abi.structs[name];
    expect(koffi.sizeof(type)).toBe(c.size);
    const offsets = Object.fromEntries(Object.keys(c.fields).map((f) => [f, koffi.offsetof(type, f)]));
    expect(offsets).toEqual(c.fields);
  });

  test('dahdi_spaninfo is packed to 314 bytes', () => {
    expect(koffi.sizeof(DahdiSpaninfo)).toBe(314);
  });

  test('constants and event codes match the header', () => {
    const constants = Object.fromEntries(Object.keys(abi.constants).map((k) => [k, DAHDI[k as keyof typeof DAHDI]]));
    expect(constants).toEqual(abi.constants);
    const events = Object.fromEntries(Object.keys(abi.events).map((k) => [k, DAHDI_EVENT[k as keyof typeof DAHDI_EVENT]]));
    expect(events).toEqual(abi.events);
  });
});
