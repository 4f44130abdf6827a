#!/usr/bin/env node
'use strict';
// The relance command: runs the TypeScript sources through tsx's CommonJS loader.
require('tsx/cjs/api').register();
require('../src/cli/main.ts').main(process.argv).catch((error) => {
  process.stderr.write(`relance: ${error && error.message ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
