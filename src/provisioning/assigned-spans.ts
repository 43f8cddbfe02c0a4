/**
 * DAHDI's /etc/dahdi/assigned-spans.conf: fixes each board's span and channel numbers
 * so that they do not depend on the order the drivers load in. Keys are sysfs device
 * path globs, which dahdi_span_assignments matches against the device's real path.
 */
import { SiteLayout } from './layout';
import { LoadedSite } from './site-config';
import { generatedHeader } from './system-conf';

export function renderAssignedSpans(loaded: LoadedSite, layout: SiteLayout): string {
  const out = generatedHeader(loaded, 'DAHDI span assignments (/etc/dahdi/assigned-spans.conf)');
  out.push('# <device>  <local span>:<span number>:<base channel>');
  for (const board of loaded.site.boards) {
    const slots = layout.spans.filter((s) => s.board === board);
    const profile = slots[0]?.profile;
    out.push('', `# Board ${board.id}: ${profile?.vendor} ${profile?.model} at ${board.device}`);
    const key = `/sys/devices/*/${board.device}`;
    for (const slot of slots) out.push(`${key.padEnd(40)} ${slot.local}:${slot.spanno}:${slot.basechan}`);
  }
  out.push('');
  return out.join('\n');
}
