/**
 * Listening to DAHDI conferences in tests: each far end plays a tone of its own
 * and a test checks which tones each end hears, one DFT bin at a time. Also the
 * provisioned FXO site the conference tests open on the userspace DAHDI.
 */
import { join } from 'node:path';
import { decodeAlaw, encodeAlaw } from '../../src/dsp/g711';
import { loadProfiles } from '../../src/provisioning/board-profile';
import { layoutSite } from '../../src/provisioning/layout';
import { boardProfilesDir } from '../../src/provisioning/paths';
import { LoadedSite, loadSite } from '../../src/provisioning/site-config';
import { openSiteTrunks, SiteTrunks } from '../../src/site/site-trunks';
import { DahdiMediaBridge, dahdiMediaBridgeForSite } from '../../drivers/dahdi/dahdi-media-bridge';
import { SimulatedDahdi } from '../../simulator/dahdi/simulated-dahdi';

/** 20 ms at 8 kHz. */
export const BLOCK = 160;

/** One 20 ms A-law block of a sine at `hz` (pick whole cycles per block: multiples of 50 Hz). */
export function toneBlock(hz: number, amplitude = 4000): Uint8Array {
  return encodeAlaw(Int16Array.from({ length: BLOCK }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 8000))));
}

/** Amplitude of one frequency in an A-law block (a single DFT bin). */
export function amplitudeAt(alaw: Uint8Array, hz: number): number {
  const pcm = decodeAlaw(alaw);
  let re = 0;
  let im = 0;
  for (let i = 0; i < pcm.length; i++) {
    const w = (2 * Math.PI * hz * i) / 8000;
    re += pcm[i] * Math.cos(w);
    im -= pcm[i] * Math.sin(w);
  }
  return (2 * Math.hypot(re, im)) / pcm.length;
}

export interface FxoSiteOnDahdi {
  loaded: LoadedSite;
  trunks: SiteTrunks;
  /** A media bridge that borrows the channels the line ports hold, as the gateway sets it up. */
  bridge: DahdiMediaBridge;
}

/**
 * The shipped FXO site (an A1200P: one span, ports 1-12; lines on ports 1-4, seats
 * on 5-12) on the userspace DAHDI, its trunks opened. The simulator makes a span all
 * FXO or all FXS; conferences do not care which.
 */
export async function openFxoSite(sim: SimulatedDahdi): Promise<FxoSiteOnDahdi> {
  sim.addSpan('fxo', { ports: 12 });
  const loaded = loadSite(join(boardProfilesDir(), 'sites', 'fxo.yaml'), loadProfiles());
  const trunks = await openSiteTrunks(loaded);
  const bridge = dahdiMediaBridgeForSite(layoutSite(loaded), { borrow: (n) => trunks.heldChannel(n) });
  return { loaded, trunks, bridge };
}
