import { TrunkpilotError } from '../../src/core/errors';

/** Commands that carry secrets (a SIM PIN or PUK) are named without them in errors, logs and telemetry. */
export function redactCommand(command: string): string {
  return command.replace(/^(AT\+CPIN=|AT\+CLCK=[^,]*,[^,]*,|AT\+CPWD=)(.*)$/i, '$1<redacted>');
}

export type AtResponseProblem =
  /** A line longer than the reader's bound: dropped up to the next line end. */
  | 'line-too-long'
  /** Control characters or non-ASCII bytes where a modem sends text. */
  | 'garbage'
  /** More lines than a response may have. */
  | 'response-too-long'
  /** A line that looks like a known report but does not parse. */
  | 'malformed';

/** A modem sent something a driver cannot use: says what, on which port, with a bounded excerpt. */
export class AtResponseError extends TrunkpilotError {
  constructor(
    readonly port: string,
    readonly problem: AtResponseProblem,
    readonly excerpt: string,
  ) {
    super('AT_RESPONSE_INVALID', `${port}: ${problem}: ${JSON.stringify(excerpt)}`);
  }
}

/** No final result within the command's time; `partial` holds what did arrive (a truncated response). */
export class AtTimeoutError extends TrunkpilotError {
  readonly command: string;

  constructor(
    readonly port: string,
    command: string,
    readonly timeoutMs: number,
    readonly partial: readonly string[],
  ) {
    super(
      'AT_TIMEOUT',
      `${port}: no final result to ${redactCommand(command)} within ${timeoutMs} ms${partial.length ? ` (got ${partial.length} line(s): truncated)` : ''}`,
    );
    this.command = redactCommand(command);
  }
}

export type AtFailureKind = 'error' | 'cme-error' | 'cms-error' | 'no-carrier' | 'busy' | 'no-answer' | 'no-dialtone';

/** The modem answered with a failure result: ERROR, +CME ERROR: n, +CMS ERROR: n, or a dial failure. */
export class AtCommandError extends TrunkpilotError {
  readonly command: string;

  constructor(
    readonly port: string,
    command: string,
    readonly result: AtFailureKind,
    /** +CME/+CMS error number (or its text when the modem uses verbose errors). */
    readonly detail?: number | string,
  ) {
    super('AT_COMMAND_FAILED', `${port}: ${redactCommand(command)} -> ${result}${detail !== undefined ? ` ${detail}` : ''}`);
    this.command = redactCommand(command);
  }
}

export type ModemUnavailableReason = 'link-lost' | 'closed' | 'not-ready' | 'out-of-service';

/** The modem cannot take the request now (port gone, closed, still starting, out of service). */
export class ModemUnavailableError extends TrunkpilotError {
  constructor(
    readonly port: string,
    readonly reason: ModemUnavailableReason,
    detail = '',
  ) {
    super('MODEM_UNAVAILABLE', `${port}: modem ${reason}${detail ? `: ${detail}` : ''}`);
  }
}
