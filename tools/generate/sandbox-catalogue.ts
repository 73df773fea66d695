// Writes openapi/sandbox-catalogue.json.br: what the sandbox needs of each catalogue operation to
// check its requests and answer it (lib/sandbox/catalogue-data.ts describes the format). The
// package ships the sandbox but not catalogue/, so the sandbox reads this instead: the schemas
// with `allOf` merged and without their prose, written as JSON that write() compresses.
import { CATALOGUE_FILE, type CatalogueData, type CatalogueOperation, type CatalogueSchema } from '../../lib/sandbox/catalogue-data';
import { answersFile, flatten, responseSchema, type Operation, type Parameter, type Schema } from './catalogue';
import { OPENAPI, pathVariables, relaxedFields, type OutputFile } from './declarations';
import { BANNER } from './names';

/** The catalogue's type names, typos included, to the JSON Schema names the sandbox checks. */
const TYPES: Readonly<Record<string, CatalogueSchema['type']>> = {
  string: 'string',
  stringde: 'string',
  integer: 'integer',
  int: 'integer',
  uint64: 'integer',
  number: 'number',
  boolean: 'boolean',
  object: 'object',
  array: 'array',
  file: 'file',
};

/**
 * A field name with its numbers written as the first: APIv2 answers number repeated fields
 * (`coupon_type_$n`, `coupon_refund_fee_$n_$m`), and the example answer has one of each.
 */
function numbered(name: string): string {
  return name.replace(/\$[a-z](?![A-Za-z])/g, '0');
}

/**
 * Which examples a schema keeps: every one (an answer's), those along its required fields (a
 * request's: the only ones an example call gives), or none.
 */
type Examples = 'all' | 'required' | 'none';

/**
 * `schema` in the sandbox's form: `allOf` merged at every depth, the type named as JSON Schema
 * names it (left out where the catalogue's is no type, such as an example written in its place),
 * and the example kept where it is one value and `examples` asks for it.
 */
export function sandboxSchema(schema: Schema, examples: Examples): CatalogueSchema {
  const flat = flatten(schema);
  const out: CatalogueSchema = {};
  const type = typeof flat.type === 'string' ? TYPES[flat.type.trim()] : undefined;
  if (type) out.type = type;
  if (flat.enum && flat.enum.length > 0) out.enum = flat.enum as CatalogueSchema['enum'];
  // A required field the schema does not describe (often a path variable) is not required: the declared types leave it out too.
  const required = (Array.isArray(flat.required) ? flat.required : []).filter((name) => flat.properties?.[name]);
  if (required.length > 0) out.required = required.map(numbered);
  if (flat.properties) {
    const childExamples = (name: string): Examples => (examples === 'all' || (examples === 'required' && required.includes(name)) ? examples : 'none');
    out.properties = Object.fromEntries(Object.entries(flat.properties).map(([name, child]) => [numbered(name), child ? sandboxSchema(child, childExamples(name)) : {}]));
  }
  if (flat.items) out.items = sandboxSchema(flat.items, examples);
  if (examples !== 'none' && ['string', 'number', 'boolean'].includes(typeof flat.example)) out.example = flat.example as CatalogueSchema['example'];
  return out;
}

/** A parameter's schema: its `schema` where it has one, else the parameter itself (its `required` is a flag, not a list). */
function parameterSchema(parameter: Parameter, examples: Examples): CatalogueSchema {
  return sandboxSchema(parameter.schema ?? { ...parameter, required: undefined }, examples);
}

/** Parameters as one object schema, its required list those the catalogue marks required. */
function objectOf(parameters: Parameter[]): CatalogueSchema {
  const required = parameters.filter((p) => p.required === true).map((p) => p.name);
  return {
    type: 'object',
    ...(required.length > 0 ? { required } : {}),
    properties: Object.fromEntries(parameters.map((p) => [p.name, parameterSchema(p, p.required === true ? 'required' : 'none')])),
  };
}

/** The status of a successful answer: that of the answer {@link responseSchema} takes, else the first 2xx, else 200. */
function successStatus(op: Operation): number {
  const codes = Object.keys(op.responses).filter((code) => /^2/.test(code)).sort();
  return Number(codes.find((code) => op.responses[code]?.schema) ?? codes[0] ?? 200);
}

/** One operation in the sandbox's form. */
export function sandboxOperation(op: Operation): CatalogueOperation {
  const byIn = (where: Parameter['in']) => op.parameters.filter((p) => p.in === where);
  const out: CatalogueOperation = { method: op.method, path: op.path, status: successStatus(op) };
  const declared = new Map(byIn('path').map((p) => [p.name, p]));
  const variables = pathVariables(op.path);
  if (variables.length > 0) {
    out.variables = Object.fromEntries(
      variables.map((name) => {
        const parameter = declared.get(name);
        return [name, parameter ? parameterSchema(parameter, 'required') : {}];
      }),
    );
  }
  if (byIn('query').length > 0) out.query = objectOf(byIn('query'));
  const body = byIn('body')[0];
  if (body) {
    out.body = sandboxSchema(body.schema ?? {}, 'required');
    if (body.required === true) out.bodyRequired = true;
  }
  if (byIn('formData').length > 0) out.form = objectOf(byIn('formData'));
  const optional = [...relaxedFields(op)];
  if (optional.length > 0) out.optional = optional;
  const answer = answersFile(op) ? undefined : responseSchema(op);
  if (answer) out.answer = sandboxSchema(answer, 'all');
  return out;
}

/** The data file, from every operation of the catalogue. */
export function sandboxCatalogueFile(operations: Operation[]): OutputFile {
  const data: CatalogueData = { banner: BANNER, operations: operations.map(sandboxOperation) };
  return { path: `${OPENAPI}/${CATALOGUE_FILE}`, text: JSON.stringify(data) };
}
