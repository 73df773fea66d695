// Writes the ESM entry points next to the CommonJS build: each re-exports its CommonJS twin,
// so `import` and `require` share one module instance (no dual-package hazard).
import { writeFileSync } from 'node:fs';

for (const entry of ['dist/lib/index', 'dist/lib/sandbox/index']) {
  writeFileSync(`${entry}.mjs`, "export * from './index.js';\n");
  writeFileSync(`${entry}.d.mts`, "export * from './index.js';\n");
}
