import { stdSerializers } from 'pino';

/**
 * What a log line may not carry: patients' names, birth dates, identity numbers, clinical and report
 * text. Logs leave the clinical systems (files, a log service, a ticket) and are kept without the
 * access control and audit the records have, so these never reach them; the ids in a line say
 * where to look.
 */

const REDACTED = '[redacted]';

/** Keys under which app code might hand a patient's data to the logger (at the top or one level down). */
const PATIENT_KEYS = [
  'patient',
  'patientName',
  'name',
  'birthDate',
  'identityNumber',
  'clinicalSummary',
  'clinicalQuestion',
  'findings',
  'impression',
  'treatmentPlan',
  'text',
  'summary',
  'payload',
  'parameters',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...PATIENT_KEYS.flatMap((key) => [key, `*.${key}`]),
];

/** `/api/reads?patientId=…&name=…` → the path and the names of the query's keys, not their values. */
export function withoutQueryValues(url: unknown): unknown {
  if (typeof url !== 'string') return url;
  const at = url.indexOf('?');
  if (at < 0) return url;
  const keys = url
    .slice(at + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0].slice(0, 64)}=${REDACTED}`);
  return `${url.slice(0, at)}?${keys.join('&')}`;
}

interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  remoteAddress?: string;
  remotePort?: number;
}

/**
 * Request headers worth a log line. Not the others: credentials, and free text a caller types
 * (X-Access-Reason: "复查张三的转诊") or a client adds.
 */
const LOGGED_HEADERS = [
  'host',
  'user-agent',
  'content-type',
  'content-length',
  'accept',
  'accept-encoding',
  'x-request-id',
  'x-forwarded-for',
  'referer',
  'idempotency-key',
];

/** The access log's request: no query values (a search by name or identity number), no credentials. */
export function safeRequest(req: SerializedRequest): SerializedRequest {
  const given = req.headers ?? {};
  const headers: Record<string, unknown> = {};
  for (const name of LOGGED_HEADERS) if (given[name] !== undefined) headers[name] = given[name];
  if (headers.referer !== undefined) headers.referer = withoutQueryValues(headers.referer);
  return {
    id: req.id,
    method: req.method,
    url: withoutQueryValues(req.url) as string,
    headers,
    remoteAddress: req.remoteAddress,
    remotePort: req.remotePort,
  };
}

/** PostgreSQL repeats the offending value in some messages: `invalid input syntax for type uuid: "…"`. */
const VALUE_IN_MESSAGE =
  /((?:invalid input (?:syntax|value) for (?:type )?[\w ."]+|value too long for type [\w ()]+|invalid byte sequence for encoding "[\w-]+"): ?)("[^\n]*"|0x[0-9a-f ]+)/gi;

function scrubMessage(text: unknown): unknown {
  return typeof text === 'string' ? text.replace(VALUE_IN_MESSAGE, `$1${REDACTED}`) : text;
}

/** What of a database error may be logged: where it happened, never the values it was given. */
const DRIVER_ERROR_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'constraint', 'routine'] as const;

/**
 * An error as logged: TypeORM's QueryFailedError carries the query's `parameters` (a patient's name,
 * birth date, identity number …) and the driver's `detail` ("Key (patient_id)=(…) already exists"):
 * those are dropped, as are values PostgreSQL quotes in its message. The SQL text (with $1, $2) stays.
 */
export function safeError(err: unknown): unknown {
  const serialized = stdSerializers.err(err as Error) as unknown;
  if (!serialized || typeof serialized !== 'object') return serialized;
  const out = serialized as Record<string, unknown>;
  for (const key of ['parameters', 'detail', 'where', 'internalQuery', 'raw']) delete out[key];
  out.message = scrubMessage(out.message);
  out.stack = scrubMessage(out.stack);
  const driver = out.driverError as Record<string, unknown> | undefined;
  if (driver && typeof driver === 'object') {
    out.driverError = Object.fromEntries(
      DRIVER_ERROR_FIELDS.filter((k) => driver[k] !== undefined).map((k) => [k, driver[k]]),
    );
  }
  return out;
}
