#!/usr/bin/env node
/**
 * Runs Hardhat with environment variables set, the same on Windows, macOS and
 * Linux: npm scripts cannot use `NAME=1 hardhat ...`, which only POSIX shells
 * understand.
 *
 *   node tools/hardhat-env.js L2LAB_DEEP=1 test --grep @deep
 *
 * Leading NAME=value arguments become environment variables; the rest goes
 * to Hardhat's own command line, run in this same process.
 */
"use strict";
const args = process.argv.slice(2);
while (args.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[0])) {
  const assignment = args.shift();
  const at = assignment.indexOf("=");
  process.env[assignment.slice(0, at)] = assignment.slice(at + 1);
}
// What the `hardhat` command runs, with the arguments it would have had.
const hardhat = require.resolve("hardhat/internal/cli/bootstrap");
process.argv = [process.argv[0], hardhat, ...args];
require(hardhat);
