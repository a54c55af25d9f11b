import { ReferralAction, Urgency } from '@countylink/contracts';

export const SIM_HELP = `Commands:
  refer <to-institution> <department> <routine|urgent|emergency> <ICD-10> <patient-id> <patient-name> <summary…>
  refer-down <up-referral-id> <to-institution> <department> <ICD-10> <patient-id> <patient-name> <plan…>
  receive|accept|arrive|complete <referral-id>
  reject|cancel <referral-id> <reason…>`;

type Context = { commandId: string; institutionId: string; token: string };
type Parsed =
  | { type: 'countylink.his-commands.create-referral.v1' | 'countylink.his-commands.transition-referral.v1'; command: Record<string, unknown> }
  | { error: string };

const URGENCY: Record<string, Urgency> = { routine: Urgency.ROUTINE, urgent: Urgency.URGENT, emergency: Urgency.EMERGENCY };
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
        context, toInstitutionId: to, toDepartmentId: department, urgency: URGENCY[urgency],
        diagnosis: { code, display: code }, patient: { patientId, name }, clinicalSummary: summary.join(' '), reason: summary.join(' '),
      },
    };
  }
  if (verb === 'refer-down' && args.length >= 7) {
    const [upId, to, department, code, patientId, name, ...plan] = args;
    return {
      type: 'countylink.his-commands.create-referral.v1',
      command: {
        context, toInstitutionId: to, toDepartmentId: department, urgency: Urgency.ROUTINE, returnsFromReferralId: upId,
        diagnosis: { code, display: code }, patient: { patientId, name }, clinicalSummary: plan.join(' '), reason: '回基层康复', rehabilitationPlan: plan.join(' '),
      },
    };
  }
  if (verb in ACTIONS && args.length >= 1) {
    return { type: 'countylink.his-commands.transition-referral.v1', command: { context, referralId: args[0], action: ACTIONS[verb], reason: args.slice(1).join(' ') } };
  }
  return { error: `not understood: ${words.join(' ')}\n${SIM_HELP}` };
}
