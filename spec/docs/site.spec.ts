// The documentation site builds, and its terminate page renders in a real browser: the built
// page is served on loopback and opened in headless Chromium (Debian's `chromium`), whose DOM
// after the page's scripts ran must hold the page title and the six tabs of the code group.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../support/docs-page';

const CHROMIUM = '/usr/bin/chromium';
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
    // ~1,100 endpoint pages take about 3.5 GB to build, near node's default heap limit.
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=8192`.trim() };
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
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

/** The DOM of `url` once its scripts ran, as headless Chromium serializes it. */
async function dumpDom(url: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'wechatpay-docs-chromium-'));
  try {
    return await run(
      CHROMIUM,
      [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        `--user-data-dir=${profile}`, '--virtual-time-budget=10000', '--dump-dom', url,
      ],
      120_000,
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: '\u00a0' })[name] ?? '');
}

describe('the documentation site', { timeout: 30 * 60_000 }, () => {
  let server: Server;
  let dom: string;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium); .ci/run does so`);
    await run('npm', ['run', 'docs:build'], 30 * 60_000);
    server = await serveDist();
    const { port } = server.address() as AddressInfo;
    dom = await dumpDom(`http://127.0.0.1:${port}${TERMINATE}`);
  });

  after(() => server?.close());

  it('builds the terminate page into docs/.vitepress/dist', () => {
    assert.ok(existsSync(join(DIST, TERMINATE)));
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
});
