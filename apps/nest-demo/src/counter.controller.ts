import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import type { Cache } from '@sentinel-kit/core';
import { InjectCache } from '@sentinel-kit/nestjs';

const KEY = 'hits';

/** A hit counter on the `hp` alias: a Redis integer at `dj:bi:1:hits` in db 1, moved by `INCR`. */
@Controller('counter')
export class CounterController {
  constructor(@InjectCache('hp') private readonly hp: Cache) {}

  @Post('hit')
  @HttpCode(200)
  async hit() {
    // Django's incr() refuses a missing key; add() creates it once without racing other hits.
    await this.hp.add(KEY, 0, null);
    return { hits: await this.hp.incr(KEY) };
  }

  @Get()
  async read() {
    return { hits: (await this.hp.get<number>(KEY)) ?? 0 };
  }
}
