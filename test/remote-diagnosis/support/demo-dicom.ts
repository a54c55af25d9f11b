/**
 * `npm run demo:dicom [dir]`: the DICOM files the README's walk-throughs send, made by the project's
 * own DICOM writer (no file from outside the repository): a generated chest DX and a 12-lead ECG
 * (the repository's public test ECG with new UIDs), both for the demo patient of township A.
 * Default directory: .demo/dicom (ignored by git).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cloneWithNewUids, writeDx } from './dicom-writer';

const PATIENT_ID = 'TA-000456';

async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? '.demo/dicom');
  mkdirSync(dir, { recursive: true });
  const chest = await writeDx(join(dir, 'chest.dcm'), {
    rows: 1024,
    columns: 1024,
    patientId: PATIENT_ID,
    window: { center: 2048, width: 4096 },
  });
  const ecgSource = readFileSync(resolve(__dirname, '../../fixtures/dicom/waveform_ecg.dcm'));
  const ecg = cloneWithNewUids(ecgSource, { x00100020: PATIENT_ID });
  writeFileSync(join(dir, 'ecg.dcm'), ecg.bytes);
  process.stdout.write(
    `${join(dir, 'chest.dcm')}  DX ${chest.size} bytes, study ${chest.studyInstanceUid}\n` +
      `${join(dir, 'ecg.dcm')}  ECG ${ecg.bytes.length} bytes, study ${ecg.ids.studyInstanceUid}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`demo:dicom failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
