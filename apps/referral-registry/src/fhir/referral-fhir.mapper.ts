import type * as fhir4 from 'fhir/r4';
import { COUNTYLINK_SYSTEM, countylinkExtension } from '@countylink/platform';
import type { ReferralView } from '../referrals/referral.view';
import type { ReferralStatus } from '../referrals/referral-state-machine';

type HistoryEntry = { action: string; reason: string | null; at: string };
type ReferralWithHistory = ReferralView & { history: HistoryEntry[] };

/** FHIR Task status for each referral state: our lifecycle follows Task, so this is one to one. */
const TASK_STATUS: Record<ReferralStatus, fhir4.Task['status']> = {
  requested: 'requested',
  received: 'received',
  accepted: 'accepted',
  rejected: 'rejected',
  arrived: 'in-progress',
  completed: 'completed',
  cancelled: 'cancelled',
};

const REQUEST_STATUS: Record<ReferralStatus, fhir4.ServiceRequest['status']> = {
  requested: 'active',
  received: 'active',
  accepted: 'active',
  arrived: 'active',
  completed: 'completed',
  rejected: 'revoked',
  cancelled: 'revoked',
};

const PRIORITY = { routine: 'routine', urgent: 'urgent', emergency: 'stat' } as const;

const organization = (institutionId: string, departmentId?: string | null): fhir4.Reference => ({
  identifier: { system: `${COUNTYLINK_SYSTEM}:institution`, value: institutionId },
  display: departmentId ? `${institutionId}/${departmentId}` : institutionId,
});

function patient(r: ReferralView): fhir4.Reference {
  return {
    identifier: { system: `${COUNTYLINK_SYSTEM}:patient:${r.from.institutionId}`, value: r.patient.patientId },
    display: r.patient.name,
  };
}

/** The referral as a FHIR R4 ServiceRequest (the order: who, what for, to whom). */
export function toServiceRequest(r: ReferralView): fhir4.ServiceRequest {
  const extension: fhir4.Extension[] = [
    { url: countylinkExtension('continuous-deductible'), valueBoolean: r.continuousDeductible },
    { url: countylinkExtension('referral-direction'), valueCode: r.direction },
  ];
  if (r.greenChannel)
    extension.push({ url: countylinkExtension('green-channel-centre'), valueCode: r.greenChannel.centre });
  const notes: fhir4.Annotation[] = [{ text: r.clinicalSummary }];
  if (r.justification) notes.push({ text: `Justification: ${r.justification}` });
  if (r.rehabilitationPlan) notes.push({ text: `Rehabilitation plan: ${r.rehabilitationPlan}` });
  return {
    resourceType: 'ServiceRequest',
    id: r.id,
    meta: { versionId: String(r.version), lastUpdated: r.updatedAt },
    extension,
    identifier: [{ system: `${COUNTYLINK_SYSTEM}:referral`, value: r.id }],
    basedOn: r.returnsFromReferralId ? [{ reference: `ServiceRequest/${r.returnsFromReferralId}` }] : undefined,
    status: REQUEST_STATUS[r.status],
    intent: 'order',
    category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }] }],
    priority: PRIORITY[r.urgency],
    code: {
      text: r.direction === 'up' ? 'Up-referral to the county hospital (上转)' : 'Down-referral to primary care (下转)',
    },
    subject: patient(r),
    authoredOn: r.createdAt,
    requester: {
      identifier: { system: `${COUNTYLINK_SYSTEM}:practitioner`, value: r.from.practitionerId },
      display: r.from.practitionerId,
    },
    performer: [organization(r.to.institutionId, r.to.departmentId)],
    reasonCode: [
      {
        coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: r.diagnosis.code, display: r.diagnosis.display }],
        text: r.reason,
      },
    ],
    note: notes,
  };
}

/** The referral's workflow as a FHIR R4 Task, its status mapped from the state machine. */
export function toTask(r: ReferralWithHistory): fhir4.Task {
  const last = r.history[r.history.length - 1];
  const reasoned = [...r.history].reverse().find((h) => (h.action === 'reject' || h.action === 'cancel') && h.reason);
  return {
    resourceType: 'Task',
    id: r.id,
    meta: { versionId: String(r.version), lastUpdated: r.updatedAt },
    identifier: [{ system: `${COUNTYLINK_SYSTEM}:referral`, value: r.id }],
    status: TASK_STATUS[r.status],
    statusReason: reasoned?.reason ? { text: reasoned.reason } : undefined,
    businessStatus: { text: r.status },
    intent: 'order',
    priority: PRIORITY[r.urgency],
    focus: { reference: `ServiceRequest/${r.id}` },
    for: patient(r),
    authoredOn: r.createdAt,
    lastModified: last?.at ?? r.updatedAt,
    requester: organization(r.from.institutionId, r.from.departmentId),
    owner: organization(r.to.institutionId, r.to.departmentId),
    restriction: { period: { end: r.responseDueAt } },
  };
}
