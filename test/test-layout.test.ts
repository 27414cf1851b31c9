// Tests mirror the sources file by file (issue 18): src/a/b.ts is tested in test/a/b.test.ts and kernel/c.ts in
// test/kernel/c.test.ts, so a newcomer finds a module's test by its path, and a module without a test shows up here.
// Barrels (index.ts re-exports) and type-only files hold no logic and need none. Whole-system tests that test no
// single module live in the folders named in WHOLE_SYSTEM.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, holdsNoLogic, modulesNeedingTests, strayTests } from "./layout-rule";

test("every module with logic in src/ and kernel/ has a test at its mirrored path", () => {
  const missing = modulesNeedingTests().filter((m) => !fs.existsSync(path.join(ROOT, m.test)));
  assert.deepEqual(missing.map((m) => `${m.source} -> ${m.test}`), []);
});

test("every module test is named for the source file it tests", () => {
  assert.deepEqual(strayTests(), []);
});

test("the no-logic rule tells a barrel or a type file from a module with code", () => {
  assert.equal(holdsNoLogic(`export * from "./a";\nexport { b } from "./b";\n`), true);
  assert.equal(holdsNoLogic(`import type { X } from "./x";\nexport interface Y { x: X }\nexport type F = (x: X) => Y;\n`), true);
  assert.equal(holdsNoLogic(`export const LIMIT = 3;\n`), false);
  assert.equal(holdsNoLogic(`export function f() { return 1; }\n`), false);
});
