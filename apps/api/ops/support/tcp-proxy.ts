import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Open client connections through the proxy. */
  connections(): number;
  /** Resets every open connection on both sides (RST, as a failing network or a firewall does). */
  resetAll(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target`, so a test can cut the network between the app and
 * its database without touching the database itself.
 */
export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.host ?? '127.0.0.1', port: target.port });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const proxy: TcpProxy = {
    port,
    connections: () => pairs.size,
    resetAll() {
      const n = pairs.size;
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        for (const socket of pair) socket.resetAndDestroy();
      }
      return n;
    },
    async close() {
      proxy.resetAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return proxy;
}
