import type { ResourceKind } from './reserved-pool';

export interface ScheduleShape {
  kind: ResourceKind;
  practitionerId?: string;
  modality?: string;
  startsAt: Date;
  endsAt: Date;
}

/** What a schedule of each kind must say; returns the problem, or null when it is well formed. */
export function scheduleShapeProblem(s: ScheduleShape, now: Date): string | null {
  if (s.kind === 'clinic-session' && !s.practitionerId) return 'A clinic session names its specialist (practitionerId)';
  if (s.kind === 'exam' && !s.modality) return 'Exam slots name their modality (CT, MRI, ultrasound, endoscopy, …)';
  if (s.kind !== 'exam' && s.modality) return 'Only exam slots have a modality';
  if (s.endsAt.getTime() <= s.startsAt.getTime()) return 'endsAt must be after startsAt';
  if (s.startsAt.getTime() <= now.getTime()) return 'A schedule is published before it starts';
  if (s.endsAt.getTime() - s.startsAt.getTime() > 2 * 86_400_000) return 'A schedule spans at most two days';
  return null;
}
