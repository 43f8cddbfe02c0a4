import { InputError } from '../core/errors';
import { SiteSpan } from '../provisioning/site-types';
import { FIELD_TIMERS, R2Variant, R2VariantOverrides, resolveVariant } from '../signalling/r2/variants';

/** Site files name variants by country code; the engine by its table name. */
const VARIANT_BY_SITE_NAME: Record<string, string> = { cn: 'china', itu: 'itu' };

/**
 * The R2 variant a site's span asks for: the named table, the span's category and
 * called-number limit, and carrier overrides (timers by name in ms, or the
 * variant's own scalar fields). An override the engine does not know is an error
 * naming it, not silently dropped.
 */
export function r2VariantForSpan(r2: SiteSpan['r2'], where: string): R2Variant {
  const name = VARIANT_BY_SITE_NAME[r2?.variant ?? 'cn'];
  if (!name) throw new InputError(`${where}.r2.variant`, `unknown variant '${r2?.variant}' (cn, itu)`);
  const overrides: R2VariantOverrides & { timers: Record<string, number>; forward: Record<string, number> } = { timers: {}, forward: {} };
  if (r2?.category !== undefined) overrides.forward.category = r2.category;
  if (r2?.maxDnis !== undefined) overrides.maxDnisDigits = r2.maxDnis;
  for (const [key, value] of Object.entries(r2?.overrides ?? {})) {
    if (key in FIELD_TIMERS) {
      if (typeof value !== 'number')
        throw new InputError(`${where}.r2.overrides.${key}`, `a timer must be a number of ms, got ${JSON.stringify(value)}`);
      overrides.timers[key] = value;
    } else if (key === 'requestAniAfterDigits' || key === 'maxDnisDigits') {
      if (typeof value !== 'number') throw new InputError(`${where}.r2.overrides.${key}`, `must be a number, got ${JSON.stringify(value)}`);
      overrides[key] = value;
    } else {
      throw new InputError(
        `${where}.r2.overrides.${key}`,
        `not an R2 setting this engine knows (timers: ${Object.keys(FIELD_TIMERS).join(', ')}; requestAniAfterDigits, maxDnisDigits)`,
      );
    }
  }
  return resolveVariant(name, overrides, `${where}.r2`);
}
