import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEM_PROFILES } from './modem-profiles';
import { findUsbAudioCard, usbAudioVoiceProblem } from './usb-audio-voice';

function procWith(cards: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tp-proc-'));
  for (const [card, usbid] of Object.entries(cards)) {
    mkdirSync(join(root, 'asound', card), { recursive: true });
    writeFileSync(join(root, 'asound', card, 'usbid'), `${usbid}\n`);
  }
  return root;
}

describe("a Quectel module's USB-audio voice (AT+QPCMV=1,2)", () => {
  it('is declared in the model profile', () => {
    expect(MODEM_PROFILES['quectel-ec2x'].voice).toMatchObject({ carrier: 'usb-audio', enable: ['AT+QPCMV=1,2'] });
  });

  it('without its ALSA card: a typed "not supported on this host" error naming the module, the IDs and where it looked', () => {
    const proc = procWith({ card0: '0d8c:0014' }); // some other USB sound card
    const err = usbAudioVoiceProblem('gsm1', MODEM_PROFILES['quectel-ec2x'], proc)!;
    expect(err.code).toBe('VOICE_UNSUPPORTED');
    expect(err.message).toMatch(/^modem gsm1: call audio not supported on this host: Quectel .* USB audio \(AT\+QPCMV=1,2\)/);
    expect(err.message).toContain('no ALSA sound card for USB 2c7c:0125');
    expect(err.message).toContain(join(proc, 'asound'));
    expect(usbAudioVoiceProblem('gsm1', MODEM_PROFILES['quectel-ec2x'], '/nonexistent/proc')?.code).toBe('VOICE_UNSUPPORTED');
  });

  it('with its ALSA card: found by its USB ID, and still said plainly that this build does not stream it', () => {
    const proc = procWith({ card0: '0d8c:0014', card2: '2c7c:0125' });
    expect(findUsbAudioCard(proc, MODEM_PROFILES['quectel-ec2x'])).toEqual({ card: 2, usbId: '2c7c:0125' });
    expect(usbAudioVoiceProblem('gsm1', MODEM_PROFILES['quectel-ec2x'], proc)?.message).toMatch(
      /is ALSA card 2 \(2c7c:0125\), but this build does not stream USB audio/,
    );
  });

  it('a module with a PCM serial port has no such problem', () => {
    expect(usbAudioVoiceProblem('gsm3', MODEM_PROFILES['simcom-sim7600'], '/nonexistent/proc')).toBeUndefined();
  });
});
