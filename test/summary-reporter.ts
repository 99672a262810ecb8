// Prints one plain closing line, "N passed, N failed", that any CI can read.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    // A file can fail with no failing test (a hook or its import threw): its tests then count as skipped.
    let broken = 0;
    for (const m of modules) {
      let failedHere = 0;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      failed += failedHere;
      if (failedHere === 0 && m.state() === 'failed') broken++;
    }
    const files = broken ? `, ${broken} file${broken > 1 ? 's' : ''} failed outside a test (a hook or an import)` : '';
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped${files}\n`);
  }
}
