// Code highlighting that stays cheap across ~1,100 pages of code blocks. Shiki tokenizes
// every block once, against a theme whose colours are CSS variables, and each token names its
// colour with one short class instead of two inline colours (a light and a dark theme would
// tokenize each block twice and write `style="--shiki-light:…;--shiki-dark:…"` on every token).
// theme/code-colours.css maps the classes to GitHub's light and dark palettes. Tokens in the
// text colour (plain text and punctuation) carry no element at all.
import { createCssVariablesTheme, type ShikiTransformer } from 'shiki';
import type { Element, ElementContent } from 'hast';
import type { MarkdownRenderer } from 'vitepress';

/** The theme every code block is tokenized with: one CSS variable per kind of token. */
export const codeTheme = createCssVariablesTheme({ name: 'wechatpay-ts', variablePrefix: '--code-', fontStyle: false });

/** `color:var(--code-token-keyword)` → `keyword`; `color:var(--code-foreground)` → `foreground`. */
const COLOUR = /^color:var\(--code-(?:token-)?([a-z-]+)\)$/;

/** Rewrites each token span of a line: a class for its colour, or its bare text in the text colour. */
export const codeClasses: ShikiTransformer = {
  name: 'wechatpay-ts:code-classes',
  line(line: Element) {
    line.children = line.children.flatMap((token): ElementContent[] => {
      if (token.type !== 'element') return [token];
      const kind = COLOUR.exec(String(token.properties.style ?? ''))?.[1];
      if (kind === undefined) return [token];
      if (kind === 'foreground' || kind === 'punctuation') return token.children;
      delete token.properties.style;
      token.properties.class = `c-${kind}`;
      return [token];
    });
  },
};

/**
 * Highlights each distinct block once per build. VitePress renders a page's markdown for the
 * client bundle and again for the server bundle; its own cache of rendered pages holds 1,024
 * entries, fewer than the ~1,090 pages here, so without this every block would be tokenized twice.
 */
export function highlightOnce(md: MarkdownRenderer): void {
  const highlight = md.options.highlight;
  if (!highlight) return;
  const done = new Map<string, string>();
  md.options.highlight = (code, lang, attrs) => {
    const key = `${lang}\0${attrs}\0${code}`;
    let html = done.get(key);
    if (html === undefined) done.set(key, (html = highlight(code, lang, attrs)));
    return html;
  };
}
