import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Browser tests first, then Vitest's own order (the longest first when an earlier run's timings are
 * cached, otherwise the largest files). A clean clone has no timings: the browser tests, the longest
 * files (the wall's soak test takes two minutes), were started late by size, and the last of them ran
 * alone on one core for over a minute at the end of a CI run.
 */
class BrowserTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const browser = (f: TestSpecification) => f.moduleId.includes('/tests/e2e/');
    return [...sorted.filter(browser), ...sorted.filter((f) => !browser(f))];
  }
}

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/bench/**'],
    globalSetup: ['tests/scratch-root.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // DuckDB work is CPU-bound and the CI machine has 2 cores.
    maxWorkers: 2,
    sequence: { sequencer: BrowserTestsFirst },
  },
});
