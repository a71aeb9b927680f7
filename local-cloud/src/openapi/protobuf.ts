/**
 * The two protobuf messages of wx-server-sdk's open-API channel (its bundled
 * src/protobuf/openapi.js): the request `CommApiData` and the answer `CommOpenApiResp`.
 *
 *   message KeyValuePair { string key = 1; bytes value = 2; string contenttype = 3; string filename = 4; }
 *   message OpenApiData { repeated KeyValuePair pairs = 1; }
 *   message CommApiData { ApiType apiType = 1; OpenApiData openapiData = 2; …; string appid = 6; }
 *   message CommOpenApiResp { bytes respData = 1; string contentType = 2; int32 errorCode = 3;
 *                             uint32 httpCode = 4; repeated HttpHeader headers = 5; int32 svrkitErrorCode = 6; }
 */

export interface KeyValuePair {
  key: string;
  value: Buffer;
  contentType: string;
  filename: string;
}

export interface CommApiData {
  apiType: number;
  pairs: KeyValuePair[];
  appid: string;
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new RangeError('truncated varint');
      const b = this.buf[this.pos++] ?? 0;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new RangeError('varint too long');
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw new RangeError('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw new RangeError(`unsupported wire type ${wireType}`);
  }
  tag(): { field: number; wire: number } {
    const t = Number(this.varint());
    return { field: t >>> 3, wire: t & 7 };
  }
}

function decodePair(buf: Buffer): KeyValuePair {
  const r = new Reader(buf);
  const p: KeyValuePair = { key: '', value: Buffer.alloc(0), contentType: '', filename: '' };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire === 2 && field === 1) p.key = r.bytes().toString('utf8');
    else if (wire === 2 && field === 2) p.value = Buffer.from(r.bytes());
    else if (wire === 2 && field === 3) p.contentType = r.bytes().toString('utf8');
    else if (wire === 2 && field === 4) p.filename = r.bytes().toString('utf8');
    else r.skip(wire);
  }
  return p;
}

export function decodeCommApiData(buf: Buffer): CommApiData {
  const r = new Reader(buf);
  const out: CommApiData = { apiType: 0, pairs: [], appid: '' };
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === 0) out.apiType = Number(BigInt.asIntN(32, r.varint()));
    else if (field === 2 && wire === 2) {
      const inner = new Reader(r.bytes());
      while (!inner.done) {
        const t = inner.tag();
        if (t.field === 1 && t.wire === 2) out.pairs.push(decodePair(inner.bytes()));
        else inner.skip(t.wire);
      }
    } else if (field === 6 && wire === 2) out.appid = r.bytes().toString('utf8');
    else r.skip(wire);
  }
  return out;
}

function varint(n: bigint): Buffer {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return Buffer.from(out);
}

function lenField(field: number, data: Buffer): Buffer {
  return Buffer.concat([varint(BigInt((field << 3) | 2)), varint(BigInt(data.length)), data]);
}

function intField(field: number, value: number): Buffer {
  return Buffer.concat([varint(BigInt(field << 3)), varint(BigInt(value))]);
}

export function encodeCommOpenApiResp(resp: { respData: Buffer; contentType: string; errorCode?: number; httpCode?: number }): Buffer {
  const parts: Buffer[] = [];
  if (resp.respData.length > 0) parts.push(lenField(1, resp.respData));
  if (resp.contentType) parts.push(lenField(2, Buffer.from(resp.contentType, 'utf8')));
  if (resp.errorCode) parts.push(intField(3, resp.errorCode));
  if (resp.httpCode) parts.push(intField(4, resp.httpCode));
  return Buffer.concat(parts);
}
