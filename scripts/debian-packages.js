#!/usr/bin/env node
/*
 * Installs the Debian packages the main job and the tests use (.ci/debian-packages), when missing: as root, or
 * through sudo when it needs no password; otherwise one line says which packages to install. Used by
 * `npm install` (scripts/install.js) and by CI (.ci/debian-deps, with --strict: a failed apt-get fails the run).
 * SCORELAB_APT=0 skips it.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const listFile = path.join(root, ".ci", "debian-packages");

function wanted() {
  if (!fs.existsSync(listFile)) return [];
  return fs.readFileSync(listFile, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
}

function installed(pkg) {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("install ok installed");
}

/** Returns false when packages were wanted and could not be installed. */
function debianPackages() {
  if (process.env.SCORELAB_APT === "0") return true;
  if (process.platform !== "linux" || spawnSync("apt-get", ["--version"]).status !== 0) return true;
  const missing = wanted().filter((p) => !installed(p));
  if (missing.length === 0) return true;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const sudo = !isRoot && spawnSync("sudo", ["-n", "true"]).status === 0;
  if (!isRoot && !sudo) {
    console.log(`scorelab: Debian packages missing and no root or password-free sudo to install them; run: sudo apt-get install ${missing.join(" ")}`);
    return false;
  }
  console.log(`scorelab: installing Debian packages: ${missing.join(" ")}`);
  const pre = sudo ? ["sudo", "-n"] : [];
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args) => spawnSync(pre[0] ?? args[0], pre.length ? [...pre.slice(1), ...args] : args.slice(1), { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", env, timeout: 1800000 });
  const up = run(["apt-get", "update", "-qq"]);
  const r = up.status === 0 ? run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", ...missing]) : up;
  if (r.status !== 0) {
    const why = `${r.stderr ?? ""}`.split("\n").find((l) => /^E:|error/i.test(l)) ?? `apt-get exited with ${r.status}`;
    console.log(`scorelab: Debian packages not installed (${why.trim()}); the tests that need them will fail, and the main job falls back where it can.`);
    return false;
  }
  return true;
}

module.exports = { debianPackages };

if (require.main === module) {
  const ok = debianPackages();
  if (!ok && process.argv.includes("--strict")) process.exit(1);
}

