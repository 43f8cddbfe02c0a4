export { checkTreeUnchanged as default } from './tree-guard';
