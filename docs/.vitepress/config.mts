// The VitePress site: hand-written guides under docs/guide/ and the generated endpoint reference
// under docs/openapi/, whose sidebar is built from the files present (see reference.mts).
import { defineConfig } from 'vitepress';
import { codeClasses, codeTheme, highlightOnce } from './code-colours.mts';
import { leanCompiler } from './lean-templates.mts';
import { referenceSidebar } from './reference.mts';

const guides = [
  { text: 'Getting started', link: '/guide/getting-started' },
  { text: 'Architecture', link: '/guide/architecture' },
  { text: 'Configuration', link: '/guide/configuration' },
  { text: 'The three path styles', link: '/guide/styles' },
  { text: 'Promise and callback', link: '/guide/promise-and-callback' },
  { text: 'Errors', link: '/guide/errors' },
  { text: 'Notifications (callbacks)', link: '/guide/callbacks' },
  { text: 'Sensitive fields', link: '/guide/sensitive-fields' },
  { text: 'Media upload', link: '/guide/media' },
  { text: 'Bills', link: '/guide/bills' },
  { text: 'Certificates', link: '/guide/certificates' },
  { text: 'Production traffic', link: '/guide/production' },
  { text: 'APIv2 (XML)', link: '/guide/apiv2' },
  { text: 'The sandbox', link: '/guide/sandbox' },
  { text: 'The wechatpay command', link: '/guide/cli' },
];

export default defineConfig({
  title: 'wechatpay-ts',
  description: 'TypeScript SDK for the WeChat Pay merchant OpenAPI: chainable paths, every request signed, every answer verified.',
  lang: 'en',
  // Site data and the page hash map go to one cacheable script instead of into every page.
  metaChunk: true,
  markdown: { theme: codeTheme, codeTransformers: [codeClasses], config: highlightOnce },
  vue: { compiler: leanCompiler },
  // Only the guides, the home page and the reference are pages; anything else under docs/ is not.
  srcExclude: ['**/node_modules/**', '**/README.md', '**/_*.md'],
  // The guides link the repository README (`../../README.md#…`), which lies outside docs/: the link
  // works where the markdown is read in the repository and is the one kind of dead link allowed.
  ignoreDeadLinks: [/\/README(#.*)?$/],
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started', activeMatch: '^/guide/' },
      { text: 'Reference', link: '/reference', activeMatch: '^/(reference|openapi/)' },
    ],
    sidebar: {
      '/guide/': [{ text: 'Guide', items: guides }],
      ...referenceSidebar(),
    },
    outline: { level: [2, 3] },
  },
});
