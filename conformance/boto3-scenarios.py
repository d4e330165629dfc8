#!/usr/bin/python3
"""boto3 scenarios of the godfs S3 conformance suite (conformance/boto3.test.ts runs this).

Reads a JSON job on stdin: endpoint, keys, region, a scratch directory, the special keys and seeded
files prepared by the test ({"path", "sha256", "size"}). Runs every scenario, each isolated, and
prints one JSON object: scenario name -> {"ok": true} or {"ok": false, "error": "..."}.
Every comparison of content is by sha256 of the bytes.
"""
import hashlib
import json
import os
import sys
import traceback
import urllib.parse
import urllib.request

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

job = json.load(sys.stdin)
s3 = boto3.client(
    "s3",
    endpoint_url=job["endpoint"],
    aws_access_key_id=job["accessKey"],
    aws_secret_access_key=job["secretKey"],
    region_name=job["region"],
    config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
)
B = "boto3-main"
SCRATCH = job["scratch"]
results = {}


def scenario(fn):
    try:
        fn()
        results[fn.__name__] = {"ok": True}
    except Exception as e:  # noqa: BLE001 - every failure is reported, none stops the others
        results[fn.__name__] = {"ok": False, "error": f"{type(e).__name__}: {e}\n{traceback.format_exc()[-1500:]}"}
    return fn


def sha(b):
    return hashlib.sha256(b).hexdigest()


def sha_file(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def error_of(fn):
    try:
        fn()
    except ClientError as e:
        return (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])
    raise AssertionError("the call succeeded but was expected to fail")


def eq(actual, expected, what=""):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def body(key, **kw):
    return s3.get_object(Bucket=B, Key=key, **kw)["Body"].read()


s3.create_bucket(Bucket=B)


@scenario
def buckets():
    s3.create_bucket(Bucket="boto3-b1")
    s3.create_bucket(Bucket="boto3-b2")
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    eq([n for n in names if n.startswith("boto3-")], ["boto3-b1", "boto3-b2", B], "list_buckets")
    s3.head_bucket(Bucket="boto3-b1")
    loc = s3.get_bucket_location(Bucket="boto3-b1").get("LocationConstraint")
    assert loc in (None, "", "us-east-1"), loc
    eq(error_of(lambda: s3.create_bucket(Bucket="boto3-b1")), ("BucketAlreadyOwnedByYou", 409), "create twice")
    s3.put_object(Bucket="boto3-b2", Key="x", Body=b"x")
    eq(error_of(lambda: s3.delete_bucket(Bucket="boto3-b2")), ("BucketNotEmpty", 409), "delete non-empty")
    s3.delete_object(Bucket="boto3-b2", Key="x")
    s3.delete_bucket(Bucket="boto3-b1")
    s3.delete_bucket(Bucket="boto3-b2")
    eq(error_of(lambda: s3.head_bucket(Bucket="boto3-b1")), ("404", 404), "head deleted bucket")


@scenario
def sizes():
    cfg = TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20)
    for f in job["files"]:
        key = f"sizes/{f['size']}"
        s3.upload_file(f["path"], B, key, Config=cfg)
        out = os.path.join(SCRATCH, f"down-{f['size']}")
        s3.download_file(B, key, out, Config=cfg)
        eq(sha_file(out), f["sha256"], f"download_file {f['size']}")
        etag = s3.head_object(Bucket=B, Key=key)["ETag"]
        if f["size"] > 8 << 20:
            assert etag.endswith(f'-{-(-f["size"] // (8 << 20))}"'), etag
        else:
            with open(f["path"], "rb") as fh:
                eq(etag, '"%s"' % hashlib.md5(fh.read()).hexdigest(), "ETag")
    data = os.urandom(1024)
    s3.put_object(Bucket=B, Key="sizes/put-1k", Body=data)
    eq(sha(body("sizes/put-1k")), sha(data), "put_object 1 KiB")
    s3.put_object(Bucket=B, Key="sizes/put-0", Body=b"")
    eq(body("sizes/put-0"), b"", "put_object 0 B")


@scenario
def multipart():
    p1, p2 = os.urandom(5 << 20), os.urandom(777)
    s3.put_object(Bucket=B, Key="mp/src", Body=p1 + p2)
    up = s3.create_multipart_upload(Bucket=B, Key="mp/obj", Metadata={"m": "1"})["UploadId"]
    e1 = s3.upload_part(Bucket=B, Key="mp/obj", UploadId=up, PartNumber=1, Body=p1)["ETag"]
    e2 = s3.upload_part_copy(Bucket=B, Key="mp/obj", UploadId=up, PartNumber=2, CopySource={"Bucket": B, "Key": "mp/src"}, CopySourceRange=f"bytes={5 << 20}-{(5 << 20) + 776}")["CopyPartResult"]["ETag"]
    eq([p["Size"] for p in s3.list_parts(Bucket=B, Key="mp/obj", UploadId=up)["Parts"]], [5 << 20, 777], "list_parts")
    done = s3.complete_multipart_upload(Bucket=B, Key="mp/obj", UploadId=up, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
    assert done["ETag"].endswith('-2"'), done["ETag"]
    eq(sha(body("mp/obj")), sha(p1 + p2), "completed object")
    eq(s3.head_object(Bucket=B, Key="mp/obj")["Metadata"], {"m": "1"}, "metadata of the upload")
    ab = s3.create_multipart_upload(Bucket=B, Key="mp/aborted")["UploadId"]
    s3.abort_multipart_upload(Bucket=B, Key="mp/aborted", UploadId=ab)
    eq(s3.list_multipart_uploads(Bucket=B).get("Uploads", []), [], "no upload left")


@scenario
def ranges():
    data = os.urandom(300_000)
    s3.put_object(Bucket=B, Key="range/obj", Body=data)
    eq(sha(body("range/obj", Range="bytes=10-19")), sha(data[10:20]), "bytes=10-19")
    eq(sha(body("range/obj", Range="bytes=299000-")), sha(data[299000:]), "open-ended")
    eq(sha(body("range/obj", Range="bytes=-1000")), sha(data[-1000:]), "suffix")
    r = s3.get_object(Bucket=B, Key="range/obj", Range="bytes=0-0")
    eq((r["ResponseMetadata"]["HTTPStatusCode"], r["ContentRange"]), (206, "bytes 0-0/300000"), "206 and Content-Range")
    eq(error_of(lambda: s3.get_object(Bucket=B, Key="range/obj", Range="bytes=300000-")), ("InvalidRange", 416), "beyond the end")


@scenario
def listing():
    keys = ["list/a/1", "list/a/2", "list/b", "list/c/d", "list/e", "list/é", "list/😀"]
    for k in keys:
        s3.put_object(Bucket=B, Key=k, Body=k.encode())
    pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=B, Prefix="list/", PaginationConfig={"PageSize": 2}))
    eq([o["Key"] for p in pages for o in p.get("Contents", [])], sorted(keys, key=lambda k: k.encode()), "paginated keys")
    eq(len(pages), 4, "pages of 2")
    flat = s3.list_objects_v2(Bucket=B, Prefix="list/", Delimiter="/")
    eq([p["Prefix"] for p in flat["CommonPrefixes"]], ["list/a/", "list/c/"], "common prefixes")
    eq([o["Key"] for o in flat["Contents"]], ["list/b", "list/e", "list/é", "list/😀"], "keys beside them")
    v1 = s3.list_objects(Bucket=B, Prefix="list/", Marker="list/a/2", MaxKeys=2)
    eq(([o["Key"] for o in v1["Contents"]], v1["IsTruncated"]), (["list/b", "list/c/d"], True), "V1 with a marker")
    after = s3.list_objects_v2(Bucket=B, Prefix="list/", StartAfter="list/e")
    eq([o["Key"] for o in after["Contents"]], ["list/é", "list/😀"], "start-after")


@scenario
def copy_and_batch_delete():
    s3.create_bucket(Bucket="boto3-copy")
    data = os.urandom(2 << 20)
    s3.put_object(Bucket=B, Key="copy/src", Body=data, Metadata={"a": "1"})
    s3.copy_object(Bucket=B, Key="copy/dst", CopySource={"Bucket": B, "Key": "copy/src"})
    s3.copy({"Bucket": B, "Key": "copy/src"}, "boto3-copy", "managed")
    s3.copy_object(Bucket=B, Key="copy/src", CopySource={"Bucket": B, "Key": "copy/src"}, MetadataDirective="REPLACE", Metadata={"b": "2"})
    eq(sha(body("copy/dst")), sha(data), "copy_object")
    eq(sha(s3.get_object(Bucket="boto3-copy", Key="managed")["Body"].read()), sha(data), "managed copy")
    eq(s3.head_object(Bucket=B, Key="copy/src")["Metadata"], {"b": "2"}, "metadata replaced in place")
    res = s3.delete_objects(Bucket=B, Delete={"Objects": [{"Key": "copy/src"}, {"Key": "copy/dst"}, {"Key": "copy/none"}]})
    eq(sorted(d["Key"] for d in res["Deleted"]), ["copy/dst", "copy/none", "copy/src"], "deleted")
    eq(s3.list_objects_v2(Bucket=B, Prefix="copy/").get("KeyCount"), 0, "nothing left")


@scenario
def metadata():
    s3.put_object(Bucket=B, Key="meta/obj", Body=b"m", ContentType="text/x-boto", Metadata={"Color": "Blue", "with-dash": "v a l"}, ContentDisposition="inline")
    h = s3.head_object(Bucket=B, Key="meta/obj")
    eq(h["Metadata"], {"color": "Blue", "with-dash": "v a l"}, "metadata, names lower-cased")
    eq((h["ContentType"], h["ContentDisposition"]), ("text/x-boto", "inline"), "content headers")


@scenario
def presigned():
    data = os.urandom(100_000)
    key = "presigned/a b+c%.bin"
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": B, "Key": key}, ExpiresIn=300)
    with urllib.request.urlopen(urllib.request.Request(put_url, data=data, method="PUT")) as r:
        eq(r.status, 200, "presigned PUT")
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": B, "Key": key}, ExpiresIn=300)
    with urllib.request.urlopen(get_url) as r:
        eq(sha(r.read()), sha(data), "presigned GET")
    head_url = s3.generate_presigned_url("head_object", Params={"Bucket": B, "Key": key}, ExpiresIn=300)
    with urllib.request.urlopen(urllib.request.Request(head_url, method="HEAD")) as r:
        eq(r.headers["Content-Length"], str(len(data)), "presigned HEAD")


@scenario
def special_keys():
    for i, k in enumerate(job["specialKeys"]):
        data = os.urandom(500 + i)
        s3.put_object(Bucket=B, Key="odd/" + k, Body=data)
        eq(sha(body("odd/" + k)), sha(data), k)
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=B, Prefix="odd/")["Contents"]]
    eq(listed, sorted(("odd/" + k for k in job["specialKeys"]), key=lambda k: k.encode()), "listed")
    # botocore itself asks for encoding-type=url on every listing and decodes when the answer echoes it
    # (the listing above); asked for explicitly, the keys come back encoded, to decode by hand.
    explicit = s3.list_objects_v2(Bucket=B, Prefix="odd/", EncodingType="url")
    eq(explicit.get("EncodingType"), "url", "encoding-type echoed")
    eq([urllib.parse.unquote(o["Key"]) for o in explicit["Contents"]], listed, "encoding-type=url keys, decoded")
    for k in job["specialKeys"]:
        s3.delete_object(Bucket=B, Key="odd/" + k)
    eq(s3.list_objects_v2(Bucket=B, Prefix="odd/").get("KeyCount"), 0, "all deleted")


@scenario
def errors():
    eq(error_of(lambda: s3.get_object(Bucket=B, Key="no/such/key")), ("NoSuchKey", 404), "missing key")
    eq(error_of(lambda: s3.list_objects_v2(Bucket="boto3-no-such-bucket")), ("NoSuchBucket", 404), "missing bucket")
    eq(error_of(lambda: s3.create_bucket(Bucket="Invalid_Name")), ("InvalidBucketName", 400), "invalid bucket name")


json.dump(results, sys.stdout)
