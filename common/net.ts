// host:port helpers shared by every listener and client.
import type { AddressInfo } from 'node:net';

export function parseHostPort(addr: string, defaultHost = '127.0.0.1'): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(addr.trim());
  if (!m) {
    if (/^\d+$/.test(addr.trim())) return { host: defaultHost, port: Number(addr) };
    throw new Error(`expected host:port, got ${JSON.stringify(addr)}`);
  }
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`port out of range in ${JSON.stringify(addr)}`);
  return { host: m[1] ?? (m[2] || defaultHost), port };
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function addressOf(info: AddressInfo | string | null): string {
  if (!info || typeof info === 'string') throw new Error('server is not listening on TCP');
  return formatHostPort(info.address, info.port);
}
