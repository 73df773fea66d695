// Every TypeScript block of the guides (docs/guide/*.md, docs/en/guide/*.md) and of the home pages (docs/index.md, docs/en/index.md)
// type-checks against lib/, with no diagnostics. A block is checked as an ES module of its own
// (top-level await allowed); the free variables it uses stand in an HTML comment right before
// its fence, `<!-- declare: const wxpay: Wechatpay; -->`, whose text is put in front of it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { ROOT } from '../support/docs-page';
import { guideBlocks, guidePages, type GuideBlock } from '../support/guide-blocks';

function compilerOptions(): ts.CompilerOptions {
  const { options, errors } = ts.convertCompilerOptionsFromJson(
    {
      strict: true,
      // The NestJS recipe of callbacks.md uses decorators as NestJS apps compile them.
      experimentalDecorators: true,
      module: 'node16',
      moduleResolution: 'node16',
      target: 'es2022',
      lib: ['es2022'],
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      baseUrl: ROOT,
      paths: { 'wechatpay-ts': ['lib/index.ts'], 'wechatpay-ts/sandbox': ['lib/sandbox/index.ts'] },
      noEmit: true,
      skipLibCheck: true,
    },
    ROOT,
  );
  assert.deepEqual(errors, []);
  return options;
}

/** Checks every block in one program; answers each block's formatted diagnostics, '' when clean. */
function typeCheck(blocks: readonly GuideBlock[]): string[] {
  // `.mts`: an ES module whatever the package.json says, so top-level await is allowed; the
  // `export {}` keeps a block without imports a module too, its names its own.
  const files = new Map(blocks.map((block, index) => [join(ROOT, 'docs', `block-${index}.mts`), `export {};\n${block.preamble}\n${block.code}`]));
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const fromDisk = host.getSourceFile.bind(host);
  const exists = host.fileExists.bind(host);
  const read = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = files.get(fileName);
    return text === undefined ? fromDisk(fileName, languageVersion, onError, shouldCreate) : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  host.fileExists = (fileName) => files.has(fileName) || exists(fileName);
  host.readFile = (fileName) => files.get(fileName) ?? read(fileName);
  const program = ts.createProgram([...files.keys()], options, host);
  const format: ts.FormatDiagnosticsHost = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
  assert.equal(ts.formatDiagnostics([...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()], format), '');
  return [...files.keys()].map((fileName) => {
    const file = program.getSourceFile(fileName);
    assert.ok(file, `the program holds ${fileName}`);
    return ts.formatDiagnostics([...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)], format);
  });
}

describe('the guides’ TypeScript examples', () => {
  const blocks = guidePages().flatMap(guideBlocks);
  const diagnostics = typeCheck(blocks);

  it('finds a TypeScript block on the home page and on every guide that has code', () => {
    const withBlocks = new Set(blocks.map(({ page }) => page));
    for (const locale of ['docs', 'docs/en']) {
      for (const page of ['index.md', 'guide/getting-started.md', 'guide/configuration.md', 'guide/styles.md', 'guide/promise-and-callback.md', 'guide/errors.md', 'guide/sensitive-fields.md', 'guide/sandbox.md']) {
        assert.ok(withBlocks.has(`${locale}/${page}`), `${locale}/${page} has a TypeScript block`);
      }
    }
  });

  for (const [index, block] of blocks.entries()) {
    it(`type-checks ${block.page}:${block.line} with no diagnostics`, () => {
      assert.equal(diagnostics[index], '', `${block.page}:${block.line}\n${block.preamble}\n${block.code}`);
    });
  }
});
