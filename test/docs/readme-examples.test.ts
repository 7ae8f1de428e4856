/**
 * The README's library examples run as written and print what their
 * trailing `// ` lines say: every ```ts block that imports from "kipt" is
 * written beside this test with the import pointed at src/index.ts, run,
 * and its console.log lines compared.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const scratch = path.join(root, "test/docs/.readme-examples");

interface Example {
  readonly line: number;
  readonly code: string;
  readonly expected: string[];
}

function examples(): Example[] {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const out: Example[] = [];
  const fence = /^```ts\n([\s\S]*?)^```$/gm;
  for (const m of readme.matchAll(fence)) {
    const body = m[1]!;
    if (!body.includes('from "kipt"')) continue;
    const lines = body.replace(/\n$/, "").split("\n");
    const expected: string[] = [];
    while (lines.length > 0 && lines[lines.length - 1]!.startsWith("// ")) expected.unshift(lines.pop()!.slice(3));
    out.push({ line: readme.slice(0, m.index).split("\n").length, code: lines.join("\n"), expected });
  }
  return out;
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("README library examples", () => {
  const all = examples();

  it("has examples, each saying what it prints", () => {
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const e of all) expect(e.expected.length, `README.md:${e.line}`).toBeGreaterThan(0);
  });

  it.each(all.map((e) => [e.line, e] as const))("README.md:%i runs and prints what it says", async (line, e) => {
    mkdirSync(scratch, { recursive: true });
    const file = path.join(scratch, `example-${line}.ts`);
    writeFileSync(file, e.code.replaceAll('from "kipt"', `from ${JSON.stringify(path.join(root, "src/index.ts"))}`));
    const printed: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(" ")));
    try {
      await import(file);
    } finally {
      log.mockRestore();
    }
    expect(printed).toEqual(e.expected);
  });
});
