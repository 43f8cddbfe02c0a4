/**
 * DAHDI's /etc/dahdi/span-types.conf: the line mode (E1, T1, J1) of each span of a
 * board that can run either, applied by dahdi_span_types before the spans are
 * assigned (boards such as the TE435 or D430P otherwise take it from a jumper or a
 * module parameter). trunkpilot's spans are E1 (31 timeslots, HDB3/AMI, CRC-4).
 * Keys are the same sysfs device globs as assigned-spans.conf.
 */
import { SiteLayout } from './layout';
import { LoadedSite } from './site-config';
import { generatedHeader } from './system-conf';

export const SITE_LINE_MODE = 'E1';

export function renderSpanTypes(loaded: LoadedSite, layout: SiteLayout): string {
  const out = generatedHeader(loaded, 'DAHDI span line modes (/etc/dahdi/span-types.conf)');
  out.push('# <device>  <local span>:<E1|T1|J1>');
  for (const board of loaded.site.boards) {
    const slots = layout.spans.filter((s) => s.board === board && s.profile.spans);
    if (!slots.length) continue;
    const profile = slots[0].profile;
    const modes = profile.spans!.lineTypes;
    out.push('', `# Board ${board.id}: ${profile.vendor} ${profile.model} (${modes.join('/')})`);
    const key = `/sys/devices/*/${board.device}`;
    for (const slot of slots) out.push(`${key.padEnd(40)} ${slot.local}:${SITE_LINE_MODE}`);
  }
  out.push('');
  return out.join('\n');
}
