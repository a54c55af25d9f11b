import type { Read } from '../reads/read.entity';
import { Identifier, stepItem } from './worklist-query';

const PRIORITY: Record<string, string> = { emergency: 'STAT', urgent: 'HIGH', routine: 'ROUTINE' };
const MODALITY_NAMES: Record<string, string> = { ECG: '12导联心电图', DX: 'X线摄影', CR: 'X线摄影' };

/** A read id (UUID) as a UID under 2.25: the study the modality should create for this order. */
export function readStudyUid(readId: string): string {
  return `2.25.${BigInt(`0x${readId.replace(/-/g, '')}`).toString()}`;
}

/** SH values hold 16 characters: the read id's first 16 hex digits name the requested procedure and its step. */
function stepId(readId: string): string {
  return readId.replace(/-/g, '').slice(0, 16).toUpperCase();
}

function lo(value: string): string {
  return [...value.replace(/[\r\n\\]+/g, ' ')].slice(0, 64).join('');
}

function localDateTime(at: Date, utcOffsetMinutes: number): { date: string; time: string } {
  const iso = new Date(at.getTime() + utcOffsetMinutes * 60_000).toISOString();
  return { date: iso.slice(0, 10).replace(/-/g, ''), time: iso.slice(11, 19).replace(/:/g, '') };
}

/**
 * One worklist item (PS3.4 K.6.1.2.2) for a read waiting for images: who, which accession number
 * to put in the images, and one scheduled step on the calling station. Reads carry no appointment,
 * so the step is scheduled when the order was made: it is due now.
 */
export function worklistItem(read: Read, stationAeTitle: string, utcOffsetMinutes: number): Identifier {
  const { date, time } = localDateTime(read.createdAt, utcOffsetMinutes);
  const description = lo(
    read.clinicalQuestion
      ? `${MODALITY_NAMES[read.modality] ?? read.modality}：${read.clinicalQuestion}`
      : (MODALITY_NAMES[read.modality] ?? read.modality),
  );
  return {
    AccessionNumber: read.accessionNumber,
    PatientName: read.patientName ? [{ Alphabetic: read.patientName }] : [],
    PatientID: read.patientId,
    PatientBirthDate: read.patientBirthDate ?? '',
    PatientSex: read.patientSex ?? '',
    StudyInstanceUID: readStudyUid(read.id),
    RequestedProcedureID: stepId(read.id),
    RequestedProcedureDescription: description,
    RequestedProcedurePriority: PRIORITY[read.priority] ?? 'ROUTINE',
    ScheduledProcedureStepSequence: [
      {
        Modality: read.modality,
        ScheduledStationAETitle: stationAeTitle,
        ScheduledProcedureStepStartDate: date,
        ScheduledProcedureStepStartTime: time,
        ScheduledProcedureStepID: stepId(read.id),
        ScheduledProcedureStepDescription: description,
        ScheduledProcedureStepStatus: 'SCHEDULED',
      },
    ],
  };
}

/**
 * The answer holds the attributes the query asked for (PS3.4 C.4.1.1.3.2): ours where we have
 * them, empty otherwise; a query with an empty step sequence gets the whole step. The character
 * set is always UTF-8, for the Chinese patient names.
 */
export function answerFor(query: Identifier, item: Identifier): Identifier {
  return { SpecificCharacterSet: 'ISO_IR 192', ...pick(query, item) };
}

function pick(query: Identifier, item: Identifier): Identifier {
  const answer: Identifier = {};
  for (const [key, asked] of Object.entries(query)) {
    // dcmjs keeps its VR notes in _vrMap; keys that are not keywords are private or unknown tags.
    if (key === '_vrMap' || key === 'SpecificCharacterSet' || !/^[A-Za-z]+$/.test(key)) continue;
    if (key === 'ScheduledProcedureStepSequence') {
      const askedStep = stepItem(query);
      const ours = (item.ScheduledProcedureStepSequence as Identifier[])[0];
      answer[key] = [askedStep ? pick(askedStep, ours) : ours];
    } else if (key in item) answer[key] = item[key];
    else answer[key] = Array.isArray(asked) ? [] : '';
  }
  return answer;
}
