/**
 * Outbound campaigns: contact lists and import, retries, calling hours, caller IDs, AMD seam, results, the SQLite store.
 * The public face of this layer for `trunkpilot/campaign` (package.json "exports"): one
 * line per module, so a module that moves is re-pointed here and nowhere else.
 */
export * from './answer-classifier';
export * from './blacklist';
export * from './callee-caps';
export * from './caller-id-pool';
export * from './calling-hours';
export * from './campaign-settings';
export * from './campaign-storage';
export * from './campaign-store';
export * from './china-number';
export * from './contact-import';
export * from './contact-list';
export * from './leased-contacts';
export * from './line-answer-classifier';
export * from './outbound-campaign';
export * from './pg-campaign-store';
export * from './pg-migrations';
export * from './persistent-contacts';
export * from './results-export';
export * from './retry-rules';
export * from './text-lines';
export * from './voice-file';
export * from './wal-checkpointer';
export * from './store-migrations';
