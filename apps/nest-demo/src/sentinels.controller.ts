import { Controller, Get, Inject } from '@nestjs/common';
import { CachesService } from '@sentinel-kit/nestjs';

/** What the sentinels say about the `default` alias's master, asked on their own port. */
@Controller('sentinels')
export class SentinelsController {
  constructor(@Inject(CachesService) private readonly caches: CachesService) {}

  @Get()
  async view() {
    const admin = this.caches.registry.connector('default').sentinels();
    const [master, replicas, sentinels, quorum] = await Promise.all([
      admin.master(),
      admin.replicas(),
      admin.sentinels(),
      admin.ckquorum(),
    ]);
    return {
      masterName: admin.masterName,
      master: { address: `${master.ip}:${master.port}`, flags: master.flags, quorum: master.quorum },
      replicas: replicas.map((r) => ({
        address: `${r.ip}:${r.port}`,
        flags: r.flags,
        link: r.masterLinkStatus,
        offset: r.slaveReplOffset,
      })),
      sentinels: [...admin.sentinelAddresses.map(({ host, port }) => `${host}:${port}`)],
      knownPeers: sentinels.map((s) => ({ address: `${s.ip}:${s.port}`, flags: s.flags })),
      quorum,
    };
  }
}
