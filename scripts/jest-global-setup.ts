export { snapshotTree as default } from './tree-guard';
