/** Something `/health/ready` must reach before the process takes traffic (database, Kafka). */
export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<void>;
}

export const READINESS_PROBES = Symbol('READINESS_PROBES');
