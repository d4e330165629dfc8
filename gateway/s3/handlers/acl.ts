// ACLs: godfs has none, and says so the way S3 says it for a private object. GET ?acl answers the
// owner with FULL_CONTROL (s3cmd reads it after every upload and crashes without it); PUT ?acl accepts
// what changes nothing — the canned ACL "private", or a policy granting only the owner FULL_CONTROL —
// and refuses with NotImplemented anything that would grant someone else access.
import type { S3Context } from '../context.js';
import { OWNER, ownerXml, sendEmpty, sendXml } from '../context.js';
import { S3Error } from '../errors.js';
import { keyPath } from '../names.js';
import { el, listOf, parseXml, readSmallBody, textOf } from '../xml.js';
import { checkCannedAcl, requireBucket } from './buckets.js';
import { requireObject } from './get-object.js';

function policyXml() {
  const grantee = { name: 'Grantee', attrs: { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:type': 'CanonicalUser' }, children: [el('ID', OWNER.id), el('DisplayName', OWNER.displayName)] };
  return el('AccessControlPolicy', ownerXml(), el('AccessControlList', el('Grant', grantee, el('Permission', 'FULL_CONTROL'))));
}

export async function getBucketAcl(ctx: S3Context, bucket: string): Promise<void> {
  await requireBucket(ctx, bucket);
  sendXml(ctx, policyXml());
}

export async function getObjectAcl(ctx: S3Context, bucket: string, key: string): Promise<void> {
  await requireObject(ctx, bucket, key);
  sendXml(ctx, policyXml());
}

export async function putBucketAcl(ctx: S3Context, bucket: string): Promise<void> {
  await requireBucket(ctx, bucket);
  await acceptAcl(ctx);
  sendEmpty(ctx, 200);
}

export async function putObjectAcl(ctx: S3Context, bucket: string, key: string): Promise<void> {
  keyPath(bucket, key);
  await requireObject(ctx, bucket, key);
  await acceptAcl(ctx);
  sendEmpty(ctx, 200);
}

async function acceptAcl(ctx: S3Context): Promise<void> {
  checkCannedAcl(ctx);
  const body = await readSmallBody(ctx.body().stream, 64 * 1024, 'MalformedACLError');
  if (body.length === 0) return;
  let policy: Record<string, unknown>;
  try {
    policy = parseXml(body, 'AccessControlPolicy');
  } catch (err) {
    throw new S3Error('MalformedACLError', (err as Error).message);
  }
  const acl = policy.AccessControlList as Record<string, unknown> | undefined;
  for (const g of listOf(acl?.Grant)) {
    const grant = g as Record<string, unknown>;
    const grantee = (grant.Grantee ?? {}) as Record<string, unknown>;
    const permission = textOf(grant.Permission)?.trim();
    const id = textOf(grantee.ID)?.trim();
    if (permission !== 'FULL_CONTROL' || id !== OWNER.id) {
      throw new S3Error('NotImplemented', 'godfs has no ACLs: only a policy granting the owner FULL_CONTROL (the canned ACL "private") is supported.');
    }
  }
}
