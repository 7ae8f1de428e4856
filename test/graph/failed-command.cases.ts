/**
 * Restore commands applied to a filter table that starts with chain X
 * holding one rule and an empty chain Y, and whether iptables-restore 1.8.9
 * (nf_tables) fails on them. Drives the KIPT2011 unit test
 * (test/graph/failed-command.test.ts) and the oracle test that checks the
 * verdicts against the real tool (test/oracle/failed-command-oracle.test.ts).
 *
 * One nf_tables quirk is here: after `-F` of the whole table, a chain that
 * had rules, or that a flushed rule jumped to, cannot be deleted until the
 * chain (or the jumping rule's chain) is flushed by name. The nf_tables
 * backend is the default of current distributions, so kipt reports it, and
 * its message says legacy iptables accepts it.
 *
 * Not here: `-N` of a chain that exists, which the parser reports (KIPT1009);
 * and `-R` of a rule or `-E` of a chain made earlier in the same file, which
 * the nf_tables backend fails on (a crash, "CHAIN_RENAME failed (No such
 * file or directory)") and the legacy one does not: a warning, KIPT1028,
 * checked in test/oracle/legacy-only-oracle.test.ts. Where `-E` and `-R`
 * are here, both back ends refuse them.
 */
export interface CommandCase {
  readonly commands: readonly string[];
  readonly refused: boolean;
}

export const FAILED_COMMAND_CASES: readonly CommandCase[] = [
  { commands: ["-I X 1 -j DROP"], refused: false },
  { commands: ["-I X 2 -j DROP"], refused: false },
  { commands: ["-I X 3 -j DROP"], refused: true },
  { commands: ["-I Y 1 -j DROP"], refused: false },
  { commands: ["-I Y 2 -j DROP"], refused: true },
  { commands: ["-R X 2 -j DROP"], refused: true },
  { commands: ["-D X 1"], refused: false },
  { commands: ["-D X 2"], refused: true },
  { commands: ["-D X 1", "-D X 1"], refused: true },
  { commands: ["-D X -j ACCEPT"], refused: false },
  { commands: ["-D X -j ACCEPT", "-D X -j ACCEPT"], refused: true },
  { commands: ["-D X -j DROP"], refused: true },
  { commands: ["-A X -s 10.0.0.1 -j DROP", "-D X -s 10.0.0.1/32 -j DROP"], refused: false },
  { commands: ["-N Z"], refused: false },
  { commands: ["-X Y"], refused: false },
  { commands: ["-X X"], refused: true },
  { commands: ["-F X", "-X X"], refused: false },
  { commands: ["-N Z", "-A Z -j ACCEPT", "-X Z"], refused: true },
  { commands: ["-E Y X"], refused: true },
  // A built-in chain cannot be renamed.
  { commands: ["-E INPUT Z"], refused: true },
  // A chain a rule jumps to is not deleted; `-X` alone deletes every user chain, or fails on the first that cannot go.
  { commands: ["-A INPUT -j Y", "-X Y"], refused: true },
  { commands: ["-A INPUT -g Y", "-X Y"], refused: true },
  { commands: ["-A INPUT -j Y", "-D INPUT -j Y", "-X Y"], refused: false },
  { commands: ["-X"], refused: true },
  { commands: ["-F X", "-X"], refused: false },
  { commands: ["-F X", "-A INPUT -j Y", "-X"], refused: true },
  // nf_tables: what `-F` of the whole table removed still holds its chain until that chain is flushed by name.
  { commands: ["-F", "-X Y"], refused: false },
  { commands: ["-F", "-X X"], refused: true },
  { commands: ["-F", "-X"], refused: true },
  { commands: ["-F", "-F X", "-X X"], refused: false },
  { commands: ["-F", "-F X", "-X"], refused: false },
  { commands: ["-A INPUT -j Y", "-F", "-X Y"], refused: true },
  { commands: ["-A INPUT -j Y", "-F", "-F Y", "-X Y"], refused: true },
  { commands: ["-A INPUT -j Y", "-F", "-F INPUT", "-X Y"], refused: false },
];

/** The dump of a case: the starting table, then its commands. */
export function commandDump(c: CommandCase): string {
  return ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":X - [0:0]", ":Y - [0:0]", "-A X -j ACCEPT", ...c.commands, "COMMIT", ""].join("\n");
}
