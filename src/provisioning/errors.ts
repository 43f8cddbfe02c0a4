/** Problems in a board profile or a site file, each pinned to file, line and field. */
import { TrunkpilotError } from '../core/errors';

export interface ConfigIssue {
  file: string;
  /** 1-based line of the offending key or value (of its parent when the key is missing). */
  line: number;
  /** Dotted path with indices, e.g. "boards[0].spans[1].framing"; "" for the whole document. */
  field: string;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}: ${issue.field || '(document)'}: ${issue.message}`;
}

/** One or more issues found in a configuration file; nothing of it was used. */
export class ConfigFileError extends TrunkpilotError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super('CONFIG_INVALID', issues.map(formatIssue).join('\n'));
  }
}
