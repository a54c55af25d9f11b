import { Element, parseDicom } from 'dicom-parser';
import { seededRandom } from './seeded-random';

export interface Mutant {
  name: string;
  bytes: Buffer;
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);

/** Where each top-level element's length field is, so mutations can hit the lengths on purpose. */
function lengthFields(file: Buffer): Array<{ at: number; size: 2 | 4 }> {
  try {
    const ds = parseDicom(file, { untilTag: 'x7fe00010' });
    const implicit = (ds.string('x00020010') ?? '').replace(/\0/g, '').trim() === '1.2.840.10008.1.2';
    return (Object.values(ds.elements) as Element[])
      .map((e) => {
        const meta = e.tag.startsWith('x0002');
        const long = (implicit && !meta) || LONG_VRS.has(e.vr ?? '');
        return { at: e.dataOffset - (long ? 4 : 2), size: long ? 4 : 2 } as { at: number; size: 2 | 4 };
      })
      .filter((f) => f.at >= 0 && f.at + f.size <= file.length); // a deflated file's offsets are in its inflated bytes
  } catch {
    return [];
  }
}

type Mutation = (file: Buffer, random: () => number) => [string, Buffer];

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)];

const MUTATIONS: Mutation[] = [
  (file, random) => {
    const at = Math.floor(random() * file.length);
    return [`truncate@${at}`, file.subarray(0, at)];
  },
  (file, random) => {
    const out = Buffer.from(file);
    const flips = 1 + Math.floor(random() * 8);
    for (let i = 0; i < flips; i++) out[Math.floor(random() * out.length)] ^= 1 << Math.floor(random() * 8);
    return [`bitflip×${flips}`, out];
  },
  (file, random) => {
    // Header bytes are where parsers go wrong: flip bits in the first 2 KB only.
    const out = Buffer.from(file);
    const span = Math.min(out.length, 2048);
    for (let i = 0; i < 3; i++) out[Math.floor(random() * span)] ^= 1 << Math.floor(random() * 8);
    return ['header-bitflip', out];
  },
  (file, random) => {
    const fields = lengthFields(file);
    if (fields.length === 0) return ['length(none)', file.subarray(0, file.length - 1)];
    const field = pick(random, fields);
    const out = Buffer.from(file);
    const values =
      field.size === 2
        ? [0, 1, 3, 0xffff, 0x7fff, Math.floor(random() * 0x10000)]
        : [0, 1, 3, 0xffffffff, 0x7fffffff, 0xfffffffe, Math.floor(random() * 0x100000000)];
    const value = pick(random, values);
    if (field.size === 2) out.writeUInt16LE(value, field.at);
    else out.writeUInt32LE(value >>> 0, field.at);
    return [`length@${field.at}=${value}`, out];
  },
  (file, random) => {
    const fields = lengthFields(file);
    if (fields.length === 0) return ['vr(none)', file];
    const field = pick(random, fields);
    const out = Buffer.from(file);
    const vrAt = field.at - (field.size === 4 ? 4 : 2);
    if (vrAt >= 0) out.write(pick(random, ['SQ', 'OB', 'UN', 'ZZ', '\0\0', 'UT', 'US']), vrAt, 'latin1');
    return [`vr@${vrAt}`, out];
  },
  (file, random) => {
    const at = Math.floor(random() * file.length);
    const junk = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
    return [`insert@${at}`, Buffer.concat([file.subarray(0, at), junk, file.subarray(at)])];
  },
  (file, random) => {
    const at = Math.floor(random() * file.length);
    const out = Buffer.from(file);
    out.fill(0, at, Math.min(out.length, at + 1 + Math.floor(random() * 256)));
    return [`zero@${at}`, out];
  },
  (file, random) => {
    const at = Math.floor(random() * Math.min(file.length, 4096));
    return [`cut-head@${at}`, file.subarray(at)];
  },
];

/** `count` mutants of the given files, deterministic for a seed. `prepare` may give each base fresh UIDs first. */
export function fuzzCorpus(
  bases: Array<{ name: string; bytes: Buffer; prepare?: (b: Buffer) => Buffer }>,
  count: number,
  seed: number,
): Mutant[] {
  const random = seededRandom(seed);
  const out: Mutant[] = [];
  for (let i = 0; i < count; i++) {
    const base = bases[i % bases.length];
    const mutation = MUTATIONS[Math.floor(random() * MUTATIONS.length)];
    const [what, bytes] = mutation(base.prepare ? base.prepare(base.bytes) : base.bytes, random);
    out.push({ name: `${base.name}:${what}`, bytes });
  }
  return out;
}
