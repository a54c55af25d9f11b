import type * as fhir4 from 'fhir/r4';
import type { Request } from 'express';
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

/**
 * The patient of a search, as `subject:identifier` / `patient:identifier` name it:
 * `urn:countylink:patient:<institution>|<patient id>` — the identifier every view gives its subject.
 */
export function fhirPatientIdentifier(value: string | string[] | undefined): {
  institutionId: string;
  patientId: string;
} {
  const match =
    typeof value === 'string' ? /^urn:countylink:patient:([a-z0-9][a-z0-9-]{0,62})\|([^|]{1,64})$/.exec(value) : null;
  if (!match) {
    throw new DomainException(
      CommonErrorCode.VALIDATION_FAILED,
      'Search by patient: patient:identifier=urn:countylink:patient:<institution>|<patient id>',
    );
  }
  return { institutionId: match[1], patientId: match[2] };
}

/** A searchset Bundle of `resources`, each with its absolute URL under this server's `/fhir`. */
export function searchset<R extends fhir4.FhirResource & { id?: string }>(
  req: Request,
  resources: R[],
): fhir4.Bundle<R> {
  const base = `${req.protocol}://${req.get('host')}/fhir`;
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}
