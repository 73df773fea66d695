// The VitePress site: hand-written guides in Chinese under docs/guide/ and in English under
// docs/en/guide/, and the generated endpoint reference
// under docs/openapi/, whose sidebar is built from the files present (see reference.mts).
import { defineConfig } from 'vitepress';
import { codeClasses, codeTheme, highlightOnce } from './code-colours.mts';
import { leanCompiler } from './lean-templates.mts';
import { referenceSidebar } from './reference.mts';

/** Each guide, by its file name under guide/, with its Chinese and English titles. */
const GUIDES: ReadonlyArray<[name: string, zh: string, en: string]> = [
  ['getting-started', '快速开始', 'Getting started'],
  ['payment', '支付全流程', 'A normal payment, end to end'],
  ['transfer', '商家转账', 'Paying a user by transfer'],
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

/**
 * The words the search index keeps of a text: the split on spaces and punctuation, and, since
 * Chinese has no spaces, each suffix of a word that starts with a Chinese character, up to 12
 * characters: a query for any part of a word (退款 in 申请退款API) then matches the start of one,
 * as the search matches prefixes. VitePress also sends this function to the browser, so it uses
 * nothing from outside its body.
 */
function searchTerms(text: string): string[] {
  const han = /\p{Script=Han}/u;
  return text
    .split(/[\n\r\p{Z}\p{P}]+/u)
    .filter((word) => word !== '')
    .flatMap((word) => {
      const characters = [...word];
      const suffixes = characters.flatMap((character, index) => (index > 0 && han.test(character) ? [characters.slice(index, index + 12).join('')] : []));
      return [word, ...suffixes];
    });
}

/**
 * What the search index reads of a page: a guide whole; an endpoint page (openapi/) up to its first
 * section, that is its title, summary and method and path, for its tables and six call styles
 * would fill the index with every field name of the catalogue.
 */
function searchedMarkdown(source: string, env: { relativePath: string }, md: { render(source: string, env: unknown): string }): string {
  const searched = env.relativePath.startsWith('openapi/') ? source.split(/\n## /)[0] : source;
  return md.render(searched, env);
}

export default defineConfig({
  title: 'wechatpay-ts',
  // Site data and the page hash map go to one cacheable script instead of into every page.
  metaChunk: true,
  markdown: { theme: codeTheme, codeTransformers: [codeClasses], config: highlightOnce },
  vue: { compiler: leanCompiler },
  // Only the guides, the home pages and the reference are pages; anything else under docs/ is not.
  srcExclude: ['**/node_modules/**', '**/README.md', '**/_*.md'],
  // The guides link the repository README (`../../README.md#…`), which lies outside docs/: the link
  // works where the markdown is read in the repository and is the one kind of dead link allowed.
  ignoreDeadLinks: [/\/README(#.*)?$/],
  // Chinese first, at the root; English under /en/. The reference pages exist once, in the
  // catalogue's Chinese, and both locales link them.
  themeConfig: {
    search: {
      provider: 'local',
      options: {
        // Queries split on spaces and punctuation only, and find pages with every word of them.
        miniSearch: { options: { tokenize: searchTerms }, searchOptions: { tokenize: (query: string) => query.split(/[\n\r\p{Z}\p{P}]+/u).filter((word) => word !== ''), combineWith: 'AND' } },
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
        nav: [
          { text: '指南', link: '/guide/getting-started', activeMatch: '^/guide/' },
          { text: '接口参考', link: '/reference', activeMatch: '^/(reference|openapi/)' },
        ],
        sidebar: { '/guide/': guideSidebar('', '指南', 1), ...referenceSidebar() },
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
        nav: [
          { text: 'Guide', link: '/en/guide/getting-started', activeMatch: '^/en/guide/' },
          { text: 'Reference', link: '/reference', activeMatch: '^/(reference|openapi/)' },
        ],
        // The reference pages belong to the root locale (their paths are not under /en/), so only its sidebar lists them.
        sidebar: { '/en/guide/': guideSidebar('/en', 'Guide', 2) },
        outline: { level: [2, 3] },
      },
    },
  },
});
