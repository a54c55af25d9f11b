import { sopCategory } from '../dicom/sop-classes';

export type AbstractSyntaxRole = 'verification' | 'worklist' | 'storage';

export const VERIFICATION = '1.2.840.10008.1.1';
export const MODALITY_WORKLIST_FIND = '1.2.840.10008.5.1.4.31';

const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_BE = '1.2.840.10008.1.2.2';

/**
 * What a stored instance may be encoded in: whatever the ingest parses (dicom-parser reads these,
 * the encapsulated ones are stored as sent and rendered where a decoder exists).
 */
const STORAGE_ENCODED = new Set([
  '1.2.840.10008.1.2.1.99', // deflated explicit VR little endian
  '1.2.840.10008.1.2.5', // RLE lossless
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70', // JPEG
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.81', // JPEG-LS
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91', // JPEG 2000
]);

/** Storage of the SOP classes the group keeps (the same table STOW-RS checks), echo and the worklist; nothing else. */
export function abstractSyntaxRole(uid: string): AbstractSyntaxRole | undefined {
  if (uid === VERIFICATION) return 'verification';
  if (uid === MODALITY_WORKLIST_FIND) return 'worklist';
  return sopCategory(uid) ? 'storage' : undefined;
}

/**
 * The transfer syntax to accept from those proposed for a context: explicit VR little endian
 * first (it keeps the VRs, as STOW-RS files have them), then implicit; for storage, an encoded
 * syntax as proposed (a modality proposes its compressed images in a context of their own, and
 * they are stored as sent); big endian (retired) only when nothing else is offered.
 */
export function acceptedTransferSyntax(role: AbstractSyntaxRole, proposed: string[]): string | undefined {
  const offered = proposed.map((ts) => ts.replace(/\0/g, '').trim());
  if (offered.includes(EXPLICIT_LE)) return EXPLICIT_LE;
  if (offered.includes(IMPLICIT_LE)) return IMPLICIT_LE;
  if (role === 'storage') {
    const encoded = offered.find((ts) => STORAGE_ENCODED.has(ts));
    if (encoded) return encoded;
  }
  return offered.includes(EXPLICIT_BE) ? EXPLICIT_BE : undefined;
}
