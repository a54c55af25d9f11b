import { appointmentTransition, holdsPlace, mayAct } from './appointment-state-machine';

describe('appointment state machine', () => {
  it('moves a booked appointment once, to cancelled, no-show or attended', () => {
    expect(appointmentTransition('booked', 'cancel')).toEqual({ ok: true, to: 'cancelled' });
    expect(appointmentTransition('booked', 'no-show')).toEqual({ ok: true, to: 'no-show' });
    expect(appointmentTransition('booked', 'attend')).toEqual({ ok: true, to: 'attended' });
    expect(appointmentTransition('cancelled', 'cancel')).toEqual({ ok: false, allowedFrom: ['booked'] });
    expect(appointmentTransition('attended', 'no-show').ok).toBe(false);
    expect(appointmentTransition('no-show', 'cancel').ok).toBe(false);
  });

  it('lets the booker cancel, and only the provider record attendance', () => {
    const booking = { patientInstitutionId: 'township-a', providerInstitutionId: 'county-hospital' };
    expect(mayAct('cancel', 'township-a', booking)).toBe(true);
    expect(mayAct('cancel', 'county-hospital', booking)).toBe(true);
    expect(mayAct('cancel', 'township-b', booking)).toBe(false);
    expect(mayAct('no-show', 'township-a', booking)).toBe(false);
    expect(mayAct('attend', 'county-hospital', booking)).toBe(true);
  });

  it('holds a place until cancelled', () => {
    expect(holdsPlace('booked')).toBe(true);
    expect(holdsPlace('no-show')).toBe(true);
    expect(holdsPlace('cancelled')).toBe(false);
  });
});
