/**
 * The controller: spans (channel state machines, call routing), trunk calls and trunk groups (hunting, ring timer, glare retry).
 * The public face of this layer for `trunkpilot/controller` (package.json "exports"): one
 * line per module, so a module that moves is re-pointed here and nowhere else.
 */
export * from './span';
export * from './trunk-call';
export * from './trunk-group';
