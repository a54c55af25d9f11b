import { DomainException } from '../errors/domain.exception';
import { CommonErrorCode } from '../errors/error-codes';
/** What the read-only FHIR R4 views of every app answer with. */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Base of the identifier systems (`urn:countylink:patient:<institution>`, …) the views share. */
export const COUNTYLINK_SYSTEM = 'urn:countylink';

/** The URL of one of our extensions, e.g. `countylinkExtension('referral-direction')`. */
export function countylinkExtension(name: string): string {
  return `${COUNTYLINK_SYSTEM}/fhir/StructureDefinition/${name}`;
}

/**
 * A search's `_count`: absent → `fallback`; more than `max` → `max` (FHIR lets a server return fewer);
 * anything but a positive whole number → 400, so a typo is not silently a different page.
 */
export function fhirCount(value: string | string[] | undefined, fallback = 20, max = 100): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value) || Number(value) === 0) {
    throw new DomainException(CommonErrorCode.VALIDATION_FAILED, '_count must be a positive whole number');
  }
  return Math.min(Number(value), max);
}
