import { UploadSlots } from './upload-slots';

describe('UploadSlots', () => {
  it('gives each principal its share, and a slot back once, when released', () => {
    const slots = new UploadSlots(2);
    const a1 = slots.take('a');
    const a2 = slots.take('a');
    expect(a1).toBeDefined();
    expect(a2).toBeDefined();
    expect(slots.take('a')).toBeUndefined();
    expect(slots.take('b')).toBeDefined();
    a1!();
    a1!();
    expect(slots.take('a')).toBeDefined();
    expect(slots.take('a')).toBeUndefined();
  });
});
