import { AxiosError } from 'axios';
import { ApiError, WechatpayError } from '../errors';
import { readAnswer, responseHeader } from '../response-body';

/**
 * What a `SIGN_ERROR` can mean, given what the client checked when it was built (the private key
 * parses, the serial is hex) and signed (the exact bytes sent).
 */
const SIGN_ERROR_HINT =
  '. Ruled out here: an unreadable private key, a serial that is not hex, and a body or URL changed by this client (it signs the bytes it sends).' +
  ' Possible: the private key is not the one of the merchant certificate whose serial was given, the serial or mchid is another merchant’s, the clock is more than 300 s off, or a proxy rewrote the request.' +
  ' `wechatpay doctor` (or diagnose()) with the merchant certificate tells which';

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
    `WeChat Pay answered HTTP ${response.status}${apiCode ? ` ${apiCode}` : ''}${apiMessage ? `: ${apiMessage}` : ''}${requestId ? ` (Request-ID ${requestId})` : ''}${apiCode === 'SIGN_ERROR' ? SIGN_ERROR_HINT : ''}`,
    { apiCode, apiMessage, detail: body.detail, requestId },
    { config: error.config, response, cause: error },
  );
}
