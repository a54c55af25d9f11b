import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Read, ReadPriority, ReadStatus, Report } from '@countylink/contracts';
import { InvalidEventError } from '@countylink/messaging';
import { ReadNotice, ReadNotificationType } from '../notifications/notification-types';
import { Rooms, Scope } from '../rooms/rooms';
import { EventMapping, kebab, MappingResult, notify } from './event-mapping';

function requireRead(read: Read | undefined): Read {
  if (!read?.id || !read.readingInstitutionId || !read.requestingInstitutionId)
    throw new InvalidEventError('event carries no read with its two ends');
  return read;
}

function notice(r: Read, report?: Report): ReadNotice {
  return {
    readId: r.id,
    accessionNumber: r.accessionNumber,
    status: kebab(ReadStatus[r.status]),
    priority: kebab(ReadPriority[r.priority]),
    modality: r.modality,
    patientName: r.patient?.name ?? '',
    requestingInstitutionId: r.requestingInstitutionId,
    requestingPractitionerId: r.requestingPractitionerId,
    readingInstitutionId: r.readingInstitutionId,
    readingDepartmentId: r.readingDepartmentId,
    dueAt: r.dueAt ? timestampDate(r.dueAt).toISOString() : null,
    claimedBy: r.claimedBy || null,
    impression: report?.impression || null,
    treatmentPlan: report?.treatmentPlan || null,
  };
}

/** The county reading desk of the modality (ECG room or radiology) and its department. */
function readingRooms(r: Read): Scope[] {
  const rooms = [Rooms.readingDesk(r.readingInstitutionId, r.modality === 'ECG' ? 'ecg' : 'xray')];
  if (r.readingDepartmentId) rooms.push(Rooms.department(r.readingInstitutionId, r.readingDepartmentId));
  return rooms;
}

/** The doctor who asked, and their department (a colleague on duty sees the answer too). */
function requestingRooms(r: Read): Scope[] {
  const rooms = [Rooms.user(r.requestingPractitionerId)];
  if (r.requestingDepartmentId) rooms.push(Rooms.department(r.requestingInstitutionId, r.requestingDepartmentId));
  return rooms;
}

function readNotification(
  type: ReadNotificationType,
  r: Read,
  at: Date,
  scopes: Scope[],
  report?: Report,
): MappingResult {
  return notify({
    type,
    subject: { type: 'read', id: r.id },
    data: notice(r, report),
    scopes,
    at,
    people: { [r.requestingPractitionerId]: r.requestingInstitutionId },
  });
}

type StatusEvent = `countylink.diagnosis.read-${'ready' | 'claimed' | 'released'}.v1`;

/** Worklist changes: the reading desk sees them at once; the requesting doctor follows along. */
export function readStatusChanged<T extends StatusEvent>(type: ReadNotificationType): EventMapping<T> {
  return (event) => {
    const r = requireRead(event.payload.read);
    const at = event.payload.occurredAt ? timestampDate(event.payload.occurredAt) : event.time;
    return readNotification(type, r, at, [...readingRooms(r), Rooms.user(r.requestingPractitionerId)]);
  };
}

/** The report with its treatment plan goes back to the requesting doctor (and the desk's record). */
export function readReported<
  T extends 'countylink.diagnosis.read-reported.v1' | 'countylink.diagnosis.report-amended.v1',
>(type: ReadNotificationType): EventMapping<T> {
  return (event) => {
    const r = requireRead(event.payload.read);
    const at = event.payload.report?.signedAt ? timestampDate(event.payload.report.signedAt) : event.time;
    return readNotification(type, r, at, [...requestingRooms(r), ...readingRooms(r)], event.payload.report);
  };
}

/** A critical value (危急值) needs the requesting side to acknowledge it, or it climbs. */
export const criticalValueRaised: EventMapping<'countylink.diagnosis.critical-value-raised.v1'> = (event) => {
  const r = requireRead(event.payload.read);
  const cv = event.payload.criticalValue;
  return {
    notifications: [],
    alerts: [
      {
        kind: 'critical-value',
        subject: { type: 'read', id: r.id },
        institutionId: event.payload.notifyInstitutionId || r.requestingInstitutionId,
        departmentId: r.requestingDepartmentId || null,
        summary:
          `危急值 ${cv?.category ?? ''}: ${r.patient?.name ?? ''} ${cv?.description ?? ''} (${r.modality} ${r.accessionNumber})`.trim(),
        at: event.payload.raisedAt ? timestampDate(event.payload.raisedAt) : event.time,
      },
    ],
  };
};
