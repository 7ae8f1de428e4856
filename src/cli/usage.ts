/**
 * Usage errors (exit 2): one line in one style, whether commander found the
 * mistake (an unknown option, a bad choice) or kipt did (a bad DEST, a table
 * the dump does not have), and the hint names the help of the command at
 * fault, where the options it is about are described:
 *
 *     kipt: error: unknown option '--formt'; did you mean --format? (run 'kipt lint --help' for usage)
 */
import type { Command } from "commander";
import { neutralize } from "../text/sanitize.js";

/** A mistake on the command line, found by kipt rather than by commander. */
export class UsageError extends Error {}

/** `kipt lint`, or `kipt` for the program itself: the command a usage hint names. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** The line printed for a usage error; `message` may quote the command line, so it is neutralized. */
export function usageLine(command: Command, message: string): string {
  return `kipt: error: ${neutralize(message)} (run '${commandPath(command)} --help' for usage)\n`;
}

/**
 * Commander's error text as one message in kipt's words: without its
 * `error: ` prefix and final period, and with its suggestion, which it puts
 * on a line of its own, kept on the same line.
 */
export function commanderMessage(text: string): string {
  return text
    .trim()
    .replace(/^error: /, "")
    .replace(/\s*\n\(Did you mean (.*)\?\)$/, "; did you mean $1?")
    .replace(/\s*\n\s*/g, " ")
    .replace(/\.$/, "");
}

/**
 * Make commander print its usage errors as `usageLine` does, for the
 * program and every command under it. Called once every command is
 * registered: a command copies its parent's output settings when it is
 * created, so each needs its own to name itself in the hint.
 */
export function reportUsageErrors(command: Command): void {
  command.configureOutput({ outputError: (text, write) => write(usageLine(command, commanderMessage(text))) });
  for (const sub of command.commands) reportUsageErrors(sub);
}
