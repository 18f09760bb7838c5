/** Exit codes of the CLI: 0 clean, 1 a finding reached --fail-on, 2 usage or connection error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** Ctrl-C, as shells report SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130;

/** An error the user can act on: printed as one line, never with a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
