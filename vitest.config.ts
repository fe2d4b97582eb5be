import { defineConfig } from 'vitest/config';

// One root config. Tests that touch the store run twice: once on SQLite (project "sqlite")
// and once on PostgreSQL (project "postgres", via UCBRIDGE_TEST_DB). Browser tests run alone
// (project "browser") because Chromium is heavy on a 2-core machine: one file at a time, in a
// group of their own after the others, so no server test file runs beside them.
const storeTests = ['test/server/**/*.test.ts'];

export default defineConfig({
  test: {
    // Two test files at a time. Vitest's default is one fewer than the cores, so a 2-core machine
    // ran every file in turn. More than two would open too many PostgreSQL connections: each file
    // starts servers with pools of their own.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for background work (a delivery sent, a job run, the admin page's
    // once-a-second refresh); vitest's default 1 s deadline flakes on a loaded 2-core machine.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: storeTests, env: { UCBRIDGE_TEST_DB: 'sqlite' } },
      },
      {
        extends: true,
        test: { name: 'postgres', include: storeTests, env: { UCBRIDGE_TEST_DB: 'postgres' } },
      },
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...storeTests, 'test/**/*.browser.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['test/**/*.browser.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
