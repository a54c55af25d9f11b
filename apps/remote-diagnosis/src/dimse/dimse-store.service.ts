import { Injectable } from '@nestjs/common';
import { Principal, Role } from '@countylink/auth';
import { InstanceIngest } from '../dicomweb/instance-ingest.service';
import type { CallingAe } from './calling-ae.map';
import type { StoreSink } from './store-sink';

/** A DIMSE status (PS3.7 Annex C) and, on failure, the reason in words for the Error Comment. */
export interface DimseStatus {
  status: number;
  comment?: string;
}

export const STATUS_SUCCESS = 0x0000;

/**
 * Who a modality stands for: a system of its institution, named after its AE title, so the index
 * row, the read it may create and every event say which station sent the images.
 */
export function modalityPrincipal(ae: CallingAe): Principal {
  return { sub: `dicom-ae:${ae.aeTitle}`, roles: [Role.HisSystem], institutionId: ae.institutionId };
}

/**
 * A C-STORE is a STOW-RS part by another road: the same staged Part 10 file goes through the same
 * InstanceIngest (validation on the workers, content store, index, read, outbox events in one
 * transaction). Its FailureReason is already a C-STORE status (0xA700, 0xA900, 0xC000, 0x0110, …).
 */
@Injectable()
export class DimseStore {
  constructor(private readonly ingest: InstanceIngest) {}

  async store(ae: CallingAe, sink: StoreSink): Promise<DimseStatus> {
    const received = await sink.received();
    if (!received.ok) return { status: received.refused.reason, comment: received.refused.message };
    const outcome = await this.ingest.ingest(modalityPrincipal(ae), received.part);
    return outcome.ok
      ? { status: STATUS_SUCCESS }
      : { status: outcome.refused.reason, comment: outcome.refused.message };
  }
}
