/** `-D CHAIN N` with and without a rule spec after it: refused or not by iptables-restore 1.8.9 (oracle: test/oracle/delete-by-number-oracle.test.ts). */
export const DELETE_BY_NUMBER_CASES: readonly { readonly line: string; readonly refused: boolean }[] = [
  { line: "-D INPUT 1", refused: false },
  { line: "-D INPUT 1 -j ACCEPT", refused: true },
  { line: "-D INPUT 1 -s 10.0.0.1 -j ACCEPT", refused: true },
  { line: "-D INPUT -s 10.0.0.1/32 -j ACCEPT", refused: false },
];

export function deleteDump(line: string): string {
  return `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.1/32 -j ACCEPT\n${line}\nCOMMIT\n`;
}
