import { counter, gauge } from '@countylink/platform';

const openGauge = gauge('countylink_dicom_dimse_associations', 'DIMSE associations open with modalities');
export const refusedAssociations = counter(
  'countylink_dicom_dimse_associations_refused_total',
  'DIMSE associations refused at A-ASSOCIATE',
  ['reason'],
);
export const dimseRequests = counter(
  'countylink_dicom_dimse_requests_total',
  'DIMSE requests answered, by command and outcome',
  ['command', 'outcome'],
);

/**
 * Associations open per calling AE title. One township's DR replaying its backlog over many
 * associations gets its share of the ingest (the same share as a STOW-RS principal) and a
 * transient refusal past it, so the other townships' modalities keep theirs.
 */
export class AssociationSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly perAe: number) {}

  /** A release function, or undefined when the AE already has its share open. */
  take(aeTitle: string): (() => void) | undefined {
    const now = this.open.get(aeTitle) ?? 0;
    if (now >= this.perAe) return undefined;
    this.open.set(aeTitle, now + 1);
    openGauge.inc();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      openGauge.dec();
      const left = (this.open.get(aeTitle) ?? 1) - 1;
      if (left === 0) this.open.delete(aeTitle);
      else this.open.set(aeTitle, left);
    };
  }
}
