import { decodeCursor, encodeCursor, InvalidCursorError, parseCursor, positionsIn } from './notification-cursor';

describe('notification cursor', () => {
  it('round-trips through its token', () => {
    const cursor = { 'user:dr-a': 3, 'department:county-hospital:cardiology': 120 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not an object', 'nope'],
    ['an array', [1, 2]],
    ['a negative seq', { 'user:a': -1 }],
    ['a fractional seq', { 'user:a': 1.5 }],
    ['a string seq', { 'user:a': '3' }],
    ['a bad room name', { 'user a; drop': 1 }],
  ])('refuses %s', (_, value) => {
    expect(() => parseCursor(value)).toThrow(InvalidCursorError);
  });

  it('refuses a token that is not base64url JSON', () => {
    expect(() => decodeCursor('%%%')).toThrow(InvalidCursorError);
  });

  it('keeps only the rooms of the caller, filling the others', () => {
    expect(positionsIn(['user:a', 'institution:x'], { 'user:a': 4, 'user:someone-else': 9 }, 0)).toEqual({
      'user:a': 4,
      'institution:x': 0,
    });
  });
});
