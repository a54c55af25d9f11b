import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloneWithNewUids } from '../../test/remote-diagnosis/support/dicom-writer';
import { REPO } from './backend';

const ECG_FIXTURE = readFileSync(join(REPO, 'test/fixtures/dicom/waveform_ecg.dcm'));
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const GIVEN = ['建国', '秀英', '桂兰', '志强', '玉梅', '德明', '海燕', '文华'];
const QUESTIONS = ['胸闷2小时，排除急性心梗', '心悸3天，请评估心律', '术前常规心电图', '高血压随访', '头晕乏力一周'];

export interface OrderedRead {
  id: string;
  accessionNumber: string;
  patientId: string;
}

/** A township doctor orders an ECG read over the public API; CountyLink issues the accession number. */
export async function orderEcg(
  url: string,
  token: string,
  patientId: string,
  priority: 'emergency' | 'urgent' | 'routine',
  i: number,
): Promise<OrderedRead> {
  const res = await fetch(`${url}/api/reads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({
      patient: {
        patientId,
        name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i >> 1) % GIVEN.length]}`,
        sex: i % 2 ? 'F' : 'M',
      },
      modality: 'ECG',
      priority,
      clinicalQuestion: QUESTIONS[i % QUESTIONS.length],
    }),
  });
  if (res.status !== 201) throw new Error(`order read: HTTP ${res.status} ${await res.text()}`);
  const read = (await res.json()) as OrderedRead & { patient: { patientId: string } };
  return { id: read.id, accessionNumber: read.accessionNumber, patientId: read.patient.patientId };
}

/** The fixture 12-lead ECG as the tracing of this order: new UIDs, the order's accession number and patient. */
export function ecgFor(read: OrderedRead): Buffer {
  return cloneWithNewUids(ECG_FIXTURE, { x00080050: read.accessionNumber, x00100020: read.patientId }).bytes;
}

export function multipart(parts: Buffer[]): { body: Buffer; contentType: string } {
  const boundary = `bench-${randomUUID()}`;
  const chunks = parts.flatMap((p) => [
    Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
    p,
    Buffer.from('\r\n'),
  ]);
  return {
    body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]),
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
  };
}

export async function stow(url: string, token: string, parts: Buffer[]): Promise<void> {
  const { body, contentType } = multipart(parts);
  const res = await fetch(`${url}/dicomweb/studies`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    body,
  });
  if (res.status !== 200) throw new Error(`STOW-RS: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
}

/**
 * `count` ready ECG reads on the county ECG room's worklist, as townships A, B and C make them: an
 * order each (a quarter urgent, the rest routine), then the tracings by STOW-RS, 25 to a request.
 */
export async function seedReadyReads(url: string, tokens: string[], count: number): Promise<void> {
  const perTownship = tokens.map(() => [] as OrderedRead[]);
  const next = { i: 0 };
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let i = next.i++; i < count; i = next.i++) {
        const t = i % tokens.length;
        perTownship[t].push(
          await orderEcg(
            url,
            tokens[t],
            `BENCH-${t}-${String(i).padStart(4, '0')}`,
            i % 4 === 0 ? 'urgent' : 'routine',
            i,
          ),
        );
      }
    }),
  );
  await Promise.all(
    perTownship.map(async (reads, t) => {
      for (let at = 0; at < reads.length; at += 25) await stow(url, tokens[t], reads.slice(at, at + 25).map(ecgFor));
    }),
  );
}

/** The ECG room's worklist as the console asks for it (apps/clinician-console/src/api/reads.api.ts), page by page. */
export async function worklistCount(url: string, token: string): Promise<number> {
  let n = 0;
  for (let offset = 0; ; offset += 200) {
    const res = await fetch(`${url}/api/reads?limit=200&offset=${offset}&status=ready,claimed&department=ecg-room`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const items = ((await res.json()) as { items: unknown[] }).items;
    n += items.length;
    if (items.length < 200) return n;
  }
}
