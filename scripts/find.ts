// npm run find -- --study belimumab-iim[,glp1-ckd] (or --all-studies) --input DIR --as-of YYYY-MM-DD [--out DIR] [--database URL] [--resume] [--workers N]
// The nightly patient finder (src/batch/cli.ts), under tsx for development.
import { runCli } from '../src/batch/cli.js';

process.exitCode = await runCli(['find', ...process.argv.slice(2)]);
