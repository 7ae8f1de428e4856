/**
 * DSCP class names as iptables reads them (libxt_dscp_helper.c
 * `class_to_dscp`): in table order, the first class the word starts with,
 * case-insensitively, so `ef` and `AF411` are classes and `foo` is not
 * ("Invalid DSCP value"). The printer prints the value; the parser checks
 * the word.
 */
export const DSCP_CLASSES: readonly (readonly [string, number])[] = [
  ["CS0", 0x00], ["CS1", 0x08], ["CS2", 0x10], ["CS3", 0x18], ["CS4", 0x20], ["CS5", 0x28], ["CS6", 0x30], ["CS7", 0x38],
  ["BE", 0x00],
  ["AF11", 0x0a], ["AF12", 0x0c], ["AF13", 0x0e], ["AF21", 0x12], ["AF22", 0x14], ["AF23", 0x16],
  ["AF31", 0x1a], ["AF32", 0x1c], ["AF33", 0x1e], ["AF41", 0x22], ["AF42", 0x24], ["AF43", 0x26],
  ["EF", 0x2e],
];

/** The DSCP value of a class name, or null when no class fits. */
export function dscpClassValue(name: string): number | null {
  const upper = name.toUpperCase();
  const hit = DSCP_CLASSES.find(([c]) => upper.startsWith(c));
  return hit ? hit[1] : null;
}
