// The reference sidebar, read from the pages present under docs/openapi when the config loads, so
// the generated endpoint pages appear without editing the config. Pages are grouped by area (the
// version and the segment after it: `v3/credit-repayment`, `v2/pay`, `hk/v3/transactions`); each
// page's sidebar lists only its own area and links to the list of areas, which keeps pages light.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One area of the reference: its key (`v3/credit-repayment`) and its pages' routes. */
export interface Area {
  key: string;
  /** Links without `.md`, such as `/openapi/v3/credit-repayment/partner/contracts/terminate`. */
  pages: string[];
}

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

/** Every area with its pages, in path order. */
export function areas(): Area[] {
  const byKey = new Map<string, string[]>();
  for (const file of markdownFiles(OPENAPI)) {
    const route = relative(OPENAPI, file).split(sep).join('/').replace(/\.md$/, '');
    const segments = route.split('/');
    // The area is the version and the segment after it (`v3/pay`), behind any region prefix (`hk/v3/transactions`).
    const version = segments.findIndex((segment) => /^v\d+$/.test(segment));
    const key = segments.slice(0, Math.min(version + 2, segments.length - 1)).join('/') || segments[0];
    byKey.set(key, [...(byKey.get(key) ?? []), `/openapi/${route}`]);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, pages]) => ({ key, pages: pages.sort() }));
}

/**
 * The sidebar entries for /openapi/: each area's pages under its own prefix, and the list of
 * areas for /reference. VitePress puts the whole sidebar config into every built page, so no
 * entry is repeated per area: an area's sidebar links back to the list instead of holding it.
 */
export function referenceSidebar(list: Area[] = areas()): Record<string, SidebarItem[]> {
  const index: SidebarItem[] = [{ text: 'Reference', items: list.map(({ key, pages }) => ({ text: key, link: pages[0] })) }];
  const sidebar: Record<string, SidebarItem[]> = { '/openapi/': index, '/reference': index };
  for (const { key, pages } of list) {
    const prefix = `/openapi/${key}/`;
    sidebar[prefix] = [
      { text: key, items: pages.map((link) => ({ text: link.slice(prefix.length) || link, link })) },
      { text: 'All areas', link: '/reference' },
    ];
  }
  return sidebar;
}
