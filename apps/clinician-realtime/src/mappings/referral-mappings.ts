import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Direction, GreenChannelCentre, Referral, Status, Urgency } from '@countylink/contracts';
import { InvalidEventError } from '@countylink/messaging';
import { ReferralNotice, ReferralNotificationType } from '../notifications/notification-types';
import { Rooms, Scope } from '../rooms/rooms';
import { EventMapping, kebab, MappingResult, notify } from './event-mapping';

function requireReferral(referral: Referral | undefined): Referral {
  if (!referral?.id || !referral.toInstitutionId || !referral.fromInstitutionId)
    throw new InvalidEventError('event carries no referral with its two ends');
  return referral;
}

function notice(r: Referral, extra: Partial<ReferralNotice> = {}): ReferralNotice {
  return {
    referralId: r.id,
    direction: r.direction === Direction.DOWN ? 'down' : 'up',
    status: kebab(Status[r.status]),
    urgency: kebab(Urgency[r.urgency]),
    greenChannelCentre: r.greenChannelCentre ? kebab(GreenChannelCentre[r.greenChannelCentre]) : null,
    fromInstitutionId: r.fromInstitutionId,
    fromPractitionerId: r.fromPractitionerId,
    toInstitutionId: r.toInstitutionId,
    toDepartmentId: r.toDepartmentId || null,
    patientName: r.patient?.name ?? '',
    diagnosis: r.diagnosis ? `${r.diagnosis.code} ${r.diagnosis.display}` : '',
    version: r.version,
    actor: null,
    reason: null,
    escalationLevel: null,
    escalatedToRole: null,
    ...extra,
  };
}

/** The receiving team: its department's room, or the whole institution when no department was named. */
export function receivingRoom(r: Referral): Scope {
  return r.toDepartmentId
    ? Rooms.department(r.toInstitutionId, r.toDepartmentId)
    : Rooms.institution(r.toInstitutionId);
}

/** The county's referral office, which runs both directions (双向转诊服务中心). */
function countyDesk(r: Referral): Scope {
  return Rooms.referralDesk(r.direction === Direction.DOWN ? r.fromInstitutionId : r.toInstitutionId);
}

/** A referral change goes to the receiving team, the referral office and the sending doctor. */
function referralNotification(
  type: ReferralNotificationType,
  r: Referral,
  at: Date,
  extra: Partial<ReferralNotice> = {},
): MappingResult {
  return notify({
    type,
    subject: { type: 'referral', id: r.id },
    data: notice(r, extra),
    scopes: [receivingRoom(r), countyDesk(r), Rooms.user(r.fromPractitionerId)],
    people: { [r.fromPractitionerId]: r.fromInstitutionId },
    at,
  });
}

export const referralRequested: EventMapping<'countylink.referral.requested.v1'> = (event) =>
  referralNotification('referral.requested', requireReferral(event.payload.referral), event.time, {
    actor: event.payload.actor?.subject ?? null,
  });

/** received / accepted / rejected / arrived / completed / cancelled: one mapping, the type from the status. */
type StatusEvent =
  `countylink.referral.${'received' | 'accepted' | 'rejected' | 'arrived' | 'completed' | 'cancelled'}.v1`;

export function referralStatusChanged<T extends StatusEvent>(type: ReferralNotificationType): EventMapping<T> {
  return (event) =>
    referralNotification(type, requireReferral(event.payload.referral), event.time, {
      actor: event.payload.actor?.subject ?? null,
      reason: event.payload.reason || null,
    });
}

export const referralEscalated: EventMapping<'countylink.referral.escalated.v1'> = (event) => {
  const r = requireReferral(event.payload.referral);
  return notify({
    type: 'referral.escalated',
    subject: { type: 'referral', id: r.id },
    data: notice(r, { escalationLevel: event.payload.level, escalatedToRole: event.payload.escalatedToRole || null }),
    scopes: [receivingRoom(r), countyDesk(r)],
    at: event.payload.escalatedAt ? timestampDate(event.payload.escalatedAt) : event.time,
  });
};

/** A green-channel referral needs a human on the receiving side: an alert with its ladder. */
export const greenChannelAlerted: EventMapping<'countylink.referral.green-channel-alerted.v1'> = (event) => {
  const r = requireReferral(event.payload.referral);
  const centre = kebab(GreenChannelCentre[event.payload.centre || r.greenChannelCentre]);
  return {
    notifications: [],
    alerts: [
      {
        kind: 'green-channel',
        subject: { type: 'referral', id: r.id },
        institutionId: r.toInstitutionId,
        departmentId: r.toDepartmentId || null,
        summary:
          `绿色通道 ${centre}: ${r.patient?.name ?? ''} ${r.diagnosis?.display ?? ''} (${r.fromInstitutionId})`.trim(),
        at: event.time,
      },
    ],
  };
};
