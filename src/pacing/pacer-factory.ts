import { InputError } from '../core/errors';
import { FixedRatioPacer, progressivePacer } from './fixed-ratio';
import { Pacer } from './pacer';
import { PredictivePacer } from './predictive';
import { VicidialAdaptivePacer } from './vicidial-adaptive';

/** Pacer names as the command line and campaign files write them. */
export const PACER_NAMES = ['predictive', 'fixed-ratio-<R>', 'vicidial-adaptive', 'progressive'] as const;

export interface PacerSettings {
  abandonTarget?: number;
  abandonAfterSec?: number;
  /** The most abandoned / answered may reach over any rolling hour (predictive; default 5%). */
  windowCap?: number;
}

export function createPacer(name: string, settings: PacerSettings = {}): Pacer {
  if (name === 'predictive')
    return new PredictivePacer({
      abandonTarget: settings.abandonTarget,
      abandonAfterSec: settings.abandonAfterSec,
      windowCap: settings.windowCap,
    });
  if (name === 'progressive') return progressivePacer();
  if (name === 'vicidial-adaptive') return new VicidialAdaptivePacer({ dropTarget: settings.abandonTarget });
  const m = /^fixed-ratio-(\d+(?:\.\d+)?)$/.exec(name);
  if (m) return new FixedRatioPacer(Number(m[1]));
  throw new InputError('algorithm', `unknown pacing algorithm '${name}' (${PACER_NAMES.join(', ')}; R a decimal such as 1.5)`);
}
