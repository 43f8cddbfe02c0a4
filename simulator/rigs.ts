import { RigBuilder } from './sim-rig';

/** Simulated networks by signalling name, for `trunkpilot sim calls --signalling NAME`. */
export const SIM_RIGS: Record<string, () => Promise<RigBuilder>> = {
  pri: async () => (await import('./pri/pri-rig')).buildPriRig,
  'r2-cn': async () => (await import('./r2/r2-rig')).buildR2Rig,
  fxo: async () => (await import('./analog/fxo-rig')).buildFxoRig,
  gsm: async () => (await import('./modem/gsm-rig')).buildGsmRig,
  'ss7-isup': async () => {
    const { buildNo7Rig } = await import('./ss7/no7-rig');
    return (opts) => buildNo7Rig({ ...opts, kind: 'ss7-isup' });
  },
  'ss7-tup': async () => {
    const { buildNo7Rig } = await import('./ss7/no7-rig');
    return (opts) => buildNo7Rig({ ...opts, kind: 'ss7-tup' });
  },
};
