import { Injectable } from '@nestjs/common';
import { MODALITY_UTC_OFFSET } from '../fhir/diagnosis-fhir.refs';
import type { CallingAe } from './calling-ae.map';
import { answerFor, worklistItem } from './worklist-item.mapper';
import { hasWildcard, Identifier, worklistCriteria } from './worklist-query';
import { WorklistRepository } from './worklist.repository';

/** The modalities' clock (DICOM dates and times carry no zone), as minutes east of UTC. */
function offsetMinutes(offset: string): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (!m) throw new Error(`not a UTC offset: ${offset}`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const UTC_OFFSET_MINUTES = offsetMinutes(MODALITY_UTC_OFFSET);

/**
 * Modality Worklist C-FIND: the calling station's institution's reads still waiting for images,
 * so the accession number the order issued reaches the images without anyone typing it.
 */
@Injectable()
export class ModalityWorklist {
  constructor(private readonly repository: WorklistRepository) {}

  async find(ae: CallingAe, query: Identifier): Promise<Identifier[]> {
    const criteria = worklistCriteria(query, UTC_OFFSET_MINUTES);
    // Reads are not assigned to stations: each station of the institution is shown all of them as its own.
    if (criteria.stationAeTitle && !matches(criteria.stationAeTitle, ae.aeTitle)) return [];
    const reads = await this.repository.scheduled(ae.institutionId, criteria);
    return reads.map((read) => answerFor(query, worklistItem(read, ae.aeTitle, UTC_OFFSET_MINUTES)));
  }
}

function matches(pattern: string, value: string): boolean {
  if (!hasWildcard(pattern)) return pattern === value;
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}
