/**
 * A site's GSM/LTE modules as trunks: one AtModem per configured module (its AT port by
 * stable path, or found in sysfs by USB serial), one ModemSpanSignalling per trunk group,
 * SIM PINs read from the environment variables the site names, and USB hot-plug
 * followed when a USB port is given.
 */
import { AtModem, AtModemOptions } from '../../drivers/modem/at-modem';
import { modemProfile } from '../../drivers/modem/modem-profiles';
import type { SerialLineOpener } from '../../drivers/ports/serial-line-port';
import type { UsbPort } from '../../drivers/ports/usb-port';
import { BindingSerialLineOpener } from '../../drivers/serial/binding-serial-line';
import { Clock } from '../core/clock';
import { Unsubscribe } from '../core/emitter';
import { InputError } from '../core/errors';
import { Logger } from '../core/logger';
import { classifyUsbDevice, readUsbSysfs } from '../discovery';
import { LoadedSite } from '../provisioning/site-config';
import { SiteModem } from '../provisioning/site-types';
import { watchModemHotplug } from '../signalling/gsm/modem-hotplug';
import { ModemSpanSignalling } from '../signalling/gsm/modem-span-signalling';
import { SerialPcmVoicePort } from '../../drivers/modem/serial-pcm-voice';
import { usbAudioVoiceProblem } from '../../drivers/modem/usb-audio-voice';

export interface SiteModemOptions {
  clock: Clock;
  logger: Logger;
  /** Opens AT ports (default: serialport's native binding). */
  serialOpener?: SerialLineOpener;
  /** Where sysfs is, to find a module by USB serial (default '/'). */
  sysRoot?: string;
  /** Where procfs is, to find a USB-audio module's ALSA card (default '/proc'). */
  procRoot?: string;
  /** Where SIM PINs are read (default process.env). */
  env?: Record<string, string | undefined>;
  /** USB hot-plug: modules follow attach/detach. */
  usb?: UsbPort;
  /** Driver timing overrides (tests, slow modules). */
  modemTimers?: Partial<Omit<AtModemOptions, 'path' | 'profile' | 'opener' | 'clock' | 'logger' | 'simPin' | 'minRssi'>>;
}

export interface OpenedModemGroup {
  trunkGroup: string;
  signalling: ModemSpanSignalling;
  modems: AtModem[];
  close(): Promise<void>;
}

/** The module's AT port: its configured path, or the AT interface's tty of the USB device with that serial. */
export function modemAtPort(m: SiteModem, model: NonNullable<ReturnType<typeof modemProfile>>, sysRoot: string): string {
  return modemPorts(m, model, sysRoot).at;
}

/** AT and voice ports: as configured, or from the USB device with that serial (sysfs). */
export function modemPorts(
  m: SiteModem,
  model: NonNullable<ReturnType<typeof modemProfile>>,
  sysRoot: string,
): { at: string; voice?: string } {
  const serialVoice = model.voice.carrier === 'serial-pcm';
  if (m.port) return { at: m.port, voice: serialVoice ? m.voicePort : undefined };
  const dev = readUsbSysfs(sysRoot).find((d) => d.serialNumber === m.usbSerial);
  if (!dev)
    throw new InputError(`modem ${m.id}`, `no USB device with serial '${m.usbSerial}' is plugged in (trunkpilot detect lists them)`);
  const found = classifyUsbDevice(dev, dev)?.modem;
  if (!found?.atPort)
    throw new InputError(
      `modem ${m.id}`,
      `USB device '${m.usbSerial}' (${dev.vendorId.toString(16)}:${dev.productId.toString(16)}) shows no AT port for ${model.name}`,
    );
  return { at: found.atPort, voice: serialVoice ? (m.voicePort ?? found.voicePort) : undefined };
}

export async function openSiteModems(loaded: LoadedSite, opts: SiteModemOptions): Promise<OpenedModemGroup[]> {
  const byGroup = new Map<string, Parameters<typeof openModemGroup>[1][number][]>();
  const env = opts.env ?? process.env;
  const opener = opts.serialOpener ?? new BindingSerialLineOpener();
  for (const m of loaded.site.modems ?? []) {
    const boardProfile = loaded.profiles.get(m.profile)?.profile;
    const profile = boardProfile?.modem && modemProfile(boardProfile.modem.model);
    if (!profile) throw new InputError(`modem ${m.id}`, `profile '${m.profile}' is not a GSM/LTE module`);
    const simPin = m.simPinEnv ? env[m.simPinEnv] : undefined;
    if (m.simPinEnv && !simPin)
      opts.logger.warn('SIM PIN variable not set: a locked SIM will stay not ready', { modem: m.id, variable: m.simPinEnv });
    const ports = modemPorts(m, profile, opts.sysRoot ?? '/');
    const modem = new AtModem({
      ...opts.modemTimers,
      path: ports.at,
      profile,
      opener,
      clock: opts.clock,
      logger: opts.logger.child({ modem: m.id }),
      simPin,
      minRssi: m.minRssi,
    });
    const group = m.trunkGroup ?? 'gsm';
    const member = { id: m.id, modem, voicePath: ports.voice, usbSerial: m.usbSerial, dailyCallCap: m.dailyCallCap };
    byGroup.set(group, [...(byGroup.get(group) ?? []), member]);
  }
  const groups: OpenedModemGroup[] = [];
  for (const [trunkGroup, members] of byGroup) groups.push(await openModemGroup(trunkGroup, members, opener, opts));
  return groups;
}

/** One trunk group's modules as one span: voice ports opened, hot-plug followed, modules started. */
export async function openModemGroup(
  trunkGroup: string,
  members: readonly { id: string; modem: AtModem; voicePath?: string; usbSerial?: string; dailyCallCap?: number }[],
  opener: SerialLineOpener,
  opts: SiteModemOptions,
): Promise<OpenedModemGroup> {
  const modems = members.map((x) => x.modem);
  // Voice ports stay open for the module's life: it sends PCM only while a call is up.
  const voicePorts: (SerialPcmVoicePort | undefined)[] = [];
  for (const x of members) voicePorts.push(x.voicePath ? await openVoice(opener, x.voicePath, x.id, opts.logger) : undefined);
  // A module's voice tty goes when it is unplugged: reopened once the module is ready again.
  const reopening = new Set<number>();
  const offReopen = members.map((x, i) =>
    x.modem.on((ev) => {
      const port = voicePorts[i];
      if (ev.type !== 'state' || ev.state !== 'ready' || !x.voicePath || !port || port.isOpen || reopening.has(i)) return;
      reopening.add(i);
      void reopenVoice(opener, x.voicePath, port, x.id, opts.logger).finally(() => reopening.delete(i));
    }),
  );
  // A module whose voice is USB audio: why it has none here, said once now and again by any call that needs it.
  const voiceProblems = members.map((x) => usbAudioVoiceProblem(x.id, x.modem.profile, opts.procRoot));
  for (const p of voiceProblems) if (p) opts.logger.error('modem calls carry no audio', { modem: p.modem, error: p.message });
  const signalling = new ModemSpanSignalling(modems, {
    clock: opts.clock,
    logger: opts.logger.child({ trunkGroup }),
    dailyCallCap: members.map((x) => x.dailyCallCap),
    voicePorts,
    voiceProblems,
  });
  const unwatch: Unsubscribe | undefined =
    opts.usb &&
    watchModemHotplug(
      opts.usb,
      members.map((x) => ({ modem: x.modem, usbSerial: x.usbSerial })),
      { logger: opts.logger },
    );
  for (const m of modems) m.start();
  return {
    trunkGroup,
    signalling,
    modems,
    close: async () => {
      unwatch?.();
      for (const off of offReopen) off();
      await signalling.close();
      for (const v of voicePorts) await v?.close();
    },
  };
}

async function reopenVoice(opener: SerialLineOpener, path: string, port: SerialPcmVoicePort, id: string, logger: Logger): Promise<void> {
  try {
    port.replaceLine(await opener.open(path));
    logger.info('modem voice port reopened', { modem: id, path });
  } catch (err) {
    logger.warn('modem voice port not reopened: calls on it carry no audio until it is', {
      modem: id,
      path,
      error: (err as Error).message,
    });
  }
}

/** A voice port that cannot be opened leaves the module without voice (calls still work): said in the log. */
async function openVoice(opener: SerialLineOpener, path: string, id: string, logger: Logger): Promise<SerialPcmVoicePort | undefined> {
  try {
    return new SerialPcmVoicePort(await opener.open(path));
  } catch (err) {
    logger.warn('modem voice port not opened: calls on it carry no audio to seats', { modem: id, path, error: (err as Error).message });
    return undefined;
  }
}
