'use strict';
/**
 * Runs a bin script on the project's own Node (the registry's `node` package, a devDependency
 * that scripts/setup installs) when a different system Node started it: `bin/trunkpilot` typed
 * by hand on a Debian 12 machine whose Node is 20. npm scripts and npx already run on it
 * (node_modules/.bin comes first on their PATH). An installed copy of the package has no
 * node_modules/node of its own and runs on whatever Node its user has.
 */
const { spawn } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const MARK = 'TRUNKPILOT_ON_PROJECT_NODE';

/** The project's Node binary and its version, or undefined when there is none. */
function projectNode() {
  const dir = path.join(__dirname, '..', 'node_modules', 'node');
  const bin = path.join(dir, 'bin', 'node');
  if (!existsSync(bin)) return undefined;
  try {
    return { bin, version: `v${JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version}` };
  } catch {
    return undefined;
  }
}

/**
 * True when `script` was started again on the project's Node (the caller must then do nothing
 * more: this process only waits and passes on its exit code); false to run here.
 */
function rerunOnProjectNode(script) {
  const local = projectNode();
  if (!local || local.version === process.version || process.env[MARK]) return false;
  const child = spawn(local.bin, [...process.execArgv, script, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [MARK]: '1' },
  });
  // Ctrl-C reaches the whole foreground process group, the child included: passing it on too
  // would be a second interrupt (the demo's "stop now"). Termination requests are passed on.
  process.on('SIGINT', () => {});
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => {
    console.error(`trunkpilot: cannot start the project's Node ${local.bin}: ${err.message}`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else {
      process.exitCode = code ?? 1;
    }
  });
  return true;
}

module.exports = { rerunOnProjectNode, projectNode };
