/** What a command may touch of the outside world; injected so tests can run commands in-process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stdout is a terminal (progress bars, colours). */
  isTTY: boolean;
}

export interface CommandModule {
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: string[], io: CliIO): Promise<number>;
}

export const processIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY),
};
