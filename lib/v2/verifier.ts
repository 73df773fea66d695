import { AxiosError, type AxiosResponse } from 'axios';
import { ApiError, WechatpayError, BadSignatureError, MalformedBodyError } from '../errors';
import { readAnswer } from '../response-body';
import { requestSignType, verifyV2, type V2SignType } from './signature';
import { Transformer } from './transformer';

/** Endpoints whose successful answers are files: bytes come back as they are (gzip included). */
const FILE_ANSWERS = [/\/pay\/downloadbill$/, /\/pay\/downloadfundflow$/];

/** Endpoints whose XML answers carry no `sign` (DESIGN.md): transfers, red packets, the RSA key. */
const UNSIGNED_ANSWERS = [/\/mmpaymkttransfers\//, /\/risk\/getpublickey$/, /\/pay\/downloadbill$/, /\/pay\/downloadfundflow$/];

function parse(raw: Buffer, response: AxiosResponse): Record<string, string> {
  try {
    return Transformer.toObject(raw);
  } catch (cause) {
    throw new MalformedBodyError(`APIv2 answer: not the XML it should be (${(cause as Error).message})`, { config: response.config, response, cause });
  }
}

/**
 * The algorithm the request was signed with, read from its body as sent, which the answer must
 * use too; undefined when the body was not signed APIv2 XML (a raw `body`).
 */
function sentSignType(data: unknown): V2SignType | undefined {
  if (typeof data !== 'string' || !data.startsWith('<xml>')) return undefined;
  try {
    const fields = Transformer.toObject(data);
    return fields.sign === undefined ? undefined : requestSignType(fields);
  } catch {
    return undefined;
  }
}

/**
 * Throws the ApiError of a FAIL answer: `return_code` FAIL (the call itself failed; such answers
 * carry no sign) or `result_code` FAIL (the business did; verified when the endpoint signs).
 */
function failIfFail(fields: Record<string, string>, response: AxiosResponse, signed: boolean): void {
  if (fields.return_code === 'FAIL') {
    throw new ApiError(
      `WeChat Pay APIv2 answered return_code FAIL: ${fields.return_msg ?? ''} (an unsigned answer: its fields are not verified)`,
      { apiCode: 'FAIL', apiMessage: fields.return_msg, verified: false },
      { config: response.config, response },
    );
  }
  if (fields.result_code === 'FAIL') {
    throw new ApiError(`WeChat Pay APIv2 answered result_code FAIL ${fields.err_code ?? ''}: ${fields.err_code_des ?? ''}`, { apiCode: fields.err_code, apiMessage: fields.err_code_des, verified: signed }, { config: response.config, response });
  }
}

/**
 * Builds the response interceptors of APIv2. An answer is parsed safely, its `sign` verified
 * with the APIv2 key (except where the endpoint sends none), and a `return_code` or `result_code`
 * of FAIL rejects with an {@link ApiError} whose `response.data` holds the parsed fields. File
 * endpoints hand back their bytes unless the answer is an XML error.
 */
export function createV2Verifier(secret: string) {
  async function verifyResponse(response: AxiosResponse): Promise<AxiosResponse> {
    // The absolute URL the request was sent to (pinned before sending).
    const path = new URL(response.config.url ?? '').pathname;
    const raw = await readAnswer(response);
    const isFile = FILE_ANSWERS.some((pattern) => pattern.test(path));
    if (isFile && !raw.subarray(0, 5).toString('latin1').startsWith('<xml')) {
      response.data = raw;
      return response;
    }
    const fields = parse(raw, response);
    response.data = fields;
    const signed = !UNSIGNED_ANSWERS.some((pattern) => pattern.test(path));
    if (signed && fields.return_code !== 'FAIL') {
      if (fields.sign === undefined) throw new BadSignatureError('APIv2 answer: the sign field is missing', { config: response.config, response });
      const signType = sentSignType(response.config.data);
      if (!verifyV2(fields, secret, signType)) {
        throw new BadSignatureError(`APIv2 answer: sign does not match the fields${signType ? ` under ${signType}, the algorithm the request was signed with` : ''}`, { config: response.config, response });
      }
    }
    failIfFail(fields, response, signed);
    return response;
  }

  async function explainFailure(error: unknown): Promise<never> {
    if (error instanceof WechatpayError || !(error instanceof AxiosError) || !error.response) throw error;
    const { response } = error;
    const text = (await readAnswer(response)).toString('utf8');
    response.data = text;
    throw new ApiError(`WeChat Pay APIv2 answered HTTP ${response.status}`, { apiMessage: text.slice(0, 200) || undefined }, { config: error.config, response, cause: error });
  }

  return { verifyResponse, explainFailure };
}
