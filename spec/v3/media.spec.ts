import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import axios, { type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { ApiError, ErrorCode, MAX_MEDIA_BYTES, MediaUpload, OptionError, Wechatpay, mediaContentType, type ChainNode } from '../../lib';
import { Sandbox, type ReceivedRequest } from '../../lib/sandbox';
import { opensslHash, opensslVerifies } from '../support/openssl';

const AUTHORIZATION = /^WECHATPAY2-SHA256-RSA2048 mchid="\d+",serial_no="[0-9A-F]+",timestamp="(\d+)",nonce_str="([0-9A-Za-z]{32})",signature="([A-Za-z0-9+/=]+)"$/;

/** A PNG's first bytes and some more, with CRLFs and dashes that a careless parser would trip on. */
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('\r\n--not-a-boundary\r\n\r\n'), Buffer.from([0, 255, 13, 10, 45, 45])]);

interface WirePart {
  headers: string;
  data: Buffer;
}

/**
 * Splits a recorded multipart body by its boundary, independently of the sandbox's parser:
 * latin1 maps every byte to one character and back, so the parts' bytes survive exactly.
 */
function wireParts(request: ReceivedRequest): Record<string, WirePart> {
  const boundary = /^multipart\/form-data; boundary=([\w-]+)$/.exec(String(request.headers['content-type']))?.[1];
  assert.ok(boundary, `a multipart Content-Type with a boundary: ${String(request.headers['content-type'])}`);
  const sections = request.body.toString('latin1').split(`--${boundary}`);
  assert.equal(sections[0], '', 'nothing before the first boundary');
  assert.equal(sections[sections.length - 1], '--\r\n', 'the closing boundary ends the body');
  const parts: Record<string, WirePart> = {};
  for (const section of sections.slice(1, -1)) {
    assert.ok(section.startsWith('\r\n') && section.endsWith('\r\n'));
    const [headers, ...rest] = section.slice(2, -2).split('\r\n\r\n');
    const name = /name="([^"]+)"/.exec(headers)?.[1];
    assert.ok(name);
    parts[name] = { headers, data: Buffer.from(rest.join('\r\n\r\n'), 'latin1') };
  }
  return parts;
}

/**
 * Checks an upload as it went over the wire, with nothing of the SDK's or the sandbox's: the
 * meta's sha256 is the file's (node:crypto), and openssl verifies the Authorization signature
 * over `POST\nTARGET\nTS\nNONCE\n<meta JSON>\n`.
 */
function assertSignedUpload(sandbox: Sandbox, request: ReceivedRequest, file: Buffer, filename: string, contentType: string): void {
  const parts = wireParts(request);
  assert.deepEqual(Object.keys(parts), ['meta', 'file']);
  assert.match(parts.meta.headers, /^Content-Disposition: form-data; name="meta"\r\nContent-Type: application\/json$/);
  assert.equal(parts.file.headers, `Content-Disposition: form-data; name="file"; filename="${Buffer.from(filename).toString('latin1')}"\r\nContent-Type: ${contentType}`);
  assert.deepEqual(parts.file.data, file);
  const meta = JSON.parse(parts.meta.data.toString('utf8')) as { filename: string; sha256: string };
  assert.deepEqual(Object.keys(meta), ['filename', 'sha256']);
  assert.equal(meta.filename, filename);
  assert.equal(meta.sha256, createHash('sha256').update(parts.file.data).digest('hex'));
  assert.equal(Number(request.headers['content-length']), request.body.length);

  const [, timestamp, nonce, signature] = AUTHORIZATION.exec(String(request.headers.authorization)) ?? [];
  assert.ok(signature, 'an Authorization of the documented form');
  const message = Buffer.concat([Buffer.from(`POST\n${request.target}\n${timestamp}\n${nonce}\n`), parts.meta.data, Buffer.from('\n')]);
  assert.ok(opensslVerifies(message, signature, sandbox.merchant.publicKeyPem), 'openssl verifies the signature over the meta JSON');
  assert.ok(request.authorized, 'the sandbox verified it too');
}

async function rejectsNaming(promise: Promise<unknown>, name: string, pattern?: RegExp): Promise<OptionError> {
  let error: unknown;
  await promise.then(() => assert.fail('expected a rejection'), (caught: unknown) => (error = caught));
  assert.ok(error instanceof OptionError, `expected an OptionError, got ${inspect(error)}`);
  assert.equal(error.code, ErrorCode.INVALID_ARGUMENT);
  assert.ok(error.message.startsWith(`${name}: `), `"${error.message}" names ${name}`);
  if (pattern) assert.match(error.message, pattern);
  return error;
}

/** An adapter that changes the wire bytes after signing, as a meddler on the way would. */
function meddling(change: (wire: Buffer) => Buffer) {
  return (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    config.data = change(Buffer.from(config.data as Buffer));
    return axios.getAdapter('http')(config);
  };
}

describe('media uploads', () => {
  let sandbox: Sandbox;
  let wxpay: Wechatpay;
  let dir: string;
  let pngPath: string;
  before(async () => {
    sandbox = await Sandbox.start();
    wxpay = new Wechatpay(sandbox.clientOptions);
    dir = mkdtempSync(join(tmpdir(), 'wechatpay-media-'));
    pngPath = join(dir, 'shop-front.png');
    writeFileSync(pngPath, PNG);
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sandbox.close();
  });

  const last = () => sandbox.requests[sandbox.requests.length - 1];

  const styles: Array<[string, () => ChainNode]> = [
    ['chained properties', () => wxpay.v3.merchant.media.upload],
    ['a declared path', () => wxpay.chain('v3/merchant/media/upload')],
    ['a bracket path', () => wxpay['v3/merchant/media/upload']],
  ];
  const inputs: Array<[string, () => Promise<MediaUpload>]> = [
    ['a path', () => MediaUpload.from(pngPath)],
    ['a Buffer', () => MediaUpload.from(PNG, { filename: 'shop-front.png' })],
    ['a stream', () => MediaUpload.from(Readable.from([PNG.subarray(0, 5), PNG.subarray(5)]), { filename: 'shop-front.png' })],
  ];
  for (const [style, node] of styles) {
    for (const [input, upload] of inputs) {
      it(`uploads from ${input} through ${style}: the signature covers the meta JSON, the sandbox checks the sha256`, async () => {
        const { data } = (await node().post({ media: await upload() })) as { data: { media_id: string } };
        assert.match(data.media_id, /^[\w-]{96}$/);
        assert.equal(last().target, '/v3/merchant/media/upload');
        assertSignedUpload(sandbox, last(), PNG, 'shop-front.png', 'image/png');
      });
    }
  }

  it('uploads with a node-style callback', async () => {
    const media = await MediaUpload.from(createReadStream(pngPath));
    const response = await new Promise<AxiosResponse<unknown>>((resolve, reject) => {
      const returned = wxpay.v3.merchant.media.upload.post({ media }, (error, res) => (error ? reject(error) : resolve(res as AxiosResponse<unknown>)));
      assert.equal(returned, undefined);
    });
    assert.equal(typeof (response.data as { media_id: unknown }).media_id, 'string');
    assertSignedUpload(sandbox, last(), PNG, 'shop-front.png', 'image/png');
  });

  it('signs the meta JSON, not the multipart bytes around it', async () => {
    await wxpay.v3.merchant.media.upload.post({ media: await MediaUpload.from(pngPath) });
    const [, timestamp, nonce, signature] = AUTHORIZATION.exec(String(last().headers.authorization)) ?? [];
    const overForm = Buffer.concat([Buffer.from(`POST\n${last().target}\n${timestamp}\n${nonce}\n`), last().body, Buffer.from('\n')]);
    assert.equal(opensslVerifies(overForm, signature, sandbox.merchant.publicKeyPem), false);
  });

  it('sends each upload under a fresh boundary', async () => {
    const media = await MediaUpload.from(pngPath);
    await wxpay.v3.merchant.media.upload.post({ media });
    const first = last().headers['content-type'];
    await wxpay.v3.merchant.media.upload.post({ media });
    assert.notEqual(last().headers['content-type'], first);
  });

  it('uploads a video, a marketing image (answered with media_url) and a complaint image', async () => {
    const video = Buffer.from('\0\0\0\x18ftypmp42 pretend video');
    const { data: videoAnswer } = (await wxpay.v3.merchant.media.video_upload.post({ media: await MediaUpload.from(video, { filename: 'intro.MP4' }) })) as { data: { media_id: string } };
    assert.equal(typeof videoAnswer.media_id, 'string');
    assertSignedUpload(sandbox, last(), video, 'intro.MP4', 'video/mp4');

    const { data: favor } = (await wxpay.chain('v3/marketing/favor/media/image-upload').post({ media: await MediaUpload.from(pngPath) })) as { data: { media_url: string } };
    const sha256 = createHash('sha256').update(PNG).digest('hex');
    assert.equal(favor.media_url, `https://qpic.cn/sandbox/${sha256}`);
    assertSignedUpload(sandbox, last(), PNG, 'shop-front.png', 'image/png');

    const jpeg = Buffer.from('ffd8ffe000104a464946', 'hex');
    const { data: complaint } = (await wxpay['v3/merchant-service/images/upload'].post({ media: await MediaUpload.from(jpeg, { filename: '凭证.jpeg' }) })) as { data: { media_id: string } };
    assert.match(complaint.media_id, /^[0-9A-F]{32}\.jpeg$/);
    assertSignedUpload(sandbox, last(), jpeg, '凭证.jpeg', 'image/jpeg');
  });

  it('is refused (400 PARAM_ERROR) when a file byte is changed on the way: the signature still verifies, the sha256 does not', async () => {
    const media = await MediaUpload.from(pngPath);
    const adapter = meddling((wire) => {
      const at = wire.indexOf(PNG);
      wire[at + 3] ^= 0x01;
      return wire;
    });
    await assert.rejects(wxpay.v3.merchant.media.upload.post({ media, adapter }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.response?.status, 400);
      assert.equal(error.apiCode, 'PARAM_ERROR');
      assert.match(String(error.apiMessage), /sha256 does not match/);
      return true;
    });
    assert.ok(last().authorized);
  });

  it('is refused (401 SIGN_ERROR) when the meta JSON is changed on the way', async () => {
    const media = await MediaUpload.from(pngPath);
    const adapter = meddling((wire) => Buffer.from(wire.toString('latin1').replace('"filename":"shop-front.png"', '"filename":"shop-frnt2.png"'), 'latin1'));
    await assert.rejects(wxpay.v3.merchant.media.upload.post({ media, adapter }), (error: unknown) => error instanceof ApiError && error.apiCode === 'SIGN_ERROR' && error.response?.status === 401);
    assert.equal(last().authorized, false);
  });

  it('is refused by the gateway for a format or size the endpoint does not take', async () => {
    const video = await MediaUpload.from(Buffer.from('mp4'), { filename: 'intro.mp4' });
    await assert.rejects(wxpay.v3.merchantService.images.upload.post({ media: video }), (error: unknown) => error instanceof ApiError && error.apiCode === 'PARAM_ERROR' && /takes \.jpg/.test(String(error.apiMessage)));
    const large = await MediaUpload.from(Buffer.alloc(2 * 1024 * 1024 + 1, 1), { filename: 'large.png' });
    await assert.rejects(wxpay.v3.merchantService.images.upload.post({ media: large }), (error: unknown) => error instanceof ApiError && error.apiCode === 'PARAM_ERROR' && /over the 2097152-byte limit/.test(String(error.apiMessage)));
    assert.ok(last().authorized);
  });

  it('refuses a media option that is not a MediaUpload, or one given with json or body, before sending', async () => {
    const count = sandbox.requests.length;
    const media = await MediaUpload.from(pngPath);
    const refused = (error: unknown) => error instanceof OptionError && error.code === ErrorCode.INVALID_OPTION;
    await assert.rejects(wxpay.v3.merchant.media.upload.post({ media: PNG as unknown as MediaUpload }), (error: unknown) => refused(error) && /MediaUpload/.test((error as Error).message));
    await assert.rejects((wxpay.v3.merchant.media.upload as ChainNode).post({ media, json: {} }), refused);
    await assert.rejects((wxpay.v3.merchant.media.upload as ChainNode).post({ body: 'x', media }), refused);
    assert.equal(sandbox.requests.length, count);
  });
});

describe('MediaUpload.from', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'wechatpay-media-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('builds meta as {"filename","sha256"} with the SHA-256 openssl computes', async () => {
    const upload = await MediaUpload.from(PNG, { filename: 'a.png' });
    const sha256 = opensslHash(PNG, 'sha256');
    assert.equal(upload.sha256, sha256);
    assert.equal(upload.meta, `{"filename":"a.png","sha256":"${sha256}"}`);
  });

  it('builds the multipart body byte for byte, under a boundary that is not in the file', async () => {
    const upload = await MediaUpload.from(PNG, { filename: 'a.png' });
    const { contentType, body } = upload.toMultipart();
    const boundary = contentType.replace('multipart/form-data; boundary=', '');
    assert.match(boundary, /^wechatpay-ts-[0-9a-f]{32}$/);
    assert.equal(PNG.includes(boundary), false);
    const expected = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n${upload.meta}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
      PNG,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    assert.deepEqual(body, expected);
  });

  it('takes the Content-Type from the extension, case-insensitively, unless one is given', async () => {
    const table: Array<[string, string]> = [
      ['a.jpg', 'image/jpeg'], ['a.JPEG', 'image/jpeg'], ['a.png', 'image/png'], ['a.bmp', 'image/bmp'], ['a.gif', 'image/gif'],
      ['a.pdf', 'application/pdf'], ['a.mp4', 'video/mp4'], ['a.mov', 'video/quicktime'], ['a.avi', 'video/x-msvideo'],
      ['a.wmv', 'video/x-ms-wmv'], ['a.mpeg', 'video/mpeg'], ['a.mkv', 'video/x-matroska'], ['a.flv', 'video/x-flv'],
      ['noextension', 'application/octet-stream'], ['a.exe', 'application/octet-stream'],
    ];
    for (const [filename, type] of table) assert.equal(mediaContentType(filename), type, filename);
    assert.equal((await MediaUpload.from(PNG, { filename: 'x.JPG' })).contentType, 'image/jpeg');
    assert.equal((await MediaUpload.from(PNG, { filename: 'x.bin', contentType: 'image/png' })).contentType, 'image/png');
  });

  it('names the file after the path, a file:// URL or the stream of a file', async () => {
    const path = join(dir, 'logo.bmp');
    writeFileSync(path, PNG);
    assert.equal((await MediaUpload.from(path)).filename, 'logo.bmp');
    assert.equal((await MediaUpload.from(pathToFileURL(path))).filename, 'logo.bmp');
    assert.equal((await MediaUpload.from(pathToFileURL(path).href)).contentType, 'image/bmp');
    const streamed = await MediaUpload.from(createReadStream(path));
    assert.deepEqual([streamed.filename, streamed.contentType], ['logo.bmp', 'image/bmp']);
    assert.deepEqual(streamed.file, PNG);
    assert.equal((await MediaUpload.from(path, { filename: 'other.png' })).filename, 'other.png');
  });

  it('asks for a filename when the bytes come without a path', async () => {
    await rejectsNaming(MediaUpload.from(PNG), 'MediaUpload.from: options.filename', /required/);
    await rejectsNaming(MediaUpload.from(Readable.from([PNG])), 'MediaUpload.from: options.filename', /required/);
  });

  it('refuses a filename or Content-Type that would break the form', async () => {
    for (const filename of ['a".png', 'a\r\nX-Injected: 1.png', 'a\\b.png', '', 'x'.repeat(256)]) {
      await rejectsNaming(MediaUpload.from(PNG, { filename }), 'MediaUpload.from: options.filename');
    }
    for (const contentType of ['image/png\r\nX-Injected: 1', 'png', '']) {
      await rejectsNaming(MediaUpload.from(PNG, { filename: 'a.png', contentType }), 'MediaUpload.from: options.contentType');
    }
  });

  it(`refuses more than ${MAX_MEDIA_BYTES} bytes from a Buffer, a path (without reading it) or a stream (and stops reading)`, async () => {
    await rejectsNaming(MediaUpload.from(Buffer.alloc(MAX_MEDIA_BYTES + 1), { filename: 'a.png' }), 'MediaUpload.from: file', /over the 16777216-byte limit/);
    const sparse = join(dir, 'huge.png');
    writeFileSync(sparse, '');
    truncateSync(sparse, MAX_MEDIA_BYTES + 1);
    await rejectsNaming(MediaUpload.from(sparse), 'MediaUpload.from: file', /16777217 bytes/);

    let pulled = 0;
    const chunk = Buffer.alloc(1024 * 1024);
    const endless = new Readable({ read() { pulled++; this.push(chunk); } });
    await rejectsNaming(MediaUpload.from(endless, { filename: 'a.mp4' }), 'MediaUpload.from: file', /over the 16777216-byte limit/);
    assert.ok(endless.destroyed, 'the stream is destroyed');
    assert.ok(pulled <= 20, `read ${pulled} MiB, not on without end`);
  });

  it('names the file and keeps the cause when it cannot be read', async () => {
    const missing = await rejectsNaming(MediaUpload.from(join(dir, 'missing.png')), 'MediaUpload.from: file', /cannot read .*missing\.png \(ENOENT\)/);
    assert.equal((missing.cause as NodeJS.ErrnoException).code, 'ENOENT');
    await rejectsNaming(MediaUpload.from(dir), 'MediaUpload.from: file', /not a regular file/);
    const failing = new Readable({ read() { this.destroy(new Error('disk on fire')); } });
    const broken = await rejectsNaming(MediaUpload.from(failing, { filename: 'a.png' }), 'MediaUpload.from: file', /cannot read the stream/);
    assert.equal((broken.cause as Error).message, 'disk on fire');
    await rejectsNaming(MediaUpload.from('file://host:bad/a.png'), 'MediaUpload.from: file', /file:\/\/ URL/);
  });

  it('refuses an empty file and inputs that are not files', async () => {
    await rejectsNaming(MediaUpload.from(Buffer.alloc(0), { filename: 'a.png' }), 'MediaUpload.from: file', /empty/);
    for (const input of [42, null, {}, [PNG]]) {
      await rejectsNaming(MediaUpload.from(input as unknown as Buffer, { filename: 'a.png' }), 'MediaUpload.from: file', /expected a path, a Buffer or a readable stream/);
    }
    await rejectsNaming(MediaUpload.from(Readable.from([{ not: 'bytes' }]), { filename: 'a.png' }), 'MediaUpload.from: file', /object chunk/);
  });
});
