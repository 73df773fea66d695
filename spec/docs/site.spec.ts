/// <reference lib="dom" />
// The documentation site builds, and its terminate page renders in a real browser: the built
// page is served on loopback and opened in headless Chromium, the build that the npm package
// @sparticuz/chromium ships inside its tarball (no system browser, no download at install time),
// driven by puppeteer-core. The DOM after the page's scripts ran must hold the page title, the
// outline and the six tabs of the code group. Then, in a 1366 px window: the Chinese home page and
// a Chinese guide at the root, their English counterparts under /en/, each linking the other
// language; searches in both languages (JSAPI下单 and 退款 at the root, jsapi and paySign under /en/)
// finding the right pages first; and every code group's tabs fitting. (The DOM library above types
// the code that runs in the page, and puppeteer-core's declarations.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launch } from 'puppeteer-core';
import { ROOT } from '../support/docs-page';

const DIST = join(ROOT, 'docs', '.vitepress', 'dist');
const TERMINATE = '/openapi/v3/credit-repayment/partner/contracts/terminate.html';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

/** Runs a command to its end; answers its stdout, or rejects with all its output when it fails. */
function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    const stdout: Buffer[] = [];
    const all: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => (stdout.push(chunk), all.push(chunk)));
    child.stderr.on('data', (chunk: Buffer) => all.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else reject(new Error(`${command} ${args.join(' ')} ended with ${code ?? signal}:\n${Buffer.concat(all).toString('utf8')}`));
    });
  });
}

/** Serves the built site, read-only, from DIST. */
function serveDist(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    let file = normalize(join(DIST, path));
    if (file !== DIST && !file.startsWith(DIST + sep)) return response.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Rendered {
  /** The DOM once the page's scripts ran and the network went quiet, as Chromium serializes it. */
  dom: string;
  /** The computed colours of the first keyword token in the code group and of its line's plain text. */
  colours: { keyword: string; text: string };
}

async function render(url: string): Promise<Rendered> {
  // The package is ESM for TypeScript's resolution, so it is imported dynamically from this CommonJS spec.
  const { default: chromium } = await import('@sparticuz/chromium');
  const browser = await launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: 'shell' });
  try {
    const page = await browser.newPage();
    const response = await page.goto(url, { waitUntil: 'networkidle0', timeout: 60_000 });
    assert.equal(response?.status(), 200, `${url} answered`);
    const colours = await page.evaluate(() => {
      const keyword = document.querySelector('.vp-code-group .c-keyword');
      const line = keyword?.closest('.line');
      return { keyword: keyword ? getComputedStyle(keyword).color : '', text: line ? getComputedStyle(line).color : '' };
    });
    return { dom: await page.content(), colours };
  } finally {
    await browser.close();
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: '\u00a0' })[name] ?? '');
}

/** The routes the locales check opens: the Chinese home and guide, their English counterparts, and a reference page. */
const JSAPI = '/openapi/v3/pay/transactions/jsapi.html';

/** What one page shows once its scripts ran at 1366 × 768 (a common laptop screen). */
interface PageFacts {
  lang: string;
  title: string;
  /** The language switch's links. */
  locales: string[];
  /** Each code group's tab bar: the width its tabs need against the width it has. */
  tabBars: Array<{ needed: number; shown: number }>;
}

/** A query typed into the search box of a page. */
interface Search {
  route: string;
  query: string;
}

/** Opens each of `routes` in one browser, then runs each search on its page; answers each page's facts and each query's first eight results' links. */
async function visit(base: string, routes: string[], searches: readonly Search[]): Promise<{ pages: Record<string, PageFacts>; results: Record<string, string[]> }> {
  const { default: chromium } = await import('@sparticuz/chromium');
  const browser = await launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: 'shell' });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1366, height: 768 });
    const pages: Record<string, PageFacts> = {};
    for (const route of routes) {
      const response = await page.goto(`${base}${route}`, { waitUntil: 'networkidle0', timeout: 60_000 });
      assert.equal(response?.status(), 200, `${route} answered`);
      pages[route] = await page.evaluate(() => ({
        lang: document.documentElement.lang,
        title: document.title,
        locales: Array.from(document.querySelectorAll('.VPNavBarTranslations a')).map((link) => link.getAttribute('href') ?? ''),
        tabBars: Array.from(document.querySelectorAll<HTMLElement>('.vp-code-group .tabs')).map((bar) => ({ needed: bar.scrollWidth, shown: bar.clientWidth })),
      }));
    }
    const results: Record<string, string[]> = {};
    for (const { route, query } of searches) {
      await page.goto(`${base}${route}`, { waitUntil: 'networkidle0', timeout: 60_000 });
      // The search box keeps its last query in the session; each search starts from an empty box.
      await page.evaluate(() => sessionStorage.clear());
      await page.click('.DocSearch-Button, .VPNavBarSearchButton, #local-search button');
      await page.waitForSelector('.VPLocalSearchBox input', { timeout: 10_000 });
      await page.type('.VPLocalSearchBox input', query);
      await page.waitForSelector('.VPLocalSearchBox .results a', { timeout: 30_000 });
      results[`${route} ${query}`] = await page.$$eval('.VPLocalSearchBox .results a', (links) => links.slice(0, 8).map((link) => link.getAttribute('href') ?? ''));
    }
    return { pages, results };
  } finally {
    await browser.close();
  }
}

describe('the documentation site', { timeout: 15 * 60_000 }, () => {
  let server: Server;
  let dom: string;
  let colours: Rendered['colours'];
  let visited: Awaited<ReturnType<typeof visit>>;

  before(async () => {
    // npm test builds the site while the other specs run, and says so; run alone, this spec builds it.
    if (process.env.WECHATPAY_DOCS_BUILT !== '1') await run('npm', ['run', 'docs:build'], 10 * 60_000);
    server = await serveDist();
    const { port } = server.address() as AddressInfo;
    ({ dom, colours } = await render(`http://127.0.0.1:${port}${TERMINATE}`));
    visited = await visit(`http://127.0.0.1:${port}`, ['/', '/guide/getting-started.html', '/en/', '/en/guide/getting-started.html', JSAPI], [
      { route: '/', query: 'JSAPI下单' },
      { route: '/', query: '退款' },
      { route: '/en/', query: 'jsapi' },
      { route: '/en/', query: 'paySign' },
    ]);
  });

  after(() => server?.close());

  it('builds the terminate page into docs/.vitepress/dist, carrying only what it shows', () => {
    const html = readFileSync(join(DIST, TERMINATE), 'utf8');
    // The site data (sidebar config) and the page hash map live in one shared, cacheable script.
    assert.doesNotMatch(html, /__VP_SITE_DATA__|__VP_HASH_MAP__/);
    assert.ok(html.length < 100_000, `the page is ${html.length} bytes`);
  });

  it('renders the terminate page with its title once its scripts ran in Chromium', () => {
    assert.equal(decodeEntities(/<title>([^<]*)<\/title>/.exec(dom)?.[1] ?? ''), '解除自动还款协议 · Terminate an automatic-repayment contract | wechatpay-ts');
    // The outline ("On this page") is built in the browser from the page's headings: its links
    // prove that the client-side app hydrated the pre-rendered page.
    assert.match(dom, /class="VPDocAsideOutline has-outline"/);
    assert.match(dom, /class="outline-link"[^>]*>请求 · Request</);
  });

  it('renders the code group with the six call styles as tabs', () => {
    const group = /<div class="vp-code-group[^"]*"><div class="tabs">([\s\S]*?)<\/div>/.exec(dom);
    assert.ok(group, 'the page has a .vp-code-group with tabs');
    const labels = [...group[1].matchAll(/<label[^>]*>([^<]*)<\/label>/g)].map(([, text]) => decodeEntities(text));
    assert.deepEqual(labels, [
      'chained · promise',
      'declared path · promise',
      'bracket path · promise',
      'chained · callback',
      'declared path · callback',
      'bracket path · callback',
    ]);
  });

  it('colours the code by token kind, GitHub light by default', () => {
    assert.equal(colours.keyword, 'rgb(215, 58, 73)', 'a keyword token is #d73a49');
    assert.notEqual(colours.text, colours.keyword, 'plain text keeps the text colour');
  });

  it('serves Chinese at the root and English under /en/, each page offering the other language', () => {
    const { pages } = visited;
    assert.deepEqual([pages['/'].lang, pages['/guide/getting-started.html'].lang, pages['/en/'].lang, pages['/en/guide/getting-started.html'].lang], ['zh-CN', 'zh-CN', 'en', 'en']);
    assert.match(pages['/guide/getting-started.html'].title, /^快速开始/);
    assert.match(pages['/en/guide/getting-started.html'].title, /^Getting started/);
    assert.ok(pages['/guide/getting-started.html'].locales.includes('/en/guide/getting-started.html'), `the Chinese guide links its English version: ${pages['/guide/getting-started.html'].locales.join(', ')}`);
    assert.ok(pages['/en/guide/getting-started.html'].locales.includes('/guide/getting-started.html'), 'and the English one its Chinese version');
  });

  it('finds the JSAPI order page among the first five results of a search for JSAPI下单', () => {
    const results = visited.results['/ JSAPI下单'];
    assert.ok(results.slice(0, 5).some((link) => link.startsWith(JSAPI)), `the first results: ${results.join(', ')}`);
  });

  it('answers 退款 with the payment guide’s refund step first, and the refund endpoint among the first eight', () => {
    const results = visited.results['/ 退款'];
    assert.match(results[0], /^\/guide\/payment\.html#/, `the first results: ${results.join(', ')}`);
    assert.ok(results.some((link) => link.startsWith('/openapi/v3/refund/domestic/refunds.html')), `the first results: ${results.join(', ')}`);
  });

  it('searches the endpoint reference from the English pages too', () => {
    const results = visited.results['/en/ jsapi'];
    assert.ok(results.slice(0, 5).some((link) => link.startsWith(JSAPI)), `the first results: ${results.join(', ')}`);
    assert.match(visited.results['/en/ paySign'][0], /^\/en\/guide\/payment\.html#/, 'and the English guides');
  });

  it('fits every code group’s tabs in a 1366 px wide window', () => {
    const bars = Object.entries(visited.pages).flatMap(([route, facts]) => facts.tabBars.map((bar) => ({ route, ...bar })));
    assert.ok(bars.some(({ route }) => route === JSAPI), 'the reference page has its code group');
    assert.deepEqual(bars.filter(({ needed, shown }) => needed > shown), []);
  });
});
