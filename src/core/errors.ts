/**
 * Typed errors. Each carries a string-union `code` a caller can switch on and,
 * where a protocol is involved, the protocol's own cause.
 */
export type TrunkpilotErrorCode =
  | 'STATE_TRANSITION'
  | 'NO_FREE_CHANNEL'
  | 'CHANNEL_UNAVAILABLE'
  | 'NATIVE_LIBRARY'
  | 'NATIVE_CALL_FAILED'
  | 'CONFIG_INVALID'
  | 'INPUT_INVALID'
  | 'LINK_DOWN'
  | 'DAHDI_ABSENT'
  | 'STORAGE_FAILED'
  | 'CLOSED'
  | 'SERIAL_LINK_FAILED'
  | 'AT_RESPONSE_INVALID'
  | 'AT_TIMEOUT'
  | 'AT_COMMAND_FAILED'
  | 'MODEM_UNAVAILABLE'
  | 'VOICE_UNSUPPORTED'
  | 'TIME_SOURCE_UNAVAILABLE';

export class TrunkpilotError extends Error {
  constructor(
    readonly code: TrunkpilotErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class StateTransitionError extends TrunkpilotError {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly event: string,
    readonly history: readonly string[],
  ) {
    super('STATE_TRANSITION', `${machine}: event '${event}' is not allowed in state '${from}' (recent: ${history.join(' -> ') || 'none'})`);
  }
}

/** The native library is absent or too old: says which package to install. */
export class NativeLibraryError extends TrunkpilotError {
  constructor(
    readonly library: string,
    readonly debianPackage: string,
    cause: unknown,
  ) {
    super(
      'NATIVE_LIBRARY',
      `cannot load ${library} (install the Debian package '${debianPackage}', or run scripts/setup): ${String(cause)}`,
    );
  }
}

/** A C function returned a failure code. */
export class NativeCallError extends TrunkpilotError {
  constructor(
    readonly fn: string,
    readonly result: number,
  ) {
    super('NATIVE_CALL_FAILED', `${fn} failed (returned ${result})`);
  }
}

/** Bad input from a user or a file: names what and where. */
export class InputError extends TrunkpilotError {
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super('INPUT_INVALID', `${where}: ${problem}`);
  }
}

export class ClosedError extends TrunkpilotError {
  constructor(what: string) {
    super('CLOSED', `${what} is closed`);
  }
}
