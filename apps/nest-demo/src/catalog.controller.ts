import { CacheInterceptor, CacheTTL } from '@nestjs/cache-manager';
import { Controller, Get, UseInterceptors } from '@nestjs/common';

/**
 * A page worth caching: rendered once, then served by @nestjs/cache-manager's `CacheInterceptor`
 * from the `default` alias (key `dj:1:/catalog`) for 10 s, with an `X-Cache: HIT|MISS` header.
 */
@Controller('catalog')
@UseInterceptors(CacheInterceptor)
export class CatalogController {
  private renders = 0;

  @Get()
  @CacheTTL(10_000)
  list() {
    this.renders += 1;
    return {
      render: this.renders,
      renderedAt: new Date().toISOString(),
      items: [
        { sku: 'A-1', name: 'sentinel', price: 12 },
        { sku: 'B-2', name: 'replica', price: 7 },
      ],
    };
  }
}
