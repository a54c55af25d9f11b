/**
 * DICOM DA (YYYYMMDD) + TM (HH[MM[SS[.FFFFFF]]]) as a FHIR dateTime. DICOM times carry no zone and
 * FHIR wants one with any time, so the caller says the modalities' offset; a time that cannot be
 * read leaves the date alone, and a date that is not a calendar day gives nothing.
 */
export function fhirDateTime(da: string | null, tm: string | null, utcOffset: string): string | undefined {
  // Pre-3.0 DICOM wrote dates with dots (YYYY.MM.DD) and times with colons; both still arrive.
  const d = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(da?.trim() ?? '');
  if (!d) return undefined;
  const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const check = new Date(Date.UTC(y, m - 1, day));
  if (y < 1 || check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== day)
    return undefined;
  const date = `${d[1]}-${d[2]}-${d[3]}`;
  const t = /^(\d{2})(?::?(\d{2})(?::?(\d{2})(\.\d{1,6})?)?)?$/.exec(tm?.trim() ?? '');
  if (!t) return date;
  const [hh, mm, ss] = [t[1], t[2] ?? '00', t[3] ?? '00'];
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) return date;
  return `${date}T${hh}:${mm}:${ss}${t[4] ?? ''}${utcOffset}`;
}
