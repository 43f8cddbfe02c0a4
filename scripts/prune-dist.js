#!/usr/bin/env node
'use strict';
/**
 * Removes compiled files in dist/ whose TypeScript source is gone (a module renamed or
 * deleted): tsc never deletes them, and `npm pack` would ship them. Run after the build
 * (package.json "prepare").
 */
const { existsSync, readdirSync, rmSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const OUTPUT = /\.(d\.ts|js|js\.map|d\.ts\.map)$/;

function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
    } else if (OUTPUT.test(entry.name)) {
      const source = join(root, relative(dist, path)).replace(OUTPUT, '.ts');
      if (!existsSync(source)) rmSync(path);
    }
  }
}

if (existsSync(dist)) walk(dist);
