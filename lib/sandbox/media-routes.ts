import { createHash, randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import { formBoundary, parseForm } from './multipart';
import { type Route, type SandboxReply, type SandboxRequest, paramError } from './routes';

const MIB = 1024 * 1024;
const IMAGES = ['.jpg', '.jpeg', '.png', '.bmp'];
const VIDEOS = ['.avi', '.wmv', '.mpeg', '.mp4', '.mov', '.mkv', '.flv', '.f4v', '.m4v', '.rmvb'];

/** One upload endpoint: which files it takes, how large, and what it answers. */
interface UploadEndpoint {
  path: string;
  extensions: string[];
  maxBytes: number;
  answer(sha256: string, extension: string): Record<string, string>;
}

/** An opaque id in the shape of the catalogue's example (base64url text). */
const mediaId = () => ({ media_id: randomBytes(72).toString('base64url') });

/** The upload endpoints, with the formats and limits their catalogue pages state. */
const ENDPOINTS: UploadEndpoint[] = [
  { path: '/v3/merchant/media/upload', extensions: [...IMAGES, '.pdf'], maxBytes: 5 * MIB, answer: mediaId },
  { path: '/v3/merchant/media/video_upload', extensions: VIDEOS, maxBytes: 5 * MIB, answer: mediaId },
  { path: '/v3/marketing/favor/media/image-upload', extensions: IMAGES, maxBytes: 2 * MIB, answer: (sha256) => ({ media_url: `https://qpic.cn/sandbox/${sha256}` }) },
  { path: '/v3/merchant-service/images/upload', extensions: IMAGES, maxBytes: 2 * MIB, answer: (_, extension) => ({ media_id: `${randomBytes(16).toString('hex').toUpperCase()}${extension}` }) },
];


/** The gateway's checks of an upload, in its order; the answer, or a 400 PARAM_ERROR naming the first failure. */
function upload(endpoint: UploadEndpoint, request: SandboxRequest): SandboxReply {
  const boundary = formBoundary(request.headers['content-type']);
  if (boundary === undefined) return paramError('the request must be multipart/form-data with a boundary');
  const parts = parseForm(request.body, boundary);
  if (typeof parts === 'string') return paramError(`malformed multipart body: ${parts}`);
  const metaPart = parts.find((part) => part.name === 'meta');
  const filePart = parts.find((part) => part.name === 'file');
  if (!metaPart) return paramError('the meta part is missing');
  if (!filePart) return paramError('the file part is missing');
  let meta: unknown;
  try {
    meta = JSON.parse(metaPart.data.toString('utf8'));
  } catch {
    return paramError('meta is not JSON');
  }
  const { filename, sha256 } = (meta ?? {}) as { filename?: unknown; sha256?: unknown };
  if (typeof filename !== 'string' || filename === '') return paramError('meta.filename is required');
  if (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256)) return paramError('meta.sha256 must be the hex SHA-256 of the file');
  const extension = extname(filename).toLowerCase();
  if (!endpoint.extensions.includes(extension)) return paramError(`${endpoint.path} takes ${endpoint.extensions.join(', ')} files, not ${extension || 'a file without extension'}`);
  if (filePart.data.length === 0) return paramError('the file is empty');
  if (filePart.data.length > endpoint.maxBytes) return paramError(`the file is ${filePart.data.length} bytes, over the ${endpoint.maxBytes}-byte limit of ${endpoint.path}`);
  const received = createHash('sha256').update(filePart.data).digest('hex');
  if (received !== sha256.toLowerCase()) return paramError('meta.sha256 does not match the file received');
  return { json: endpoint.answer(received, extension) };
}

/**
 * The APIv3 upload endpoints: multipart/form-data with a `meta` part (`{"filename","sha256"}`,
 * the part the sandbox verifies the signature over) and a `file` part. Each checks the form, the
 * file's extension and size for that endpoint, and that the SHA-256 of the bytes received is the
 * one `meta` names (400 PARAM_ERROR otherwise); it answers `media_id`, or `media_url` for the
 * marketing image upload.
 */
export function mediaRoutes(): Route[] {
  return ENDPOINTS.map((endpoint) => ({ method: 'POST', path: endpoint.path, handle: (request) => upload(endpoint, request) }));
}
