import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { HisCommandType, Pool, ReadPriority, ReferralAction, ResourceKind, Urgency } from '@countylink/contracts';

export const SIM_HELP = `Commands:
  refer <to-institution> <department> <routine|urgent|emergency> <ICD-10> <patient-id> <patient-name> <summary…>
  refer-down <up-referral-id> <to-institution> <department> <ICD-10> <patient-id> <patient-name> <plan…>
  receive|accept|arrive|complete <referral-id>
  reject|cancel <referral-id> <reason…>
  order-read <ECG|DX|CR|…> <routine|urgent|emergency> <patient-id> <patient-name> <ordering-doctor> <question…>
  publish <clinic|beds|exam> <department> <practitioner|modality|-> <start ISO> <end ISO> <capacity> [reserved-share]
  book-reserved <schedule-id> <referral-id> <family-doctor>
  book-general <schedule-id> <patient-id> <patient-name>
  cancel-appointment <appointment-id> <reason…>`;

type Context = { commandId: string; institutionId: string };
type Parsed = { type: HisCommandType; command: Record<string, unknown> } | { error: string };

const URGENCY: Record<string, Urgency> = {
  routine: Urgency.ROUTINE,
  urgent: Urgency.URGENT,
  emergency: Urgency.EMERGENCY,
};
const PRIORITY: Record<string, ReadPriority> = {
  routine: ReadPriority.ROUTINE,
  urgent: ReadPriority.URGENT,
  emergency: ReadPriority.EMERGENCY,
};
const KIND: Record<string, ResourceKind> = {
  clinic: ResourceKind.CLINIC_SESSION,
  beds: ResourceKind.WARD_BEDS,
  exam: ResourceKind.EXAM,
};
const ACTIONS: Record<string, ReferralAction> = {
  receive: ReferralAction.RECEIVE,
  accept: ReferralAction.ACCEPT,
  reject: ReferralAction.REJECT,
  arrive: ReferralAction.ARRIVE,
  complete: ReferralAction.COMPLETE,
  cancel: ReferralAction.CANCEL,
};

/** Turns a line typed at the simulator into a command; the server does the real validation. */
export function parseCommand(words: string[], context: Context): Parsed {
  const [verb, ...args] = words;
  if (verb === 'refer' && args.length >= 7) {
    const [to, department, urgency, code, patientId, name, ...summary] = args;
    if (!(urgency in URGENCY)) return { error: `urgency must be routine, urgent or emergency` };
    return {
      type: 'countylink.his-commands.create-referral.v1',
      command: {
        context,
        toInstitutionId: to,
        toDepartmentId: department,
        urgency: URGENCY[urgency],
        diagnosis: { code, display: code },
        patient: { patientId, name },
        clinicalSummary: summary.join(' '),
        reason: summary.join(' '),
      },
    };
  }
  if (verb === 'refer-down' && args.length >= 7) {
    const [upId, to, department, code, patientId, name, ...plan] = args;
    return {
      type: 'countylink.his-commands.create-referral.v1',
      command: {
        context,
        toInstitutionId: to,
        toDepartmentId: department,
        urgency: Urgency.ROUTINE,
        returnsFromReferralId: upId,
        diagnosis: { code, display: code },
        patient: { patientId, name },
        clinicalSummary: plan.join(' '),
        reason: '回基层康复',
        rehabilitationPlan: plan.join(' '),
      },
    };
  }
  if (verb in ACTIONS && args.length >= 1) {
    return {
      type: 'countylink.his-commands.transition-referral.v1',
      command: { context, referralId: args[0], action: ACTIONS[verb], reason: args.slice(1).join(' ') },
    };
  }
  return (
    parseDiagnosisOrSchedulingCommand(verb, args, context) ?? {
      error: `not understood: ${words.join(' ')}\n${SIM_HELP}`,
    }
  );
}

function when(iso: string) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : timestampFromDate(date);
}

function parseDiagnosisOrSchedulingCommand(verb: string, args: string[], context: Context): Parsed | undefined {
  if (verb === 'order-read' && args.length >= 6) {
    const [modality, priority, patientId, name, practitionerId, ...question] = args;
    if (!(priority in PRIORITY)) return { error: 'priority must be routine, urgent or emergency' };
    return {
      type: 'countylink.his-commands.order-read.v1',
      command: {
        context,
        modality,
        priority: PRIORITY[priority],
        patient: { patientId, name },
        practitionerId,
        clinicalQuestion: question.join(' '),
      },
    };
  }
  if (verb === 'publish' && args.length >= 6) {
    const [kind, departmentId, who, start, end, capacity, share] = args;
    if (!(kind in KIND)) return { error: 'kind must be clinic, beds or exam' };
    const [startsAt, endsAt] = [when(start), when(end)];
    if (!startsAt || !endsAt) return { error: 'start and end must be ISO date-times, e.g. 2026-11-23T08:00:00+08:00' };
    if (!/^\d{1,6}$/.test(capacity)) return { error: 'capacity must be a whole number' };
    if (share !== undefined && !(Number(share) >= 0 && Number(share) <= 1))
      return { error: 'reserved-share must be a number from 0 to 1' };
    return {
      type: 'countylink.his-commands.publish-schedule.v1',
      command: {
        context,
        kind: KIND[kind],
        departmentId,
        startsAt,
        endsAt,
        capacity: Number(capacity),
        reservedShare: share ? Number(share) : 0,
        externalId: context.commandId,
        ...(who === '-' ? {} : kind === 'exam' ? { modality: who } : { practitionerId: who }),
      },
    };
  }
  if (verb === 'book-reserved' && args.length === 3) {
    const [scheduleId, referralId, practitionerId] = args;
    return {
      type: 'countylink.his-commands.book-appointment.v1',
      command: { context, scheduleId, pool: Pool.RESERVED, referralId, practitionerId },
    };
  }
  if (verb === 'book-general' && args.length === 3) {
    const [scheduleId, patientId, name] = args;
    return {
      type: 'countylink.his-commands.book-appointment.v1',
      command: { context, scheduleId, pool: Pool.GENERAL, patient: { patientId, name } },
    };
  }
  if (verb === 'cancel-appointment' && args.length >= 2) {
    return {
      type: 'countylink.his-commands.cancel-appointment.v1',
      command: { context, appointmentId: args[0], reason: args.slice(1).join(' ') },
    };
  }
  return undefined;
}
