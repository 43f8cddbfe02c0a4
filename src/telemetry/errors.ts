import { TrunkpilotError } from '../core/errors';

/** A TCP port telemetry needs is held by another process. */
export class PortInUseError extends TrunkpilotError {
  constructor(
    readonly port: number,
    readonly host: string,
    readonly purpose: string,
    readonly option: string,
  ) {
    super(
      'CONFIG_INVALID',
      `port ${port} on ${host} is already in use, so the ${purpose} cannot start; stop what holds it or choose another port with ${option}`,
    );
  }
}

/** The broker refused or could not be reached. */
export class BrokerConnectError extends TrunkpilotError {
  constructor(
    readonly url: string,
    reason: string,
    badCredentials: boolean,
  ) {
    super(badCredentials ? 'CONFIG_INVALID' : 'LINK_DOWN', `MQTT broker ${url}: ${reason}`);
  }
}
