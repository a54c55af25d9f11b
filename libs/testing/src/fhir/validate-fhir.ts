import { Fhir, ParseConformance, Versions } from 'fhir';

let fhir: Fhir | undefined;

/**
 * Validates a resource against the FHIR R4 structure definitions and value sets bundled with the
 * `fhir` package (FHIR.js). Returns the error-level messages; warnings (e.g. our extensions) pass.
 */
export function fhirR4Errors(resource: object): string[] {
  fhir ??= new Fhir(new ParseConformance(true, Versions.R4));
  const result = fhir.validate(resource, { errorOnUnexpected: true });
  return result.messages
    .filter((m) => m.severity === 'error' || m.severity === 'fatal')
    .map((m) => `${m.location}: ${m.message}`);
}
