import { defineConfig } from "vite";

// Built into the Python package (served at GET /graphql outside production); assets under /graphql/ide/.
export default defineConfig({
  base: "/graphql/ide/",
  build: {
    outDir: "../src/shortlist/graphql/graphiql",
    emptyOutDir: true,
    assetsDir: "assets",
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
  },
});
