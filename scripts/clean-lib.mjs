// Removes what `npm run build` compiled into lib/ for the package, once it is packed, so that
// the TypeScript sources are what tests and the example app load in a clone.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lib = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib');
for (const file of readdirSync(lib, { recursive: true })) {
  if (String(file).endsWith('.js') || String(file).endsWith('.d.ts')) {
    rmSync(join(lib, String(file)));
  }
}
