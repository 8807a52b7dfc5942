import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { elementPlusComponents } from './vite.config.ts';

export default defineConfig({
  plugins: [vue(), elementPlusComponents({ dts: false })],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  test: {
    name: 'web',
    environment: 'happy-dom',
    include: ['test/**/*.test.ts'],
    // Route components import the UI libraries' CSS; let Vite (not Node) load those packages.
    // The first test that opens a console page transforms Element Plus, which takes a few seconds.
    testTimeout: 20_000,
    server: { deps: { inline: ['vant', 'element-plus'] } },
  },
});
