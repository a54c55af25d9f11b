import { Injectable } from '@nestjs/common';
import { Principal } from '@countylink/auth';
import type { InstanceFacts } from '../dicom/instance-facts';
import { FailureReason, InstanceRefused } from '../dicom/stow-failure';
import { Read } from './read.entity';
import { ReadService } from './read.service';

export interface IntakeFound {
  studyExists: boolean;
  /** The read the study already belongs to. */
  studyRead: Read | null;
  /** This institution's read with the instance's Accession Number, else its open order for the patient and modality (see IndexLookup). */
  accessionRead: Read | null;
}

export interface Intake {
  read: Read;
  /** The read was made for this study (it came without an order); it is not in the database yet. */
  created: boolean;
}

/**
 * Which read an arriving instance belongs to: its study's read; else the order of this institution
 * with the same Accession Number (for the same patient), or its order for the patient and modality
 * still waiting for images (a console upload, a device that numbers its own exams); else — for
 * images and ECGs that came without an order — a new routine read. Documents (SR, PDF) without an order join no read.
 */
@Injectable()
export class ReadIntake {
  constructor(private readonly reads: ReadService) {}

  decide(principal: Principal, facts: InstanceFacts, found: IntakeFound, now: Date): Intake | undefined {
    if (found.studyRead) return { read: found.studyRead, created: false };
    if (found.studyExists && facts.category === 'document') return undefined;
    const ordered = found.accessionRead;
    if (ordered) {
      if (facts.patientId && ordered.patientId && facts.patientId !== ordered.patientId) {
        throw new InstanceRefused(
          FailureReason.DataSetDoesNotMatchSopClass,
          `Accession Number ${facts.accessionNumber} belongs to a read for another patient`,
          facts.sopClassUid,
          facts.sopInstanceUid,
        );
      }
      return { read: ordered, created: false };
    }
    if (facts.category === 'document') return undefined;
    const read = this.reads.newRead(
      principal,
      {
        modality: facts.modality,
        priority: 'routine',
        patientId: facts.patientId,
        patientName: facts.patientName,
        patientSex: facts.patientSex,
        patientBirthDate: facts.patientBirthDate,
        accessionNumber: facts.accessionNumber,
      },
      now,
    );
    return { read, created: true };
  }
}
