#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startTopology } from './topology.js';

const usage = `Usage: sentinel-kit-topology [--replicas N] [--sentinels N] [--password P] [--sentinel-password P]
                             [--master-name NAME] [--down-after-ms MS] [--tls] [--json]
Starts a master, replicas and sentinels on free loopback ports and prints the location until Ctrl-C.
--tls: every node on TLS alone; prints the CA file to trust (e.g. redis-cli --tls --cacert FILE).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      replicas: { type: 'string' },
      sentinels: { type: 'string' },
      password: { type: 'string' },
      'sentinel-password': { type: 'string' },
      'master-name': { type: 'string' },
      'down-after-ms': { type: 'string' },
      tls: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const number = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} takes a whole number, not "${value}"`);
    return n;
  };
  const topology = await startTopology({
    replicas: number('replicas', values.replicas),
    sentinels: number('sentinels', values.sentinels),
    downAfterMs: number('down-after-ms', values['down-after-ms']),
    password: values.password,
    sentinelPassword: values['sentinel-password'],
    masterName: values['master-name'],
    tls: values.tls,
  });
  const stop = async () => {
    await topology.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (values.json) {
    console.log(
      JSON.stringify({
        location: topology.location,
        masterName: topology.masterName,
        caFile: topology.tlsFiles?.caFile,
        nodes: topology.nodes.map(({ name, host, port, pid }) => ({ name, host, port, pid })),
        sentinels: topology.sentinels.map(({ name, host, port, pid }) => ({ name, host, port, pid })),
      }),
    );
  } else {
    console.log(`location: ${topology.location}`);
    if (topology.tlsFiles) console.log(`CA file:  ${topology.tlsFiles.caFile}`);
    for (const node of [...topology.nodes, ...topology.sentinels]) {
      console.log(`  ${node.name.padEnd(11)} ${node.host}:${node.port}  pid ${node.pid}`);
    }
    console.log('Ctrl-C stops every process.');
  }
}

main().catch((error: Error) => {
  console.error(`sentinel-kit-topology: ${error.message}`);
  process.exit(1);
});
