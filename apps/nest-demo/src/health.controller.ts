import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { SentinelHealthIndicator } from '@sentinel-kit/nestjs';

/** @nestjs/terminus health: 200 when both aliases' masters, replicas and quorum are fine, else 503. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(SentinelHealthIndicator) private readonly redis: SentinelHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.redis.isHealthy('default', { alias: 'default' }),
      () => this.redis.isHealthy('hp', { alias: 'hp' }),
    ]);
  }
}
