/** An appointment is booked, then cancelled (place back to its pool), or attended, or a no-show. */
export type AppointmentStatus = 'booked' | 'cancelled' | 'no-show' | 'attended';
export type AppointmentAction = 'cancel' | 'no-show' | 'attend';

const RULES: Record<
  AppointmentAction,
  { from: readonly AppointmentStatus[]; to: AppointmentStatus; whoseSide: 'booker-or-provider' | 'provider' }
> = {
  cancel: { from: ['booked'], to: 'cancelled', whoseSide: 'booker-or-provider' },
  'no-show': { from: ['booked'], to: 'no-show', whoseSide: 'provider' },
  attend: { from: ['booked'], to: 'attended', whoseSide: 'provider' },
};

export type AppointmentTransition =
  { ok: true; to: AppointmentStatus } | { ok: false; allowedFrom: readonly AppointmentStatus[] };

export function appointmentTransition(current: AppointmentStatus, action: AppointmentAction): AppointmentTransition {
  const rule = RULES[action];
  return rule.from.includes(current) ? { ok: true, to: rule.to } : { ok: false, allowedFrom: rule.from };
}

/** Cancel: the booking institution or the providing one; attendance: only the providing institution. */
export function mayAct(
  action: AppointmentAction,
  actorInstitutionId: string,
  booking: { patientInstitutionId: string; providerInstitutionId: string },
): boolean {
  if (actorInstitutionId === booking.providerInstitutionId) return true;
  return RULES[action].whoseSide === 'booker-or-provider' && actorInstitutionId === booking.patientInstitutionId;
}

/** A place held by a non-cancelled appointment; only a cancellation gives it back. */
export function holdsPlace(status: AppointmentStatus): boolean {
  return status !== 'cancelled';
}
