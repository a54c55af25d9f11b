// Relative imports and kafkajs only: the e2e globalSetup and the built kafka:local CLI load this
// without the path aliases.
import { readFileSync } from 'node:fs';
import {
  AclEntry,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Admin,
  KafkaConfig,
  ResourcePatternTypes,
  SASLOptions,
} from 'kafkajs';
import type { KafkaPrincipalAccess } from '../../contracts/src/kafka-access';

export type KafkaSaslMechanism = 'scram-sha-256' | 'scram-sha-512';

/** How a client proves itself to the brokers and checks them (KAFKA_SSL*, KAFKA_SASL_* of PlatformConfig). */
export interface KafkaClientSecurity {
  /** TLS to the brokers, trusting the system's CAs unless `caFile` names others. */
  ssl?: boolean;
  /** PEM file of the CA(s) that signed the brokers' certificates; implies TLS. */
  caFile?: string;
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
}

/** The settings a client needs, as PlatformConfig (and the HIS simulator) reads them. */
export interface KafkaSecuritySettings {
  KAFKA_SSL?: boolean;
  KAFKA_SSL_CA_FILE?: string;
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  KAFKA_SASL_PASSWORD_FILE?: string;
}

/** Errors name the setting and the file, never a secret's value. */
function readSetting(name: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`${name}=${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Validated settings (see PlatformConfig) to what the client uses; reads the CA and password files. */
export function kafkaClientSecurity(settings: KafkaSecuritySettings): KafkaClientSecurity {
  const security: KafkaClientSecurity = {
    ssl: settings.KAFKA_SSL === true || settings.KAFKA_SSL_CA_FILE !== undefined,
    caFile: settings.KAFKA_SSL_CA_FILE,
  };
  if (settings.KAFKA_SASL_MECHANISM && settings.KAFKA_SASL_USERNAME) {
    const password =
      settings.KAFKA_SASL_PASSWORD ??
      (settings.KAFKA_SASL_PASSWORD_FILE
        ? readSetting('KAFKA_SASL_PASSWORD_FILE', settings.KAFKA_SASL_PASSWORD_FILE).toString('utf8').trim()
        : '');
    if (!password)
      throw new Error(
        'KAFKA_SASL_PASSWORD (or a non-empty KAFKA_SASL_PASSWORD_FILE) must be set with KAFKA_SASL_MECHANISM',
      );
    security.sasl = { mechanism: settings.KAFKA_SASL_MECHANISM, username: settings.KAFKA_SASL_USERNAME, password };
  }
  return security;
}

/** kafkajs' `ssl` and `sasl` options for a client. */
export function kafkaConnectionOptions(security: KafkaClientSecurity | undefined): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  if (!security) return {};
  const options: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (security.caFile) options.ssl = { ca: [readSetting('KAFKA_SSL_CA_FILE', security.caFile)] };
  else if (security.ssl) options.ssl = true;
  // The union kafkajs types per mechanism does not narrow from a union-typed mechanism.
  if (security.sasl) options.sasl = { ...security.sasl } as SASLOptions;
  return options;
}

/** The access matrix as Kafka ACL bindings: ALLOW, any host, `User:<principal>`. */
export function aclBindings(access: readonly KafkaPrincipalAccess[]): AclEntry[] {
  return access.flatMap(({ principal, grants }) =>
    grants.flatMap((grant) =>
      grant.operations.map((operation) => ({
        resourceType: grant.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
        resourceName: grant.name,
        resourcePatternType:
          grant.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
        principal: `User:${principal}`,
        host: '*',
        operation: operation === 'read' ? AclOperationTypes.READ : AclOperationTypes.WRITE,
        permissionType: AclPermissionTypes.ALLOW,
      })),
    ),
  );
}

/**
 * Creates the matrix's ACLs (an admin principal's connection). Creating an existing binding changes
 * nothing, so this runs at every start; a grant taken out of the matrix is not revoked here.
 */
export async function applyKafkaAccess(admin: Admin, access: readonly KafkaPrincipalAccess[]): Promise<number> {
  const acl = aclBindings(access);
  if (acl.length) await admin.createAcls({ acl });
  return acl.length;
}
