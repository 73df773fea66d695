// Writes the catalogue's declarations (`.d.ts` only, never compiled). Into openapi-types/, the
// package @wechatpay-ts/openapi-types: per API group, the options and answer types of each
// operation; definitions.d.ts, the object types the catalogue repeats; and `Endpoints` (path →
// method → Operation). They import only that package's hand-written operation.d.ts. Into
// openapi/, shipped inside wechatpay-ts: the chain's node tree, which joins each group's
// `Endpoints` to the chain's types in lib/typed-endpoint.ts.
import { posix } from 'node:path';
import { answersFile, isV2, responseSchema, type Operation, type Parameter, type Schema } from './catalogue';
import { BANNER, chainNames, NameRegistry, pascal, propertyName } from './names';
import { DEFINITIONS, docComment, fieldDoc, indented, member, TypeWriter, type Writing } from './types';

/** One generated file: its path relative to the output root, and its text. */
export interface OutputFile {
  path: string;
  text: string;
}

/** What the generator named for one operation. */
export interface NamedOperation {
  op: Operation;
  /** Group file, relative to openapi-types/ without extension: `v3/pay`. */
  group: string;
  /** The name of its options interface. */
  options: string;
  /** The type of its answer's `data`, as the Endpoints entry writes it (a shared type by name, else inline). */
  data: string;
}

/** The folder of what wechatpay-ts ships generated (the chain's tree, the sandbox's catalogue), relative to the repository root. */
export const OPENAPI = 'openapi';
/** The folder of the package @wechatpay-ts/openapi-types, relative to the repository root. */
export const OPENAPI_TYPES = 'openapi-types';
/** The package's name, as wechatpay-ts imports it. */
export const OPENAPI_TYPES_PACKAGE = '@wechatpay-ts/openapi-types';
/** That package's hand-written files, which the generator leaves alone. */
export const OPENAPI_TYPES_HAND_WRITTEN = new Set(['package.json', 'README.md', 'operation.d.ts'].map((name) => `${OPENAPI_TYPES}/${name}`));
/** The package's hand-written module the declarations import their support types from. */
const SUPPORT = `${OPENAPI_TYPES}/operation`;
/** The hand-written module of lib/ the tree imports the chain's types from. */
const TREE_SUPPORT = 'lib/typed-endpoint';
/** Chain properties that are not path segments: the verbs, `chain`, and what a node hides from `await` and JSON. */
const NOT_SEGMENTS = new Set(['get', 'post', 'put', 'patch', 'delete', 'chain', 'then', 'toJSON']);
/** What a group file names besides its option types: what it imports from {@link SUPPORT}, the definitions' alias, its `Endpoints`. */
export const GROUP_FILE_NAMES = ['Operation', 'V2Extra', 'V3Extra', 'MediaUpload', DEFINITIONS.alias, 'Endpoints'];

/** `v3/pay/transactions/…` → `v3/pay`; `hk/v3/refunds/…` → `hk/v3/refunds`. */
function groupOf(path: string): string {
  const segments = path.split('/');
  const version = segments.findIndex((segment) => /^v\d$/.test(segment));
  const keep = segments.slice(0, version + 2).map((segment) => segment.replace(/[^A-Za-z0-9-]+/g, '_'));
  if (keep.length === version + 1) keep.push('index');
  return keep.join('/');
}

/** The import specifier of `target` (relative to the repository root) from the generated file `from` (relative to the root too). */
function importPath(from: string, target: string): string {
  const relativePath = posix.relative(posix.dirname(from), target);
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

/** Roles under which a merchant calls for itself. */
const DIRECT_ROLES = new Set(['直连商户', '普通商户', '直连模式']);
/** The fields that name the service provider's side of a call or the merchant it acts for. */
const PROVIDER_FIELDS: ReadonlySet<string> = new Set(['sp_appid', 'sp_mchid', 'sub_appid', 'sub_mchid']);
const NONE: ReadonlySet<string> = new Set();

/**
 * Types that fit every caller. Where one path serves a merchant calling for itself and a service
 * provider or platform calling for another (its `x-role` names a direct role, 直连商户, 普通商户 or
 * 直连模式, beside any other), the catalogue's required list is the provider's: a combine order
 * (`v3/combine-transactions/jsapi`) requires `sub_orders[].sub_mchid`, which 电商收付通 needs and
 * a direct merchant's order has none of. On such paths the provider fields (`sp_appid`,
 * `sp_mchid`, `sub_appid`, `sub_mchid`) are optional at every depth, in requests and answers.
 */
export function relaxedFields(op: Operation): ReadonlySet<string> {
  const roles = op['x-role'] ?? [];
  const direct = roles.some((role) => DIRECT_ROLES.has(role));
  return direct && roles.some((role) => !DIRECT_ROLES.has(role)) ? PROVIDER_FIELDS : NONE;
}

function operationTypes(op: Operation, optionsName: string, writer: TypeWriter): { text: string; data: string; imports: Set<string> } {
  const v2 = isV2(op);
  const imports = new Set<string>([v2 ? 'V2Extra' : 'V3Extra']);
  const byIn = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where);
  const relaxed = relaxedFields(op);
  const request: Writing = { wire: v2 ? 'xml-request' : 'json', relaxed };
  const query: Writing = { wire: 'json', relaxed };
  const members: string[] = [];
  const base = optionsName.replace(/Options$/, '');

  const declared = new Map(byIn('path').map((p) => [p.name, p]));
  for (const name of pathVariables(op.path)) {
    const parameter = declared.get(name);
    const schema = parameter ? parameterSchema(parameter) : { type: 'string' };
    const type = schema.type === 'integer' || schema.type === 'number' ? 'string | number' : schema.enum ? writer.typeText(schema, query, pascal(name)) : 'string';
    members.push(member(fieldDoc(schema), `${propertyName(name)}: ${type};`));
  }

  const queryParameters = byIn('query');
  if (queryParameters.length > 0) {
    const required = queryParameters.some((p) => p.required === true && !relaxed.has(p.name));
    members.push(`\tquery${required ? '' : '?'}: ${indented(writer.typeText(objectOf(queryParameters), query, `${base}Query`))};\n`);
  }

  // The client sends `Wechatpay-Serial` on every APIv3 call (the key it wants the answer signed
  // with, or the one `encrypt` used), so a call may leave it out even where the catalogue requires it.
  const headers = byIn('header').map((p) => (/^wechatpay-serial$/i.test(p.name) ? { ...p, required: false, description: `${p.description ?? ''} (the client sets it; give it to pick the key)`.trim() } : p));
  if (headers.length > 0) {
    const requiredHeaders = headers.some((p) => p.required === true);
    const text = writer.typeText({ ...objectOf(headers), additionalProperties: { type: 'string' } }, { wire: 'json', relaxed: NONE, index: 'string | number | undefined' }, 'Headers');
    members.push(`\theaders${requiredHeaders ? '' : '?'}: ${indented(text)};\n`);
  }

  const body = byIn('body')[0];
  if (body) {
    const required = body.required === true;
    const schema = body.schema ?? {};
    const writing = v2 ? { ...request, top: new Set(['nonce_str', 'sign']) } : request;
    members.push(member(fieldDoc(schema), `${v2 ? 'xml' : 'json'}${required ? '' : '?'}: ${indented(writer.typeText(schema, writing, `${base}Body`))};`));
  }
  if (byIn('formData').length > 0) {
    imports.add('MediaUpload');
    members.push(member(['`await MediaUpload.from(file)`; sent as multipart/form-data.'], 'media: MediaUpload;'));
  }

  const text = `export interface ${optionsName} extends ${v2 ? 'V2Extra' : 'V3Extra'} {\n${members.join('')}}\n`;
  const answer = answersFile(op) ? 'unknown' : writer.typeText(responseSchema(op), { wire: v2 ? 'xml-answer' : 'json', relaxed }, `${base}Answer`);
  return { text, data: indented(indented(answer)), imports };
}

interface TreeNode {
  path: string;
  children: Map<string, TreeNode>;
}

/** Every declaration file of openapi-types/ and openapi/, for `operations` sorted as the catalogue loader sorts them. */
export function declarations(operations: Operation[]): { files: OutputFile[]; named: NamedOperation[] } {
  // Two passes over the same calls: the first counts the object types, the second writes.
  const writer = new TypeWriter();
  const run = () => {
    const names = new NameRegistry();
    for (const reserved of GROUP_FILE_NAMES) names.claim(reserved);
    const groups = new Map<string, { texts: string[]; imports: Set<string> }>();
    const named: NamedOperation[] = [];
    for (const op of operations) {
      const base = pascal(op.path) + op.method[0].toUpperCase() + op.method.slice(1);
      const options = names.claim(`${base}Options`);
      const group = groupOf(op.path);
      const { text, data, imports } = operationTypes(op, options, writer);
      const entry = groups.get(group) ?? { texts: [], imports: new Set<string>() };
      entry.texts.push(text);
      for (const name of imports) entry.imports.add(name);
      groups.set(group, entry);
      named.push({ op, group, options, data });
    }
    return { groups, named };
  };
  run();
  writer.write();
  const { groups, named } = run();

  // Endpoints: the catalogue as a type, path → method → Operation<options, data>; each group
  // file declares its own paths, and endpoints.d.ts joins them.
  const byPath = new Map<string, NamedOperation[]>();
  for (const n of named) byPath.set(n.op.path, [...(byPath.get(n.op.path) ?? []), n]);
  const entries = new Map<string, string>();
  for (const [path, ops] of byPath) {
    let entry = `\t${JSON.stringify(path)}: {\n`;
    for (const n of ops) entry += `${docComment([n.op.summary ?? ''], '\t\t')}\t\t${n.op.method}: Operation<${n.options}, ${n.data}>;\n`;
    const group = ops[0].group;
    entries.set(group, `${entries.get(group) ?? ''}${entry}\t};\n`);
  }

  const files: OutputFile[] = [];
  const definitions = `${DEFINITIONS.file}.d.ts`;
  for (const [group, { texts, imports }] of groups) {
    const support = [...imports, 'Operation'].sort();
    const path = `${OPENAPI_TYPES}/${group}.d.ts`;
    const head = [`// ${BANNER}`, `import type { ${support.join(', ')} } from '${importPath(path, SUPPORT)}';`];
    const text = `${texts.join('')}\n/** The paths of this group, to their methods. */\nexport interface Endpoints {\n${entries.get(group) ?? ''}}\n`;
    if (text.includes(`${DEFINITIONS.alias}.`)) head.push(`import type * as ${DEFINITIONS.alias} from '${importPath(path, `${OPENAPI_TYPES}/${DEFINITIONS.file}`)}';`);
    files.push({ path, text: `${head.join('\n')}\n\n${text}` });
  }
  files.push({ path: `${OPENAPI_TYPES}/${definitions}`, text: writer.definitionsFile() });

  const groupAlias = new Map([...groups.keys()].map((group) => [group, `_${group.replace(/[^A-Za-z0-9]+/g, '_')}`]));
  let endpoints = `// ${BANNER}\n${[...groups.keys()].map((group) => `import type * as ${groupAlias.get(group)} from './${group}';`).join('\n')}\n\n`;
  endpoints += docComment(['Every path of the catalogue, written as the chain writes it (no leading slash), to its methods.', 'Each method is an {@link Operation}: the options a call takes and the `data` it answers.'], '');
  endpoints += `export interface Endpoints extends ${[...groupAlias.values()].map((alias) => `${alias}.Endpoints`).join(', ')} {}\n`;
  files.push({ path: `${OPENAPI_TYPES}/endpoints.d.ts`, text: endpoints });

  // The chain's tree: `Nodes`, each path and prefix to its verbs (its entry in its own group's
  // `Endpoints`, mapped, so each verb keeps that entry's TSDoc) and its children under their chain
  // property names; `Paths`, each path to its node, written out. Nothing in it takes a `keyof` of
  // the catalogue or a conditional type over it: the checker reaches a call's node by reading one
  // member of `Nodes` per segment, and a cold quickinfo on a verb costs about a third less than it
  // did through `keyof Endpoints` (`npm run editor-cost`).
  const root: TreeNode = { path: '', children: new Map() };
  const all: TreeNode[] = [root];
  const nodeAt = new Map<string, TreeNode>([['', root]]);
  for (const path of byPath.keys()) {
    let at = root;
    for (const segment of path.split('/')) {
      const childPath = at.path === '' ? segment : `${at.path}/${segment}`;
      let child = nodeAt.get(childPath);
      if (!child) {
        child = { path: childPath, children: new Map() };
        nodeAt.set(childPath, child);
        all.push(child);
      }
      at.children.set(segment, child);
      at = child;
    }
  }
  // Each child as `name: type`, under its chain property names.
  const children = (node: TreeNode, indent: string, write: (segment: string, child: TreeNode) => string) =>
    [...node.children].flatMap(([segment, child]) => chainNames(segment).filter((name) => !NOT_SEGMENTS.has(name)).map((name) => `${indent}${propertyName(name)}: ${write(segment, child)};\n`)).join('');
  const treePath = `${OPENAPI}/tree.d.ts`;
  let tree = `// ${BANNER}\nimport type { KnownNode, Verbs } from '${importPath(treePath, TREE_SUPPORT)}';\n`;
  tree += `${[...groups.keys()].map((group) => `import type * as ${groupAlias.get(group)} from '${OPENAPI_TYPES_PACKAGE}/${group}';`).join('\n')}\n\n`;
  tree += docComment(['The node at a catalogue path (or a prefix of one): its verbs and its children, over the untyped chain, so paths it lacks still work, untyped.'], '');
  tree += 'export type Node<P extends keyof Nodes> = KnownNode<Nodes[P]>;\n';
  tree += docComment(['The chained style: each property is a path segment, as the chain turns it into one.'], '');
  tree += `export interface Tree {\n${children(root, '\t', (_, child) => `Node<${JSON.stringify(child.path)}>`)}}\n`;
  tree += docComment(['Each catalogue path and prefix, to its verbs (its entry in its group\'s `Endpoints`) and its children.'], '');
  tree += 'export interface Nodes {\n';
  for (const node of all) {
    if (node === root) continue;
    const parts: string[] = [];
    const ops = byPath.get(node.path);
    if (ops) parts.push(`Verbs<${groupAlias.get(ops[0].group)}.Endpoints[${JSON.stringify(node.path)}]>`);
    const text = children(node, '\t\t', (_, child) => `Node<${JSON.stringify(child.path)}>`);
    if (text !== '' || !ops) parts.push(`{\n${text}\t}`);
    tree += `\t${JSON.stringify(node.path)}: ${parts.join(' & ')};\n`;
  }
  tree += '}\n';
  tree += docComment(['The bracket and `chain()` styles: every catalogue path, verbatim, to its node.'], '');
  tree += `export interface Paths {\n${[...byPath.keys()].map((path) => `\t${JSON.stringify(path)}: Node<${JSON.stringify(path)}>;\n`).join('')}}\n`;
  files.push({ path: treePath, text: tree });
  return { files, named };
}
