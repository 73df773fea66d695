/**
 * APIv3 paths whose answers are files the gateway does not sign (DESIGN.md): bills,
 * statements, fapiao and transfer downloads, and merchant-service images other than `upload`.
 * Their integrity comes from a hash given by the call that led to them.
 */
const UNSIGNED_DOWNLOADS = [
  /^\/v3\/billdownload\/file$/,
  /^\/v3\/statements$/,
  /^\/v3\/global\/statements$/,
  /^\/v3\/new-tax-control-fapiao\/download$/,
  /^\/v3\/transferdownload\//,
  /^\/v3\/merchant-service\/images\/(?!upload$)/,
];

/** Whether `pathname` (the URL path below any base prefix) is an unsigned download. */
export function isUnsignedDownload(pathname: string): boolean {
  const at = pathname.indexOf('/v3/');
  const apiPath = at < 0 ? pathname : pathname.slice(at);
  return UNSIGNED_DOWNLOADS.some((pattern) => pattern.test(apiPath));
}
