// Chains software creates on purpose as jump targets are not mistakes when unused.
import { describe, expect, it } from "vitest";
import { buildChainGraph, libraryChainOwner } from "../../src/graph/chain-graph.js";
import { load } from "../../src/model/load.js";
import { parse } from "../../src/parser/parse.js";

function unreachable(text: string) {
  return buildChainGraph(load(parse(text, { file: "x" }).dump), { file: "x" })
    .findings.map((f) => f.diagnostic)
    .filter((d) => d.id === "KIPT2002")
    .map((d) => [d.severity, d.message.split("'")[1]])
    .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
}

describe("library chains", () => {
  it("knows kubelet's and ufw's helper chains, and nothing else", () => {
    expect(libraryChainOwner("KUBE-MARK-DROP")).toBe("kubelet");
    expect(libraryChainOwner("ufw-user-limit-accept")).toBe("ufw");
    expect(libraryChainOwner("ufw6-logging-deny")).toBe("ufw");
    expect(libraryChainOwner("KUBE-SVC-YK2SNH4V42VSDWIJ")).toBeNull();
    expect(libraryChainOwner("ufw-user-input")).toBeNull();
  });

  it("reports an unused KUBE-MARK-DROP as info, an unused chain of one's own as a warning", () => {
    const text = [
      "*nat",
      ":PREROUTING ACCEPT [0:0]",
      ":KUBE-MARK-DROP - [0:0]",
      ":MINE - [0:0]",
      "-A KUBE-MARK-DROP -j MARK --set-xmark 0x8000/0x8000",
      "-A MINE -j RETURN",
      "COMMIT",
      "",
    ].join("\n");
    expect(unreachable(text)).toEqual([
      ["info", "KUBE-MARK-DROP"],
      ["warning", "MINE"],
    ]);
  });

  it("still warns when a library chain is reached only from an unreachable chain", () => {
    const text = [
      "*nat",
      ":PREROUTING ACCEPT [0:0]",
      ":KUBE-MARK-DROP - [0:0]",
      ":DEAD - [0:0]",
      "-A DEAD -j KUBE-MARK-DROP",
      "-A KUBE-MARK-DROP -j MARK --set-xmark 0x8000/0x8000",
      "COMMIT",
      "",
    ].join("\n");
    expect(unreachable(text)).toEqual([
      ["warning", "DEAD"],
      ["warning", "KUBE-MARK-DROP"],
    ]);
  });
});

describe("jump-to-builtin (KIPT2008)", () => {
  it("reports -j and -g to a built-in chain and draws no edge for them", () => {
    const text = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":MINE - [0:0]", "-A FORWARD -j INPUT", "-A MINE -g OUTPUT", "-A INPUT -j MINE", "COMMIT", ""].join("\n");
    const graph = buildChainGraph(load(parse(text, { file: "x" }).dump), { file: "x" });
    const found = graph.findings.map((f) => f.diagnostic).filter((d) => d.id === "KIPT2008");
    expect(found.map((d) => [d.severity, d.line, d.column])).toEqual([
      ["error", 5, 12],
      ["error", 6, 9],
    ]);
    expect(graph.edges.map((e) => e.to)).toEqual(["filter:MINE"]);
  });
});
