/**
 * The kernel side of a site: /etc/dahdi/modules (the DAHDI drivers its boards need,
 * one a line, loaded in that order by Debian's /etc/init.d/dahdi) and a modprobe
 * options file with each analog driver's country setting. The Silicon Labs DAA on
 * FXO modules defaults to FCC (US) impedance and battery thresholds; a Chinese line
 * needs opermode=CHINA. modprobe reads options from /etc/modprobe.d/*.conf.
 */
import { siteCountry, siteToneZone } from './site-locale';
import { LoadedSite } from './site-config';
import { generatedHeader } from './system-conf';

/** Drivers that are not DAHDI kernel modules loaded by /etc/init.d/dahdi. */
const NOT_DAHDI_MODULES: Record<string, string> = {
  'trunkpilot-sim': 'the simulator (no kernel module)',
  option: 'the USB serial driver of GSM/LTE modules (loaded by udev)',
  wanpipe: "Sangoma's wanpipe (started by wanrouter, not by DAHDI)",
};

/**
 * How each analog driver takes its country: a module parameter `opermode` (the
 * Digium wctdm family and OpenVox's drivers derived from it), or, for the Astribank,
 * an `opermode` line in /etc/dahdi/xpp.conf read by its init_card scripts.
 */
const OPERMODE_BY_DRIVER: Record<string, { module: string } | { xppConf: true }> = {
  wctdm: { module: 'wctdm' },
  wctdm24xxp: { module: 'wctdm24xxp' },
  wcaxx: { module: 'wcaxx' },
  opvxa1200: { module: 'opvxa1200' },
  opvxa24xx: { module: 'opvxa24xx' },
  xpp_usb: { xppConf: true },
};

/** DAHDI's fxo_modes names for the countries we know them for (ISO 3166-1 alpha-2). */
const OPERMODE_BY_COUNTRY: Record<string, string> = {
  CN: 'CHINA',
  US: 'FCC',
  CA: 'CANADA',
  AU: 'AUSTRALIA',
  BR: 'BRAZIL',
  AR: 'ARGENTINA',
  CL: 'CHILE',
  AT: 'AUSTRIA',
  BE: 'BELGIUM',
  BG: 'BULGARIA',
};

export function opermodeFor(country: string): string | undefined {
  return OPERMODE_BY_COUNTRY[country];
}

function siteDrivers(loaded: LoadedSite): { driver: string; kind: string; boards: string[] }[] {
  const out = new Map<string, { driver: string; kind: string; boards: string[] }>();
  const add = (profileId: string, boardId: string) => {
    const p = loaded.profiles.get(profileId)?.profile;
    if (!p) return;
    const e = out.get(p.driver) ?? { driver: p.driver, kind: p.kind, boards: [] };
    e.boards.push(boardId);
    out.set(p.driver, e);
  };
  for (const b of loaded.site.boards) add(b.profile, b.id);
  for (const m of loaded.site.modems ?? []) add(m.profile, m.id);
  return [...out.values()];
}

export function renderDahdiModules(loaded: LoadedSite): string {
  const out = generatedHeader(loaded, "DAHDI drivers to load at startup (/etc/dahdi/modules, read by Debian's /etc/init.d/dahdi)");
  for (const d of siteDrivers(loaded)) {
    const why = NOT_DAHDI_MODULES[d.driver];
    out.push('', `# ${d.boards.join(', ')}`);
    out.push(why ? `# ${d.driver}: not listed, ${why}` : d.driver);
  }
  out.push('');
  return out.join('\n');
}

export function renderModprobeOptions(loaded: LoadedSite): string {
  const country = siteCountry(loaded);
  const opermode = opermodeFor(country);
  const out = generatedHeader(loaded, 'DAHDI driver options (/etc/modprobe.d/trunkpilot-dahdi.conf, read by modprobe)');
  out.push(`# Country ${country}${loaded.site.country ? '' : ` (from toneZone ${siteToneZone(loaded)})`}: analog line settings ${opermode ? `opermode=${opermode}` : 'unknown'}.`);
  out.push('# Takes effect when the driver is next loaded (reboot, or rmmod and modprobe it).');
  for (const d of siteDrivers(loaded).filter((x) => x.kind === 'analog')) {
    const how = OPERMODE_BY_DRIVER[d.driver];
    out.push('', `# ${d.boards.join(', ')} (${d.driver})`);
    if (!how) out.push(`# ${d.driver}: takes no country setting trunkpilot knows of`);
    else if (!opermode) out.push(`# no DAHDI opermode known for country ${country}: the driver's default (FCC) applies; set it here by hand`);
    else if ('xppConf' in how) out.push(`# Astribank FXO modules: put "opermode ${opermode}" in /etc/dahdi/xpp.conf (no module parameter)`);
    else out.push(`options ${how.module} opermode=${opermode}`);
  }
  out.push('');
  return out.join('\n');
}
