export { SpectralProvider, useSpectralClient } from './provider.js';
export { useTask, useTaskEvents, useWorkflow, useCounter, useRun, useTaskList, type LiveHookOptions } from './hooks.js';
export type { LiveResult } from './store.js';
