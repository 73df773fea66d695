// The VitePress site: hand-written guides in Chinese under docs/guide/ and in English under
// docs/en/guide/, the generated endpoint reference
// under docs/openapi/, whose sidebar is built from the files present (see reference.mts), and the
// SDK's own API reference under docs/api/, which TypeDoc writes from lib/'s doc comments before
// each build (`npm run docs:api`, typedoc.json).
import { readFileSync } from 'node:fs';
import { defineConfig, type DefaultTheme } from 'vitepress';
import { codeClasses, codeTheme, highlightOnce } from './code-colours.mts';
import { EnglishReferenceSearch } from './english-search.mts';
import { leanCompiler } from './lean-templates.mts';
import { referenceSidebar } from './reference.mts';

/** Each guide, by its file name under guide/, with its Chinese and English titles. */
const GUIDES: ReadonlyArray<[name: string, zh: string, en: string]> = [
  ['getting-started', '快速开始', 'Getting started'],
  ['payment', '支付全流程', 'A normal payment, end to end'],
  ['transfer', '商家转账', 'Paying a user by transfer'],
  ['partner', '服务商模式', 'Service provider mode'],
  ['many-merchants', '多商户', 'Many merchants in one process'],
  ['public-key-migration', '从平台证书切换到微信支付公钥', 'From platform certificates to the public key'],
  ['going-live', '上线', 'Going live'],
  ['architecture', '架构', 'Architecture'],
  ['configuration', '配置', 'Configuration'],
  ['styles', '三种路径写法', 'The three path styles'],
  ['promise-and-callback', 'Promise 与回调函数', 'Promise and callback'],
  ['errors', '错误', 'Errors'],
  ['callbacks', '回调通知', 'Notifications (callbacks)'],
  ['sensitive-fields', '敏感信息加解密', 'Sensitive fields'],
  ['media', '媒体文件上传', 'Media upload'],
  ['bills', '账单下载', 'Bills'],
  ['certificates', '证书与公钥', 'Certificates'],
  ['production', '生产环境', 'Production traffic'],
  ['apiv2', 'APIv2（XML）', 'APIv2 (XML)'],
  ['sandbox', '沙箱', 'The sandbox'],
  ['cli', '命令行工具', 'The wechatpay command'],
];

/** The guides' sidebar of a locale (`''` for Chinese, at the root; `/en` for English). */
function guideSidebar(prefix: '' | '/en', title: string, language: 1 | 2) {
  return [{ text: title, items: GUIDES.map((guide) => ({ text: guide[language], link: `${prefix}/guide/${guide[0]}` })) }];
}

/** The nav of a locale: its own guides, and the two references, which both locales share. */
function localeNav(prefix: '' | '/en', guide: string, reference: string): DefaultTheme.NavItem[] {
  return [
    { text: guide, link: `${prefix}/guide/getting-started`, activeMatch: `^${prefix}/guide/` },
    { text: reference, link: '/reference', activeMatch: '^/(reference|openapi/)' },
    { text: 'SDK API', link: '/api/', activeMatch: '^/api/' },
  ];
}

/**
 * The sidebar of the SDK's API reference (/api/): TypeDoc's list of the two entry points' exports,
 * which it writes beside the pages. Before TypeDoc has run there are no pages and no sidebar.
 */
function apiSidebar(): DefaultTheme.SidebarMulti {
  let items: DefaultTheme.SidebarItem[];
  try {
    items = JSON.parse(readFileSync(new URL('../api/typedoc-sidebar.json', import.meta.url), 'utf8')) as DefaultTheme.SidebarItem[];
  } catch {
    return {};
  }
  return { '/api/': [{ text: 'SDK API', link: '/api/' }, ...items] };
}

/**
 * The words the search index keeps of a text, and the words of a query. The text is split on spaces
 * and punctuation, then where Chinese meets other letters or digits (申请退款API → 申请退款, API);
 * since Chinese has no spaces, a run of Chinese characters becomes its overlapping pairs (申请退款 →
 * 申请, 请退, 退款), and a single character stays itself. A query's words must all be found, so 退款
 * finds every page that says 退款, and 申请退款 those that hold all three pairs. VitePress also sends
 * this function to the browser, so it uses nothing from outside its body.
 */
function searchTerms(text: string): string[] {
  const han = /\p{Script=Han}/u;
  return text
    .split(/[\n\r\p{Z}\p{P}]+/u)
    .flatMap((word) => word.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) ?? [])
    .flatMap((run) => {
      const characters = [...run];
      if (!han.test(run) || characters.length === 1) return [run];
      return characters.slice(1).map((character, index) => characters[index] + character);
    });
}

/**
 * What the search index reads of a reference page: of an endpoint page (openapi/) its title, summary
 * and method and path, up to its first section, for its tables and six call styles would fill the
 * index with every field name of the catalogue; of an SDK API page (api/) its title and summary and
 * then only the headings down to the third level, the exports and a class's members by name, for
 * the whole pages would make the index a quarter larger. Undefined for a guide, which is read whole.
 */
function searchedReference(source: string, relativePath: string): string | undefined {
  if (relativePath.startsWith('openapi/')) return source.split(/\n## /)[0];
  if (!relativePath.startsWith('api/')) return undefined;
  const [summary, ...sections] = source.split(/\n(?=## )/);
  return [summary, ...sections.flatMap((section) => section.split('\n').filter((line) => /^#{2,3} /.test(line)))].join('\n\n');
}

/** Renders a page for the search index (see searchedReference); the reference pages go to the English index too. */
function searchedMarkdown(source: string, env: { relativePath: string }, md: { render(source: string, env: unknown): string }): string {
  const reference = searchedReference(source, env.relativePath);
  if (reference === undefined) return md.render(source, env);
  const html = md.render(reference, env);
  englishReference.record(env.relativePath, html);
  return html;
}

/**
 * How much a search result counts, by its page (`/openapi/v3/…html#…`): a guide half as much
 * again, an SDK API page once, and the endpoint pages of APIv2, of the cross-border APIs (global, hk) and of APIv2's old
 * sandbox half, so that a query several generations of the API answer (退款) lists the guide's
 * section and the current domestic APIv3 pages first. VitePress also sends this function to the
 * browser, so it uses nothing from outside its body.
 */
function searchWeight(id: string): number {
  if (id.startsWith('/api/')) return 1;
  if (!id.startsWith('/openapi/')) return 1.5;
  return /^\/openapi\/(v2|hk|global|v3\/global)\//.test(id) ? 0.5 : 1;
}

/** The reference pages (endpoints and SDK API), as the search reads them, for the English index too. */
const englishReference = new EnglishReferenceSearch(searchTerms);

export default defineConfig({
  title: 'wechatpay-ts',
  // Site data and the page hash map go to one cacheable script instead of into every page.
  metaChunk: true,
  markdown: { theme: codeTheme, codeTransformers: [codeClasses], config: highlightOnce },
  vue: { compiler: leanCompiler },
  vite: { plugins: [englishReference.plugin()] },
  // Only the guides, the home pages and the reference are pages; anything else under docs/ is not.
  srcExclude: ['**/node_modules/**', '**/README.md', '**/_*.md'],
  // The guides link the repository README (`../../README.md#…`), which lies outside docs/: the link
  // works where the markdown is read in the repository and is the one kind of dead link allowed.
  ignoreDeadLinks: [/\/README(#.*)?$/],
  // Chinese first, at the root; English under /en/. The reference pages exist once, in the
  // catalogue's Chinese, and both locales link them; so do the SDK API pages, in the English of
  // the doc comments.
  themeConfig: {
    search: {
      provider: 'local',
      options: {
        // A query finds the pages that have every word of it.
        miniSearch: { options: { tokenize: searchTerms }, searchOptions: { tokenize: searchTerms, combineWith: 'AND', boostDocument: searchWeight } },
        _render: searchedMarkdown,
        locales: {
          root: {
            translations: {
              button: { buttonText: '搜索', buttonAriaLabel: '搜索' },
              modal: { noResultsText: '没有结果', resetButtonTitle: '清除', displayDetails: '显示详情', footer: { selectText: '选择', navigateText: '切换', closeText: '关闭' } },
            },
          },
        },
      },
    },
  },
  locales: {
    root: {
      label: '简体中文',
      lang: 'zh-CN',
      description: '微信支付商户 API 的 TypeScript SDK：链式路径，每个请求都签名，每个应答都验签。',
      themeConfig: {
        nav: localeNav('', '指南', '接口参考'),
        sidebar: { '/guide/': guideSidebar('', '指南', 1), ...referenceSidebar(), ...apiSidebar() },
        outline: { level: [2, 3], label: '本页目录' },
        docFooter: { prev: '上一页', next: '下一页' },
        langMenuLabel: '语言',
        returnToTopLabel: '回到顶部',
        sidebarMenuLabel: '菜单',
        darkModeSwitchLabel: '深色模式',
      },
    },
    en: {
      label: 'English',
      lang: 'en',
      link: '/en/',
      description: 'TypeScript SDK for the WeChat Pay merchant OpenAPI: chainable paths, every request signed, every answer verified.',
      themeConfig: {
        nav: localeNav('/en', 'Guide', 'Reference'),
        // The reference pages and the SDK API pages belong to the root locale (their paths are not under /en/), so only its sidebar lists them.
        sidebar: { '/en/guide/': guideSidebar('/en', 'Guide', 2) },
        outline: { level: [2, 3] },
      },
    },
  },
});
