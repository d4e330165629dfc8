// CompleteMultipartUpload: checks the client's part list the way S3 does (MalformedXML, InvalidPart,
// InvalidPartOrder, EntityTooSmall), then asks the sdk to splice the parts' extents into the file —
// a metadata operation in the master: no byte is read or copied. The ETag is S3's
// "<md5 of the parts' binary md5s>-<N>", computed by the sdk.
import { formatEtag, unquoteEtag } from '../../service/http-conditions.js';
import { header, sendXml, type S3Context } from '../context.js';
import { S3Error } from '../errors.js';
import { partSizesXattr } from '../metadata.js';
import { el, listOf, parseXml, readSmallBody, textOf } from '../xml.js';
import { uploadFor } from './multipart.js';

interface RequestedPart {
  partNumber: number;
  etag: string;
}

function requestedParts(doc: Record<string, unknown>): RequestedPart[] {
  const parts = listOf(doc.Part).map((p) => {
    const rec = (p ?? {}) as Record<string, unknown>;
    const n = textOf(rec.PartNumber)?.trim() ?? '';
    const etag = textOf(rec.ETag);
    if (!/^\d{1,5}$/.test(n) || etag === undefined) throw new S3Error('MalformedXML', 'every <Part> needs a <PartNumber> (1..10000) and an <ETag>.');
    return { partNumber: Number(n), etag: unquoteEtag(etag) };
  });
  if (parts.length === 0) throw new S3Error('MalformedXML', 'a CompleteMultipartUpload request must list at least one <Part>.');
  return parts;
}

export async function completeMultipartUpload(ctx: S3Context, bucket: string, key: string, uploadId: string): Promise<void> {
  const { upload, parts: uploaded } = await uploadFor(ctx, uploadId, bucket, key);
  const body = ctx.body();
  const requested = requestedParts(parseXml(await readSmallBody(body.stream), 'CompleteMultipartUpload'));
  await body.result;
  const byNumber = new Map(uploaded.map((p) => [p.partNumber, p]));
  const minPart = ctx.deps.settings.minPartSize;
  for (let i = 0; i < requested.length; i++) {
    const r = requested[i]!;
    if (r.partNumber < 1 || r.partNumber > 10000) throw new S3Error('InvalidPart', `Part number ${r.partNumber} is outside 1..10000.`);
    if (i > 0 && r.partNumber <= requested[i - 1]!.partNumber) throw new S3Error('InvalidPartOrder');
    const have = byNumber.get(r.partNumber);
    if (!have) throw new S3Error('InvalidPart', `Part ${r.partNumber} was not uploaded.`);
    if (have.etag !== r.etag) throw new S3Error('InvalidPart', `Part ${r.partNumber}: the ETag "${r.etag}" does not match the uploaded part's "${have.etag}".`);
    if (i < requested.length - 1 && have.size < minPart) {
      throw new S3Error('EntityTooSmall', `Part ${r.partNumber} is ${have.size} bytes; every part but the last must be at least ${minPart} bytes.`, {
        details: { ProposedSize: String(have.size), MinSizeAllowed: String(minPart), PartNumber: String(r.partNumber), ETag: have.etag },
      });
    }
  }
  const info = await ctx.deps.service.multipart.complete(
    uploadId,
    requested.map((r) => ({ partNumber: r.partNumber })),
    { ifMatch: header(ctx.headers, 'if-match'), ifNoneMatch: header(ctx.headers, 'if-none-match') },
  );
  // Part boundaries, for GET ?partNumber. Metadata only; keyed to this ETag so a later overwrite
  // can never be described by them.
  const sizes = requested.map((r) => byNumber.get(r.partNumber)!.size);
  await ctx.deps.service.setAttr(upload.path, { setXattrs: partSizesXattr(info.etag, sizes) });
  const host = header(ctx.headers, 'host') ?? 'localhost';
  const location = `http://${host}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
  sendXml(ctx, el('CompleteMultipartUploadResult', el('Location', location), el('Bucket', bucket), el('Key', key), el('ETag', formatEtag(info.etag))));
}
