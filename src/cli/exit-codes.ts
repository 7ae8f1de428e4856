/** kipt's exit codes, documented in the README. */
export const ExitCode = {
  /** Success: nothing at or above the failure threshold. */
  ok: 0,
  /** The input has errors (or lint findings at or above --fail-on). */
  findings: 1,
  /** Bad usage: unknown command or option, bad option value, bad config. */
  usage: 2,
  /** I/O failure (missing file, directory, unreadable) or an internal error. */
  io: 3,
} as const;
