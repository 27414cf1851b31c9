#!/usr/bin/env node
/* Lists what test/test-layout.test.ts would report, grouped by folder: modules without a mirrored test and test
 * files named for no module. Run after `npx tsc`. `node scripts/test-layout.js sde sample` limits the folders. */
"use strict";
const path = require("node:path");
const layout = require(path.resolve(__dirname, "..", "dist", "test", "layout-rule.js"));
const fs = require("node:fs");
const root = path.resolve(__dirname, "..");
const only = process.argv.slice(2);
const folder = (p) => p.split("/")[1];
const keep = (p) => !only.length || only.includes(folder(p));
const missing = layout.modulesNeedingTests().filter((m) => !fs.existsSync(path.join(root, m.test)) && keep(m.test));
const stray = layout.strayTests().map((t) => `test/${t}`).filter(keep);
for (const m of missing) console.log(`missing  ${m.test}   (for ${m.source})`);
for (const t of stray) console.log(`stray    ${t}`);
console.log(`${missing.length} missing, ${stray.length} stray`);
