import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { READINESS_PROBES } from './readiness-probe';

@Module({})
export class HealthModule {
  /** `probes` is a provider (usually a factory) that yields the process's `ReadinessProbe[]`. */
  static forRoot(probes: Omit<Provider, 'provide'> & { inject?: unknown[] }): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [{ ...(probes as object), provide: READINESS_PROBES } as Provider],
    };
  }
}
