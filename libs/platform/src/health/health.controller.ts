import { Controller, Get, Inject, Logger } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../http/public.decorator';
import { READINESS_PROBES, ReadinessProbe } from './readiness-probe';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Readiness');
  /** Each dependency's last state, so that a failure is logged when it starts, not on every probe. */
  private readonly down = new Set<string>();

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(READINESS_PROBES) private readonly probes: ReadinessProbe[],
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * Ready only when every dependency answers; 503 otherwise. The answer is public (load balancers
   * ask it): it names each dependency and its state, never the error — a driver's message can carry
   * hosts, users or a query. The error goes to the log, when the dependency goes down.
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(
      this.probes.map((probe) => async () => {
        const session = this.indicator.check(probe.name);
        try {
          await probe.check();
          if (this.down.delete(probe.name)) this.logger.log(`${probe.name} is reachable again`);
          return session.up();
        } catch (err) {
          if (!this.down.has(probe.name))
            this.logger.error({ err, dependency: probe.name }, `${probe.name} is not reachable`);
          this.down.add(probe.name);
          return session.down();
        }
      }),
    );
  }
}
