import { MalformedMultipartError, MultipartEvent, MultipartRelatedParser, parseMediaType } from './multipart-related';

function body(boundary: string, parts: Array<{ headers?: string; data: Buffer }>, preamble = ''): Buffer {
  return Buffer.concat([
    Buffer.from(preamble),
    ...parts.flatMap((p) => [
      Buffer.from(`--${boundary}\r\n${p.headers ?? 'Content-Type: application/dicom\r\n'}\r\n`),
      p.data,
      Buffer.from('\r\n'),
    ]),
    Buffer.from(`--${boundary}--\r\nepilogue`),
  ]);
}

/** Feeds the body in pieces of `size` and reassembles the parts. */
function parse(boundary: string, input: Buffer, size: number) {
  const parser = new MultipartRelatedParser(boundary);
  const events: MultipartEvent[] = [];
  for (let i = 0; i < input.length; i += size) events.push(...parser.push(input.subarray(i, i + size)));
  events.push(...parser.end());
  const parts: Array<{ headers: Record<string, string>; data: Buffer }> = [];
  for (const e of events) {
    if (e.kind === 'part') parts.push({ headers: e.headers, data: Buffer.alloc(0) });
    else if (e.kind === 'data') parts[parts.length - 1].data = Buffer.concat([parts[parts.length - 1].data, e.data]);
  }
  return parts;
}

describe('multipart/related parser', () => {
  const boundary = 'b0undary-42';
  // Data that nearly contains the delimiter, to catch off-by-one tails.
  const tricky = Buffer.concat([
    Buffer.from('\r\n--b0undary-4'),
    Buffer.alloc(300, 7),
    Buffer.from('\r\n--b0undary'),
    Buffer.from([0, 1, 2]),
  ]);
  const parts = [
    { data: tricky },
    { data: Buffer.alloc(0) },
    { headers: 'content-type: application/dicom\r\nX-Note: two\r\n', data: Buffer.from('second') },
  ];
  const input = body(boundary, parts, 'preamble text\r\n');

  it.each([1, 2, 3, 7, 16, 64, 4096])('reassembles every part whatever the chunk size (%i)', (size) => {
    const out = parse(boundary, input, size);
    expect(out.map((p) => p.data)).toEqual(parts.map((p) => p.data));
    expect(out[2].headers).toEqual({ 'content-type': 'application/dicom', 'x-note': 'two' });
  });

  it('refuses a body cut inside a part, and text after a boundary', () => {
    expect(() => parse(boundary, input.subarray(0, 200), 64)).toThrow(MalformedMultipartError);
    expect(() => parse(boundary, Buffer.from(`--${boundary}junk\r\n\r\nx\r\n--${boundary}--`), 8)).toThrow(
      /other text/,
    );
  });

  it('reads media types with quoted parameters', () => {
    expect(parseMediaType('multipart/related; type="application/dicom"; boundary="a b;c"')).toEqual({
      mediaType: 'multipart/related',
      params: { type: 'application/dicom', boundary: 'a b;c' },
    });
    expect(parseMediaType('nonsense')).toBeUndefined();
  });
});
