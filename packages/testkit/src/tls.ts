import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Options of {@link createTlsFiles}. */
export interface TlsFilesOptions {
  /**
   * The names the server certificate is valid for: IP addresses become `IP:` entries of its
   * subjectAltName, anything else `DNS:` entries. Default `['127.0.0.1', 'localhost']`.
   */
  hosts?: readonly string[];
  /** The CA certificate's common name. Default `'sentinel-kit test CA'`. */
  caName?: string;
}

/** A fresh test CA and one server certificate it signed, as files in a directory. */
export interface TlsFiles {
  /** The directory that holds every file below. */
  dir: string;
  /** The CA certificate (PEM), to trust: `tls: { ca }` for ioredis and Node's `tls.connect`. */
  ca: string;
  caFile: string;
  /** The server certificate, signed by the CA (PEM file); also usable as a client certificate. */
  certFile: string;
  /** The server certificate's private key (PEM file, unencrypted). */
  keyFile: string;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

const altName = (host: string) => (IPV4.test(host) || host.includes(':') ? `IP:${host}` : `DNS:${host}`);

async function openssl(dir: string, ...args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: string };
    const why =
      code === 'ENOENT'
        ? 'openssl is not on PATH; install it with "apt-get install -y openssl"'
        : `openssl ${args[0]} failed: ${String(stderr ?? (error as Error).message).trim()}`;
    throw new Error(`Cannot make the test certificates: ${why}`, { cause: error });
  }
}

/**
 * Makes a throwaway CA and a server certificate for `hosts` with the `openssl` command, in `dir`.
 * Keys are P-256 (fast to make); both certificates are valid for 7 days from now. Made at run time
 * so nothing secret or expiring is committed.
 */
export async function createTlsFiles(dir: string, options: TlsFilesOptions = {}): Promise<TlsFiles> {
  const hosts = options.hosts ?? ['127.0.0.1', 'localhost'];
  const [firstHost = '127.0.0.1'] = hosts;
  await mkdir(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(
    dir,
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '7',
    '-subj',
    `/CN=${options.caName ?? 'sentinel-kit test CA'}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  await openssl(
    dir,
    'req',
    '-new',
    ...ec,
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    `/CN=${firstHost}`,
  );
  await writeFile(
    join(dir, 'server.ext'),
    [
      `subjectAltName=${hosts.map(altName).join(',')}`,
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      // Redis presents the same certificate when it dials out (replication, sentinel links).
      'extendedKeyUsage=serverAuth,clientAuth',
      '',
    ].join('\n'),
  );
  await openssl(
    dir,
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '7',
    '-extfile',
    'server.ext',
  );
  const caFile = join(dir, 'ca.crt');
  return {
    dir,
    ca: await readFile(caFile, 'utf8'),
    caFile,
    certFile: join(dir, 'server.crt'),
    keyFile: join(dir, 'server.key'),
  };
}

/**
 * The CA and certificate of a TLS start, in `<dir>/tls`. A failure removes `dir`, the start's temp
 * directory, which nothing else holds yet.
 */
export async function startTlsFiles(dir: string): Promise<TlsFiles> {
  try {
    return await createTlsFiles(join(dir, 'tls'));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
