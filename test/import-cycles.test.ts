// No import cycles in src/ or kernel/, type-only imports included (issue 18): a cycle makes load order matter and
// hides which module owns a concept. Reads the TypeScript sources, resolves relative imports and re-exports, and
// reports every strongly connected component of more than one file.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']/g;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [`${base}.ts`, path.join(base, "index.ts")]) if (fs.existsSync(c)) return c;
  return null;
}

/** Tarjan's strongly connected components of more than one node. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
  const out: string[][] = [];
  let n = 0;
  const visit = (v: string) => {
    index.set(v, n); low.set(v, n); n++; stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) out.push(comp.map((f) => path.relative(ROOT, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

function graphOf(files: string[]): Map<string, string[]> {
  return new Map(files.map((f) => {
    const text = fs.readFileSync(f, "utf8");
    const deps = [...text.matchAll(IMPORT)].map((m) => resolve(f, m[1])).filter((d): d is string => d !== null);
    return [f, deps];
  }));
}

test("src/ and kernel/ have no import cycles", () => {
  const files = [...sources(path.join(ROOT, "src")), ...sources(path.join(ROOT, "kernel"))];
  assert.ok(files.length > 100, "found the sources");
  assert.deepEqual(cycles(graphOf(files)), []);
});

test("the cycle finder finds a cycle", () => {
  const g = new Map([["/a.ts", ["/b.ts"]], ["/b.ts", ["/c.ts"]], ["/c.ts", ["/a.ts"]], ["/d.ts", ["/a.ts"]]]);
  assert.equal(cycles(g).length, 1);
  assert.equal(cycles(g)[0].length, 3);
});
