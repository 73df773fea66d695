// `npm run generate [output-root]`: reads the vendored catalogue/ and writes openapi-types/ (the
// package of declarations and the notification event types), openapi/ (the chain's tree and the
// sandbox's catalogue) and the endpoint pages under
// docs/openapi/ into the output root (the repository by default). The regeneration spec runs it
// into a temporary folder and compares.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { CATALOGUE, loadCatalogue } from './catalogue';
import { declarations, OPENAPI, OPENAPI_TYPES, OPENAPI_TYPES_HAND_WRITTEN, type OutputFile } from './declarations';
import { eventsFile } from './events';
import { HAND_WRITTEN_PAGES, pages } from './pages';
import { referenceAreasFile } from './reference-areas';
import { sandboxCatalogueFile } from './sandbox-catalogue';

/** build/tools/generate → the repository root. */
export const REPOSITORY = join(__dirname, '..', '..', '..');

/** Every generated file, from the catalogue at `catalogue`. */
export function generate(catalogue: string = CATALOGUE): OutputFile[] {
  const operations = loadCatalogue(catalogue);
  const { files, named } = declarations(operations);
  return [...files, eventsFile(catalogue), sandboxCatalogueFile(operations), referenceAreasFile(catalogue, operations), ...pages(named)];
}

/** Generated files under `root`, relative paths: openapi/ wholly, openapi-types/ and docs/openapi/ but their hand-written files. */
export function generatedFilesUnder(root: string): string[] {
  const walk = (dir: string): string[] => {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return [];
    }
    return entries.flatMap((entry) => (entry.isDirectory() ? walk(`${dir}/${entry.name}`) : [`${dir}/${entry.name}`]));
  };
  return [...walk(OPENAPI), ...walk(OPENAPI_TYPES).filter((path) => !OPENAPI_TYPES_HAND_WRITTEN.has(path)), ...walk('docs/openapi').filter((path) => !HAND_WRITTEN_PAGES.has(path))].sort();
}

/**
 * A file's bytes as written: a `.br` file's text brotli-compressed, at a fixed quality and window
 * (quality 10 of 11 takes a second where 11 takes three, for 2% more bytes).
 */
function fileBytes(file: OutputFile): string | Buffer {
  if (!file.path.endsWith('.br')) return file.text;
  return brotliCompressSync(file.text, { params: { [constants.BROTLI_PARAM_QUALITY]: 10, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(file.text) } });
}

/** Writes `files` under `root`, first removing what an earlier run generated there. */
export function write(files: OutputFile[], root: string): void {
  for (const stale of generatedFilesUnder(root)) rmSync(join(root, stale));
  for (const file of files) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, fileBytes(file));
  }
}

if (require.main === module) {
  const root = resolve(process.argv[2] ?? REPOSITORY);
  const started = Date.now();
  const files = generate();
  write(files, root);
  console.log(`wrote ${files.length} files under ${root} in ${Date.now() - started} ms`);
}
