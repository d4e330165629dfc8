// XML in and out of the S3 dialect. Responses are built with a tiny escaping builder (S3's documents
// are flat and small; a streaming builder would buy nothing). Request bodies (Complete, Delete, ACLs,
// CreateBucketConfiguration) are parsed with fast-xml-parser after a size cap, so a client cannot make
// us buffer an unbounded body; anything not well-formed is MalformedXML.
import { Readable } from 'node:stream';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Error, type S3Code } from './errors.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

// XML 1.0 allows only tab, LF, CR and chars ≥ 0x20 (minus surrogates and U+FFFE/FFFF). Other control
// characters cannot be written at all, not even as references; clients that store such keys ask for
// encoding-type=url, which percent-encodes them before they get here.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g;

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    .replace(NOT_XML, (c) => `&#${c.charCodeAt(0)};`);
}

/** A node: element name, then children (nodes, text, or undefined/false to skip). */
export type XmlChild = XmlNode | string | number | boolean | undefined | null;
export interface XmlNode {
  name: string;
  attrs?: Record<string, string>;
  children: XmlChild[];
}

export function el(name: string, ...children: Array<XmlChild | XmlChild[]>): XmlNode {
  return { name, children: children.flat() };
}

/** An element only when the value is defined (S3 omits absent optional fields). */
export function opt(name: string, value: string | number | boolean | undefined | null): XmlNode | undefined {
  return value === undefined || value === null ? undefined : el(name, value);
}

function write(node: XmlNode, out: string[]): void {
  out.push('<', node.name);
  for (const [k, v] of Object.entries(node.attrs ?? {})) out.push(' ', k, '="', escapeXml(v), '"');
  const kids = node.children.filter((c) => c !== undefined && c !== null && c !== false);
  if (kids.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const c of kids) {
    if (typeof c === 'object') write(c as XmlNode, out);
    else out.push(escapeXml(String(c)));
  }
  out.push('</', node.name, '>');
}

/** A whole response document; the root gets S3's namespace unless told otherwise. */
export function renderXml(root: XmlNode, opts: { namespace?: boolean } = {}): string {
  const r = opts.namespace === false ? root : { ...root, attrs: { xmlns: S3_XMLNS, ...(root.attrs ?? {}) } };
  const out: string[] = [DECLARATION];
  write(r, out);
  return out.join('');
}

export function errorXml(e: { code: string; message: string; resource: string; requestId: string; details?: Record<string, string> }): string {
  const extra = Object.entries(e.details ?? {}).map(([k, v]) => el(k, v));
  return renderXml(el('Error', el('Code', e.code), el('Message', e.message), ...extra, el('Resource', e.resource), el('RequestId', e.requestId)), { namespace: false });
}

// ---- parsing ----

/** Bodies of the XML requests we accept. 10000 Complete parts with checksums fit in 4 MiB. */
export const MAX_XML_BYTES = 4 << 20;

/** Reads a (small) request body into memory, refusing more than `max` bytes. */
export async function readSmallBody(body: Readable | undefined, max = MAX_XML_BYTES, tooLarge: S3Code = 'MalformedXML'): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of body as AsyncIterable<Buffer>) {
    total += c.length;
    if (total > max) {
      body.destroy();
      throw new S3Error(tooLarge, `the request body is larger than the ${max}-byte limit for this request`);
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  // Keys are data: "  a " and "007" must arrive exactly as sent, not trimmed or turned into numbers.
  trimValues: false,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  isArray: (name) => REPEATED.has(name),
});
/** Elements that may repeat, so a single one still parses as a list. */
const REPEATED = new Set(['Part', 'Object', 'Grant']);

/** Parses a request document; not well-formed, or a different root element → MalformedXML. */
export function parseXml(body: Buffer, root: string): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '') throw new S3Error('MalformedXML', `the request body is empty; expected a <${root}> document`);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new S3Error('MalformedXML', `the XML is not well-formed: ${valid.err.msg} (line ${valid.err.line})`);
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new S3Error('MalformedXML', `the XML is not well-formed: ${(err as Error).message}`);
  }
  const top = doc[root];
  if (top === undefined) throw new S3Error('MalformedXML', `expected a <${root}> document`);
  // <Root/> parses as '' — treat it as an element without children.
  return top !== null && typeof top === 'object' ? (top as Record<string, unknown>) : {};
}

/** The text of a child element; whitespace-only mixed content of containers is ignored by callers. */
export function textOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && '#text' in (v as object)) return String((v as Record<string, unknown>)['#text']);
  return '';
}

export function listOf(v: unknown): unknown[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v : [v];
}
