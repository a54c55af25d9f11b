import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { PlatformConfig } from '../config/platform-config';
import { ConfigModule } from '../config/config.module';
import { HealthModule } from '../health/health.module';
import { LoggingModule } from '../logging/logging.module';
import { MetricsModule } from '../metrics/metrics.module';

export interface BackboneRootOptions {
  config: PlatformConfig;
  /** Auth, messaging core and the app feature modules this process serves. */
  imports: Array<DynamicModule | Type<unknown>>;
  /** Provider (without `provide`) of the process's readiness probes. */
  probes: Omit<Provider, 'provide'> & { inject?: unknown[] };
}

@Module({})
class BackboneRootModule {}

/** The root module every CountyLink process boots: config, logs, metrics, health, then its apps. */
export function backboneRootModule(options: BackboneRootOptions): DynamicModule {
  return {
    module: BackboneRootModule,
    imports: [
      ConfigModule.forRoot(options.config),
      LoggingModule.forRoot(options.config),
      MetricsModule,
      HealthModule.forRoot(options.probes),
      ...options.imports,
    ],
  };
}
