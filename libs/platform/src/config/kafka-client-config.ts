import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsEmpty,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MinLength,
  ValidateIf,
} from 'class-validator';

// Strict: a typo such as KAFKA_SSL=ture is refused rather than read as "no TLS".
const toBool = ({ value }: { value: unknown }) => {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value === '' ? undefined : value;
};
const toLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);

const SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256'] as const;

const saslMentioned = (c: KafkaClientConfig) =>
  c.KAFKA_SASL_MECHANISM !== undefined ||
  c.KAFKA_SASL_USERNAME !== undefined ||
  c.KAFKA_SASL_PASSWORD !== undefined ||
  c.KAFKA_SASL_PASSWORD_FILE !== undefined;

/**
 * How a Kafka client authenticates and checks the brokers: TLS (KAFKA_SSL, or a private CA in
 * KAFKA_SSL_CA_FILE) and SASL/SCRAM as one principal of the access matrix
 * (libs/contracts/src/kafka-access.ts). Validated on its own for the HIS simulator, which has no
 * database; PlatformConfig extends it. None set: plaintext and no authentication, as before.
 */
export class KafkaClientConfig {
  /** TLS to the brokers with the system's CAs. KAFKA_SSL_CA_FILE implies TLS as well. */
  @Transform(toBool)
  @IsBoolean()
  KAFKA_SSL = false;

  /** PEM file of the CA(s) that signed the brokers' certificates (`npm run kafka:local` prints its own). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  KAFKA_SSL_CA_FILE?: string;

  @ValidateIf(saslMentioned)
  @IsDefined({
    message: 'KAFKA_SASL_MECHANISM must be set with KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD (scram-sha-512)',
  })
  @Transform(toLower)
  @IsIn(SASL_MECHANISMS, { message: `KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}` })
  KAFKA_SASL_MECHANISM?: (typeof SASL_MECHANISMS)[number];

  /** The SCRAM user: `countylink-<app>` for a backbone app, `his-<institution>` for an HIS. */
  @ValidateIf(saslMentioned)
  @IsDefined({ message: 'KAFKA_SASL_USERNAME must be set with KAFKA_SASL_MECHANISM' })
  @Matches(/^[\x21-\x7e]{1,255}$/, { message: 'KAFKA_SASL_USERNAME must be 1–255 visible ASCII characters' })
  KAFKA_SASL_USERNAME?: string;

  /** The SCRAM password; never logged nor echoed in a validation error. */
  @ValidateIf((c: KafkaClientConfig) => saslMentioned(c) && c.KAFKA_SASL_PASSWORD_FILE === undefined)
  @IsDefined({ message: 'KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE must be set with KAFKA_SASL_MECHANISM' })
  @IsString()
  @MinLength(1)
  KAFKA_SASL_PASSWORD?: string;

  /** A file holding the password (a Docker/Kubernetes secret); read when the client is made. */
  @ValidateIf((c: KafkaClientConfig) => c.KAFKA_SASL_PASSWORD_FILE !== undefined && c.KAFKA_SASL_PASSWORD !== undefined)
  @IsEmpty({ message: 'set KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE, not both' })
  KAFKA_SASL_PASSWORD_FILE?: string;
}

/** Settings whose value a validation error must not repeat (besides any named *_PASSWORD, *_KEY: see isSecretSetting). */
export const SECRET_SETTINGS: ReadonlySet<string> = new Set(['KAFKA_SASL_PASSWORD', 'IDENTITY_HASH_KEY']);
