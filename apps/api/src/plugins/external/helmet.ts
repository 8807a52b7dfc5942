import helmet, { type HelmetOptions } from 'helmet';
import fp from 'fastify-plugin';

export interface HelmetPluginOptions {
  /** The map tile URL template; its origin may serve images. */
  mapTileUrl: string;
}

/** The origin of a tile URL template such as `https://{s}.tile.example.com/{z}/{x}/{y}.png`. */
export function tileOrigin(template: string): string | undefined {
  if (template.startsWith('/')) return undefined;
  try {
    return new URL(template.replaceAll('{s}', 'a').replace(/\{[a-z]+\}/g, '0')).origin.replace('//a.', '//*.');
  } catch {
    return undefined;
  }
}

/**
 * Security headers. The SPA loads only its own scripts; Vant and Element Plus set inline styles;
 * images come from here and from the map tile host.
 */
export function helmetOptions(opts: HelmetPluginOptions): HelmetOptions {
  const tiles = tileOrigin(opts.mapTileUrl);
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  };
}

/**
 * The headers helmet sets with these options. They depend on nothing in the request (no CSP nonces),
 * so helmet runs once, here, instead of building its middleware and re-parsing the policy on every
 * request.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as never, response as never, () => undefined);
  return headers;
}

export default fp<HelmetPluginOptions>(
  async (fastify, opts) => {
    const headers = securityHeaders(helmetOptions(opts));
    fastify.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'helmet' },
);
