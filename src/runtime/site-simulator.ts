import { Clock } from '../core/clock';
import { Logger } from '../core/logger';
import { LoadedSite } from '../provisioning/site-config';
import { Seat } from '../seats/seat';
import { MediaBridge } from '../../drivers/ports/media-port';
import type { SerialLineOpener } from '../../drivers/ports/serial-line-port';
import type { UsbPort } from '../../drivers/ports/usb-port';

/**
 * What `trunkpilot run --simulate` needs from the line simulator, which
 * production code may not import: the binary's composition root (app/) plugs the
 * simulator's implementation in. The gateway itself is the same either way.
 */
export interface SiteSimulator {
  /** True when the userspace DAHDI interposes in this process (LD_PRELOAD). */
  preloaded(): boolean;
  /** The library to preload (libfakedahdi.so). */
  libraryPath(): string;
  /** The site's boards on the userspace DAHDI and the exchange behind them; before the gateway opens the site. */
  build(loaded: LoadedSite, opts: { clock: Clock; logger: Logger }): SimulatedSiteHandle;
}

export interface SimulatedSiteHandle {
  /** For seats without FXS ports (simulated seats); FXS seats use the DAHDI bridge. */
  readonly mediaBridge: MediaBridge;
  /** How the gateway reaches the site's simulated GSM/LTE modules (absent when the site has none). */
  readonly modems?: SimulatedModemAccess;
  /** Agents at the seats' phones: the first `loggedIn` stay logged in. */
  staffSeats(seats: readonly Seat[], loggedIn?: number): void;
  /** No new simulated calls towards the gateway (callers of `simulation.inbound`); calls on the line finish. */
  stopTraffic?(): void;
  /** Seats whose simulated agent is still on a call or in wrap-up. */
  busySeats(): number;
  close(): Promise<void>;
}

/** The simulated modules' serial ports, the sysfs tree that shows the USB ones, and their USB bus (hot-plug). */
export interface SimulatedModemAccess {
  serialOpener: SerialLineOpener;
  sysRoot?: string;
  usb?: UsbPort;
}
