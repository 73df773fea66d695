// Writes lib/openapi/: per API group, the options and answer types of each operation; then
// `Endpoints` (path → method → Operation) and the chain's node tree, where every node is an
// interface, so the checker resolves a node only when code reaches it.
import { posix } from 'node:path';
import { isV2, responseSchema, type Operation, type Parameter, type Schema } from './catalogue';
import { BANNER, chainNames, NameRegistry, pascal, propertyName } from './names';
import { docComment, fieldDoc, typeText } from './types';

/** One generated file: its path relative to the output root, and its text. */
export interface OutputFile {
  path: string;
  text: string;
}

/** What the generator named for one operation. */
export interface NamedOperation {
  op: Operation;
  /** Group file, relative to lib/openapi without extension: `v3/pay`. */
  group: string;
  options: string;
  data: string;
  /** Whether the call may omit its options. */
  optional: boolean;
}

const SUPPORT = 'typed-endpoint';
/** Chain properties that are not path segments: the verbs, `chain`, and what a node hides from `await` and JSON. */
const NOT_SEGMENTS = new Set(['get', 'post', 'put', 'patch', 'delete', 'chain', 'then', 'toJSON']);

/** `v3/pay/transactions/…` → `v3/pay`; `hk/v3/refunds/…` → `hk/v3/refunds`. */
function groupOf(path: string): string {
  const segments = path.split('/');
  const version = segments.findIndex((segment) => /^v\d$/.test(segment));
  const keep = segments.slice(0, version + 2).map((segment) => segment.replace(/[^A-Za-z0-9-]+/g, '_'));
  if (keep.length === version + 1) keep.push('index');
  return keep.join('/');
}

function importPath(fromGroup: string, target: string): string {
  const relativePath = posix.relative(posix.dirname(posix.join('lib/openapi', fromGroup)), target);
  return relativePath.startsWith('.') ? relativePath : `./${relativePath}`;
}

/** A parameter's own schema; header and path parameters the catalogue leaves untyped are strings. */
function parameterSchema(parameter: Parameter): Schema {
  const where = parameter.in;
  const own: Schema = { ...(parameter.schema ?? parameter) };
  if (!parameter.schema) for (const key of ['name', 'in', 'required'] as const) delete (own as Partial<Parameter>)[key];
  return own.type === undefined && !own.enum && (where === 'header' || where === 'path') ? { ...own, type: 'string' } : own;
}

function objectOf(parameters: Parameter[]): Schema {
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.name, parameterSchema(p)])),
    required: parameters.filter((p) => p.required === true).map((p) => p.name),
  };
}

/** The names of the URI template variables of `path`. */
export function pathVariables(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+)\}/g)].map(([, name]) => name);
}

function operationTypes(op: Operation, optionsName: string, dataName: string, group: string): { text: string; optional: boolean; imports: Set<string> } {
  const v2 = isV2(op);
  const imports = new Set<string>([v2 ? 'V2Extra' : 'V3Extra']);
  const byIn = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where);
  const members: string[] = [];
  let optional = true;
  const inner = '  ';

  const declared = new Map(byIn('path').map((p) => [p.name, p]));
  for (const name of pathVariables(op.path)) {
    const parameter = declared.get(name);
    const schema = parameter ? parameterSchema(parameter) : { type: 'string' };
    const type = schema.type === 'integer' || schema.type === 'number' ? 'string | number' : schema.enum ? typeText(schema, inner, 'json') : 'string';
    members.push(`${docComment([...fieldDoc(schema), 'A URI template variable of the path.'], inner)}${inner}${propertyName(name)}: ${type};\n`);
    optional = false;
  }

  const query = byIn('query');
  if (query.length > 0) {
    const required = query.some((p) => p.required === true);
    if (required) optional = false;
    members.push(`${docComment(['Query parameters, sent in this order and signed as sent.'], inner)}${inner}query${required ? '' : '?'}: ${typeText(objectOf(query), inner, 'json')};\n`);
  }

  // The client sends `Wechatpay-Serial` on every APIv3 call (the key it wants the answer signed
  // with, or the one `encrypt` used), so a call may leave it out even where the catalogue requires it.
  const headers = byIn('header').map((p) => (/^wechatpay-serial$/i.test(p.name) ? { ...p, required: false, description: `${p.description ?? ''} (the client sets it; give it to pick the key)`.trim() } : p));
  const requiredHeaders = headers.some((p) => p.required === true);
  if (requiredHeaders) optional = false;
  const headerType = headers.length === 0 ? 'Headers' : `${typeText(objectOf(headers), inner, 'json').replace(/\n {2}\}$/, '\n    [name: string]: string | number | undefined;\n  }')}`;
  if (headers.length === 0) imports.add('Headers');
  members.push(`${docComment(['Request headers.'], inner)}${inner}headers${requiredHeaders ? '' : '?'}: ${headerType};\n`);

  const body = byIn('body')[0];
  if (body) {
    const required = body.required === true;
    if (required) optional = false;
    const key = v2 ? 'xml' : 'json';
    const note = v2 ? 'The request fields; the client adds `nonce_str` and `sign`.' : 'The JSON body; serialized once, signed and sent as that string.';
    const schema = body.schema ?? {};
    const optionalFields = v2 ? new Set(['nonce_str', 'sign']) : new Set<string>();
    members.push(`${docComment([...fieldDoc(schema), note], inner)}${inner}${key}${required ? '' : '?'}: ${typeText(schema, inner, v2 ? 'xml-request' : 'json', optionalFields)};\n`);
  }
  if (byIn('formData').length > 0) {
    imports.add('MediaUpload');
    optional = false;
    members.push(`${docComment(['The file to upload: `await MediaUpload.from(file)`; sent as multipart/form-data.'], inner)}${inner}media: MediaUpload;\n`);
  }

  const title = `${op.method.toUpperCase()} /${op.path}`;
  const summary = [op.summary ? `${op.summary}: the options of ${title}.` : `The options of ${title}.`];
  let text = `${docComment(summary, '')}export interface ${optionsName} extends ${v2 ? 'V2Extra' : 'V3Extra'} {\n${members.join('')}}\n\n`;
  // A download answers the file itself (text, gzip or PDF, as `responseType` asks), not the
  // schema the catalogue gives for its failure.
  const download = (op.produces ?? []).some((type) => !/json|xml/.test(type)) || (v2 && /download/.test(op.path.split('/').pop() ?? ''));
  const answer = download ? 'unknown' : typeText(responseSchema(op), '', v2 ? 'xml-answer' : 'json');
  const answerDoc = docComment([`The answer (\`data\`) of ${title}.`], '');
  // A type alias rather than an interface, so `data` also converts to `Record<string, unknown>`.
  text += `${answerDoc}export type ${dataName} = ${answer};\n`;
  void group;
  return { text, optional, imports };
}

interface TreeNode {
  path: string;
  name: string;
  children: Map<string, TreeNode>;
  operations: NamedOperation[];
}

/** Every file of lib/openapi/, for `operations` sorted as the catalogue loader sorts them. */
export function declarations(operations: Operation[]): { files: OutputFile[]; named: NamedOperation[] } {
  const names = new NameRegistry();
  for (const reserved of ['Endpoints', 'Paths', 'Tree', 'Operation', 'Verb', 'OptionalVerb', 'Node', 'V2Extra', 'V3Extra', 'Headers', 'MediaUpload']) names.claim(reserved);
  const groups = new Map<string, { texts: string[]; imports: Set<string> }>();
  const named: NamedOperation[] = [];
  for (const op of operations) {
    const base = pascal(op.path) + op.method[0].toUpperCase() + op.method.slice(1);
    const options = names.claim(`${base}Options`);
    const data = names.claim(`${base}Data`);
    const group = groupOf(op.path);
    const { text, optional, imports } = operationTypes(op, options, data, group);
    const entry = groups.get(group) ?? { texts: [], imports: new Set<string>() };
    entry.texts.push(text);
    for (const name of imports) entry.imports.add(name);
    groups.set(group, entry);
    named.push({ op, group, options, data, optional });
  }

  const files: OutputFile[] = [];
  for (const [group, { texts, imports }] of groups) {
    const support = [...imports].filter((name) => name !== 'MediaUpload').sort();
    const head = [`// ${BANNER}`];
    if (imports.has('MediaUpload')) head.push(`import type { MediaUpload } from '${importPath(group, 'lib/v3/media')}';`);
    head.push(`import type { ${support.join(', ')} } from '${importPath(group, `lib/${SUPPORT}`)}';`);
    files.push({ path: `lib/openapi/${group}.ts`, text: `${head.join('\n')}\n\n${texts.join('\n')}` });
  }

  // Namespaces for the groups, for the two index files.
  const groupAlias = new Map([...groups.keys()].map((group) => [group, `_${group.replace(/[^A-Za-z0-9]+/g, '_')}`]));
  const groupImports = [...groups.keys()].map((group) => `import type * as ${groupAlias.get(group)} from './${group}';`).join('\n');
  const ref = (n: NamedOperation, name: string) => `${groupAlias.get(n.group)}.${name}`;

  // Endpoints: the catalogue as a type, path → method → Operation<options, data>.
  const byPath = new Map<string, NamedOperation[]>();
  for (const n of named) byPath.set(n.op.path, [...(byPath.get(n.op.path) ?? []), n]);
  let endpoints = `// ${BANNER}\nimport type { Operation } from '../${SUPPORT}';\n${groupImports}\n\n`;
  endpoints += docComment(['Every path of the catalogue, written as the chain writes it (no leading slash), to its methods.', 'Each method is an {@link Operation}: the options a call takes and the `data` it answers.'], '');
  endpoints += 'export interface Endpoints {\n';
  for (const [path, ops] of byPath) {
    endpoints += `  ${JSON.stringify(path)}: {\n`;
    for (const n of ops) endpoints += `${docComment([n.op.summary ?? ''], '    ')}    ${n.op.method}: Operation<${ref(n, n.options)}, ${ref(n, n.data)}>;\n`;
    endpoints += '  };\n';
  }
  endpoints += '}\n';
  files.push({ path: 'lib/openapi/endpoints.ts', text: endpoints });

  // The chain's tree: one interface per path prefix, children under their chain property names.
  const nodeNames = new NameRegistry();
  const root: TreeNode = { path: '', name: 'Tree', children: new Map(), operations: [] };
  nodeNames.claim('Tree');
  const all: TreeNode[] = [root];
  const nodeAt = new Map<string, TreeNode>([['', root]]);
  for (const [path, ops] of byPath) {
    let at = root;
    for (const segment of path.split('/')) {
      const childPath = at.path === '' ? segment : `${at.path}/${segment}`;
      let child = nodeAt.get(childPath);
      if (!child) {
        child = { path: childPath, name: nodeNames.claim(`${pascal(childPath) || 'Empty'}Node`), children: new Map(), operations: [] };
        nodeAt.set(childPath, child);
        all.push(child);
      }
      at.children.set(segment, child);
      at = child;
    }
    at.operations.push(...ops);
  }
  let tree = `// ${BANNER}\nimport type { Node, OptionalVerb, Verb } from '../${SUPPORT}';\n${groupImports}\n\n`;
  for (const node of all) {
    const doc = node === root ? ['The chained style: each property is a path segment, as the chain turns it into one.'] : [`\`/${node.path}\``];
    const members = node.operations.length + [...node.children.keys()].flatMap((segment) => chainNames(segment)).filter((name) => !NOT_SEGMENTS.has(name)).length;
    // A node whose children no property name reaches (capitals in the path) has no members.
    const disable = members === 0 ? '// eslint-disable-next-line @typescript-eslint/no-empty-object-type\n' : '';
    tree += `${docComment(doc, '')}${disable}export interface ${node.name} {\n`;
    for (const n of node.operations) {
      tree += `${docComment([n.op.summary ?? '', `\`${n.op.method.toUpperCase()} /${n.op.path}\``], '  ')}  ${n.op.method}: ${n.optional ? 'OptionalVerb' : 'Verb'}<${ref(n, n.options)}, ${ref(n, n.data)}>;\n`;
    }
    for (const [segment, child] of node.children) {
      for (const name of chainNames(segment)) {
        if (NOT_SEGMENTS.has(name)) continue;
        tree += `  ${propertyName(name)}: Node<${child.name}>;\n`;
      }
    }
    tree += '}\n\n';
  }
  tree += docComment(['The bracket and `chain()` styles: every catalogue path, verbatim, to its node.'], '');
  tree += 'export interface Paths {\n';
  for (const path of byPath.keys()) tree += `  ${JSON.stringify(path)}: Node<${nodeAt.get(path)?.name ?? 'never'}>;\n`;
  tree += '}\n';
  files.push({ path: 'lib/openapi/tree.ts', text: tree });
  return { files, named };
}
