// The reference's navigation, read when the config loads from the pages present under docs/openapi
// and from the areas file the generator writes beside them (docs/openapi/areas.json: each page's
// catalogue tag and Chinese title). The reference index lists every product area (a catalogue
// tag: 基础支付, 资金应用∙分账, …) with its pages. A page's sidebar lists the pages that share its
// path prefix (the version and the segment after it: `v3/pay`, `hk/v3/transactions`), grouped by
// tag and labelled by title with the path beside; VitePress puts the whole sidebar config into the
// site data, so each prefix's list is there once and pages of other prefixes link back to the index.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReferenceArea, ReferencePage } from '../../tools/generate/reference-areas';

export type { ReferenceArea };

interface SidebarItem {
  text: string;
  link?: string;
  items?: SidebarItem[];
}

const OPENAPI = fileURLToPath(new URL('../openapi', import.meta.url));

function markdownFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.isFile() && entry.name.endsWith('.md') ? [path] : [];
  });
}

/**
 * The product areas, in the catalogue's order of tags, each with the pages present. A page the
 * areas file does not know (none, after `npm run generate`) goes to an area of its own, titled by
 * its path.
 */
export function referenceAreas(): ReferenceArea[] {
  let known: ReferenceArea[] = [];
  try {
    known = (JSON.parse(readFileSync(join(OPENAPI, 'areas.json'), 'utf8')) as { areas: ReferenceArea[] }).areas;
  } catch {
    // No areas file: every page is listed by its path.
  }
  const present = new Set(markdownFiles(OPENAPI).map((file) => `/openapi/${relative(OPENAPI, file).split(sep).join('/').replace(/\.md$/, '')}`));
  const areas = known.map((area) => ({ tag: area.tag, pages: area.pages.filter((page) => present.delete(page.link)) })).filter((area) => area.pages.length > 0);
  const others = [...present].sort().map((link) => ({ link, title: link.slice('/openapi/'.length), path: link.slice('/openapi/'.length) }));
  return others.length > 0 ? [...areas, { tag: 'Other pages', pages: others }] : areas;
}

/** The path prefix a page's sidebar is keyed by: the version and the segment after it, behind any region prefix. */
function prefixOf(path: string): string {
  const segments = path.split('/');
  const version = segments.findIndex((segment) => /^v\d+$/.test(segment));
  return segments.slice(0, Math.min(version + 2, segments.length - 1)).join('/') || segments[0];
}

/** A sidebar label: the title, then the path in small type (VitePress renders sidebar text as HTML). */
function label(page: ReferencePage): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `${escape(page.title)} <span class="reference-path">${escape(page.path)}</span>`;
}

/**
 * The sidebar entries for /openapi/: for each path prefix its pages, grouped by product area, and
 * a link to the index of all areas; the index page has none of its own.
 */
export function referenceSidebar(areas: ReferenceArea[] = referenceAreas(), allAreas = '全部接口 · All areas'): Record<string, SidebarItem[]> {
  const byPrefix = new Map<string, Map<string, ReferencePage[]>>();
  for (const { tag, pages } of areas) {
    for (const page of pages) {
      const groups = byPrefix.get(prefixOf(page.path)) ?? new Map<string, ReferencePage[]>();
      groups.set(tag, [...(groups.get(tag) ?? []), page]);
      byPrefix.set(prefixOf(page.path), groups);
    }
  }
  const sidebar: Record<string, SidebarItem[]> = { '/openapi/': [{ text: allAreas, link: '/reference' }] };
  for (const [prefix, groups] of byPrefix) {
    sidebar[`/openapi/${prefix}/`] = [{ text: allAreas, link: '/reference' }, ...[...groups].map(([tag, pages]) => ({ text: tag, items: pages.map((page) => ({ text: label(page), link: page.link })) }))];
  }
  return sidebar;
}
