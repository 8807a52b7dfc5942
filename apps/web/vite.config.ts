import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig, type Plugin } from 'vite';

const inPackage = (names: string) => new RegExp(`[\\\\/]node_modules[\\\\/](?:\\.pnpm[\\\\/][^\\\\/]+[\\\\/]node_modules[\\\\/])?(?:${names})[\\\\/]`);

/**
 * Vant's icon font lists a copy on a CDN after the embedded one, and Chromium requests it anyway. The
 * app must not reach other hosts (the server's CSP allows fonts from 'self' and data: only), so the
 * CDN source is dropped and the embedded woff2 is the only one.
 */
function vantIconFontOffline(): Plugin {
  return {
    name: 'vant-icon-font-offline',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]vant[\\/]es[\\/]icon[\\/]index\.css$/.test(id)) return null;
      const offline = code.replace(/,\s*url\(\/\/at\.alicdn\.com[^)]*\)\s*format\("woff"\)/, '');
      if (offline === code) this.error('vant-icon-font-offline: the CDN font source was not found; check the Vant upgrade');
      return { code: offline, map: null };
    },
  };
}

/**
 * Element Plus components and the v-loading directive written in a console template are imported,
 * with their CSS, by the resolver; nothing else is auto-imported (our own components stay explicit:
 * `dirs: []`). `src/components.d.ts` is the generated declaration that types them in templates; it is
 * committed and rewritten by a build or the dev server (never by the unit tests: `dts: false`).
 * Service APIs (ElMessage, ElMessageBox) have no tag; they come with their CSS from `@/modules/element-plus.ts`.
 */
export function elementPlusComponents({ dts = true }: { dts?: boolean } = {}): Plugin {
  return Components({
    dirs: [],
    resolvers: [ElementPlusResolver({ importStyle: 'css' })],
    dts: dts ? 'src/components.d.ts' : false,
  }) as Plugin;
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text file of the build, once, at the
 * highest levels (build time is spent once; each visit then saves the bytes): the server sends the
 * copy a browser accepts (@fastify/static `preCompressed`) and compresses nothing per request.
 * Already-compressed formats (images, woff2) are left alone, and a copy that would not be smaller
 * than its original is not written.
 */
function precompress(): Plugin {
  const compressible = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml|map|wasm|ttf|woff|eot|ico)$/i;
  let outDir = 'dist';
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile() && compressible.test(entry.name))
        .map((entry) => path.join(entry.parentPath, entry.name));
      await Promise.all(
        files.map(async (file) => {
          const body = await readFile(file);
          const [br, gz] = await Promise.all([
            brotliAsync(body, {
              params: {
                [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
                [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
                [zlib.BROTLI_PARAM_SIZE_HINT]: body.length,
              },
            }),
            gzipAsync(body, { level: zlib.Z_BEST_COMPRESSION }),
          ]);
          if (br.length < body.length) await writeFile(`${file}.br`, br);
          if (gz.length < body.length) await writeFile(`${file}.gz`, gz);
        }),
      );
    },
  };
}

/**
 * Routes are loaded lazily; the UI libraries get chunks of their own so the resident side (Vant) never
 * loads Element Plus and the console (Element Plus) never loads Vant. Vue, the router, Pinia and
 * vue-i18n are shared by both and cached once.
 */
export default defineConfig({
  plugins: [vue(), elementPlusComponents(), vantIconFontOffline(), precompress()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
  build: {
    target: 'es2022',
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'framework', test: inPackage('@vue|vue|vue-router|pinia|vue-i18n|@intlify'), priority: 30 },
            { name: 'element-plus', test: inPackage('element-plus|@element-plus'), priority: 20 },
            { name: 'vant', test: inPackage('vant|@vant'), priority: 20 },
          ],
        },
      },
    },
  },
});
