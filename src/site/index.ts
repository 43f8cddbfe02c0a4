/**
 * A provisioned site's trunks opened on DAHDI.
 * The public face of this layer for `trunkpilot/site` (package.json "exports"): one
 * line per module, so a module that moves is re-pointed here and nowhere else.
 */
export * from './r2-site-variant';
export * from './site-modems';
export * from './site-trunks';
export * from './unknown-modems';
