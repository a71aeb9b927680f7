/** A small streaming multipart/form-data parser (RFC 7578), enough for wx.uploadFile and form-data. */

export interface PartInfo {
  name: string;
  filename: string | null;
  contentType: string | null;
}

export interface PartHandlers {
  onPart(info: PartInfo): void;
  onData(chunk: Buffer): void;
  onPartEnd(): void;
}

export class MultipartError extends Error {
  override name = 'MultipartError';
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

/** The boundary of a multipart/form-data Content-Type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  return b && b.length <= 200 ? b : null;
}

function parseHeaders(text: string): PartInfo {
  let name: string | null = null;
  let filename: string | null = null;
  let contentType: string | null = null;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-disposition') {
      const n = /;\s*name="([^"]*)"/i.exec(value) ?? /;\s*name=([^;\s]+)/i.exec(value);
      if (n) name = n[1] ?? null;
      const f = /;\s*filename="([^"]*)"/i.exec(value) ?? /;\s*filename=([^;\s]+)/i.exec(value);
      if (f) filename = f[1] ?? null;
    } else if (key === 'content-type') {
      contentType = value;
    }
  }
  if (name === null) throw new MultipartError('a part has no Content-Disposition name');
  return { name, filename, contentType };
}

export class MultipartParser {
  private readonly delimiter: Buffer;
  // the stream is read as if it began with CRLF, so the first boundary is found like the others
  private buf: Buffer = Buffer.from(CRLF);
  private state: 'preamble' | 'after-boundary' | 'headers' | 'body' | 'done' = 'preamble';

  constructor(
    boundary: string,
    private readonly h: PartHandlers,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  write(chunk: Buffer): void {
    if (this.state === 'done') return; // epilogue is ignored
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.run();
  }

  end(): void {
    if (this.state !== 'done') throw new MultipartError('the multipart body ended before its closing boundary');
  }

  private run(): void {
    for (;;) {
      if (this.state === 'preamble' || this.state === 'body') {
        const i = this.buf.indexOf(this.delimiter);
        if (i < 0) {
          const keep = this.delimiter.length - 1;
          if (this.buf.length > keep) {
            const out = this.buf.subarray(0, this.buf.length - keep);
            if (this.state === 'body') this.h.onData(out);
            this.buf = this.buf.subarray(this.buf.length - keep);
          }
          return;
        }
        if (this.state === 'body') {
          if (i > 0) this.h.onData(this.buf.subarray(0, i));
          this.h.onPartEnd();
        }
        this.buf = this.buf.subarray(i + this.delimiter.length);
        this.state = 'after-boundary';
      }
      if (this.state === 'after-boundary') {
        if (this.buf.length < 2) return;
        if (this.buf[0] === 0x2d && this.buf[1] === 0x2d) {
          this.state = 'done';
          this.buf = Buffer.alloc(0);
          return;
        }
        // transport padding (spaces/tabs) may precede the CRLF
        const eol = this.buf.indexOf(CRLF);
        if (eol < 0) {
          if (this.buf.length > 256) throw new MultipartError('malformed boundary line');
          return;
        }
        if (!/^[ \t]*$/.test(this.buf.subarray(0, eol).toString('latin1'))) throw new MultipartError('malformed boundary line');
        this.buf = this.buf.subarray(eol + 2);
        this.state = 'headers';
      }
      if (this.state === 'headers') {
        const end = this.buf.indexOf(HEADER_END);
        // a part with no header lines at all starts directly with CRLF
        if (end < 0) {
          if (this.buf.length > MAX_HEADER_BYTES) throw new MultipartError('part headers too large');
          return;
        }
        const info = parseHeaders(this.buf.subarray(0, end).toString('utf8'));
        this.buf = this.buf.subarray(end + 4);
        this.state = 'body';
        this.h.onPart(info);
      }
    }
  }
}

export interface BufferedPart extends PartInfo {
  data: Buffer;
}

/** Parses a whole multipart body held in memory. */
export function parseMultipart(body: Buffer, boundary: string): BufferedPart[] {
  const parts: BufferedPart[] = [];
  let current: { info: PartInfo; chunks: Buffer[] } | null = null;
  const p = new MultipartParser(boundary, {
    onPart(info) {
      current = { info, chunks: [] };
    },
    onData(chunk) {
      current?.chunks.push(chunk);
    },
    onPartEnd() {
      const c = current as { info: PartInfo; chunks: Buffer[] } | null;
      if (c) parts.push({ ...c.info, data: Buffer.concat(c.chunks) });
      current = null;
    },
  });
  p.write(body);
  p.end();
  return parts;
}
