// The SDK's API reference (docs/api/ on the site) is generated from lib/'s doc comments with the
// repository's typedoc.json, so it cannot say what the code does not. This spec runs TypeDoc as
// `npm run docs:api` does, into a temporary folder, and checks that it finishes without a warning
// (a {@link} to nothing, a public type that names one the package does not export), that the main
// classes have their pages with their doc comments, that every error class shows its code, and
// that the catalogue's generated types stay out of it (the endpoint reference covers them).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { ErrorCode, ERROR_CLASSES } from '../../lib';
import { ROOT } from '../support/docs-page';

/** TypeDoc's own command, run by this node. */
const TYPEDOC = join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');

/** The classes the reference must have a page for: the page under the output folder, and the source that documents the class. */
const CLASSES: ReadonlyArray<{ name: string; page: string; source: string }> = [
  { name: 'Wechatpay', page: 'wechatpay-ts/classes/Wechatpay.md', source: 'lib/wechatpay.ts' },
  { name: 'PaymentParams', page: 'wechatpay-ts/classes/PaymentParams.md', source: 'lib/payment-params.ts' },
  { name: 'NotificationVerifier', page: 'wechatpay-ts/classes/NotificationVerifier.md', source: 'lib/v3/notification.ts' },
  { name: 'WechatpayError', page: 'wechatpay-ts/classes/WechatpayError.md', source: 'lib/errors.ts' },
  { name: 'Sandbox', page: 'wechatpay-ts/sandbox/classes/Sandbox.md', source: 'lib/sandbox/sandbox.ts' },
];

/** Runs TypeDoc with the repository's options into `out`; answers its exit code and all it printed, colours removed. */
function typedoc(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TYPEDOC, '--options', join(ROOT, 'typedoc.json'), '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    // eslint-disable-next-line no-control-regex
    child.on('close', (code) => resolve({ code, output: Buffer.concat(output).toString('utf8').replace(/\u001b\[[0-9;]*m/g, '') }));
  });
}

/** Every file under `dir`, by its path relative to it, with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(dir, path)).isFile())
    .map((path) => path.split(sep).join('/'));
}

/**
 * The first sentence of a class's doc comment in its source file, with its whitespace collapsed
 * and cut before any inline tag (TypeDoc writes `{@link X}` as a markdown link).
 */
function summaryOf(source: string, name: string): string {
  const file = ts.createSourceFile(source, readFileSync(join(ROOT, source), 'utf8'), ts.ScriptTarget.ES2022, true);
  const declaration = file.statements.find((statement): statement is ts.ClassDeclaration => ts.isClassDeclaration(statement) && statement.name?.text === name);
  assert.ok(declaration, `${source} declares the class ${name}`);
  const docs = ts.getJSDocCommentsAndTags(declaration).filter(ts.isJSDoc);
  assert.ok(docs.length > 0, `${name} has a doc comment`);
  const text = ts.getTextOfJSDocComment(docs[0].comment) ?? '';
  const sentence = text.split(/\{@|(?<=\.)\s/)[0];
  return sentence.replace(/\s+/g, ' ').trim();
}

const collapse = (text: string) => text.replace(/\s+/g, ' ');

describe('the SDK API reference (typedoc.json)', { timeout: 60_000 }, () => {
  let out: string;
  let run: Awaited<ReturnType<typeof typedoc>>;
  let files: string[];
  const page = (path: string) => readFileSync(join(out, path), 'utf8');

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'wechatpay-api-'));
    run = await typedoc(out);
    files = run.code === 0 ? filesUnder(out) : [];
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  it('generates the pages without an error or a warning', () => {
    assert.equal(run.code, 0, run.output);
    assert.doesNotMatch(run.output, /\[(warning|error)\]/, run.output);
    assert.ok(files.includes('index.md') && files.includes('typedoc-sidebar.json'), `the output: ${files.join(', ')}`);
  });

  it('gives each main class a page that carries its doc comment', () => {
    for (const { name, page: path, source } of CLASSES) {
      assert.ok(files.includes(path), `a page for ${name} at ${path}`);
      const summary = summaryOf(source, name);
      assert.ok(summary.length > 20, `${name}'s summary: ${summary}`);
      assert.ok(collapse(page(path)).includes(summary), `${path} says "${summary}"`);
    }
  });

  it('gives each error class a page with its code, and lists every code under ErrorCode', () => {
    const entry = page('wechatpay-ts/index.md');
    for (const [code, errorClass] of Object.entries(ERROR_CLASSES)) {
      const path = `wechatpay-ts/classes/${errorClass.name}.md`;
      assert.ok(files.includes(path), `a page for ${errorClass.name}`);
      assert.ok(page(path).includes(`"${code}"`), `${path} shows ${code}`);
      assert.match(page(path), /WechatpayError/, `${path} names the base class`);
    }
    for (const [name, code] of Object.entries(ErrorCode)) {
      assert.ok(entry.includes(`${name}`) && entry.includes(code), `the ErrorCode entry lists ${name}: ${code}`);
    }
  });

  it('leaves out the catalogue’s generated types and keeps the pages few and small', () => {
    const pages = files.filter((file) => file.endsWith('.md'));
    assert.ok(!pages.some((file) => /\/Endpoints\.md$|^openapi(-types)?\//.test(file)), 'no page for Endpoints or an openapi/ or openapi-types/ module');
    assert.ok(pages.length < 100, `${pages.length} pages`);
    const bytes = pages.reduce((total, file) => total + statSync(join(out, file)).size, 0);
    assert.ok(bytes < 1_000_000, `${bytes} bytes of markdown`);
  });
});
