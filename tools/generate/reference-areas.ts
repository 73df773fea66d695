// The reference's navigation by product: every catalogue path's page under its catalogue tag
// (基础支付, 资金应用∙分账, …), titled by its summary, the tags in the catalogue's own order. The
// site's sidebar and reference index read the file this writes (docs/openapi/areas.json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Operation } from './catalogue';
import type { OutputFile } from './declarations';
import { BANNER } from './names';
import { pageFile } from './pages';

/** The file the site reads: `{ banner, areas }`. */
export const AREAS_FILE = 'docs/openapi/areas.json';

/** An endpoint page as the navigation lists it. */
export interface ReferencePage {
  /** The page's route: `/openapi/v3/pay/transactions/jsapi`. */
  link: string;
  /** The summary of its first operation, less a trailing `API`: `JSAPI下单`. */
  title: string;
  /** The path as the chain writes it, shown beside the title. */
  path: string;
}

/** A product area: a catalogue tag and its pages. */
export interface ReferenceArea {
  tag: string;
  pages: ReferencePage[];
}

/** The tag pages go under when the catalogue gives none. */
const UNTAGGED = '其他';

/** A page's title: its summary less a trailing `API` (`JSAPI下单API` → `JSAPI下单`), else its path. */
function titleOf(op: Operation): string {
  const summary = op.summary?.trim().replace(/\s*API$/, '');
  return summary || op.path;
}

/**
 * Every path's page under the first tag of its first operation, in the catalogue's order of paths;
 * the areas in the order `tagOrder` gives (swagger.yaml's `tags`), any other tag after them.
 */
export function referenceAreas(operations: readonly Operation[], tagOrder: readonly string[]): ReferenceArea[] {
  const byTag = new Map<string, ReferencePage[]>();
  const seen = new Set<string>();
  for (const op of operations) {
    if (seen.has(op.path)) continue;
    seen.add(op.path);
    const tag = op.tags?.[0] ?? UNTAGGED;
    const link = `/${pageFile(op.path).replace(/^docs\//, '').replace(/\.md$/, '')}`;
    byTag.set(tag, [...(byTag.get(tag) ?? []), { link, title: titleOf(op), path: op.path }]);
  }
  const rank = (tag: string) => (tagOrder.includes(tag) ? tagOrder.indexOf(tag) : tagOrder.length);
  return [...byTag]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([tag, pages]) => ({ tag, pages }));
}

/** The areas file, from the catalogue at `catalogue` (for its tag order) and its operations. */
export function referenceAreasFile(catalogue: string, operations: readonly Operation[]): OutputFile {
  const index = parse(readFileSync(join(catalogue, 'swagger.yaml'), 'utf8')) as { tags?: Array<{ name: string }> };
  const order = (index.tags ?? []).map((tag) => tag.name);
  return { path: AREAS_FILE, text: `${JSON.stringify({ banner: BANNER, areas: referenceAreas(operations, order) })}\n` };
}
