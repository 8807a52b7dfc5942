import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
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
 * Routes are loaded lazily; the UI libraries get chunks of their own so the resident side (Vant) never
 * loads Element Plus and the console (Element Plus) never loads Vant. Vue, the router, Pinia and
 * vue-i18n are shared by both and cached once.
 */
export default defineConfig({
  plugins: [vue(), vantIconFontOffline()],
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
