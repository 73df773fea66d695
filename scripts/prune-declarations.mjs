// Removes the declarations no consumer's compiler can reach: starting from the `types` targets
// of package.json (`types` and the exports map), follows every relative import of each
// declaration file (`from '…'`, `import('…')`, `/// <reference path>`) as TypeScript's own
// pre-processor finds them, and deletes every other `.d.ts` under dist/. The exports map allows no
// deep imports, so what is left behind (the command line's modules, internals that no public type
// names) would only weigh on the install.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));

/** Every `types` target of the manifest, nested conditions included. */
function typeTargets(value, key = '') {
  if (typeof value === 'string') return key === 'types' ? [value] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([name, inner]) => typeTargets(inner, name));
}

/** The declaration file a relative specifier written in `from` names, if there is one. */
function declarationOf(from, specifier) {
  const base = resolve(dirname(from), specifier).replace(/\.(m?)js$/, '.d.$1ts');
  return [base, `${base}.d.ts`, join(base, 'index.d.ts')].find((file) => /\.d\.m?ts$/.test(file) && existsSync(file) && statSync(file).isFile());
}

const reached = new Set();
const pending = [manifest.types, ...typeTargets(manifest.exports)].map((target) => resolve(target));
while (pending.length > 0) {
  const file = pending.pop();
  if (reached.has(file)) continue;
  if (!existsSync(file)) throw new Error(`prune-declarations: ${file} is a types target or import that the build did not write`);
  reached.add(file);
  const { importedFiles, referencedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  for (const { fileName } of [...importedFiles, ...referencedFiles]) {
    if (!fileName.startsWith('.')) continue;
    const target = declarationOf(file, fileName);
    if (target === undefined) throw new Error(`prune-declarations: ${file} imports ${fileName}, which has no declaration file`);
    pending.push(target);
  }
}

for (const name of readdirSync('dist', { recursive: true })) {
  const file = resolve('dist', name);
  if (/\.d\.m?ts$/.test(file) && !reached.has(file)) rmSync(file);
}
