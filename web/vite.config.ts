import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// `npm run dev` proxies the API and the live WebSocket to a running `nilecare up`; the built app is served by the gateway.
export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      "/api": "http://127.0.0.1:7001",
      // The live feed's WebSocket (the bearer subprotocol passes through).
      "/ws": { target: "ws://127.0.0.1:7001", ws: true },
    },
  },
  build: {
    outDir: "dist",
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { index: "index.html", sw: "src/serviceWorker/sw.ts" },
      output: {
        // The service worker at the root, unhashed: its URL is its identity and its scope.
        entryFileNames: (chunk) => (chunk.name === "sw" ? "sw.js" : "assets/[name]-[hash].js"),
      },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    css: false,
    testTimeout: 20_000,
  },
});
