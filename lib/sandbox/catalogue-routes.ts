import { isPlainObject } from '../plain-object';
import { sandboxCatalogue, type CatalogueOperation, type CatalogueSchema } from './catalogue-data';
import { exampleOf } from './catalogue-examples';
import { findBreach, MISSING, type Breach, type Wire } from './catalogue-validation';
import { fieldError } from './field-rules';
import { formBoundary, parseForm } from './multipart';
import { paramError, type CompiledRoute, type SandboxReply, type SandboxRequest } from './routes';
import { v2Failure } from './v2-gateway';
import type { V2Reply, V2Route } from './v2-routes';

/** The methods APIv3 operations use. */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Fields a successful APIv2 answer leaves out unless the catalogue requires them: its error code and text. */
const V2_ERROR_FIELDS = ['err_code', 'err_code_des'];

/** The 400 naming a breach of the path variables, the query or the body; the body itself when it is the value that fails. */
function refusal(breach: Breach, location: 'path' | 'query' | 'body'): SandboxReply {
  return breach.field === '' ? paramError(`the ${location} ${breach.problem}`) : fieldError(breach.field, breach.problem, location);
}

/** The checks of an upload: the form's parts as text, then the `meta` part's JSON fields. */
function formRefusal(form: CatalogueSchema, request: SandboxRequest, optional: ReadonlySet<string>): SandboxReply | undefined {
  const boundary = formBoundary(request.headers['content-type']);
  if (boundary === undefined) return paramError('the request must be multipart/form-data with a boundary');
  const parts = parseForm(request.body, boundary);
  if (typeof parts === 'string') return paramError(`malformed multipart body: ${parts}`);
  const values = Object.fromEntries(parts.map((part) => [part.name, part.data.toString('utf8')]));
  const breach = findBreach(form, values, 'text', optional);
  if (breach) return refusal(breach, 'body');
  const meta = form.properties?.meta;
  if (!meta?.properties || values.meta === undefined) return undefined;
  let fields: unknown;
  try {
    fields = JSON.parse(values.meta);
  } catch {
    return paramError('meta is not JSON');
  }
  const metaBreach = findBreach(meta, fields, 'json', optional, 'meta');
  return metaBreach && refusal(metaBreach, 'body');
}

/** What the gateway refuses in an APIv3 request, checked against the catalogue: path variables, query, then body or form. */
function requestRefusal(operation: CatalogueOperation, request: SandboxRequest, variables: Record<string, string>): SandboxReply | undefined {
  const optional = new Set(operation.optional);
  const pathBreach = operation.variables && findBreach({ type: 'object', properties: operation.variables }, variables, 'text', optional);
  if (pathBreach) return refusal(pathBreach, 'path');
  const queryBreach = operation.query && findBreach(operation.query, request.query, 'text', optional);
  if (queryBreach) return refusal(queryBreach, 'query');
  if (operation.form) return formRefusal(operation.form, request, optional);
  if (!operation.body) return undefined;
  if (request.body.length === 0) return operation.bodyRequired ? paramError('the body is required') : undefined;
  if (request.json === undefined) return paramError('the body is not JSON');
  const bodyBreach = findBreach(operation.body, request.json, 'json', optional);
  return bodyBreach && refusal(bodyBreach, 'body');
}

/**
 * The example answer of `operation`, an object (the catalogue's examples, every field it
 * describes), whose fields the request also carries take the request's values where those are
 * valid there: the order number asked about comes back in the answer.
 */
function exampleAnswer(operation: CatalogueOperation, sources: unknown[], wire: Wire): Record<string, unknown> {
  const schema = operation.answer ?? {};
  const built = exampleOf(schema, 'answer', 'all');
  const answer = isPlainObject(built) ? built : {};
  const optional = new Set(operation.optional);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const given = sources.map((source) => (isPlainObject(source) ? source[name] : undefined)).find((value) => value !== undefined && value !== '' && !findBreach(field, value, wire, optional, name));
    if (given !== undefined) answer[name] = given;
  }
  return answer;
}

/** An APIv3 answer from the catalogue: its 400 for a request that breaks it, else its signed example. */
async function answerV3(request: SandboxRequest): Promise<SandboxReply> {
  const found = (await sandboxCatalogue()).find(request.method, request.path.slice(1));
  if (!found) return { status: 404, json: { code: 'NOT_FOUND', message: `no sandbox route for ${request.method} ${request.path}` } };
  const { operation, variables } = found;
  const refused = requestRefusal(operation, request, variables);
  if (refused) return refused;
  // 204 has no body; nor has an answer the catalogue gives no schema for (a file).
  if (operation.status === 204 || !operation.answer) return { status: operation.status };
  if (operation.answer.type === 'array') return { status: operation.status, json: exampleOf(operation.answer, 'answer', 'all') };
  return { status: operation.status, json: exampleAnswer(operation, [variables, request.query, request.json], 'json') };
}

/** An APIv2 answer from the catalogue: the FAIL for fields that break it, else the fields of its example, to be signed. */
function answerV2(operation: CatalogueOperation, fields: Record<string, string>): V2Reply {
  const breach = findBreach(operation.body ?? {}, fields, 'text', new Set(operation.optional));
  if (breach) return v2Failure(breach.problem === MISSING ? `缺少参数${breach.field}` : `${breach.field}参数错误: ${breach.problem}`);
  // A file the catalogue does not describe (a bill, a fund flow): empty.
  if (!operation.answer) return { raw: Buffer.alloc(0), contentType: 'text/plain; charset=utf-8' };
  const answer: Record<string, string> = {};
  for (const [name, value] of Object.entries(exampleAnswer(operation, [fields], 'text'))) {
    if (!V2_ERROR_FIELDS.includes(name) || operation.answer.required?.includes(name)) answer[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  // The sandbox adds a fresh nonce_str and signs last.
  delete answer.nonce_str;
  delete answer.sign;
  // result_code SUCCESS, unless the catalogue describes the FAIL alone (the success being a file).
  const result = operation.answer.properties?.result_code;
  const succeeds = result !== undefined && (result.enum?.includes('SUCCESS') ?? true);
  return { ...answer, return_code: 'SUCCESS', return_msg: 'OK', ...(succeeds ? { result_code: 'SUCCESS' } : {}) };
}

/**
 * The APIv3 routes of every catalogue operation without a route of its own: one per method,
 * matching the APIv3 paths (`apiPaths`), to be placed after every other route. Each finds the
 * operation the request is for (404 `NOT_FOUND` when the catalogue has none), checks the request
 * against it (400 `PARAM_ERROR` naming the first field missing, of the wrong type or outside its
 * enum, in the path, the query, the body or an upload's form) and answers the catalogue's example,
 * with its success status.
 */
export function catalogueRoutes(apiPaths: RegExp): CompiledRoute[] {
  return METHODS.map((method) => ({ method, path: '/{any catalogue path}', pattern: apiPaths, names: [], handle: answerV3 }));
}

/**
 * The APIv2 route for `path` when the catalogue has it (a POST), else undefined. It checks the
 * request's fields against the catalogue (an unsigned `return_code` FAIL naming the first field
 * missing, `缺少参数…`, or wrong, `…参数错误`) and answers the catalogue's example, `return_code`
 * and `result_code` SUCCESS, for the sandbox to sign; a file where the catalogue describes none.
 */
export async function catalogueRouteV2(path: string): Promise<V2Route | undefined> {
  const found = (await sandboxCatalogue()).find('post', `v2${path}`);
  return found && { path, handle: (fields) => answerV2(found.operation, fields) };
}
