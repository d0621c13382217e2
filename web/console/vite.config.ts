import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The binary serves dist/ at /console (web/console.go). `npm run dev`
// proxies the API to a running `rolegraph serve --demo`.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/graphql': 'http://127.0.0.1:8080',
      '/console/demo-members': 'http://127.0.0.1:8080',
    },
  },
});
