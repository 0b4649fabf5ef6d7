// vitest/config's defineConfig is Vite's, plus the `test` section.
import { defineConfig } from 'vitest/config'

// The server sends a strict CSP (script-src 'self'; style-src 'self'; no inline
// anything), so the build must emit only external .js/.css files.
export default defineConfig({
  base: '/',
  oxc: {
    // React 17+ automatic JSX runtime, without @vitejs/plugin-react
    // (we need no fast refresh, and it drags in Babel peer dependencies).
    jsx: { runtime: 'automatic' },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    // The polyfill would be an inline <script>; every browser we support
    // has native modulepreload.
    modulePreload: { polyfill: false },
    // Never inline fonts/images as data: URLs in CSS or JS (img-src allows
    // data:, font-src does not); keep them as files under /assets.
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      onwarn(warning, warn) {
        // smarthr-ui's files start with "use client" (for React Server
        // Components); meaningless in a plain SPA bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return
        warn(warning)
      },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
})
