import { AxiosError } from 'axios';
import { ApiError, WechatpayError } from '../errors';
import { readAnswer, responseHeader } from '../response-body';

/**
 * The error interceptor of APIv3 instances: a non-2xx answer becomes an {@link ApiError} with
 * the gateway's `code`, `message`, `detail` and `Request-ID` (its body read within
 * `maxContentLength`); anything else passes through unchanged.
 */
export async function toApiError(error: unknown): Promise<never> {
  if (error instanceof WechatpayError || !(error instanceof AxiosError) || !error.response) throw error;
  const response = error.response;
  const raw = await readAnswer(response);
  let body: { code?: unknown; message?: unknown; detail?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object') body = parsed;
  } catch {
    // A non-JSON error body (a proxy's HTML page, say) still yields an ApiError with the status.
  }
  response.data = raw.length === 0 ? '' : body.code !== undefined ? body : raw.toString('utf8');
  const apiCode = typeof body.code === 'string' ? body.code : undefined;
  const apiMessage = typeof body.message === 'string' ? body.message : undefined;
  const requestId = responseHeader(response, 'request-id');
  throw new ApiError(
    `WeChat Pay answered HTTP ${response.status}${apiCode ? ` ${apiCode}` : ''}${apiMessage ? `: ${apiMessage}` : ''}${requestId ? ` (Request-ID ${requestId})` : ''}`,
    { apiCode, apiMessage, detail: body.detail, requestId },
    { config: error.config, response, cause: error },
  );
}
