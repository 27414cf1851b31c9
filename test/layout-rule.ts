// The rule of test/test-layout.test.ts, in a module of its own so that scripts/test-layout.js can list what it
// reports folder by folder without running the tests.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

export const ROOT = path.resolve(__dirname, "..", "..");
/** Folders of test/ whose tests drive the kernel or the notebooks end to end, not one module. */
const WHOLE_SYSTEM = ["browser", "reliability", "notebooks"];
/** Repository-level tests: the package as installed, the import graph, this layout, and the libtorch finder of scripts/. */
const REPO_LEVEL = ["package.test.ts", "import-cycles.test.ts", "test-layout.test.ts", "find-libtorch.test.ts"];

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** True for a file with no runtime code: only imports, re-exports, types and interfaces (read with the compiler's
 * parser, so a function type is not mistaken for a function). */
export function holdsNoLogic(source: string): boolean {
  const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  return file.statements.every((s) => ts.isImportDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)
    || (ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined) || (ts.isExportDeclaration(s) && s.isTypeOnly));
}

/** Source files (relative to ROOT) that need a mirrored test, each with the test path it needs. */
export function modulesNeedingTests(): Array<{ source: string; test: string }> {
  const out: Array<{ source: string; test: string }> = [];
  for (const [dir, prefix] of [["src", ""], ["kernel", "kernel/"]] as const) {
    for (const f of files(path.join(ROOT, dir))) {
      const rel = path.relative(path.join(ROOT, dir), f);
      if (path.basename(rel) === "index.ts" && dir === "src" && rel !== "index.ts") continue;
      if (holdsNoLogic(fs.readFileSync(f, "utf8"))) continue;
      out.push({ source: `${dir}/${rel}`, test: `test/${prefix}${rel.replace(/\.ts$/, ".test.ts")}` });
    }
  }
  return out;
}

/** Test files that neither mirror a source file nor sit where whole-system and repository tests belong. */
export function strayTests(): string[] {
  const testRoot = path.join(ROOT, "test");
  return files(testRoot).filter((f) => f.endsWith(".test.ts")).map((f) => path.relative(testRoot, f)).filter((rel) => {
    if (REPO_LEVEL.includes(rel) || WHOLE_SYSTEM.includes(rel.split(path.sep)[0])) return false;
    const base = rel.replace(/\.test\.ts$/, ".ts");
    const source = base.startsWith(`kernel${path.sep}`) ? base : path.join("src", base);
    return !fs.existsSync(path.join(ROOT, source));
  });
}

