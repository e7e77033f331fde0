import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One project per suite; test/run-all.mjs picks them by name.
export default defineConfig({
  plugins: [react()],
  test: {
    globals: true,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node', testTimeout: 20_000 } },
      { extends: true, test: { name: 'renderer', include: ['test/renderer/**/*.test.{ts,tsx}'], environment: 'happy-dom' } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], environment: 'node', testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false } },
      { extends: true, test: { name: 'uboot', include: ['test/uboot/**/*.test.ts'], environment: 'node', testTimeout: 300_000, hookTimeout: 300_000, fileParallelism: false } },
      { extends: true, test: { name: 'kernel', include: ['test/kernel/**/*.test.ts'], environment: 'node', testTimeout: 1_800_000, hookTimeout: 1_800_000, fileParallelism: false } },
      { extends: true, test: { name: 'faults', include: ['test/faults/**/*.test.ts'], environment: 'node', testTimeout: 300_000, fileParallelism: false } },
      { extends: true, test: { name: 'electron', include: ['test/electron/**/*.test.ts'], environment: 'node', testTimeout: 120_000 } },
    ],
  },
});
