/**
 * Dial pacers behind one Pacer seam: predictive, fixed-ratio-R, progressive, vicidial-adaptive.
 * The public face of this layer for `trunkpilot/pacing` (package.json "exports"): one
 * line per module, so a module that moves is re-pointed here and nowhere else.
 */
export * from './abandon-tracker';
export * from './blended-pacing';
export * from './duration-models';
export * from './fixed-ratio';
export * from './pacer-factory';
export * from './pacer-model';
export * from './pacer';
export * from './predictive';
export * from './seat-forecast';
export * from './vicidial-adaptive';
export * from './release-rows';
