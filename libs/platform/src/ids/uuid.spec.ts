import { randomUUID } from 'node:crypto';
import { isUuid, UUID_PATTERN } from './uuid';

describe('isUuid', () => {
  it('takes a UUID in either case, of any version', () => {
    expect(isUuid(randomUUID())).toBe(true);
    expect(isUuid('7F1D8A52-5A47-4D36-A3E5-6F0B1B1B0C11')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(isUuid('0a1b2c3d-4e5f-0a1b-cd2e-3f4a5b6c7d8e')).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['36 dashes', '-'.repeat(36)],
    ['no dashes', '7f1d8a525a474d36a3e56f0b1b1b0c11'],
    ['a non-hex digit', '7f1d8a52-5a47-4d36-a3e5-6f0b1b1b0c1g'],
    ['too long', '7f1d8a52-5a47-4d36-a3e5-6f0b1b1b0c111'],
    ['in braces', '{7f1d8a52-5a47-4d36-a3e5-6f0b1b1b0c11}'],
    ['with a trailing newline', '7f1d8a52-5a47-4d36-a3e5-6f0b1b1b0c11\n'],
  ])('refuses %s', (_, value) => {
    expect(isUuid(value)).toBe(false);
  });

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 42, {}, ['7f1d8a52-5a47-4d36-a3e5-6f0b1b1b0c11']])
      expect(isUuid(value)).toBe(false);
  });

  it('gives the pattern for a regex that embeds a UUID', () => {
    const slot = new RegExp(`^(${UUID_PATTERN})-(reserved|general)$`, 'i');
    expect(slot.exec('7f1d8a52-5a47-4d36-a3e5-6f0b1b1b0c11-reserved')?.slice(1)).toEqual([
      '7f1d8a52-5a47-4d36-a3e5-6f0b1b1b0c11',
      'reserved',
    ]);
    expect(slot.test('not-a-uuid-reserved')).toBe(false);
  });
});
