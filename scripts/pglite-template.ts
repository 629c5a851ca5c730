// npm run build (after tsc): the empty PGlite database a fresh DATA_DIR starts from
// (src/storage/pglite-template.ts), made once per PGlite version.
import { existsSync } from 'node:fs';
import { defaultTemplatePath, makeTemplate } from '../src/storage/pglite-template.js';

const path = defaultTemplatePath();
if (!existsSync(path)) await makeTemplate(path);
