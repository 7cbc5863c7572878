/** ioredis's summary when its sentinel iterator reached the end of the list without a node. */
export function isAllSentinelsUnreachable(error: Error): boolean {
  return error.message.startsWith('All sentinels are unreachable');
}
