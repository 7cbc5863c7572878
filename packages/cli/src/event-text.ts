import type { SentinelEvent } from '@sentinel-kit/core';
import { address, clock } from './format.js';
import type { Style } from './style.js';

/** What each sentinel event means, in an operator's words. */
const MEANING: Record<string, string> = {
  '+sdown': 'seen down by one sentinel',
  '-sdown': 'seen up again',
  '+odown': 'down by quorum agreement',
  '-odown': 'no longer down by quorum',
  '+new-epoch': 'new configuration epoch',
  '+try-failover': 'failover attempt starts',
  '+vote-for-leader': 'voted for a failover leader',
  '+elected-leader': 'elected failover leader',
  '+failover-state-select-slave': 'choosing a replica to promote',
  '+selected-slave': 'replica chosen for promotion',
  '+failover-state-send-slaveof-noone': 'promoting the chosen replica',
  '+failover-state-wait-promotion': 'waiting for the promotion',
  '+promoted-slave': 'replica promoted to master',
  '+failover-state-reconf-slaves': 'pointing the replicas at the new master',
  '+slave-reconf-sent': 'replica told to follow the new master',
  '+slave-reconf-inprog': 'replica resyncing',
  '+slave-reconf-done': 'replica follows the new master',
  '+failover-end': 'failover finished',
  '+failover-end-for-timeout': 'failover ended by failover-timeout',
  '+switch-master': 'master switched',
  '+config-update-from': 'configuration learned from a peer',
  '+convert-to-slave': 'old master converted to a replica',
  '+fix-slave-config': 'replica reconfigured',
  '+role-change': 'role changed',
  '-role-change': 'reports a role other than configured',
  '+slave': 'replica discovered',
  '+sentinel': 'sentinel discovered',
  '+reboot': 'instance restarted',
  '+reset-master': 'master reset',
  '+tilt': 'sentinel entered TILT mode',
  '-tilt': 'sentinel left TILT mode',
  '-failover-abort-not-elected': 'failover aborted: not elected leader',
  '-failover-abort-no-good-slave': 'failover aborted: no replica can be promoted',
  '-failover-abort-slave-timeout': 'failover aborted: promotion timed out',
};

/** Wide enough for the longest event name, `+failover-state-send-slaveof-noone`. */
const NAME_WIDTH = 34;

/** The subject of an event: `127.0.0.1:6380 (slave)` or, for a switch, `old → new`. */
function subject(event: SentinelEvent): string {
  if (event.switch !== undefined) return `${address(event.switch.from)} → ${address(event.switch.to)}`;
  if (event.instance !== undefined) {
    const { type, host, port } = event.instance;
    return type === 'master' ? `master ${address({ host, port })}` : `${type} ${address({ host, port })}`;
  }
  return event.message;
}

/** One feed line: time, event, its subject and meaning, and which sentinel(s) said it first. */
export function formatEvent(event: SentinelEvent, style: Style): string {
  const meaning = MEANING[event.type];
  const name =
    event.type.startsWith('-failover-abort') || event.type === '+odown' || event.type === '+sdown'
      ? style.bad(event.type.padEnd(NAME_WIDTH))
      : event.type === '+switch-master' || event.type === '+failover-end'
        ? style.ok(event.type.padEnd(NAME_WIDTH))
        : event.type.padEnd(NAME_WIDTH);
  const detail = event.detail === undefined ? '' : ` ${event.detail}`;
  const why = meaning === undefined ? '' : style.dim(`  ${meaning}`);
  return `${style.dim(clock(event.at))}  ${name} ${subject(event)}${detail}${why}  ${style.dim(`[${address(event.sentinel)}]`)}`;
}
