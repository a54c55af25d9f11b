import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloneWithNewUids, writeDx } from '../../test/remote-diagnosis/support/dicom-writer';
import { seededRandom } from '../../test/remote-diagnosis/support/seeded-random';

export interface CorpusFile {
  path: string;
  size: number;
}

export interface Corpus {
  dx: CorpusFile[];
  ecg: CorpusFile[];
}

/**
 * Realistic DX X-rays (2–3k × 2–3k, 16-bit, 8–18 MB, written row by row) and 12-lead ECGs (the
 * shared fixture with new UIDs each). Each file is uploaded once per run; every run starts empty.
 */
export async function buildCorpus(dir: string, ecgFixture: string, dxCount: number, ecgCount: number): Promise<Corpus> {
  mkdirSync(join(dir, 'dx'), { recursive: true });
  mkdirSync(join(dir, 'ecg'), { recursive: true });
  const random = seededRandom(42);
  const dx: CorpusFile[] = [];
  for (let i = 0; i < dxCount; i++) {
    const rows = 2048 + Math.floor(random() * 1025);
    const columns = 2048 + Math.floor(random() * 1025);
    const file = await writeDx(join(dir, 'dx', `dx-${i}.dcm`), {
      rows,
      columns,
      patientId: `BENCH-DX-${i}`,
      accessionNumber: `BDX${i}`,
    });
    dx.push({ path: file.path, size: file.size });
  }
  const ecgBytes = readFileSync(ecgFixture);
  const ecg: CorpusFile[] = [];
  for (let i = 0; i < ecgCount; i++) {
    const { bytes } = cloneWithNewUids(ecgBytes, { x00100020: `BENCH-ECG-${i}`, x00080050: `BECG${i}` });
    const path = join(dir, 'ecg', `ecg-${i}.dcm`);
    writeFileSync(path, bytes);
    ecg.push({ path, size: bytes.length });
  }
  return { dx, ecg };
}
