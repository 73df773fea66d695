// The TypeScript blocks of the guides and home pages, with what each declares it takes from
// outside: the HTML comment right before a fence, `<!-- declare: const wxpay: Wechatpay; -->`,
// names the free variables the block uses (and the types they need), and its text is put in front
// of the block when it is type-checked on its own.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './docs-page';

/** One fenced TypeScript block of a page, where it starts, and its declared free variables. */
export interface GuideBlock {
  /** The page, relative to the repository root (`docs/en/guide/payment.md`). */
  page: string;
  /** The line of the opening fence. */
  line: number;
  /** The declare comment's text, '' when there is none. */
  preamble: string;
  code: string;
}

// A ```ts fence (an optional code-group label after it), at any indent, up to the matching close;
// before it, optionally, the declare comment and blank lines.
const FENCE = /(?:^[ \t]*<!--\s*declare:([\s\S]*?)-->[ \t]*\n(?:[ \t]*\n)*)?^([ \t]*)```ts(?:[ \t]+\[[^\]\n]*\])?[ \t]*\n([\s\S]*?)^\2```[ \t]*$/gm;

/** The home page and the guides of each locale: Chinese at the root, English under docs/en/. */
export function guidePages(): string[] {
  return ['', 'en'].flatMap((locale) => {
    const guides = readdirSync(join(ROOT, 'docs', locale, 'guide'))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => join(ROOT, 'docs', locale, 'guide', name));
    return [join(ROOT, 'docs', locale, 'index.md'), ...guides];
  });
}

/** Every TypeScript block of the page at `file`, in order, its fence's indent taken off. */
export function guideBlocks(file: string): GuideBlock[] {
  const markdown = readFileSync(file, 'utf8');
  return [...markdown.matchAll(FENCE)].map((match) => {
    const [whole, preamble = '', indent, body] = match;
    const fenceAt = (match.index ?? 0) + whole.indexOf('```ts');
    const code = body.split('\n').map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line)).join('\n');
    return { page: relative(ROOT, file), line: markdown.slice(0, fenceAt).split('\n').length, preamble: preamble.trim(), code };
  });
}
