import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
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
export function helmetOptions(opts: HelmetPluginOptions): FastifyHelmetOptions {
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

export default fp<HelmetPluginOptions>(async (fastify, opts) => fastify.register(helmet, helmetOptions(opts)), {
  name: 'helmet',
});
