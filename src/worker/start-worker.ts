// Starts a worker thread from a module beside the caller, compiled or not. Compiled
// (dist/…/x.js) the worker is plain JS beside its caller. Under tsx or vitest the caller is
// TypeScript, and a worker thread does not inherit their loaders, so the worker registers tsx
// itself before importing its .ts entry.

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

// V8 sizes a heap's growth by its limit: under the default (gigabytes) it lets a worker's heap
// reach four times what is live before collecting. A limit of 512 MB makes it grow by a much
// smaller factor, so a thread holds little more than it uses, and is far above what screening
// keeps live (a patient's parsed record, or a call's prefetch). A smaller young generation
// (the default is up to 3 x 16 MB per thread) costs a few more scavenges, no more.
export const SCREENING_THREAD_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 16 };

/** `name` without extension, resolved against `callerUrl` (the caller's import.meta.url). */
export function startWorker(callerUrl: string, name: string, workerData: unknown, resourceLimits: ResourceLimits): Worker {
  if (callerUrl.endsWith('.js')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData, resourceLimits });
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  // require.resolve gives the CommonJS build of tsx's API; its ESM twin sits beside it.
  const tsx = createRequire(fileURLToPath(callerUrl)).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const bootstrap = `
    const { pathToFileURL } = require('node:url');
    import(pathToFileURL(${JSON.stringify(tsx)}).href)
      .then((api) => { api.register(); return import(${JSON.stringify(entry)}); })
      .catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}
