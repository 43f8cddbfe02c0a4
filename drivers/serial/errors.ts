import { TrunkpilotError } from '../../src/core/errors';

export type SerialLinkFailure = 'open-failed' | 'disconnected' | 'write-failed' | 'closed';

/** A serial link could not be opened or used: says which path, what failed, and the OS error. */
export class SerialLinkError extends TrunkpilotError {
  constructor(
    readonly path: string,
    readonly failure: SerialLinkFailure,
    readonly detail: string,
  ) {
    super('SERIAL_LINK_FAILED', `serial ${path}: ${failure}${detail ? `: ${detail}` : ''}`);
  }
}
