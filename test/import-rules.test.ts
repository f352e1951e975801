import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript script (scripts/ runs on Node without a build), no types
import { findViolations } from '../scripts/check-imports.mjs';

/** A small source tree: `files` maps a path under src/ to its imports. */
function tree(files: Record<string, string[]>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-imports-'));
  for (const [file, imports] of Object.entries(files)) {
    const full = path.join(root, 'src', file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    const lines = imports.map((target, i) => {
      const specifier = path
        .relative(path.dirname(full), path.join(root, 'src', target))
        .split(path.sep)
        .join('/');
      return `import { x${i} } from '${specifier.startsWith('.') ? specifier : `./${specifier}`}';`;
    });
    fs.writeFileSync(full, `${lines.join('\n')}\nexport const x = 1;\n`);
  }
  return root;
}

describe('the import check of npm run lint (scripts/check-imports.mjs)', () => {
  it('passes a tree that keeps the rules: data at the bottom, features through front doors, pure rules', () => {
    const root = tree({
      'data/reports.ts': ['data/reports.values.ts'],
      'data/reports.values.ts': [],
      'platform/db/client.ts': ['data/reports.ts'],
      'features/districts/index.ts': ['features/districts/districts.service.ts'],
      'features/districts/districts.service.ts': ['data/reports.ts', 'platform/db/client.ts'],
      'features/cases/cases.service.ts': ['features/districts/index.ts', 'features/cases/case.rules.ts'],
      'features/cases/case.rules.ts': ['data/reports.values.ts', 'features/districts/time.rules.ts'],
      'features/districts/time.rules.ts': [],
    });
    expect(findViolations(root)).toEqual([]);
  });

  it('names each broken rule and the files: a reach past a front door, a cycle, a layer upside down, a rule doing I/O', () => {
    const root = tree({
      'data/reports.ts': ['features/cases/case.rules.ts'],
      'access/scope.ts': ['features/cases/index.ts'],
      'features/cases/index.ts': ['features/cases/cases.service.ts'],
      'features/cases/cases.service.ts': ['features/districts/districts.service.ts'],
      'features/cases/case.rules.ts': ['features/cases/cases.service.ts'],
      'features/districts/index.ts': [],
      'features/districts/districts.service.ts': ['features/cases/index.ts'],
    });
    expect(findViolations(root)).toEqual([
      'cycles: cases, districts',
      'front-door: src/features/cases/cases.service.ts imports src/features/districts/districts.service.ts',
      'layers: src/access/scope.ts imports src/features/cases/index.ts',
      'layers: src/data/reports.ts imports src/features/cases/case.rules.ts',
      'layers: src/data/reports.ts imports src/features/cases/case.rules.ts, outside the data layer',
      'rules: src/features/cases/case.rules.ts imports src/features/cases/cases.service.ts, which does I/O',
    ]);
  });
});
