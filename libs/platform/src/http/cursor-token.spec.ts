import { decodeCursorToken, encodeCursorToken, MalformedCursorError } from './cursor-token';

describe('cursor token codec', () => {
  it.each([
    ['a keyset position', ['2026-03-01T08:00:00.000Z', '7f1d8a52-5a47-4d36-a3e5-6f0b1b1b0c11']],
    ['room positions', { 'institution:township-a': 12, 'user:dr-wang': 0 }],
    ['text beyond ASCII', ['转诊', 'é']],
  ])('round-trips %s', (_, position) => {
    const token = encodeCursorToken(position);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursorToken(token)).toEqual(position);
  });

  it.each([
    ['garbage', 'garbage'],
    ['an empty token', ''],
    ['characters outside base64url', '%%%***'],
    ['base64url of text that is not JSON', Buffer.from('[1, 2').toString('base64url')],
  ])('refuses %s with MalformedCursorError', (_, token) => {
    expect(() => decodeCursorToken(token)).toThrow(MalformedCursorError);
    expect(() => decodeCursorToken(token)).toThrow('the cursor is not one this API returned');
  });

  it('leaves the shape to the caller: a well-formed token of the wrong shape decodes', () => {
    expect(decodeCursorToken(encodeCursorToken(42))).toBe(42);
  });
});
