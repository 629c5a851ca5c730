// The page's browser modules (src/ui/client/*.ts). `npm run build` compiles them with the rest
// of the service (tsc; no bundler, no extra build step), so dist/src/ui/client/*.js sit beside
// this file in production. Run from source (tsx, vitest) there are only the .ts files: they are
// transpiled on first request with the TypeScript compiler, a devDependency that only exists
// where the source does.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));
const NAME = /^[a-z][a-z0-9-]*\.js$/;

const compiled = new Map<string, string>();

async function transpile(path: string): Promise<string> {
  const ts = (await import('typescript')).default;
  const source = await readFile(path, 'utf8');
  return ts.transpileModule(source, {
    fileName: path,
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, sourceMap: false },
  }).outputText;
}

/** The JavaScript of one client module (`main.js`), or undefined when there is none. */
export async function clientModule(name: string): Promise<string | undefined> {
  if (!NAME.test(name)) return undefined;
  const cached = compiled.get(name);
  if (cached !== undefined) return cached;
  const js = join(CLIENT_DIR, name);
  if (existsSync(js)) {
    // Compiled output: the sourceMappingURL points at a map whose sources are not shipped.
    const text = (await readFile(js, 'utf8')).replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    compiled.set(name, text);
    return text;
  }
  const ts = join(CLIENT_DIR, name.replace(/\.js$/, '.ts'));
  return existsSync(ts) ? transpile(ts) : undefined;
}
