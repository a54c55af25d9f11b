/** A C-FIND identifier as dcmjs naturalizes it: keywords to values, sequences as arrays of items. */
export type Identifier = Record<string, unknown>;

/** What a worklist query asks for, in terms of the read table. Absent: universal matching. */
export interface WorklistCriteria {
  patientId?: string;
  /** Wildcards as in DICOM (`*`, `?`), matched without regard to case. */
  patientName?: string;
  accessionNumber?: string;
  modalities?: string[];
  /** The scheduled start date range, as instants (the modalities' local days). */
  scheduledFrom?: Date;
  scheduledBefore?: Date;
  /** ScheduledStationAETitle as asked; every item is presented as scheduled on the calling station. */
  stationAeTitle?: string;
}

export class BadIdentifierError extends Error {}

/** DICOM single values arrive padded, sometimes multi-valued; an empty one means "return it, match anything". */
export function textValue(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first && typeof first === 'object' && 'Alphabetic' in first)
    return textValue((first as { Alphabetic: unknown }).Alphabetic);
  if (typeof first === 'number') return String(first);
  if (typeof first !== 'string') return undefined;
  const trimmed = first.replace(/\0/g, '').trim();
  return trimmed === '' ? undefined : trimmed;
}

function values(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map(textValue).filter((v): v is string => v !== undefined);
}

/** The first (and for a worklist, only) Scheduled Procedure Step item of the query. */
export function stepItem(identifier: Identifier): Identifier | undefined {
  const sps = identifier.ScheduledProcedureStepSequence;
  if (!Array.isArray(sps) || sps.length === 0) return undefined;
  const item: unknown = sps[0];
  return item && typeof item === 'object' ? (item as Identifier) : undefined;
}

/**
 * Reads the matching keys a modality sends (PS3.4 K.6.1.2): Patient ID, Patient's Name, Accession
 * Number, and in the step item Modality, Scheduled Station AE Title and the start date (a date or a
 * range `from-to`, `-to`, `from-`). Times are returned but not matched: a worklist is asked for by day.
 */
export function worklistCriteria(identifier: Identifier, utcOffsetMinutes: number): WorklistCriteria {
  const step = stepItem(identifier) ?? {};
  const criteria: WorklistCriteria = {
    patientId: textValue(identifier.PatientID),
    patientName: textValue(identifier.PatientName),
    accessionNumber: textValue(identifier.AccessionNumber),
    stationAeTitle: textValue(step.ScheduledStationAETitle),
  };
  const modalities = values(step.Modality);
  if (modalities.length > 0) criteria.modalities = modalities;
  const range = textValue(step.ScheduledProcedureStepStartDate);
  if (range) {
    const m = /^(\d{8})?(-)?(\d{8})?$/.exec(range.replace(/\./g, ''));
    if (!m || (!m[1] && !m[3]))
      throw new BadIdentifierError(`ScheduledProcedureStepStartDate "${range}" is not a date or a date range`);
    if (m[1]) criteria.scheduledFrom = localDayStart(m[1], utcOffsetMinutes, 0);
    if (m[3]) criteria.scheduledBefore = localDayStart(m[3], utcOffsetMinutes, 1);
    else if (!m[2]) criteria.scheduledBefore = localDayStart(m[1], utcOffsetMinutes, 1);
  }
  return criteria;
}

/** Midnight at the start of `da` (+ `plusDays`) in the modalities' zone, as an instant. */
function localDayStart(da: string, utcOffsetMinutes: number, plusDays: number): Date {
  const [y, m, d] = [Number(da.slice(0, 4)), Number(da.slice(4, 6)), Number(da.slice(6, 8))];
  const utc = Date.UTC(y, m - 1, d + plusDays);
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    throw new BadIdentifierError(`${da} is not a calendar date`);
  }
  return new Date(utc - utcOffsetMinutes * 60_000);
}

/** A DICOM wildcard (`*`, `?`) as a SQL LIKE pattern, with LIKE's own characters escaped. */
export function likePattern(value: string): string {
  return value
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replace(/\*/g, '%')
    .replace(/\?/g, '_');
}

export function hasWildcard(value: string): boolean {
  return /[*?]/.test(value);
}
