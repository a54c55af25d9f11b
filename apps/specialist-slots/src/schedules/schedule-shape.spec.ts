import { scheduleShapeProblem } from './schedule-shape';

const now = new Date('2026-11-22T00:00:00Z');
const startsAt = new Date('2026-11-25T00:30:00Z');
const endsAt = new Date('2026-11-25T04:00:00Z');

describe('schedule shape', () => {
  it('accepts each kind with what it needs', () => {
    expect(
      scheduleShapeProblem({ kind: 'clinic-session', practitionerId: 'county-cardiology', startsAt, endsAt }, now),
    ).toBeNull();
    expect(scheduleShapeProblem({ kind: 'exam', modality: 'CT', startsAt, endsAt }, now)).toBeNull();
    expect(scheduleShapeProblem({ kind: 'ward-beds', startsAt, endsAt }, now)).toBeNull();
  });

  it('names what is missing or wrong', () => {
    expect(scheduleShapeProblem({ kind: 'clinic-session', startsAt, endsAt }, now)).toMatch(/practitionerId/);
    expect(scheduleShapeProblem({ kind: 'exam', startsAt, endsAt }, now)).toMatch(/modality/);
    expect(scheduleShapeProblem({ kind: 'ward-beds', modality: 'CT', startsAt, endsAt }, now)).toMatch(/modality/);
    expect(scheduleShapeProblem({ kind: 'ward-beds', startsAt: endsAt, endsAt: startsAt }, now)).toMatch(/after/);
    expect(scheduleShapeProblem({ kind: 'ward-beds', startsAt: now, endsAt }, now)).toMatch(/before it starts/);
    expect(
      scheduleShapeProblem({ kind: 'ward-beds', startsAt, endsAt: new Date(startsAt.getTime() + 3 * 86_400_000) }, now),
    ).toMatch(/two days/);
  });
});
