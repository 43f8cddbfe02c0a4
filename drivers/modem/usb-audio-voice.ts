import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrunkpilotError } from '../../src/core/errors';
import { ModemProfile } from './modem-profiles';

/** A module's call audio cannot be had on this host: calls still work, with no audio for seats, prompts or recordings. */
export class ModemVoiceUnsupportedError extends TrunkpilotError {
  constructor(
    readonly modem: string,
    readonly reason: string,
  ) {
    super('VOICE_UNSUPPORTED', `modem ${modem}: call audio not supported on this host: ${reason}`);
  }
}

/** The ALSA sound card a USB device shows as: snd-usb-audio writes "vvvv:pppp" to /proc/asound/cardN/usbid. */
export function findUsbAudioCard(procRoot: string, profile: ModemProfile): { card: number; usbId: string } | undefined {
  const asound = join(procRoot, 'asound');
  let entries: string[];
  try {
    entries = readdirSync(asound);
  } catch {
    return undefined;
  }
  const wanted = new Set(profile.usbIds.map((id) => `${hex(id.vendorId)}:${hex(id.productId)}`));
  for (const name of entries.sort()) {
    const m = /^card(\d+)$/.exec(name);
    if (!m) continue;
    let usbId: string;
    try {
      usbId = readFileSync(join(asound, name, 'usbid'), 'utf8')
        .trim()
        .toLowerCase();
    } catch {
      continue;
    }
    if (wanted.has(usbId)) return { card: Number(m[1]), usbId };
  }
  return undefined;
}

/**
 * Why a module whose voice is USB audio (Quectel `AT+QPCMV=1,2`: the USB audio class, an
 * ALSA card through snd-usb-audio) has no call audio here. Without the card the host cannot
 * carry it at all; with it, this build still has no ALSA stream to put on the bridge.
 */
export function usbAudioVoiceProblem(modem: string, profile: ModemProfile, procRoot = '/proc'): ModemVoiceUnsupportedError | undefined {
  if (profile.voice.carrier !== 'usb-audio') return undefined;
  const ids = profile.usbIds.map((id) => `${hex(id.vendorId)}:${hex(id.productId)}`).join(', ');
  const card = findUsbAudioCard(procRoot, profile);
  if (!card)
    return new ModemVoiceUnsupportedError(
      modem,
      `${profile.name} carries voice as USB audio (${profile.voice.enable.join(' ')}) and no ALSA sound card for USB ${ids} ` +
        `is under ${join(procRoot, 'asound')} (snd-usb-audio not loaded, or the module's UAC interface is off)`,
    );
  return new ModemVoiceUnsupportedError(
    modem,
    `${profile.name} is ALSA card ${card.card} (${card.usbId}), but this build does not stream USB audio: ` +
      'use a module with a PCM serial port (SIMCom, Huawei) where calls go to seats, prompts or recordings',
  );
}

function hex(n: number): string {
  return n.toString(16).padStart(4, '0');
}
