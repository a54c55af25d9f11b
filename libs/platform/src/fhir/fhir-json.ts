/** What the read-only FHIR R4 views of every app answer with. */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Base of the identifier systems (`urn:countylink:patient:<institution>`, …) the views share. */
export const COUNTYLINK_SYSTEM = 'urn:countylink';

/** The URL of one of our extensions, e.g. `countylinkExtension('referral-direction')`. */
export function countylinkExtension(name: string): string {
  return `${COUNTYLINK_SYSTEM}/fhir/StructureDefinition/${name}`;
}
