// The package version, read once from package.json at the project root.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../config.js';

let cached: string | undefined;

export function softwareVersion(): string {
  cached ??= String((JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version ?? '0.0.0');
  return cached;
}
