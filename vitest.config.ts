import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One graphql instance for the schema and Yoga, or graphql-js refuses to
    // mix types "from another module or realm".
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
