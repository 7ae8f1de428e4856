/**
 * Restore commands applied to a filter table that starts with chain X
 * holding one rule and an empty chain Y, and whether iptables-restore 1.8.9
 * (nf_tables) fails on them. Drives the KIPT2011 unit test
 * (test/graph/failed-command.test.ts) and the oracle test that checks the
 * verdicts against the real tool (test/oracle/failed-command-oracle.test.ts).
 *
 * Not here: `-N` of a chain that exists, which the parser reports (KIPT1009);
 * and `-R` of a rule or `-E` of a chain made earlier in the same file, which
 * the nf_tables backend fails on ("RULE_REPLACE failed", "CHAIN_RENAME
 * failed (No such file or directory)") and the legacy one does not: a
 * backend's quirk, not the input's mistake.
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
];

/** The dump of a case: the starting table, then its commands. */
export function commandDump(c: CommandCase): string {
  return ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":X - [0:0]", ":Y - [0:0]", "-A X -j ACCEPT", ...c.commands, "COMMIT", ""].join("\n");
}
