import { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AlertKind as AlertKindProto, AlertSchema, LadderStep as LadderStepProto } from '@countylink/contracts';
import { AlertNotice } from '../notifications/notification-types';
import type { Alert } from './alert.entity';
import type { AlertKind, LadderStep } from './alert-ladder';

const KIND_PROTO: Record<AlertKind, AlertKindProto> = {
  'green-channel': AlertKindProto.GREEN_CHANNEL,
  'critical-value': AlertKindProto.CRITICAL_VALUE,
};

export const STEP_PROTO: Record<LadderStep, LadderStepProto> = {
  'on-duty': LadderStepProto.ON_DUTY,
  'department-head': LadderStepProto.DEPARTMENT_HEAD,
  coordinator: LadderStepProto.COORDINATOR,
};

export function alertNotice(a: Alert): AlertNotice {
  return {
    alertId: a.id,
    kind: a.kind,
    step: a.step,
    subjectType: a.subjectType,
    subjectId: a.subjectId,
    institutionId: a.institutionId,
    departmentId: a.departmentId,
    raisedAt: a.raisedAt.toISOString(),
    acknowledgeDueAt: a.acknowledgeDueAt?.toISOString() ?? null,
    summary: a.summary,
    acknowledgedBy: a.acknowledgedBy,
  };
}

export function alertMessage(a: Alert): MessageInitShape<typeof AlertSchema> {
  return {
    id: a.id,
    kind: KIND_PROTO[a.kind],
    subjectType: a.subjectType,
    subjectId: a.subjectId,
    institutionId: a.institutionId,
    departmentId: a.departmentId ?? '',
    step: STEP_PROTO[a.step],
    raisedAt: timestampFromDate(a.raisedAt),
    acknowledgeDueAt: a.acknowledgeDueAt ? timestampFromDate(a.acknowledgeDueAt) : undefined,
    summary: a.summary,
  };
}
