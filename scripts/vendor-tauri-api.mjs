#!/usr/bin/env node
// Copies the modules of the official Tauri JavaScript API (@tauri-apps/api, pinned in package.json and
// package-lock.json) that the page imports into ui/vendor/tauri-api/, unchanged: the page has no bundler and its
// assets are ui/ (tauri.conf.json frontendDist), so ui/js/backend.js imports them by relative path and the page loads
// only those files (withGlobalTauri stays off). Which files: the entry modules below and every module they import,
// followed through their relative imports; plus the package's package.json (its version) and its MIT licence.
//
//   node scripts/vendor-tauri-api.mjs          write ui/vendor/tauri-api/ from node_modules (after npm ci)
//   node scripts/vendor-tauri-api.mjs --check  exit 1, naming each difference, when the copy is not exactly the
//                                              pinned package's files (tests/e2e/test_page_contract.py runs it)
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = join(ROOT, 'node_modules/@tauri-apps/api');
const VENDOR = join(ROOT, 'ui/vendor/tauri-api');
const ENTRIES = ['core.js', 'event.js'];
const EXTRA = ['package.json', 'LICENSE-MIT'];

function pinned() {
  const wanted = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies['@tauri-apps/api'];
  const locked = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')).packages['node_modules/@tauri-apps/api'];
  const problems = [];
  if (!/^\d+\.\d+\.\d+$/.test(wanted)) problems.push(`package.json: @tauri-apps/api "${wanted}" is not an exact version`);
  if (!locked || locked.version !== wanted) problems.push(`package-lock.json locks @tauri-apps/api ${locked && locked.version}, package.json pins ${wanted}`);
  if (!existsSync(join(PACKAGE, 'package.json'))) {
    problems.push('node_modules/@tauri-apps/api is missing: run npm ci');
  } else {
    const installed = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')).version;
    if (installed !== wanted) problems.push(`node_modules has @tauri-apps/api ${installed}, package.json pins ${wanted}: run npm ci`);
  }
  return problems;
}

/** The entry modules and every module they import by relative path, as paths inside the package. */
function needed() {
  const found = new Set();
  const queue = [...ENTRIES];
  while (queue.length) {
    const file = queue.shift();
    if (found.has(file)) continue;
    found.add(file);
    const text = readFileSync(join(PACKAGE, file), 'utf8');
    for (const [, spec] of text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      queue.push(posix.normalize(posix.join(posix.dirname(file), spec)));
    }
    for (const [, spec] of text.matchAll(/\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
      queue.push(posix.normalize(posix.join(posix.dirname(file), spec)));
    }
  }
  return [...found, ...EXTRA].sort();
}

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(VENDOR, path).split('\\').join('/')];
  });
}

const check = process.argv.includes('--check');
const problems = pinned();
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const files = needed();
if (check) {
  for (const file of files) {
    const copy = join(VENDOR, file);
    if (!existsSync(copy)) problems.push(`ui/vendor/tauri-api/${file} is missing`);
    else if (!readFileSync(copy).equals(readFileSync(join(PACKAGE, file)))) problems.push(`ui/vendor/tauri-api/${file} differs from @tauri-apps/api's`);
  }
  for (const file of filesUnder(VENDOR)) {
    if (!files.includes(file)) problems.push(`ui/vendor/tauri-api/${file} is not a file the page needs from @tauri-apps/api`);
  }
  if (problems.length) {
    console.error(`${problems.join('\n')}\n(node scripts/vendor-tauri-api.mjs writes the copy again)`);
    process.exit(1);
  }
  console.log(`ui/vendor/tauri-api: ${files.length} files, the same as @tauri-apps/api ${JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')).version}`);
} else {
  rmSync(VENDOR, { recursive: true, force: true });
  for (const file of files) {
    mkdirSync(dirname(join(VENDOR, file)), { recursive: true });
    writeFileSync(join(VENDOR, file), readFileSync(join(PACKAGE, file)));
  }
  console.log(`ui/vendor/tauri-api: ${files.join(', ')}`);
}
