import { gauge } from '@countylink/platform';

const inFlightGauge = gauge('countylink_dicom_uploads_in_flight', 'STOW-RS requests being received or stored');

/**
 * How many uploads each principal has in flight in this process. One township's PACS replaying
 * its backlog, or one hostile client, gets its share of the ingest and a 429 past it, so the
 * others' uploads and everything else keep their share of the workers and the disk.
 */
export class UploadSlots {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly perPrincipal: number) {}

  /** A release function, or undefined when the principal already has its share in flight. */
  take(principal: string): (() => void) | undefined {
    const now = this.inFlight.get(principal) ?? 0;
    if (now >= this.perPrincipal) return undefined;
    this.inFlight.set(principal, now + 1);
    inFlightGauge.inc();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlightGauge.dec();
      const left = (this.inFlight.get(principal) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(principal);
      else this.inFlight.set(principal, left);
    };
  }
}
