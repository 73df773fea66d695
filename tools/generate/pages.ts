// Writes one reference page per catalogue path under docs/openapi/, modelled on the hand-written
// terminate page: title and summary, the request and response tables, the call in the six styles
// with the catalogue's example values, and a link to the official documentation.
import { exampleCall } from '../../lib/sandbox/catalogue-examples';
import { flatten, isV2, responseSchema, type Parameter, type Schema } from './catalogue';
import { chainNames, BANNER } from './names';
import type { NamedOperation, OutputFile } from './declarations';
import { sandboxOperation } from './sandbox-catalogue';

/** Pages written by hand, which the generator leaves alone. */
export const HAND_WRITTEN_PAGES: ReadonlySet<string> = new Set([
  'docs/openapi/v3/credit-repayment/partner/contracts/terminate.md',
  'docs/openapi/v2/pay/micropay.md',
  'docs/openapi/v2/secapi/pay/refund.md',
]);

const CENTRES = {
  merchant: 'https://pay.weixin.qq.com/doc/v3/merchant/4012062524',
  partner: 'https://pay.weixin.qq.com/doc/v3/partner/4012069852',
  global: 'https://pay.weixin.qq.com/doc/global/v3/zh',
};

/** Catalogue prose made safe for VitePress, which compiles each page as a Vue template: no tags, no `{{`. */
function prose(text: string): string {
  return text.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\{\{/g, '&#123;&#123;');
}

function cell(text: unknown): string {
  return prose(typeof text === 'string' ? text : text === undefined || text === null ? '' : JSON.stringify(text)).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
}

function code(value: unknown): string {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  return `\`${cell(text).replace(/`/g, "'")}\``;
}

function typeName(schema: Schema): string {
  const flat = flatten(schema);
  const type = typeof flat.type === 'string' ? flat.type : flat.properties ? 'object' : flat.oneOf ? 'oneOf' : '';
  const items = type === 'array' && flat.items ? `<${typeName(flat.items)}>` : '';
  const format = flat.format ? ` (${flat.format})` : '';
  return `${type}${items}${format}${flat.enum ? `, enum: ${flat.enum.map(String).join(' / ')}` : ''}`;
}

/**
 * What each enum value of `schema` means, where the catalogue says (`TERMINATION_MODE_BY_USER`
 * 用户解约), on a line of its own after the description cell's text; '' where it says nothing.
 */
function enumMeanings(schema: Schema): string {
  const flat = flatten(schema);
  const meanings = flat['x-enum-meanings'];
  if (!flat.enum || !meanings?.some(Boolean)) return '';
  return `<br>${flat.enum.map((value, i) => `\`${cell(String(value))}\`${meanings[i] ? ` ${cell(meanings[i])}` : ''}`).join('；')}`;
}

/** Table rows for every field under `schema`, nested ones with dotted names. */
function rows(schema: Schema | undefined, prefix = ''): string[] {
  if (!schema) return [];
  let flat = flatten(schema);
  if (flat.type === 'array' && flat.items) flat = flatten(flat.items);
  const required = new Set(Array.isArray(flat.required) ? flat.required : []);
  return Object.entries(flat.properties ?? {}).flatMap(([key, child]) => {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    const line = `| \`${name}\` | ${cell(typeName(child))} | ${required.has(key) ? '是 · yes' : '否 · no'} | ${cell(child.description)}${enumMeanings(child)} | ${code(child.example)} |`;
    return [line, ...rows(child, name)];
  });
}

function table(title: string, lines: string[]): string {
  if (lines.length === 0) return '';
  return `${title}\n\n| 字段 · Field | 类型 · Type | 必填 · Required | 描述 · Description | 示例 · Example |\n| --- | --- | --- | --- | --- |\n${lines.join('\n')}\n\n`;
}

function parameterRows(parameters: Parameter[]): string[] {
  return parameters.map((p) => `| \`${p.name}\` | ${cell(typeName(p.schema ?? p))} | ${p.required === true || p.in === 'path' ? '是 · yes' : '否 · no'} | ${cell(p.description)}${enumMeanings(p.schema ?? p)} | ${code(p.example ?? p.schema?.example)} |`);
}

/** `value` written as a TypeScript literal, object keys quoted only where they must be, nested objects closing at `indent`. */
export function literal(value: unknown, indent: string): string {
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, indent)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    return `{\n${entries.map(([key, item]) => `${inner}${/^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`}: ${literal(item, inner)},`).join('\n')}\n${indent}}`;
  }
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
}

/**
 * The options of a call as values, with the catalogue's example values (those the sandbox's
 * catalogue keeps, so the sandbox takes each page's call as written; a `media` placeholder string
 * stands for the upload), or undefined when the call takes none.
 */
export function callValues(n: NamedOperation): Record<string, unknown> | undefined {
  const values = exampleCall(sandboxOperation(n.op));
  return n.op.parameters.some((p) => p.in === 'formData') ? { ...values, media: '__MEDIA__' } : values;
}

/**
 * The options object of a call, with the catalogue's example values (a `media` placeholder awaits
 * `MediaUpload.from`), its closing brace at `indent`.
 */
export function callOptions(n: NamedOperation, indent = '  '): string | undefined {
  const values = callValues(n);
  return values && literal(values, indent).replace(/'__MEDIA__'/g, "await MediaUpload.from('./image.jpg')");
}

/** The chained expression for `path` (`wxpay.v3.pay…`), or undefined when a segment has no chain property name. */
export function chained(path: string): string | undefined {
  let text = 'wxpay';
  for (const segment of path.split('/')) {
    const name = chainNames(segment)[0];
    if (name === undefined || ['get', 'post', 'put', 'patch', 'delete', 'chain', 'then', 'toJSON'].includes(name)) return undefined;
    text += /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `['${name}']`;
  }
  return text;
}

/**
 * The call section: the options once, in a block of their own typed by the endpoint's entry in
 * `Endpoints`, then a code group whose six tabs differ only in the path style and in promise or
 * callback. Each tab is a few lines that read as a continuation of the options block.
 */
function styles(n: NamedOperation): string {
  const options = callOptions(n, '');
  const method = n.op.method;
  const usesMedia = options?.includes('MediaUpload.from') ?? false;
  const heads: Array<[string, string]> = [];
  const chain = chained(n.op.path);
  if (chain) heads.push(['chained', chain]);
  heads.push(['declared path', `wxpay.chain('${n.op.path}')`], ['bracket path', `wxpay['${n.op.path}']`]);
  const names = [...(usesMedia ? ['MediaUpload'] : []), ...(options ? ['type Endpoints'] : []), 'type Wechatpay'];
  const declaration = options ? `\nconst options: Endpoints['${n.op.path}']['${method}']['options'] = ${options};\n` : '';
  const prelude = `\`\`\`ts\nimport { ${names.join(', ')} } from 'wechatpay-ts';\n\ndeclare const wxpay: Wechatpay;\n${declaration}\`\`\``;
  const promise = heads.map(([label, node]) => `\`\`\`ts [${label} · promise]\nconst { data } = await ${node}.${method}(${options ? 'options' : ''});\nconsole.log(data);\n\`\`\``);
  const callback = heads.map(
    ([label, node]) =>
      `\`\`\`ts [${label} · callback]\n${node}.${method}(${options ? 'options, ' : ''}(err, res) => {\n  if (err) {\n    console.error(err);\n    return;\n  }\n  console.log(res?.data);\n});\n\`\`\``,
  );
  return `${prelude}\n\n::: code-group\n\n${[...promise, ...callback].join('\n\n')}\n\n:::\n\n`;
}

/** The catalogue's links to the official documentation in a description: `[官方文档](url)`, `[官方JSAPI文档](url)`. */
const OFFICIAL = /\s*\[官方[^\]]{0,12}文档\]\(([^)\s]+)\)/g;

/** A description without its official-documentation links, which the page gives once, at its end. */
function described(description: string): string {
  return prose(description.replace(OFFICIAL, '').trim());
}

/**
 * The one official page a reference page links: of the description's links, the first into the
 * current documentation (pay.weixin.qq.com/doc/…), else its first; without any, the centre of the
 * operation's merchants.
 */
function officialLink(n: NamedOperation): string {
  // A link that is no http(s) URL (the catalogue has an `hhttps://`) is dropped.
  const links = [...(n.op.description ?? '').matchAll(OFFICIAL)].map((match) => match[1]).filter((link) => /^https?:\/\//.test(link));
  const found = links.find((link) => /^https:\/\/pay\.weixin\.qq\.com\/doc\//.test(link)) ?? links[0];
  if (found) return found;
  if (n.op.path.startsWith('global/') || n.op.path.startsWith('hk/') || n.op.path.startsWith('v3/global/')) return CENTRES.global;
  return (n.op['x-role'] ?? []).some((role) => role.includes('服务商')) ? CENTRES.partner : CENTRES.merchant;
}

function section(n: NamedOperation, several: boolean): string {
  const { op } = n;
  const title = `${op.method.toUpperCase()} /${op.path}`;
  const h = several ? '###' : '##';
  let text = several ? `## ${title}${op.summary ? ` · ${prose(op.summary)}` : ''}\n\n` : '';
  if (several && op.description) text += `${described(op.description)}\n\n`;
  text += `| 项目 · Item | 内容 · Value |\n| --- | --- |\n| 方法与路径 · Method and path | \`${title}\` |\n`;
  if (op['x-role']) text += `| 角色 · Role | ${cell(op['x-role'].join(', '))} |\n`;
  if (op.tags) text += `| 分类 · Tag | ${cell(op.tags.join(', '))} |\n`;
  if (op['x-last-updated-at'] !== undefined) text += `| 目录更新于 · Catalogue last updated | ${cell(op['x-last-updated-at'])} |\n`;
  text += `| 类型 · Types | \`Endpoints['${op.path}']['${op.method}']\`: \`options\`, \`data\` |\n\n`;
  text += `${h} 请求 · Request\n\n`;
  const byIn = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where);
  const body = byIn('body')[0];
  const parts = [
    table('Path variables, given in the options object:', parameterRows(byIn('path'))),
    table('`query`:', parameterRows(byIn('query'))),
    table('`headers`:', parameterRows(byIn('header'))),
    table(isV2(op) ? '`xml` (the client adds `nonce_str` and `sign`):' : '`json`:', rows(body?.schema)),
    table('`media` (multipart/form-data):', parameterRows(byIn('formData'))),
  ].join('');
  text += parts === '' ? 'The call takes no options.\n\n' : parts;
  text += `${h} 调用 · The call, in six styles\n\n${styles(n)}`;
  text += `${h} 应答 · Response\n\n`;
  const answer = rows(responseSchema(op));
  text += answer.length > 0 ? table('`data`:', answer) : 'The answer carries no fields the catalogue describes.\n\n';
  return text;
}

/** The page of a catalogue path: the path as written, braces included; a trailing slash becomes index.md. */
export function pageFile(path: string): string {
  return `docs/openapi/${path.endsWith('/') ? `${path}index` : path}.md`;
}

/** The pages for every catalogue path but the hand-written ones. */
export function pages(named: NamedOperation[]): OutputFile[] {
  const byPath = new Map<string, NamedOperation[]>();
  for (const n of named) byPath.set(n.op.path, [...(byPath.get(n.op.path) ?? []), n]);
  const files: OutputFile[] = [];
  for (const [path, ops] of byPath) {
    const file = pageFile(path);
    if (HAND_WRITTEN_PAGES.has(file)) continue;
    const first = ops[0].op;
    let text = `<!-- ${BANNER} -->\n\n# ${prose(first.summary ?? path)}\n\n`;
    if (ops.length === 1 && first.description) text += `${described(first.description)}\n\n`;
    text += ops.map((n) => section(n, ops.length > 1)).join('');
    text += `## 官方文档 · Official documentation\n\n[${prose(first.summary ?? path)}](${officialLink(ops[0])})\n`;
    files.push({ path: file, text });
  }
  return files;
}
