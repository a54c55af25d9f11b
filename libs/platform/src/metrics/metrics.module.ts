import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { HttpMetricsInterceptor } from './http-metrics.interceptor';
import { MetricsController } from './metrics.controller';
import { ensureDefaultMetrics } from './metrics';

/** Prometheus text at `/metrics` (prom-client) with request durations per route. */
@Module({
  controllers: [MetricsController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor }],
})
export class MetricsModule {
  constructor() {
    ensureDefaultMetrics();
  }
}
