import { defineConfig } from "vite";

// `npx vite` (dev server) proxies the API to a local `tracewire serve`.
export default defineConfig({
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  server: { proxy: { "/api": "http://127.0.0.1:16686" } },
});
