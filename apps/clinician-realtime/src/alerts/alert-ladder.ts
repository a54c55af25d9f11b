/** The escalation ladder of an alert that needs a human, as plain rules. */
export const ALERT_KINDS = ['green-channel', 'critical-value'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const LADDER = ['on-duty', 'department-head', 'coordinator'] as const;
export type LadderStep = (typeof LADDER)[number];

export interface LadderTimings {
  /** Seconds the first step has, per kind. */
  firstStepSeconds: Record<AlertKind, number>;
  /** Seconds each later step has before the next. */
  stepSeconds: number;
}

/** The step after this one, or null at the top (the referral coordinator). */
export function nextStep(step: LadderStep): LadderStep | null {
  return LADDER[LADDER.indexOf(step) + 1] ?? null;
}

/** When `step`, reached at `at`, must have acknowledged; null at the top, where nothing follows. */
export function acknowledgeDueAt(kind: AlertKind, step: LadderStep, at: Date, timings: LadderTimings): Date | null {
  if (nextStep(step) === null) return null;
  const seconds = step === LADDER[0] ? timings.firstStepSeconds[kind] : timings.stepSeconds;
  return new Date(at.getTime() + seconds * 1000);
}

/** How each step is paged outside the app (SMS first, a phone call once it climbs). */
export function pageChannel(step: LadderStep): 'sms' | 'phone' {
  return step === 'on-duty' ? 'sms' : 'phone';
}
