import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cliEntry, packageRoot, preloadModules } from "../../kernel/paths";

test("packageRoot holds package.json; the CLI entry and the preloaded modules are absolute paths that exist", () => {
  assert.equal(JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")).name, "scorelab");
  assert.equal(packageRoot, fs.realpathSync(packageRoot), "symbolic links resolved");
  assert.equal(cliEntry, path.join(packageRoot, "dist", "src", "cli", "main.js"));
  assert.ok(fs.existsSync(cliEntry));
  const m = preloadModules();
  for (const p of [m.tf, m.lab, m.cell]) assert.ok(path.isAbsolute(p), p);
  assert.ok(fs.existsSync(path.join(m.tf, "package.json")));
  assert.ok(fs.existsSync(`${m.lab}.js`) && fs.existsSync(`${m.cell}.js`));
});
