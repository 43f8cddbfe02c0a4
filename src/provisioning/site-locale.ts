/** Where a site's lines are: its DAHDI tone zone and its country (for the analog boards' settings). */
import { LoadedSite } from './site-config';

/** DAHDI tone zones are country codes, except these. */
const ZONE_COUNTRY: Record<string, string> = { uk: 'GB', 'us-old': 'US' };

export const DEFAULT_TONE_ZONE = 'cn';

export function siteToneZone(loaded: LoadedSite): string {
  return loaded.site.toneZone ?? DEFAULT_TONE_ZONE;
}

/** The site's country: as written, else from its tone zone. */
export function siteCountry(loaded: LoadedSite): string {
  const zone = siteToneZone(loaded);
  return loaded.site.country ?? ZONE_COUNTRY[zone] ?? zone.toUpperCase();
}
