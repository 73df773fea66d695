// The references in the English search. The endpoint pages and the SDK API pages belong to the root
// locale (their paths are not under /en/), so VitePress puts them in the Chinese search index only;
// the English search box would then find the English guides and nothing else. This plugin adds
// each reference page, as the search read it, to the English index as well, when the index module
// is built.
import MiniSearch from 'minisearch';
import type { Plugin } from 'vite';

/** The English index's module, as VitePress's local search names it (`@localSearchIndex` + the locale). */
const ENGLISH_INDEX = '/@localSearchIndexen';

/** A reference page as a search document: the fields VitePress's local search indexes and shows. */
interface SearchDocument {
  id: string;
  title: string;
  titles: string[];
  text: string;
}

/** The text of some HTML: its heading anchors (a zero-width space each) and tags dropped, its entities read, its spaces collapsed. */
function plainText(html: string): string {
  return html
    .replace(/<a class="header-anchor"[^>]*>[\s\S]*?<\/a>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Collects the reference pages as the search renders them, and adds them to the English index. */
export class EnglishReferenceSearch {
  private readonly pages = new Map<string, SearchDocument>();

  /**
   * @param tokenize the index's tokenizer: the English index is loaded and saved with it, as
   * VitePress made it
   */
  constructor(private readonly tokenize: (text: string) => string[]) {}

  /**
   * Keeps the page at `relativePath` (`openapi/v3/…/refunds.md`, `api/…`) as rendered for the
   * search: its title (the first heading), its path (the endpoint's) as the line above the title in a result, and
   * the rest as text. The id is the page and its title's anchor, as VitePress gives the same page
   * in the Chinese index.
   */
  record(relativePath: string, html: string): void {
    const heading = /<h1 id="([^"]*)"[^>]*>([\s\S]*?)<\/h1>/.exec(html);
    if (!heading) return;
    const page = `/${relativePath.replace(/\.md$/, '.html')}`;
    const path = relativePath.replace(/^openapi\//, '').replace(/\.md$/, '');
    this.pages.set(page, { id: `${page}#${heading[1]}`, title: plainText(heading[2]), titles: [path], text: plainText(html.slice(heading.index + heading[0].length)) });
  }

  /** The Vite plugin that adds the recorded pages to the English index module as it is built. */
  plugin(): Plugin {
    return {
      name: 'wechatpay-ts:english-reference-search',
      enforce: 'post',
      transform: (code, id) => {
        if (id !== ENGLISH_INDEX || this.pages.size === 0) return null;
        const saved = JSON.parse(JSON.parse(code.replace(/^export default /, '')) as string) as object;
        const index = MiniSearch.loadJS<SearchDocument>(saved as never, { fields: ['title', 'titles', 'text'], storeFields: ['title', 'titles'], tokenize: this.tokenize });
        index.addAll([...this.pages.values()].filter((page) => !index.has(page.id)));
        return { code: `export default ${JSON.stringify(JSON.stringify(index))}`, map: null };
      },
    };
  }
}
