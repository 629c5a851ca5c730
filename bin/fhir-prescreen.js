#!/usr/bin/env node
// fhir-prescreen <command> …  (commands: find). Runs the compiled CLI (npm run build →
// dist/src/batch/cli.js); in a checkout without dist/, the TypeScript source under tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/src/batch/cli.js', import.meta.url);
let cli;
if (existsSync(fileURLToPath(compiled))) {
  cli = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../src/batch/cli.ts', import.meta.url).href);
}
process.exitCode = await cli.runCli(process.argv.slice(2));
