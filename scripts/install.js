#!/usr/bin/env node
/*
 * What `npm install` (and `scorelab setup`) does on a machine: the Debian packages the main job and the tests use
 * (scripts/debian-packages.js), then the native parts (scripts/build-native.js). Every step that cannot run prints
 * one line saying why and what to do, and the install goes on: npm install never fails because of it.
 */
"use strict";
const { debianPackages } = require("./debian-packages");
const { buildTorch, buildBlas } = require("./build-native");

debianPackages();
buildTorch();
buildBlas();
