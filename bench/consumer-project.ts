// The consumer the cost benchmarks share: a file that makes 50 different catalogue calls (the
// three path styles in turn) through the package as npm installs it (dist/, from `npm run build`,
// under node_modules/wechatpay-ts, and the types package beside it: declarations only, as an
// editor meets them), or the same 50 requests with axios alone, written into a folder of its own
// that type-checks without the repository's tsconfig.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE, loadCatalogue } from '../tools/generate/catalogue';
import { declarations, OPENAPI_TYPES, OPENAPI_TYPES_HAND_WRITTEN, OPENAPI_TYPES_PACKAGE, type NamedOperation } from '../tools/generate/declarations';
import { REPOSITORY } from '../tools/generate/main';
import { callOptions, callValues, chained, literal } from '../tools/generate/pages';

/** The compiler options the consumer is checked with, as `tsc` takes them. */
export const CONSUMER_FLAGS: readonly string[] = ['--strict', '--target', 'es2022', '--module', 'node16', '--moduleResolution', 'node16', '--types', 'node', '--skipLibCheck'];

/** The gateway the axios consumer writes in front of each path. */
const GATEWAY = 'https://api.mch.weixin.qq.com/';

/** The axios verbs whose second argument is the request body. */
const BODY_VERBS: ReadonlySet<string> = new Set(['post', 'put', 'patch']);

/** One call of a consumer: the endpoint it reaches, and the offset in the source of its verb identifier (`post`, `get`…). */
export interface Call {
  endpoint: NamedOperation;
  verb: number;
}

/** A consumer file: its source and its calls, in order. */
export interface Consumer {
  source: string;
  calls: Call[];
}

/** What a project folder holds besides consumer.ts: the installed package with the real catalogue, the package with an empty one, or nothing (axios alone). */
export type Library = 'catalogue' | 'empty catalogue' | 'none';

/** The 50 endpoints the consumer calls: spread over the catalogue, each reachable in the chained style, none taking an upload. */
export function endpoints(): NamedOperation[] {
  const { named } = declarations(loadCatalogue(CATALOGUE));
  const usable = named.filter((n) => chained(n.op.path) && !callOptions(n)?.includes('MediaUpload'));
  const step = Math.floor(usable.length / 50);
  return usable.filter((_, i) => i % step === 0).slice(0, 50);
}

/** The source of a consumer whose `run` takes `parameters` and pushes the `data` of each of `calls` (receiver, endpoint, arguments). */
function assemble(header: string, parameters: string, calls: Array<[string, NamedOperation, string]>): Consumer {
  let source = `${header}\nexport async function run(${parameters}): Promise<unknown[]> {\n  const results: unknown[] = [];\n`;
  const placed: Call[] = [];
  for (const [receiver, endpoint, args] of calls) {
    source += `  results.push((await ${receiver}.`;
    placed.push({ endpoint, verb: source.length });
    source += `${endpoint.op.method}(${args})).data);\n`;
  }
  return { source: `${source}  return results;\n}\n`, calls: placed };
}

/** The consumer of the package: each endpoint's call with its example options, the chained, declared-path and bracket styles in turn. */
export function wechatpayConsumer(chosen: NamedOperation[]): Consumer {
  const calls = chosen.map((n, i): [string, NamedOperation, string] => {
    const node = [chained(n.op.path) ?? '', `wxpay.chain('${n.op.path}')`, `wxpay['${n.op.path}']`][i % 3];
    return [node, n, callOptions(n) ?? ''];
  });
  return assemble("import type { Wechatpay } from 'wechatpay-ts';\n", 'wxpay: Wechatpay', calls);
}

/** The arguments of the plain axios request for `n`: the URL with its path variables filled in, the body, the query as `params`. */
function axiosArguments(n: NamedOperation): string {
  const values = callValues(n) ?? {};
  const path = n.op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name])));
  const args = [literal(`${GATEWAY}${path}`, '  ')];
  const body = values.json ?? values.xml;
  if (BODY_VERBS.has(n.op.method) && (body !== undefined || values.query !== undefined)) args.push(body === undefined ? 'undefined' : literal(body, '  '));
  if (values.query !== undefined) args.push(literal({ params: values.query }, '  '));
  return args.join(', ');
}

/** The same requests as {@link wechatpayConsumer} with axios alone: same paths, the same literals as bodies and queries. */
export function axiosConsumer(chosen: NamedOperation[]): Consumer {
  return assemble("import axios from 'axios';\n", '', chosen.map((n) => ['axios', n, axiosArguments(n)]));
}

/** Writes a project into `dir` (emptied first): consumer.ts with `source`, and node_modules/wechatpay-ts as `library` says. Returns consumer.ts's path. */
export function writeProject(dir: string, source: string, library: Library): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // A package of its own: without it, the repository's package.json (named wechatpay-ts) would be the
  // consumer's package scope, and its import would resolve to the repository's dist/ by self-reference.
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true })}\n`);
  const file = join(dir, 'consumer.ts');
  writeFileSync(file, source);
  if (library === 'none') return file;
  const built = join(REPOSITORY, 'dist');
  if (!existsSync(join(built, 'lib', 'index.d.ts'))) throw new Error('dist/ has no build: run `npm run build` first');
  // The packages as installed: wechatpay-ts's package.json and dist/, and the types package's
  // declarations. axios and @types/node resolve from the repository's node_modules, above.
  const installed = join(dir, 'node_modules', 'wechatpay-ts');
  mkdirSync(installed, { recursive: true });
  cpSync(join(REPOSITORY, 'package.json'), join(installed, 'package.json'));
  cpSync(built, join(installed, 'dist'), { recursive: true });
  const types = join(dir, 'node_modules', OPENAPI_TYPES_PACKAGE);
  cpSync(join(REPOSITORY, OPENAPI_TYPES), types, { recursive: true, filter: (source) => !source.endsWith('.md') });
  if (library === 'empty catalogue') {
    // The catalogue left out: the declarations dist/lib/ imports, empty, beside the types package's hand-written files (operation.d.ts, which wechatpay-ts augments).
    const openapi = join(installed, 'dist', 'openapi');
    rmSync(openapi, { recursive: true });
    mkdirSync(openapi);
    writeFileSync(join(openapi, 'tree.d.ts'), 'export interface Tree {}\nexport interface Paths {}\n');
    for (const entry of readdirSync(types)) if (!OPENAPI_TYPES_HAND_WRITTEN.has(`${OPENAPI_TYPES}/${entry}`)) rmSync(join(types, entry), { recursive: true });
    writeFileSync(join(types, 'endpoints.d.ts'), 'export interface Endpoints {}\n');
  }
  return file;
}

/** How the cost tables write `a` over `b`: `1.23×`. */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}
