// Every TypeScript block of the guides (docs/guide/*.md, docs/en/guide/*.md) and of the home pages (docs/index.md, docs/en/index.md)
// type-checks against lib/, with no diagnostics. A block is checked as an ES module of its own
// (top-level await allowed); the free variables it uses stand in an HTML comment right before
// its fence, `<!-- declare: const wxpay: Wechatpay; -->`, whose text is put in front of it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, typeCheck } from '../support/docs-page';
import { guideBlocks, guidePages, type GuideBlock } from '../support/guide-blocks';

/** Checks every block in one program; answers each block's formatted diagnostics, '' when clean. */
function typeCheckBlocks(blocks: readonly GuideBlock[]): string[] {
  // `.mts`: an ES module whatever the package.json says, so top-level await is allowed; the
  // `export {}` keeps a block without imports a module too, its names its own.
  const files = new Map(blocks.map((block, index) => [join(ROOT, 'docs', `block-${index}.mts`), `export {};\n${block.preamble}\n${block.code}`]));
  return [...typeCheck(files, 'guide').values()];
}

describe('the guides’ TypeScript examples', () => {
  const blocks = guidePages().flatMap(guideBlocks);
  const diagnostics = typeCheckBlocks(blocks);

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
