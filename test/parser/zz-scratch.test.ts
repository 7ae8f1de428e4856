import { it } from "vitest";
import { parse } from "../../src/parser/parse.js";
import { format } from "../../src/format/format.js";
import { formatDiagnostic } from "../../src/diagnostics/diagnostic.js";
it("scratch", () => {
  const lines = [
    "-A INPUT -j ACCEPT",
    "*filter",
    ":INPUT ACCEPT [0:0]",
    "-A INPUT -p tcp -m tcp --dportx 80 -j ACCEPT",
    "-A INPUT -p tcp -m tcp --dport",
    "-A INPUT -s 10.0.0.300 -j ACCEPT",
    "-A INPUT -d 10.0.0.1/33 -j ACCEPT",
    '-A INPUT -m comment --comment "oops -j ACCEPT',
    "this is not a rule",
    "-A INPUT -j ACCEPT extra",
    "-A INPUT -p tcp --dport 99999 -j ACCEPT",
    "-A INPUT -m conntrack --ctstate BOGUS -j ACCEPT",
    "-A INPUT -m comment --comment \x1b[31mred -j ACCEPT extra\x1b[0m",
    "\x1b[2J stray",
    "-A INPUT -p tcp --dport\x1bx 1 -j ACCEPT",
    "-A INPUT -s ! 1.2.3.4 -j ACCEPT",
    "-A INPUT -m foobar --foo 1 --bar -j ACCEPT",
    "-A INPUT -j FOOBAR --x 1",
    "-A INPUT -m comment --comment \"-j DROP\" -j LOG --log-prefix -x",
    "-A INPUT ! -m tcp -j ACCEPT",
    "-A NOPE -j ACCEPT",
    "COMMIT",
  ];
  const r = parse(lines.join("\n") + "\n", { file: "t" });
  for (const d of r.diagnostics) console.log(JSON.stringify(formatDiagnostic(d)), d.offset, d.length);
  console.log(r.dump.tables[0]!.statements.filter(s => s.kind === "rule").map(s => (s as any).line).join(","));
  console.log(format(r.dump));
});
