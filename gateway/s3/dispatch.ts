// Endpoint → handler. The one place that knows which handler serves which S3 operation, and what a
// missing path means for each (the error subject).
import type { S3Context } from './context.js';
import { sendXml } from './context.js';
import { S3Error, type ErrorSubject } from './errors.js';
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from './handlers/acl.js';
import { createBucket, deleteBucket, getBucketLocation, getBucketVersioning, headBucket, listBuckets, requireBucket } from './handlers/buckets.js';
import { copyObject } from './handlers/copy-object.js';
import { deleteObject, deleteObjects } from './handlers/delete-object.js';
import { getObject, requireObject } from './handlers/get-object.js';
import { listObjectsV1, listObjectsV2, listObjectVersions } from './handlers/list-objects.js';
import { completeMultipartUpload } from './handlers/multipart-complete.js';
import { listMultipartUploads, listParts } from './handlers/multipart-list.js';
import { abortMultipartUpload, createMultipartUpload, uploadPart, uploadPartCopy } from './handlers/multipart.js';
import { putObject } from './handlers/put-object.js';
import type { Endpoint } from './router.js';
import { el } from './xml.js';

export async function dispatch(ctx: S3Context): Promise<void> {
  const e = ctx.endpoint;
  switch (e.kind) {
    case 'ListBuckets':
      return listBuckets(ctx);
    case 'CreateBucket':
      return createBucket(ctx, e.bucket);
    case 'HeadBucket':
      return headBucket(ctx, e.bucket);
    case 'DeleteBucket':
      return deleteBucket(ctx, e.bucket);
    case 'GetBucketLocation':
      return getBucketLocation(ctx, e.bucket);
    case 'GetBucketVersioning':
      return getBucketVersioning(ctx, e.bucket);
    case 'GetBucketAcl':
      return getBucketAcl(ctx, e.bucket);
    case 'PutBucketAcl':
      return putBucketAcl(ctx, e.bucket);
    case 'ListObjectsV1':
      return listObjectsV1(ctx, e.bucket);
    case 'ListObjectsV2':
      return listObjectsV2(ctx, e.bucket);
    case 'ListObjectVersions':
      return listObjectVersions(ctx, e.bucket);
    case 'ListMultipartUploads':
      return listMultipartUploads(ctx, e.bucket);
    case 'DeleteObjects':
      return deleteObjects(ctx, e.bucket);
    case 'PutObject':
      return putObject(ctx, e.bucket, e.key);
    case 'CopyObject':
      return copyObject(ctx, e.bucket, e.key);
    case 'GetObject':
      return getObject(ctx, e.bucket, e.key, 'GET');
    case 'HeadObject':
      return getObject(ctx, e.bucket, e.key, 'HEAD');
    case 'DeleteObject':
      return deleteObject(ctx, e.bucket, e.key);
    case 'GetObjectAcl':
      return getObjectAcl(ctx, e.bucket, e.key);
    case 'PutObjectAcl':
      return putObjectAcl(ctx, e.bucket, e.key);
    case 'GetObjectTagging':
      // godfs keeps no tags: every object has the empty tag set.
      await requireObject(ctx, e.bucket, e.key);
      return void sendXml(ctx, el('Tagging', el('TagSet')));
    case 'CreateMultipartUpload':
      return createMultipartUpload(ctx, e.bucket, e.key);
    case 'UploadPart':
      return uploadPart(ctx, e.bucket, e.key, e.uploadId, e.partNumber);
    case 'UploadPartCopy':
      return uploadPartCopy(ctx, e.bucket, e.key, e.uploadId, e.partNumber);
    case 'CompleteMultipartUpload':
      return completeMultipartUpload(ctx, e.bucket, e.key, e.uploadId);
    case 'AbortMultipartUpload':
      return abortMultipartUpload(ctx, e.bucket, e.key, e.uploadId);
    case 'ListParts':
      return listParts(ctx, e.bucket, e.key, e.uploadId);
    case 'NotConfigured':
      await requireBucket(ctx, e.bucket);
      throw new S3Error(e.code, `godfs buckets have no ${e.what} configuration.`);
    case 'NotImplemented':
      throw new S3Error('NotImplemented', `godfs does not implement ${e.what}.`);
    default: {
      const never: never = e;
      throw new S3Error('NotImplemented', `unknown endpoint ${JSON.stringify(never)}`);
    }
  }
}

export function subjectOf(e: Endpoint | undefined): ErrorSubject {
  switch (e?.kind) {
    case undefined:
    case 'ListBuckets':
      return 'service';
    case 'GetObject':
    case 'HeadObject':
    case 'GetObjectAcl':
    case 'GetObjectTagging':
      return 'object-read';
    case 'PutObject':
    case 'CopyObject':
    case 'DeleteObject':
    case 'PutObjectAcl':
    case 'CreateMultipartUpload':
      return 'object-write';
    case 'UploadPart':
    case 'UploadPartCopy':
    case 'CompleteMultipartUpload':
    case 'AbortMultipartUpload':
    case 'ListParts':
      return 'upload';
    default:
      return 'bucket';
  }
}
