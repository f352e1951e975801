#!/usr/bin/env node
/**
 * The import rules of docs/ARCHITECTURE.md, checked over the import graph of src/ (part of
 * `npm run lint`). Written as a small script over the source text rather than with a graph tool, so
 * it runs on Node 20 with nothing to install and says in plain words what broke.
 *
 * Rules:
 *  1. rules:      a `*.rules.ts` imports no I/O: no service, route, repository, table, CLI or
 *                 database/mail/notify/audit/outbox module, nor anything that imports one.
 *  2. layers:     `src/data/` imports nothing outside `src/data/`; `src/platform/` and
 *                 `src/access/` import no feature.
 *  3. front-door: a feature imports another feature only through its `index.ts`; a `*.rules.ts`
 *                 may import another feature's `*.rules.ts` directly (pure rules stay free of the
 *                 I/O a front door brings in).
 *  4. cycles:     no import cycle between features.
 *
 * Any violation fails the check, with the rule and the two files named.
 */
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Relative imports of a file: `{ target, typeOnly }`, resolved to a path under src/. */
function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const found = [];
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^;]*?\bfrom\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[3] ?? match[4];
    const typeOnly = Boolean(match[2]);
    found.push({ target: path.resolve(path.dirname(file), specifier), typeOnly });
  }
  return found;
}

const doesIo = (file) =>
  /\.(service|routes|repository|tables|cli)\.ts$/.test(file) ||
  /^src\/data\/(?!.*\.values\.ts$)/.test(file) ||
  /^src\/(platform\/(db|mail|notify|audit|outbox)\/|app\.ts|server\.ts|platform\/runtime\.ts)/.test(file);

/** Files that do I/O or import (not only for types) something that does. */
function ioClosure(graph) {
  const io = new Set([...graph.keys()].filter(doesIo));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [file, imports] of graph)
      if (!io.has(file) && imports.some(({ to, typeOnly }) => !typeOnly && io.has(to))) {
        io.add(file);
        grew = true;
      }
  }
  return io;
}

/** Every broken rule in the tree at `root` (the repository, or a test's own small tree). */
export function findViolations(root = repoRoot) {
  const rel = (file) => path.relative(root, file).split(path.sep).join('/');
  const featureOf = (file) => rel(file).match(/^src\/features\/([^/]+)\//)?.[1];
  const layerOf = (file) => rel(file).match(/^src\/(platform|access|data)\//)?.[1];
  const violations = [];
  const featureEdges = new Map();
  const graph = new Map(
    sourceFiles(path.join(root, 'src')).map((file) => [rel(file), importsOf(file).map(({ target, typeOnly }) => ({ to: rel(target), typeOnly }))]),
  );
  const io = ioClosure(graph);
  for (const [from, imports] of graph) {
    const file = path.join(root, from);
    for (const { to, typeOnly } of imports) {
      const target = path.join(root, to);
      if (/\.rules\.ts$/.test(from) && !typeOnly && io.has(to)) violations.push(`rules: ${from} imports ${to}, which does I/O`);
      const targetFeature = featureOf(target);
      if (layerOf(file) && targetFeature) violations.push(`layers: ${from} imports ${to}`);
      if (layerOf(file) === 'data' && layerOf(target) !== 'data') violations.push(`layers: ${from} imports ${to}, outside the data layer`);
      const sourceFeature = featureOf(file);
      if (sourceFeature && targetFeature && sourceFeature !== targetFeature) {
        const pureToPure = /\.rules\.ts$/.test(from) && /\.rules\.ts$/.test(to);
        if (!to.endsWith(`/features/${targetFeature}/index.ts`) && !pureToPure) violations.push(`front-door: ${from} imports ${to}`);
        if (!featureEdges.has(sourceFeature)) featureEdges.set(sourceFeature, new Set());
        featureEdges.get(sourceFeature).add(targetFeature);
      }
    }
  }
  for (const cycle of stronglyConnected(featureEdges)) violations.push(`cycles: ${cycle.join(', ')}`);
  return [...new Set(violations)].sort();
}

/** Tarjan's algorithm: the groups of features that import each other, directly or round about. */
function stronglyConnected(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  let counter = 0;
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
    }
    if (low.get(node) === index.get(node)) {
      const group = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return groups;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const violations = findViolations();
  if (violations.length === 0) {
    console.log('imports: every import follows the rules of docs/ARCHITECTURE.md');
    process.exit(0);
  }
  for (const v of violations) console.error(`import rule broken: ${v}`);
  console.error('See the import rules in docs/ARCHITECTURE.md (layers, front doors, rules without I/O, no cycles).');
  process.exit(1);
}
