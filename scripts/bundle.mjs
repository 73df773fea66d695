// Bundles the CommonJS that tsc wrote under dist/lib/ (one file per module) into five chunks under
// dist/lib/chunks/, and writes the entry points that load them. Node reads, resolves and compiles
// each file it requires; one file for the client instead of some seventy is what brings a cold
// `require('wechatpay-ts')` down to a plain axios plugin's (issue 11, `npm run bench`).
//
// A module goes to the first chunk whose entry reaches it, so each module exists once and the
// classes of the errors are the same from every entry point. A chunk that needs a module of
// another chunk asks that chunk's registry for it (`modules['./errors.js']()`); esbuild keeps each
// module in its own function, run on its first require, as Node would.
//
// The public entry dist/lib/index.js reads each export from its chunk on first use, so the
// notification adapters, bills, the doctor and the APIv2 helpers cost nothing until used.
// `import` (index.mjs) names every export, so it loads the client, v2 and extras chunks at once.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const LIB = resolve('dist/lib');
const CHUNKS = join(LIB, 'chunks');
const require = createRequire(import.meta.url);
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * The chunks, each from its entry module, in the order they claim modules. A chunk's `lazy`
 * modules are ones it requires only inside a function (on first use): they start a later chunk,
 * so that what only they reach is not compiled with this one.
 */
const CHUNK_ENTRIES = [
  { name: 'client', entry: './wechatpay.js', lazy: ['./v2/sender.js'] }, // new Wechatpay() and its APIv3 calls
  { name: 'v2', entry: './v2/sender.js' }, // APIv2, built on the first APIv2 call
  { name: 'extras', entry: './index.js' }, // the rest of the public API
  { name: 'sandbox', entry: './sandbox/index.js' },
  { name: 'cli', entry: './cli/bin.js' },
];

/** A module's id: its path under dist/lib/, as `./dir/name.js`. */
const idOf = (file) => `./${relative(LIB, file).split(sep).join('/')}`;

// keepNames: esbuild turns a class that names itself into `var Wechatpay = class _Wechatpay`; kept,
// every class and function keeps its own name (Wechatpay.name, stack traces, util.inspect).
const ESBUILD_OPTIONS = { bundle: true, platform: 'node', format: 'cjs', target: 'node18', packages: 'external', keepNames: true, write: false, logLevel: 'warning' };

/** The ids of every module of dist/lib/ that `entry` reaches, not looking past the `lazy` ones. */
async function reached(entry, lazy = []) {
  const stop = {
    name: 'lazy-modules',
    setup(builder) {
      builder.onResolve({ filter: /^\./ }, (args) => (lazy.includes(idOf(resolveFrom(args))) ? { path: args.path, external: true } : undefined));
    },
  };
  const { metafile } = await build({ ...ESBUILD_OPTIONS, entryPoints: [join(LIB, entry)], outfile: join(CHUNKS, 'probe.js'), metafile: true, plugins: [stop] });
  return Object.keys(metafile.inputs).map((input) => idOf(resolve(input)));
}

/** The file a relative require resolves to, as Node resolves it. */
const resolveFrom = (args) => createRequire(join(args.resolveDir, 'from.js')).resolve(args.path);

/** Sends a require of a module another chunk owns to that chunk's registry. */
function sharedModules(owners, chunk) {
  return {
    name: 'shared-modules',
    setup(builder) {
      builder.onResolve({ filter: /^\./ }, (args) => {
        if (args.namespace === 'shared') return { path: args.path, external: true };
        const id = idOf(resolveFrom(args));
        const owner = owners.get(id);
        return owner === undefined || owner === chunk ? undefined : { path: id, namespace: 'shared', pluginData: owner };
      });
      builder.onLoad({ filter: /.*/, namespace: 'shared' }, (args) => ({
        contents: `module.exports = require('./${args.pluginData}.js').modules[${JSON.stringify(args.path)}]();`,
        resolveDir: CHUNKS,
        loader: 'js',
      }));
    },
  };
}

/** The value exports of lib/index.ts, each with the module it comes from and its name there. */
function publicExports() {
  const source = ts.createSourceFile('index.ts', readFileSync('lib/index.ts', 'utf8'), ts.ScriptTarget.Latest);
  const exported = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || statement.isTypeOnly || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
    const from = `${statement.moduleSpecifier.text}.js`;
    for (const element of statement.exportClause.elements) {
      if (!element.isTypeOnly) exported.push({ name: element.name.text, from, key: (element.propertyName ?? element.name).text });
    }
  }
  return exported;
}

/** The public entry: each export a getter that loads its chunk and module on first use. */
function indexEntry(exported, owners) {
  const used = [...new Set(exported.map(({ from }) => owners.get(from)))];
  // Each require names its file in full, so that a bundler that meets this package (esbuild, webpack) finds the chunks.
  const chunks = used.map((chunk) => `  ${chunk}: () => require('./chunks/${chunk}.js'),`);
  const table = exported.map(({ name, from, key }) => `  ${name}: [${JSON.stringify(owners.get(from))}, ${JSON.stringify(from)}, ${JSON.stringify(key)}],`);
  return [
    "'use strict';",
    `// wechatpay-ts ${version}: the public API. Each export is loaded from its chunk (./chunks/) on first use.`,
    "Object.defineProperty(exports, '__esModule', { value: true });",
    'const CHUNKS = {',
    ...chunks,
    '};',
    'const EXPORTS = {',
    ...table,
    '};',
    'for (const [name, [chunk, id, key]] of Object.entries(EXPORTS)) {',
    '  Object.defineProperty(exports, name, { enumerable: true, get: () => CHUNKS[chunk]().modules[id]()[key] });',
    '}',
    '',
  ].join('\n');
}

/** An ESM entry beside a CommonJS one: the same module instance, its exports named. */
const esmEntry = (names) => `import entry from './index.js';\n\nexport const { ${names.join(', ')} } = entry;\n`;

const owners = new Map();
const chunks = [];
for (const { name, entry, lazy } of CHUNK_ENTRIES) {
  const ids = (await reached(entry, lazy)).filter((id) => !owners.has(id));
  for (const id of ids) owners.set(id, name);
  chunks.push({ name, ids });
}

const outputs = [];
for (const { name, ids } of chunks) {
  const registry = ids.map((id) => `  ${JSON.stringify(id)}: () => require(${JSON.stringify(id)}),`).join('\n');
  const result = await build({
    ...ESBUILD_OPTIONS,
    stdin: { contents: `exports.modules = {\n${registry}\n};\n`, resolveDir: LIB, loader: 'js', sourcefile: `${name}-chunk.js` },
    outfile: join(CHUNKS, `${name}.js`),
    banner: { js: `// wechatpay-ts ${version}, bundled by scripts/bundle.mjs from the build of lib/: the modules first reached from ${CHUNK_ENTRIES.find((chunk) => chunk.name === name).entry}.` },
    plugins: [sharedModules(owners, name)],
  });
  outputs.push(...result.outputFiles);
}

const exported = publicExports();
const tscNames = Object.keys(require(join(LIB, 'index.js'))).sort();
const ourNames = exported.map(({ name }) => name).sort();
if (JSON.stringify(tscNames) !== JSON.stringify(ourNames)) {
  throw new Error(`lib/index.ts read as exporting ${ourNames.join(', ')}; tsc's index.js exports ${tscNames.join(', ')}`);
}
const sandboxNames = Object.keys(require(join(LIB, 'sandbox', 'index.js')));

for (const file of readdirSync(LIB, { recursive: true })) {
  if (file.endsWith('.js')) rmSync(join(LIB, file));
}
mkdirSync(CHUNKS, { recursive: true });
for (const output of outputs) writeFileSync(output.path, output.text);
writeFileSync(join(LIB, 'index.js'), indexEntry(exported, owners));
writeFileSync(join(LIB, 'index.mjs'), esmEntry(ourNames));
writeFileSync(join(LIB, 'sandbox', 'index.js'), `'use strict';\nmodule.exports = require('../chunks/sandbox.js').modules['./sandbox/index.js']();\n`);
writeFileSync(join(LIB, 'sandbox', 'index.mjs'), esmEntry(sandboxNames));
writeFileSync(join(LIB, 'cli', 'bin.js'), `#!/usr/bin/env node\n'use strict';\nrequire('../chunks/cli.js').modules['./cli/bin.js']();\n`);
for (const entry of ['index', 'sandbox/index']) writeFileSync(join(LIB, `${entry}.d.mts`), "export * from './index.js';\n");
