import { FailureReason, InstanceRefused } from '../dicom/stow-failure';

export interface StoredRef {
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
}

export type PartOutcome = { ok: true; ref: StoredRef } | { ok: false; refused: InstanceRefused };

type JsonAttribute = { vr: string; Value?: unknown[] };
type JsonDataset = Record<string, JsonAttribute>;

const ui = (value: string | undefined): JsonAttribute => (value ? { vr: 'UI', Value: [value] } : { vr: 'UI' });

/**
 * The STOW-RS answer (PS3.18 §10.5.3): 200 when every instance is stored, 202 when some failed,
 * 409 when none was stored; ReferencedSOPSequence and FailedSOPSequence with FailureReason codes.
 * ErrorComment (0000,0902) carries the reason in words for people reading the response.
 */
export function stowResponse(outcomes: PartOutcome[], baseUrl: string): { status: number; body: JsonDataset } {
  const stored = outcomes.filter((o): o is Extract<PartOutcome, { ok: true }> => o.ok);
  const failed = outcomes.filter((o): o is Extract<PartOutcome, { ok: false }> => !o.ok);
  const body: JsonDataset = {};
  const studies = new Set(stored.map((o) => o.ref.studyInstanceUid));
  if (studies.size === 1) body['00081190'] = { vr: 'UR', Value: [`${baseUrl}/dicomweb/studies/${[...studies][0]}`] };
  if (failed.length > 0) {
    body['00081198'] = {
      vr: 'SQ',
      Value: failed.map(({ refused }) => ({
        '00081150': ui(refused.sopClassUid),
        '00081155': ui(refused.sopInstanceUid),
        '00081197': { vr: 'US', Value: [refused.reason] },
        '00000902': { vr: 'LO', Value: [refused.message.slice(0, 1024)] },
      })),
    };
  }
  if (stored.length > 0) {
    body['00081199'] = {
      vr: 'SQ',
      Value: stored.map(({ ref }) => ({
        '00081150': ui(ref.sopClassUid),
        '00081155': ui(ref.sopInstanceUid),
        '00081190': {
          vr: 'UR',
          Value: [
            `${baseUrl}/dicomweb/studies/${ref.studyInstanceUid}/series/${ref.seriesInstanceUid}/instances/${ref.sopInstanceUid}`,
          ],
        },
      })),
    };
  }
  const status = failed.length === 0 ? 200 : stored.length === 0 ? 409 : 202;
  return { status, body };
}

export function processingFailure(message: string): InstanceRefused {
  return new InstanceRefused(FailureReason.ProcessingFailure, message);
}
