// Typed errors. Every failure a user can cause is one of these; the CLI turns them into
// a message and an exit code in one place (src/cli/main.ts). Messages name the secret,
// file or flag at fault and never carry a secret value.

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

// Each class names itself: the bundle is minified without keeping function names.
export class CliError extends Error {
  override name = 'CliError';
  readonly exitCode: number;
  /** Extra lines printed under the message (problem lists). */
  readonly details: readonly string[];
  constructor(message: string, options: { exitCode?: number; details?: readonly string[] } = {}) {
    super(message);
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
    this.details = options.details ?? [];
  }
}

/** A kind of CliError: its name and exit code; details are extra lines printed under the message. */
function errorKind(name: string, exitCode: number) {
  return class extends CliError {
    override name = name;
    constructor(message: string, details: readonly string[] = []) {
      super(message, { exitCode, details });
    }
  };
}

/** A flag, argument or name that is wrong: exit 2. */
export class UsageError extends errorKind('UsageError', EXIT_BAD_INPUT) {}

/** A document (store file, source, auth.json) that does not parse or validate: exit 2. */
export class InvalidDocumentError extends errorKind('InvalidDocumentError', EXIT_BAD_INPUT) {
  readonly file: string;
  constructor(file: string, message: string, details: readonly string[] = []) {
    super(message, details);
    this.file = file;
  }
}

/** A change to the store the model does not allow (type change, override without base, ...): exit 2. */
export class RefusedChangeError extends errorKind('RefusedChangeError', EXIT_BAD_INPUT) {}

/** A build plan with problems (a secret that cannot be used as the plan needs it), so nothing was built: exit 2. */
export class PlanProblemsError extends errorKind('PlanProblemsError', EXIT_BAD_INPUT) {}

/** A file we will not touch (symlink, foreign journal, ...): exit 2. */
export class UnsafeFileError extends errorKind('UnsafeFileError', EXIT_BAD_INPUT) {}

/** Exit code of a run the user cancelled (Ctrl-C), as shells report SIGINT: 128 + 2. */
export const EXIT_CANCELLED = 130;

/** The user cancelled a prompt (Ctrl-C at the terminal, read in raw mode, is a key, not SIGINT). */
export class CancelledError extends errorKind('CancelledError', EXIT_CANCELLED) {}

/** The environment failed us (I/O, a program that could not run): exit 1. */
export class EnvironmentError extends errorKind('EnvironmentError', EXIT_FAILURE) {}

/** The leak sweep found a secret value in what a build left, or in what `scan` read. */
export const EXIT_LEAK_FOUND = 9;

/** Secret values found in files (named by path, never by value): exit EXIT_LEAK_FOUND. */
export class LeakFoundError extends errorKind('LeakFoundError', EXIT_LEAK_FOUND) {}
