/**
 * A UUID as text: 8-4-4-4-12 hex digits, either case — what PostgreSQL's `uuid` type takes and
 * what Nest's `ParseUUIDPipe` accepts for a route id (no version given). For a regex that embeds
 * a UUID (`new RegExp(`^(${UUID_PATTERN})-x$`, 'i')`); compile it case-insensitive.
 *
 * Not `validate` of the `uuid` package: it takes only RFC 9562 versions 1–8 (and nil, max), which
 * would refuse ids these checks have always accepted and the database stores.
 */
export const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const UUID = new RegExp(`^${UUID_PATTERN}$`, 'i');

/** The one UUID check of the apps (consumers, commands, cursors, FHIR ids). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
