// @ts-check
// A TypeDoc plugin for the SDK's API reference (docs/api/, see typedoc.json). The catalogue's
// generated types (the package @wechatpay-ts/openapi-types, openapi-types/ in the repository:
// Endpoints, each endpoint's options and answer; and openapi/tree.d.ts, the path tree) are left
// out of that reference, since the endpoint reference (/reference)
// has a page for every path. Where an SDK type names one of them, the name links to the endpoint
// reference's index, rather than to nothing with a warning that it is not documented.

/**
 * Registers the link for the catalogue's types.
 *
 * @param {import('typedoc').Application} app
 */
export function load(app) {
  app.converter.addUnknownSymbolResolver((_reference, _reflection, _part, symbolId) =>
    symbolId?.packageName === '@wechatpay-ts/openapi-types' || (symbolId?.packageName === 'wechatpay-ts' && symbolId.packagePath.startsWith('openapi/')) ? '/reference' : undefined,
  );
}
